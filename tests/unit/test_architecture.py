"""The domain stays pure: standard library only, no environment, no clock.

A cheap static walk over the source, so a stray import fails here rather than in review.
"""

import ast
from pathlib import Path

import pytest

import chalicelib.domain

DOMAIN = Path(chalicelib.domain.__file__).parent
MODULES = sorted(DOMAIN.glob("*.py"))

FORBIDDEN_IMPORTS = frozenset({"boto3", "botocore", "pynamodb", "chalice", "pydantic", "os"})
CLOCK_CALLS = frozenset(
    {
        "datetime.now",
        "datetime.utcnow",
        "datetime.today",
        "date.today",
        "time.time",
        "time.time_ns",
        "time.monotonic",
        "time.perf_counter",
    }
)
CLOCK_FUNCTIONS = frozenset({"time", "time_ns", "monotonic", "perf_counter"})


def imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def clock_reads(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            name = dotted(node)
            if name and any(name == c or name.endswith("." + c) for c in CLOCK_CALLS):
                found.add(name)
        elif isinstance(node, ast.ImportFrom) and node.module == "time":
            found |= {f"time.{a.name}" for a in node.names if a.name in CLOCK_FUNCTIONS}
    return found


def parse(path: Path) -> ast.AST:
    return ast.parse(path.read_text("utf-8"), filename=str(path))


def test_the_domain_package_has_modules_to_check():
    assert len(MODULES) > 5


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_a_domain_module_imports_no_infrastructure_or_environment(path):
    assert imported_roots(parse(path)) & FORBIDDEN_IMPORTS == set()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_a_domain_module_never_reads_the_clock(path):
    assert clock_reads(parse(path)) == set()


def test_the_import_check_would_catch_an_aws_or_environment_import():
    source = "import os.path\nfrom boto3.session import Session\nfrom pynamodb import models\n"

    assert imported_roots(ast.parse(source)) & FORBIDDEN_IMPORTS == {"os", "boto3", "pynamodb"}


def test_the_clock_check_would_catch_every_usual_way_of_reading_the_clock():
    source = (
        "import datetime, time\n"
        "from time import monotonic\n"
        "a = datetime.datetime.now(UTC)\n"
        "b = date.today()\n"
        "c = datetime.utcnow()\n"
        "d = time.time()\n"
    )

    assert clock_reads(ast.parse(source)) == {
        "time.monotonic",
        "datetime.datetime.now",
        "date.today",
        "datetime.utcnow",
        "time.time",
    }
