"""Build the Lambda deployment package with `chalice package` and print its size.

`make package` runs this for the prod stage into build/lambda/. Chalice only warns
when a dependency has no Lambda-compatible (manylinux) wheel and ships a package
that would fail at import in Lambda; this script turns that warning into exit 1.

Usage: python scripts/lambda_package.py [--stage prod] [--out build/lambda]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from chalice.constants import MISSING_DEPENDENCIES_TEMPLATE

ROOT = Path(__file__).resolve().parent.parent
CHALICE = Path(sys.executable).parent / "chalice"
# Chalice's own words for a dependency it could not package, so this follows its text.
MISSING_WHEELS = MISSING_DEPENDENCIES_TEMPLATE.strip().splitlines()[0]
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024
MIB = 1024 * 1024


class PackageError(RuntimeError):
    pass


@dataclass(frozen=True)
class PackageSize:
    zipped: int
    unzipped: int
    files: int

    def describe(self) -> str:
        return (
            f"{self.zipped / MIB:.1f} MiB zipped, {self.unzipped / MIB:.1f} MiB unzipped "
            f"in {self.files} files ({self.unzipped / LAMBDA_UNZIPPED_LIMIT:.0%} of "
            "Lambda's 250 MiB unzipped limit)"
        )


def build(project: Path, out: Path, stage: str) -> Path:
    """`chalice package` of `project` into `out`; the path of deployment.zip."""
    shutil.rmtree(out, ignore_errors=True)
    env = os.environ | {
        "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "ap-southeast-3")
    }
    result = subprocess.run(
        [str(CHALICE), "package", "--stage", stage, str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    if result.returncode:
        raise PackageError(f"chalice package failed:\n{output}")
    if MISSING_WHEELS in output:
        raise PackageError(f"a dependency has no Lambda-compatible wheel:\n{output}")
    return out / "deployment.zip"


def size_of(package: Path) -> PackageSize:
    with zipfile.ZipFile(package) as archive:
        entries = archive.infolist()
    return PackageSize(
        zipped=package.stat().st_size,
        unzipped=sum(e.file_size for e in entries),
        files=len(entries),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="prod")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "lambda")
    args = parser.parse_args()
    try:
        package = build(ROOT, args.out, args.stage)
    except PackageError as error:
        print(error, file=sys.stderr)
        return 1
    shown = package.relative_to(ROOT) if package.is_relative_to(ROOT) else package
    print(f"{shown}: {size_of(package).describe()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
