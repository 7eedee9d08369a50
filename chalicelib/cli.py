"""Command line for operators: `python -m chalicelib.cli COMMAND`.

add-working-days START N [START N ...] [--region CODE]   (calendar in force)
token --role ROLE [--region CODE] [--agency CODE] [--subject NAME]
sweep [--now ISO-8601 instant]     the escalation sweep
closures [--now ISO-8601 instant]  the closure sweep
outbox [--now ISO-8601 instant]  send the SMS that are due
setup                      create the tables and load the sample regions
scheduler [--interval S]   run the scheduled functions on a local timer
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from datetime import UTC, date, datetime
from importlib import resources

from chalicelib import wiring
from chalicelib.domain.access import Role
from chalicelib.domain.errors import SaberError
from chalicelib.domain.region import Region, region_from_dict
from chalicelib.services.tokens import issue_local_token
from chalicelib.storage import StorageError

SAMPLE_REGIONS = ("tanggamus",)


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 instant: {error}") from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no time zone; add Z or +07:00")
    if not 2000 <= value.year <= 2999:
        raise argparse.ArgumentTypeError(f"{text!r} is outside the years the service handles")
    return value.astimezone(UTC)


def _interval(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 1 <= seconds <= 86400:
        raise argparse.ArgumentTypeError("the interval must be from 1 to 86400 seconds")
    return seconds


def sample_region(code: str) -> Region:
    path = resources.files("chalicelib.data").joinpath("regions", f"{code}.json")
    return region_from_dict(json.loads(path.read_text("utf-8")))


MAX_WORKING_DAYS = 1000


def add_working_days(args: argparse.Namespace) -> int:
    """Each answer on its own line; a date the official lists do not cover yet is
    flagged as provisional on stderr."""
    values = args.pairs
    if not values or len(values) % 2:
        print("give pairs of START N, e.g. 2025-03-27 30", file=sys.stderr)
        return 2
    calendar = wiring.calendar_for(_known_region(args.region))
    for start, n in zip(values[::2], values[1::2], strict=True):
        try:
            day, count = date.fromisoformat(start), int(n)
            if not 1 <= count <= MAX_WORKING_DAYS:
                raise ValueError(f"N must be from 1 to {MAX_WORKING_DAYS}")
            due = calendar.add_working_days(day, count)
        except (ValueError, OverflowError) as error:
            print(f"{start} {n}: {error}", file=sys.stderr)
            return 2
        print(due.isoformat())
        if calendar.is_provisional(day, due):
            print(f"{due}: provisional (no official holiday list yet)", file=sys.stderr)
    return 0


def _known_region(code: str) -> Region:
    try:
        return sample_region(code)
    except FileNotFoundError:
        raise SaberError(f"no region {code!r}; known: {', '.join(SAMPLE_REGIONS)}") from None


def token(args: argparse.Namespace) -> int:
    role = Role(args.role)
    if role is Role.AGENCY:
        region = _known_region(args.region)
        if region.agency(args.agency) is None:
            codes = ", ".join(a.code for a in region.agencies)
            raise SaberError(f"no agency {args.agency!r} in {region.code}; agencies: {codes}")
    elif role is Role.ADMIN_DAERAH:
        _known_region(args.region)
    print(
        issue_local_token(
            wiring.settings(),
            role=role,
            now=wiring.now(),
            subject=args.subject,
            region=args.region if role is not Role.ADMIN_PUSAT else None,
            agency=args.agency.upper() if role is Role.AGENCY else None,
        )
    )
    return 0


def sweep(args: argparse.Namespace) -> int:
    from chalicelib.jobs.escalation import run_sweep

    summary = run_sweep(args.now or wiring.now())
    print(json.dumps(summary.as_dict()))
    return 0


def closures(args: argparse.Namespace) -> int:
    from chalicelib.jobs.closure import run_closure_sweep

    summary = run_closure_sweep(args.now or wiring.now())
    print(json.dumps(summary.as_dict()))
    return 0


def outbox(args: argparse.Namespace) -> int:
    from chalicelib.jobs.outbox import run_outbox

    summary = run_outbox(args.now or wiring.now())
    print(json.dumps(summary.as_dict()))
    return 0


def setup(args: argparse.Namespace) -> int:
    from chalicelib.storage.models import add_missing_indexes, create_tables

    wiring.complaints()  # binds the models to the configured endpoint
    created = create_tables()
    indexes = add_missing_indexes()
    backfilled = wiring.complaints().backfill_public_feed() if "public-feed" in indexes else 0
    loaded = [
        code for code in SAMPLE_REGIONS if wiring.regions().repo.add_if_absent(sample_region(code))
    ]
    print(
        json.dumps(
            {
                "tables_created": created,
                "indexes_created": indexes,
                "public_feed_backfilled": backfilled,
                "regions_loaded": loaded,
            }
        )
    )
    return 0


def scheduler(args: argparse.Namespace) -> int:
    """Run what EventBridge runs in AWS, since `chalice local` serves HTTP only:
    the escalation sweep, the closure sweep and the outbox worker."""
    from chalicelib.jobs.closure import run_closure_sweep
    from chalicelib.jobs.escalation import run_sweep
    from chalicelib.jobs.outbox import run_outbox

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.is_set():
            jobs = (("sweep", run_sweep), ("closures", run_closure_sweep), ("outbox", run_outbox))
            for name, job in jobs:
                try:
                    job(wiring.now())
                except Exception as error:  # keep the timer alive; the log says what failed
                    print(f"scheduled {name} failed: {error!r}", file=sys.stderr, flush=True)
            stop.wait(args.interval)
    except KeyboardInterrupt:
        pass
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m chalicelib.cli",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = top.add_subparsers(dest="command", required=True)

    p = commands.add_parser("add-working-days", help="the Nth working day after START")
    p.add_argument("pairs", nargs="*", metavar="START N")
    p.add_argument("--region", default="tanggamus")
    p.set_defaults(run=add_working_days)

    p = commands.add_parser("token", help="a bearer token the local server accepts")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--region", default="tanggamus")
    p.add_argument("--agency")
    p.add_argument("--subject")
    p.set_defaults(run=token)

    p = commands.add_parser("sweep", help="run the escalation sweep once")
    p.add_argument(
        "--now",
        type=_instant,
        metavar="INSTANT",
        help="the instant to sweep at, e.g. 2025-05-24T00:00+07:00",
    )
    p.set_defaults(run=sweep)

    p = commands.add_parser(
        "closures", help="run the closure sweep once (no reply in 10 WD, no information in 30 days)"
    )
    p.add_argument(
        "--now",
        type=_instant,
        metavar="INSTANT",
        help="the instant to sweep at, e.g. 2025-05-24T00:00+07:00",
    )
    p.set_defaults(run=closures)

    p = commands.add_parser("outbox", help="send the outgoing SMS that are due, once")
    p.add_argument("--now", type=_instant, metavar="INSTANT", help="the instant to run at")
    p.set_defaults(run=outbox)

    p = commands.add_parser("setup", help="create tables and load sample regions")
    p.set_defaults(run=setup)

    p = commands.add_parser("scheduler", help="run the scheduled functions on a timer")
    p.add_argument("--interval", type=_interval, default=60.0, help="seconds between runs")
    p.set_defaults(run=scheduler)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "token" and args.role == "agency" and not args.agency:
        parser().error("--agency is required for --role agency")
    try:
        return args.run(args)
    except SaberError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    except StorageError as error:
        endpoint = wiring.settings().dynamodb_endpoint or "AWS"
        print(
            f"error: DynamoDB at {endpoint} failed: {error.msg}. Is `make run` running? "
            "Set DYNAMODB_PORT or DYNAMODB_ENDPOINT to reach another one.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
