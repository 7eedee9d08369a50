"""`make package` fails when chalice could not find a Lambda wheel for a dependency:
chalice itself only warns and ships a package that breaks at import in Lambda."""

import importlib.util
import stat
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture
def lambda_package(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPTS))
    spec = importlib.util.spec_from_file_location("lambda_package", SCRIPTS / "lambda_package.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "lambda_package", module)
    spec.loader.exec_module(module)
    return module


def fake_chalice(tmp_path: Path, output: str) -> Path:
    """A `chalice` that prints `output` and writes an empty deployment.zip."""
    script = tmp_path / "chalice"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys, pathlib, zipfile\n"
        "out = pathlib.Path(sys.argv[-1]); out.mkdir(parents=True)\n"
        "zipfile.ZipFile(out / 'deployment.zip', 'w').close()\n"
        f"print({output!r})\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_a_dependency_without_a_lambda_wheel_fails_the_package(
    lambda_package, tmp_path, monkeypatch
):
    warning = lambda_package.MISSING_DEPENDENCIES_TEMPLATE % "psycopg2==2.9.9"
    monkeypatch.setattr(lambda_package, "CHALICE", fake_chalice(tmp_path, warning))

    with pytest.raises(lambda_package.PackageError, match="no Lambda-compatible wheel"):
        lambda_package.build(tmp_path, tmp_path / "out", "prod")


def test_a_clean_package_is_returned_with_its_size(lambda_package, tmp_path, monkeypatch):
    monkeypatch.setattr(
        lambda_package, "CHALICE", fake_chalice(tmp_path, "Creating deployment package.")
    )

    package = lambda_package.build(tmp_path, tmp_path / "out", "prod")

    assert package.name == "deployment.zip"
    assert lambda_package.size_of(package).files == 0
