"""Saber benchmark: what the Lambda package costs, beside a bare Chalice app.

Builds both deployment packages with `chalice package` (as `make package` does),
prints their sizes, then imports each `app.py` from its unpacked package in a fresh
interpreter several times and prints the median import time. Each run is as cold
as a Lambda cold start: the interpreter sees only the standard library and the
package (`-S`), and no bytecode is cached (the package ships none and Lambda cannot
write any), so every module is compiled as it is imported. The import of the app is
the part of a cold start that the code and its dependencies decide; the runtime's
own start is the same for both.

Usage: python scripts/bench_package.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lambda_package import ROOT, build, size_of

# What `chalice new-project` writes: one route, so there is a function to package.
BARE_APP = """from chalice import Chalice

app = Chalice(app_name="bare")


@app.route("/")
def index():
    return {"hello": "world"}
"""
TIMED_IMPORT = (
    "import time; started = time.perf_counter(); import app; print(time.perf_counter() - started)"
)


def bare_project(directory: Path) -> Path:
    (directory / ".chalice").mkdir(parents=True)
    (directory / ".chalice" / "config.json").write_text(
        json.dumps({"version": "2.0", "app_name": "bare", "stages": {"dev": {}}})
    )
    (directory / "app.py").write_text(BARE_APP)
    (directory / "requirements.txt").write_text("")
    return directory


def import_seconds(unpacked: Path, runs: int) -> list[float]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONDONTWRITEBYTECODE": "1",
        "AWS_DEFAULT_REGION": "ap-southeast-3",
        "SABER_STAGE": "dev",
        "SABER_TABLE_PREFIX": "saber-bench",
    }
    times = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-S", "-c", TIMED_IMPORT],
            cwd=unpacked,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(result.stdout))
    return times


def heaviest_packages(unpacked: Path, count: int = 6) -> list[tuple[str, float]]:
    """Import time by top-level package, from one `-X importtime` run (each module's
    own time, so nothing is counted twice)."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-S", "-X", "importtime", "-c", "import app"],
        cwd=unpacked,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    totals: dict[str, float] = {}
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, name = line.removeprefix("import time:").split("|")
        package = name.strip().split(".")[0]
        totals[package] = totals.get(package, 0.0) + int(own) / 1e6
    return sorted(totals.items(), key=lambda item: -item[1])[:count]


def measure(name: str, project: Path, work: Path, runs: int) -> dict:
    print(f"packaging {name} ...", file=sys.stderr)
    package = build(project, work / name / "out", "dev")
    unpacked = work / name / "unpacked"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(unpacked)
    times = import_seconds(unpacked, runs)
    heaviest = heaviest_packages(unpacked)
    return {"name": name, "size": size_of(package), "times": times, "heaviest": heaviest}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="saber-bench-package-") as tmp:
        work = Path(tmp)
        results = [
            measure("saber", ROOT, work, args.runs),
            measure("bare-chalice", bare_project(work / "bare-project"), work, args.runs),
        ]
    print(f"\nLambda package and cold import of app.py (median of {args.runs} fresh interpreters)")
    print(
        f"{'app':<14}{'zipped':>10}{'unzipped':>11}{'files':>8}{'import':>10}{'min':>9}{'max':>9}"
    )
    for r in results:
        size, times = r["size"], r["times"]
        print(
            f"{r['name']:<14}{size.zipped / 2**20:>7.1f} MiB{size.unzipped / 2**20:>7.1f} MiB"
            f"{size.files:>8}{statistics.median(times) * 1000:>7.0f} ms"
            f"{min(times) * 1000:>6.0f} ms{max(times) * 1000:>6.0f} ms"
        )
    saber, bare = (statistics.median(r["times"]) for r in results)
    print(f"app.py costs {(saber - bare) * 1000:.0f} ms of import beyond a bare Chalice app")
    print(
        "heaviest imports of app.py: "
        + ", ".join(
            f"{package} {seconds * 1000:.0f} ms" for package, seconds in results[0]["heaviest"]
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
