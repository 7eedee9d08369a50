"""Saber benchmark: what the escalation sweep reads and what filing a complaint costs.

Runs in-process against moto's DynamoDB (`mock_aws`), so it needs no server and no
AWS account. Two parts, measured in one run:

1. Escalation sweep. A complaints table of `--complaints` items (default 20,000,
   about 2% due at the sweep instant) is loaded with PynamoDB batch writes through
   the repository's own item mapping. The real sweep (`sweep_escalations`, a key
   query per region and level on the sparse `escalation-clock` index) is compared
   with a plain sweep that scans the whole table and decides in Python with the same
   domain rule (`level_due`). Both must find the same cases.
2. `POST /complaints` through `chalice.test.Client`: DynamoDB requests per POST, with
   and without an Idempotency-Key, and for a retry that replays the first answer.

Items read are the sum of `ScannedCount` over every Query and Scan response (the
items DynamoDB reads and bills for, before any filter); requests are the DynamoDB
API calls the service makes. Both are counted by wrapping botocore's
`BaseClient._make_api_call`, which every PynamoDB connection goes through.

Two shims make moto fast enough for 20,000 items without changing a request, a
response or a count: Query/Scan items skip moto's slow generic serializer (checked
against it in the run), and a transaction's rollback backup copies only the items it
names instead of deep-copying the whole table. moto's latencies are informational.

The exit status is 1 when a target is missed or a check fails. Progress goes to
stderr, the results table to stdout.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The environment is fixed before anything imports the app, as in tests/conftest.py:
# PynamoDB and boto3 must never see a real endpoint or real credentials.
os.environ.update(
    {
        "AWS_DEFAULT_REGION": "ap-southeast-3",
        "AWS_REGION": "ap-southeast-3",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "SABER_STAGE": "dev",
        "SABER_TABLE_PREFIX": "saber-bench",
        "SABER_JWT_SECRET": "bench-signing-key-with-at-least-32-bytes!",
        "SABER_LOG_LEVEL": "WARNING",
    }
)
for _name in (
    "DYNAMODB_ENDPOINT",
    "SABER_JWKS_URL",
    "AWS_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
):
    os.environ.pop(_name, None)
sys.path.insert(0, str(ROOT))

import botocore.client  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto import mock_aws  # noqa: E402

from chalicelib import wiring  # noqa: E402
from chalicelib.cli import sample_region  # noqa: E402
from chalicelib.domain.calendar import local_date  # noqa: E402
from chalicelib.domain.complaint import (  # noqa: E402
    Complaint,
    EscalationLevel,
    Reporter,
    Status,
)
from chalicelib.domain.escalation import level_due, sweep_cutoff  # noqa: E402
from chalicelib.domain.region import Region  # noqa: E402
from chalicelib.domain.tracking import new_tracking_id  # noqa: E402
from chalicelib.services.escalation import SweepSummary, sweep_escalations  # noqa: E402
from chalicelib.services.secrets import hash_access_code  # noqa: E402
from chalicelib.storage.complaints import ComplaintRepository  # noqa: E402
from chalicelib.storage.models import ComplaintItem, EventItem, create_tables  # noqa: E402

# Mon 15 Sep 2025 10:00 WIB: a working Monday, far from the Lebaran holidays.
DEFAULT_NOW = datetime(2025, 9, 15, 3, 0, tzinfo=UTC)
OLDEST_CASE = date(2024, 1, 2)
REGION_CODE = "tanggamus"

TARGET_READS_PER_FLAGGED = 1.05
# The calendar in force (one consistent read of the holiday scopes' versions,
# docs/adr/0012), the one write transaction, and for a retry the stored answer.
TARGET_REQUESTS_PER_POST = 3

PASS, FAIL = "✓", "✗ FAIL"


# -- counting DynamoDB requests and items read ------------------------------------


@dataclass
class Tally:
    """DynamoDB requests by operation and items read (ScannedCount) by table/index."""

    calls: Counter = field(default_factory=Counter)
    items_read: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return sum(self.calls.values())

    @property
    def reads(self) -> int:
        return sum(self.items_read.values())

    def read_requests(self) -> int:
        return self.calls["Query"] + self.calls["Scan"]


class DynamoTap:
    """Counts every DynamoDB API call made in this process into the open tallies.

    botocore's `BaseClient._make_api_call` is the one door every PynamoDB connection
    (model connections and the transaction connection alike) goes through, so it is
    wrapped once at class level rather than hooking each lazily created client.
    """

    def __init__(self) -> None:
        self._open: list[Tally] = []
        self._original = None

    @contextmanager
    def installed(self) -> Iterator[DynamoTap]:
        original = botocore.client.BaseClient._make_api_call
        tap = self

        def counting(client, operation_name, api_params):
            if client.meta.service_model.service_name != "dynamodb" or not tap._open:
                return original(client, operation_name, api_params)
            for tally in tap._open:
                tally.calls[operation_name] += 1
            try:
                response = original(client, operation_name, api_params)
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code", "?")
                for tally in tap._open:
                    tally.errors[f"{operation_name}:{code}"] += 1
                raise
            if "ScannedCount" in response:
                where = api_params.get("TableName", "?")
                if api_params.get("IndexName"):
                    where += f"/{api_params['IndexName']}"
                for tally in tap._open:
                    tally.items_read[where] += response["ScannedCount"]
            return response

        botocore.client.BaseClient._make_api_call = counting
        try:
            yield self
        finally:
            botocore.client.BaseClient._make_api_call = original

    @contextmanager
    def tally(self) -> Iterator[Tally]:
        """Count the calls made inside the block."""
        counted = Tally()
        self._open.append(counted)
        try:
            yield counted
        finally:
            self._open.remove(counted)


# -- moto speed-up --------------------------------------------------------------------


@contextmanager
def moto_item_level_transaction_backup() -> Iterator[None]:
    """Make moto's TransactWriteItems affordable on a 20,000-item table.

    moto backs up every table a transaction touches with `copy.deepcopy` before
    applying it (about 1 s per transaction at 20,000 complaints), which would make
    a 400-case sweep take minutes. During a transaction this swaps the backup for a
    copy of the table's key index in which only the items the transaction names are
    deep-copied: a cancelled transaction still rolls back exactly. It changes only
    moto's run time, never a request, a response or an item read.
    """
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    original = DynamoDBBackend.transact_write_items

    def touched_keys(backend, transact_items) -> dict[str, list[tuple]]:
        keys: dict[str, list[tuple]] = defaultdict(list)
        for entry in transact_items:
            _, op = next(iter(entry.items()))
            name = op.get("TableName")
            table = backend.tables.get(name)
            if table is None:
                continue
            attrs = op.get("Item") or op.get("Key") or {}
            if table.hash_key_attr not in attrs:
                continue
            hash_value = DynamoType(attrs[table.hash_key_attr])
            range_attr = table.range_key_attr
            range_value = DynamoType(attrs[range_attr]) if range_attr in attrs else None
            keys[name].append((hash_value, range_value))
        return keys

    def transact_write_items(backend, transact_items):
        keys = touched_keys(backend, transact_items)

        def backup(table, memo):
            clone = copy.copy(table)
            if table.has_range_key:
                clone.items = defaultdict(dict, {h: dict(r) for h, r in table.items.items()})
            else:
                clone.items = defaultdict(dict, table.items)
            for hash_value, range_value in keys.get(table.name, ()):
                if range_value is None:
                    if hash_value in clone.items:
                        clone.items[hash_value] = copy.deepcopy(clone.items[hash_value])
                elif range_value in clone.items.get(hash_value, {}):
                    by_range = clone.items[hash_value]
                    by_range[range_value] = copy.deepcopy(by_range[range_value])
            return clone

        Table.__deepcopy__ = backup
        try:
            return original(backend, transact_items)
        finally:
            del Table.__deepcopy__

    DynamoDBBackend.transact_write_items = transact_write_items
    try:
        yield
    finally:
        DynamoDBBackend.transact_write_items = original


class FastItemSerializer:
    """Make moto's Query and Scan answers affordable at 20,000 items.

    moto 5.2 serializes every response through a generic, model-driven serializer
    that costs about 4 ms per complaint item (a 20,000-item Scan would take over a
    minute). Query and Scan items are already DynamoDB JSON, so this serializes the
    response without its `Items` through moto's serializer (status, headers and
    every other field stay moto's) and puts the items back with `json.dumps`.
    `verify()` checks that both paths give the same parsed answer.
    """

    OPERATIONS = frozenset({"Query", "Scan"})

    def __init__(self) -> None:
        self.enabled = True

    @contextmanager
    def installed(self) -> Iterator[FastItemSerializer]:
        from moto.dynamodb.responses import DynamoResult

        original = DynamoResult.execute_result
        shim = self

        def execute_result(result, context):
            body = result._result
            fast = (
                shim.enabled
                and context.operation_model.name in shim.OPERATIONS
                and isinstance(body, dict)
                and "Items" in body
            )
            if not fast:
                return original(result, context)
            result._result = {**body, "Items": []}
            try:
                status, headers, text = original(result, context)
            finally:
                result._result = body
            payload = json.loads(text)
            payload["Items"] = body["Items"]
            return status, headers, json.dumps(payload)

        DynamoResult.execute_result = execute_result
        try:
            yield self
        finally:
            DynamoResult.execute_result = original

    def verify(self) -> bool:
        """The same Scan and Query pages with moto's serializer and with this one."""

        def pages() -> list[dict]:
            client = ComplaintItem._get_connection().connection.client
            table = ComplaintItem.Meta.table_name
            scan = client.scan(TableName=table, Limit=100)
            query = client.query(
                TableName=table,
                IndexName="escalation-clock",
                KeyConditionExpression="clock_queue = :q",
                ExpressionAttributeValues={":q": {"S": f"{REGION_CODE}#intervention"}},
                Limit=100,
            )
            for page in (scan, query):
                page.pop("ResponseMetadata", None)
            return [scan, query]

        self.enabled = False
        try:
            slow = pages()
        finally:
            self.enabled = True
        return slow == pages() and all(page["Items"] for page in slow)


@contextmanager
def moto_tables() -> Iterator[Region]:
    """A fresh in-process DynamoDB with Saber's tables and the Tanggamus region."""
    with mock_aws():
        wiring.reset()
        wiring.complaints()  # binds the models inside the mock
        create_tables()
        region = sample_region(REGION_CODE)
        wiring.regions().repo.put(region)
        try:
            yield region
        finally:
            wiring.reset()


_STARTED = time.perf_counter()


def progress(message: str) -> None:
    """One line on stderr, with the seconds since the start."""
    print(f"[bench {time.perf_counter() - _STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


# -- synthetic complaints ------------------------------------------------------------

TOPICS = (
    (
        "jalan",
        "PUPR",
        "Jalan rusak berlubang",
        "Jalan penghubung di {place} rusak berat dan berlubang sepanjang kurang lebih "
        "{n}00 meter. Saat hujan lubang tergenang air dan sudah beberapa kali pengendara "
        "motor jatuh, termasuk anak sekolah. Mohon segera diperbaiki sebelum musim hujan.",
    ),
    (
        "ktp",
        "DISDUKCAPIL",
        "KTP elektronik belum dicetak",
        "Saya sudah merekam KTP-el di kantor kecamatan {n} minggu yang lalu tetapi sampai "
        "sekarang belum dicetak. Setiap kali datang petugas mengatakan blangko habis. "
        "KTP diperlukan untuk mendaftar BPJS dan membuka rekening. Alamat: {place}.",
    ),
    (
        "puskesmas",
        "DINKES",
        "Pelayanan puskesmas lambat",
        "Antrean di puskesmas {place} sangat lama, pasien menunggu lebih dari {n} jam dan "
        "dokter baru datang pukul sepuluh. Obat yang diresepkan sering kosong sehingga "
        "kami harus membeli di apotek luar dengan biaya sendiri.",
    ),
    (
        "sampah",
        "DLH",
        "Sampah menumpuk di pasar",
        "Sampah di sekitar pasar {place} sudah {n} hari tidak diangkut, menumpuk sampai "
        "ke badan jalan dan menimbulkan bau busuk. Warga khawatir menjadi sarang lalat "
        "dan penyakit. Mohon jadwal pengangkutan diperbaiki.",
    ),
    (
        "lampu-jalan",
        "DISHUB",
        "Lampu penerangan jalan mati",
        "Lampu penerangan jalan umum di {place} mati sejak {n} bulan lalu. Malam hari "
        "jalan gelap gulita, sudah terjadi dua kali pencurian motor. Sudah dilaporkan ke "
        "kepala pekon tetapi belum ada tindak lanjut.",
    ),
    (
        "air-pdam",
        "PDAM",
        "Air PDAM tidak mengalir",
        "Air PDAM di {place} tidak mengalir selama {n} hari padahal tagihan tetap datang "
        "seperti biasa. Warga terpaksa membeli air galon untuk memasak dan mandi. Mohon "
        "penjelasan dan perbaikan secepatnya.",
    ),
    (
        "bantuan-sosial",
        "DINSOS",
        "Bantuan sosial tidak tepat sasaran",
        "Penerima bantuan sosial di {place} banyak yang mampu, sedangkan {n} keluarga "
        "lansia yang benar-benar miskin tidak terdaftar. Mohon pendataan ulang yang "
        "terbuka dan melibatkan warga.",
    ),
    (
        "sekolah",
        "DISDIKBUD",
        "Atap ruang kelas bocor",
        "Atap {n} ruang kelas SD negeri di {place} bocor dan plafonnya hampir runtuh. "
        "Ketika hujan murid dipulangkan lebih awal. Mohon perbaikan sebelum ada korban.",
    ),
)
PLACES = (
    "Pekon Way Gelang, Kecamatan Kota Agung",
    "Pekon Banjar Negeri, Kecamatan Wonosobo",
    "Pekon Talang Padang, Kecamatan Talang Padang",
    "Pekon Gisting Atas, Kecamatan Gisting",
    "Pekon Sukabanjar, Kecamatan Semaka",
    "Pekon Kuripan, Kecamatan Kota Agung Barat",
    "Pekon Pardasuka, Kecamatan Pugung",
    "Pekon Ngarip, Kecamatan Ulu Belu",
)
NAMES = (
    "Sumiyati",
    "Budi Santoso",
    "Rahmat Hidayat",
    "Siti Aminah",
    "Suparman",
    "Nur Aini",
    "Agus Salim",
    "Dewi Lestari",
    "Slamet",
    "Wayan Sudarsa",
    "Ratna Sari Dewi",
    "Yohanes",
)
CHANNELS = ("web", "web", "web", "sms", "twitter", "walk_in")
PHONE_PREFIXES = ("0812", "0813", "0821", "0822", "0852", "0853", "0877", "0895")


@dataclass(frozen=True)
class Kind:
    """One slice of the table: how many, which clock start dates, which state."""

    name: str
    share: float  # of the table; the last kind takes what is left
    status: str  # "running" (received or routed), "followed_up", "resolved", "closed"
    escalation: EscalationLevel
    due: EscalationLevel | None  # what the sweep must raise it to


NONE = EscalationLevel.NONE
INTERVENTION = EscalationLevel.INTERVENTION
TAKEOVER = EscalationLevel.TAKEOVER

KINDS = (
    Kind("due: intervention (30 WD)", 0.015, "running", NONE, INTERVENTION),
    Kind("due: takeover (60 WD)", 0.004, "running", INTERVENTION, TAKEOVER),
    Kind("due: takeover, never flagged", 0.001, "running", NONE, TAKEOVER),
    Kind("running, not yet due", 0.22, "running", NONE, None),
    Kind("intervention, not yet 60 WD", 0.03, "running", INTERVENTION, None),
    Kind("taken over, still open", 0.005, "running", TAKEOVER, None),
    Kind("followed up", 0.38, "followed_up", NONE, None),
    Kind("resolved", 0.15, "resolved", NONE, None),
    Kind("closed", 0.0, "closed", NONE, None),
)


@dataclass
class Dataset:
    complaints: list[Complaint]
    kind_counts: dict[str, int]
    designed_due: dict[str, EscalationLevel]  # tracking ID -> level the sweep must set
    cutoffs: dict[EscalationLevel, date]


def start_dates(kind: Kind, today: date, cutoffs: dict[EscalationLevel, date]) -> tuple[date, date]:
    """The range of local clock-start dates a kind is drawn from."""
    icut = cutoffs[EscalationLevel.INTERVENTION]
    tcut = cutoffs[EscalationLevel.TAKEOVER]
    day = timedelta(days=1)
    ranges = {
        "due: intervention (30 WD)": (tcut + day, icut),
        "due: takeover (60 WD)": (tcut - 90 * day, tcut),
        "due: takeover, never flagged": (tcut - 20 * day, tcut),
        "running, not yet due": (icut + day, today),
        "intervention, not yet 60 WD": (tcut + day, icut),
        "taken over, still open": (OLDEST_CASE, tcut),
    }
    return ranges.get(kind.name, (OLDEST_CASE, today - day))


def local_instant(day: date, region: Region, now: datetime, rng: random.Random) -> datetime:
    """A UTC instant on local `day` in office-ish hours, never after `now`."""
    zone = region.zone
    midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
    if day == local_date(now, zone):
        seconds = rng.randrange(max(1, int((now - midnight).total_seconds())))
    else:
        seconds = rng.randrange(6 * 3600, 22 * 3600)
    return (midnight + timedelta(seconds=seconds)).astimezone(UTC)


def reporter(rng: random.Random) -> Reporter:
    """A plausible reporter: one name field, NIK and phone as strings."""
    raw = f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(10_000_000, 99_999_999)}"
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(16_000))
    nik = f"1806{rng.randrange(1, 21):02d}{birth:%d%m%y}{rng.randrange(1, 9999):04d}"
    return Reporter(
        name=rng.choice(NAMES), nik=nik, phone_raw=raw, phone=f"+62{raw[1:]}", email=None
    )


def make_complaint(
    kind: Kind,
    start: date,
    *,
    tracking_id: str,
    region: Region,
    now: datetime,
    access_hash: str,
    rng: random.Random,
) -> Complaint:
    """One complaint of `kind` whose clock started on local date `start`."""
    category, agency, title, text = rng.choice(TOPICS)
    place = rng.choice(PLACES)
    started = local_instant(start, region, now, rng)
    routed = rng.random() < 0.7
    followed_up_at = None
    status = Status.ROUTED if routed else Status.RECEIVED
    if kind.status != "running":
        routed = True
        followed_up_at = min(started + timedelta(days=rng.randrange(1, 40)), now)
        status = {
            "followed_up": Status.FOLLOWED_UP,
            "resolved": Status.RESOLVED,
            "closed": Status.CLOSED,
        }[kind.status]
    escalation = kind.escalation
    if kind.status == "followed_up" and rng.random() < 0.1:
        escalation = EscalationLevel.INTERVENTION  # flagged once, then followed up
    return Complaint(
        tracking_id=tracking_id,
        region=region.code,
        channel=rng.choice(CHANNELS),
        status=status,
        escalation=escalation,
        received_at=started,
        clock_started_at=started,
        clock_start_date=start,
        updated_at=followed_up_at or started,
        title=title,
        description=text.format(place=place, n=rng.randrange(2, 9)),
        reporter=reporter(rng),
        access_code_hash=access_hash,
        category=category,
        location=place,
        agency=agency if routed else None,
        followed_up_at=followed_up_at,
    )


def build_dataset(total: int, region: Region, now: datetime, seed: int) -> Dataset:
    """`total` complaints in the mix of KINDS. Each kind's first two cases sit on the
    edges of its date range, so every sweep cutoff is tested on both sides."""
    rng = random.Random(seed)
    calendar = wiring.calendar_for(region)
    cutoffs = {
        step.level: sweep_cutoff(step, now, region.zone, calendar) for step in wiring.policy().steps
    }
    today = local_date(now, region.zone)
    access_hash = hash_access_code("7K3QX-R4M2P")  # one real hash; PBKDF2 is slow
    counts = {k.name: round(total * k.share) for k in KINDS[:-1]}
    counts[KINDS[-1].name] = total - sum(counts.values())
    used: set[str] = set()
    complaints: list[Complaint] = []
    designed: dict[str, EscalationLevel] = {}
    for kind in KINDS:
        low, high = start_dates(kind, today, cutoffs)
        span = (high - low).days
        for i in range(counts[kind.name]):
            start = high if i == 0 else low if i == 1 else low + timedelta(rng.randint(0, span))
            tid = new_tracking_id(region.tracking_prefix, rng.randrange)
            while tid in used:
                tid = new_tracking_id(region.tracking_prefix, rng.randrange)
            used.add(tid)
            complaints.append(
                make_complaint(
                    kind,
                    start,
                    tracking_id=tid,
                    region=region,
                    now=now,
                    access_hash=access_hash,
                    rng=rng,
                )
            )
            if kind.due:
                designed[tid] = kind.due
    rng.shuffle(complaints)
    return Dataset(complaints, counts, designed, cutoffs)


def load(dataset: Dataset, tap: DynamoTap) -> tuple[float, Tally]:
    """Write every complaint with PynamoDB batch writes, through the repository's
    item mapping so the index keys are exactly what the service would write."""
    repo = wiring.complaints()
    started = time.perf_counter()
    with tap.tally() as tally, ComplaintItem.batch_write() as batch:
        for complaint in dataset.complaints:
            batch.save(repo._to_item(complaint, version=1))
    return time.perf_counter() - started, tally


# -- part 1: the escalation sweep ----------------------------------------------------


@dataclass
class SweepRun:
    name: str
    flagged: dict[str, EscalationLevel]
    tally: Tally
    seconds: float
    summary: SweepSummary | None = None

    @property
    def per_flagged(self) -> float:
        return self.tally.reads / len(self.flagged) if self.flagged else float("inf")


def plain_scan_sweep(now: datetime, tap: DynamoTap) -> SweepRun:
    """The naive sweep: Scan the whole table (all pages) and decide in Python with
    `level_due`. Read-only; its writes would be the same as the index sweep's."""
    started = time.perf_counter()
    due: dict[str, EscalationLevel] = {}
    with tap.tally() as tally:
        regions = {r.code: r for r in wiring.regions().all()}
        calendars = {code: wiring.calendar_for(r) for code, r in regions.items()}
        policy = wiring.policy()
        for item in ComplaintItem.scan():
            complaint = ComplaintRepository._from_item(item)
            region = regions[complaint.region]
            target = level_due(
                clock_start=complaint.clock_start_date,
                clock_stopped=not complaint.clock_running,
                current=complaint.escalation,
                now=now,
                zone=region.zone,
                calendar=calendars[complaint.region],
                policy=policy,
            )
            if target is not None:
                due[complaint.tracking_id] = target
    return SweepRun("plain Scan", due, tally, time.perf_counter() - started)


def stored_escalations() -> dict[str, EscalationLevel]:
    """Every complaint's stored escalation level, read from moto's backend directly:
    no DynamoDB request, so it cannot disturb a count (and a full moto Scan is slow)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][ComplaintItem.Meta.region]
    table = backend.get_table(ComplaintItem.Meta.table_name)
    return {
        item.attrs["tracking_id"].value: EscalationLevel(item.attrs["escalation"].value)
        for item in table.all_items()
    }


def index_sweep(now: datetime, tap: DynamoTap, before: dict[str, EscalationLevel]) -> SweepRun:
    """The service's sweep, as the scheduled job runs it (without its log line). The
    cases it flagged are read back from the table afterwards."""
    started = time.perf_counter()
    with tap.tally() as tally:
        summary = sweep_escalations(
            now=now,
            regions=wiring.regions().all(),
            repo=wiring.complaints(),
            calendar_for=wiring.calendar_for,
            policy=wiring.policy(),
        )
    seconds = time.perf_counter() - started
    after = stored_escalations()
    flagged = {tid: level for tid, level in after.items() if before.get(tid) != level}
    return SweepRun("index sweep", flagged, tally, seconds, summary)


@dataclass
class SweepResults:
    dataset: Dataset
    load_seconds: float
    load_tally: Tally
    scan: SweepRun
    index: SweepRun
    rerun: SweepRun
    serializer_ok: bool


def bench_sweep(
    total: int, now: datetime, seed: int, tap: DynamoTap, fast: FastItemSerializer
) -> SweepResults:
    """Part 1: load the table, run the plain Scan sweep, then the real sweep, then the
    real sweep again at the same instant (it must find nothing left to do)."""
    with moto_tables() as region:
        progress(f"building {total:,} complaints")
        dataset = build_dataset(total, region, now, seed)
        progress("loading them with BatchWriteItem")
        load_seconds, load_tally = load(dataset, tap)
        progress(f"loaded in {load_seconds:.1f} s; checking the fast moto serializer")
        serializer_ok = fast.verify()
        progress("plain Scan sweep")
        before = {c.tracking_id: c.escalation for c in dataset.complaints}
        scan = plain_scan_sweep(now, tap)
        progress(f"plain Scan sweep read {scan.tally.reads:,} items; index sweep")
        index = index_sweep(now, tap, before)
        progress(f"index sweep read {index.tally.reads:,} items; re-running it")
        settled = stored_escalations()
        rerun = index_sweep(now, tap, settled)
    return SweepResults(dataset, load_seconds, load_tally, scan, index, rerun, serializer_ok)


# -- part 2: POST /complaints --------------------------------------------------------


@dataclass
class PostRun:
    name: str
    requests: list[int] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)
    calls: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    answers: list[dict] = field(default_factory=list)

    @property
    def mean_requests(self) -> float:
        return statistics.fmean(self.requests)

    @property
    def max_requests(self) -> int:
        return max(self.requests)


def complaint_body(i: int, rng: random.Random) -> dict:
    """A realistic JSON body for POST /complaints."""
    category, _agency, title, text = TOPICS[i % len(TOPICS)]
    place = rng.choice(PLACES)
    who = reporter(rng)
    return {
        "name": who.name,
        "nik": who.nik,
        "phone": who.phone_raw,
        "title": title,
        "description": text.format(place=place, n=rng.randrange(2, 9)) + f" (laporan {i})",
        "category": category,
        "location": place,
    }


def post_many(client, name: str, bodies: list[dict], keys: list[str] | None, tap) -> PostRun:
    """POST each body (with its Idempotency-Key, if any) and count what each costs."""
    run = PostRun(name)
    for i, body in enumerate(bodies):
        headers = {"Content-Type": "application/json"}
        if keys:
            headers["Idempotency-Key"] = keys[i]
        with tap.tally() as tally:
            started = time.perf_counter()
            response = client.http.post("/complaints", headers=headers, body=json.dumps(body))
            run.millis.append((time.perf_counter() - started) * 1000)
        run.requests.append(tally.requests)
        run.calls.update(tally.calls)
        run.statuses[response.status_code] += 1
        run.answers.append(response.json_body)
    return run


@dataclass
class PostResults:
    plain: PostRun
    keyed: PostRun
    retried: PostRun
    replay_identical: bool
    stored_complaints: int
    stored_events: int
    expected_complaints: int


def bench_posts(count: int, seed: int, tap: DynamoTap) -> PostResults:
    """Part 2: file `count` complaints without a key, `count` with one, then retry
    half of the keyed ones with the same key and body."""
    from chalice.test import Client

    rng = random.Random(seed + 1)
    with moto_tables():
        from app import app

        with Client(app, stage_name="dev", project_dir=str(ROOT)) as client:
            progress("POST /complaints: warm-up")
            warm = post_many(client, "warm-up", [complaint_body(0, rng)], None, tap)
            if warm.statuses[201] != 1:
                raise SystemExit(f"warm-up POST failed: {warm.answers[0]}")
            progress(f"POST /complaints: {count} without a key, {count} with one")
            plain = post_many(
                client,
                "POST",
                [complaint_body(i, rng) for i in range(1, count + 1)],
                None,
                tap,
            )
            bodies = [complaint_body(i, rng) for i in range(count + 1, 2 * count + 1)]
            keys = [f"bench-{seed}-{i:05d}" for i in range(count)]
            keyed = post_many(client, "POST + Idempotency-Key", bodies, keys, tap)
            retries = max(1, count // 2)
            progress(f"POST /complaints: {retries} retries with the same key")
            retried = post_many(
                client, "retry, same key and body", bodies[:retries], keys[:retries], tap
            )
        identical = retried.answers == keyed.answers[:retries]
        stored = ComplaintItem.count()
        events = EventItem.count()
    return PostResults(plain, keyed, retried, identical, stored, events, 1 + 2 * count)


# -- report -------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return PASS if ok else FAIL


def ops(tally_calls: Counter, per: int = 1) -> str:
    """`Query 3, TransactWriteItems 400` (divided by `per` when averaging)."""
    parts = []
    for op, n in sorted(tally_calls.items(), key=lambda kv: -kv[1]):
        value = n / per
        parts.append(f"{op} {value:g}" if per > 1 else f"{op} {n:,}")
    return ", ".join(parts) or "none"


def table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    """A plain text table, first column left-aligned, others right-aligned."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for n, row in enumerate([header, *rows]):
        cells = [
            str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i])
            for i, c in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report_sweep(r: SweepResults, now: datetime, failures: list[str]) -> str:
    """Part 1 as text; appends every missed target or failed check to `failures`."""
    d, scan, index, rerun = r.dataset, r.scan, r.index, r.rerun
    total = len(d.complaints)
    due = len(d.designed_due)
    zone = sample_region(REGION_CODE).zone
    out = [
        "1. Escalation sweep",
        f"   sweep instant {now.isoformat()} = {now.astimezone(zone):%a %d %b %Y %H:%M} WIB; "
        f"clock starts due: intervention <= {d.cutoffs[EscalationLevel.INTERVENTION]}, "
        f"takeover <= {d.cutoffs[EscalationLevel.TAKEOVER]}",
        f"   table: {total:,} complaints, {due:,} due ({due / total:.1%}), loaded in "
        f"{r.load_seconds:.1f} s with {r.load_tally.calls['BatchWriteItem']:,} BatchWriteItem",
        "   mix: " + "; ".join(f"{name} {n:,}" for name, n in d.kind_counts.items()),
        "",
    ]

    def levels(run: SweepRun) -> str:
        c = Counter(run.flagged.values())
        return (
            f"{len(run.flagged):,} ({c[EscalationLevel.INTERVENTION]:,} interv. / "
            f"{c[EscalationLevel.TAKEOVER]:,} takeover)"
        )

    ratio = scan.tally.reads / index.tally.reads if index.tally.reads else float("inf")
    ok_reads = index.per_flagged <= TARGET_READS_PER_FLAGGED
    rows = [
        ("cases flagged (due)", levels(index), levels(scan), ""),
        ("items read (sum of ScannedCount)", f"{index.tally.reads:,}", f"{scan.tally.reads:,}", ""),
        (
            "items read per case flagged",
            f"{index.per_flagged:.4f}",
            f"{scan.per_flagged:.2f}",
            f"<= {TARGET_READS_PER_FLAGGED} {verdict(ok_reads)}",
        ),
        ("items read, plain Scan / index sweep", "", f"{ratio:,.1f}x", ""),
        (
            "read requests (Query + Scan)",
            f"{index.tally.read_requests():,}",
            f"{scan.tally.read_requests():,}",
            "",
        ),
        ("all DynamoDB requests", f"{index.tally.requests:,}", f"{scan.tally.requests:,}", ""),
        ("wall time in moto (s)", f"{index.seconds:.2f}", f"{scan.seconds:.2f}", ""),
    ]
    out.append(table(rows, ("", "index sweep", "plain Scan", "target")))
    if not ok_reads:
        failures.append(f"sweep read {index.per_flagged:.4f} items per case flagged")
    out.append("")
    out.append(f"   index sweep requests: {ops(index.tally.calls)}")
    out.append(f"   plain Scan requests:  {ops(scan.tally.calls)} (read-only: writes not repeated)")
    out.append(
        "   items read by table/index: "
        + "; ".join(f"{k} {v:,}" for k, v in sorted(index.tally.items_read.items()))
    )
    if index.tally.errors:
        out.append(f"   index sweep errors: {dict(index.tally.errors)}")

    same = index.flagged == scan.flagged
    designed = scan.flagged == d.designed_due
    summary = index.summary
    counted = (
        summary is not None
        and summary.flagged_intervention + summary.flagged_takeover == len(index.flagged)
        and summary.skipped_changed == 0
    )
    idle = not rerun.flagged and (rerun.summary is None or rerun.summary.cases_read == 0)
    checks = [
        (r.serializer_ok, "moto answers the same with the fast item serializer"),
        (same, "index sweep and plain Scan flag the same cases at the same levels"),
        (designed, "they are exactly the cases built to be due"),
        (counted, "the sweep's summary counts match what it wrote"),
        (
            idle,
            f"re-run at the same instant flags nothing (read {rerun.tally.reads:,} items, "
            f"{rerun.tally.requests:,} requests)",
        ),
    ]
    out.append("")
    for ok, text in checks:
        out.append(f"   {verdict(ok)} {text}")
        if not ok:
            failures.append(text)
    if not same:
        missed = sorted(set(scan.flagged) - set(index.flagged))[:10]
        extra = sorted(set(index.flagged) - set(scan.flagged))[:10]
        out.append(f"     missed by the index sweep (first 10): {missed}")
        out.append(f"     flagged only by the index sweep (first 10): {extra}")
    return "\n".join(out)


def report_posts(p: PostResults, failures: list[str]) -> str:
    """Part 2 as text; appends every missed target or failed check to `failures`."""
    out = [
        f"2. POST /complaints via chalice.test.Client ({len(p.plain.requests)} + "
        f"{len(p.keyed.requests)} + {len(p.retried.requests)} POSTs after 1 warm-up)",
        "",
    ]
    rows = []
    for run, expected_status in ((p.plain, 201), (p.keyed, 201), (p.retried, 201)):
        ok = run.max_requests <= TARGET_REQUESTS_PER_POST
        rows.append(
            (
                run.name,
                f"{run.mean_requests:.2f}",
                str(run.max_requests),
                f"{statistics.median(run.millis):.1f}",
                ops(run.calls, per=len(run.requests)),
                f"<= {TARGET_REQUESTS_PER_POST} {verdict(ok)}",
            )
        )
        if not ok:
            failures.append(f"{run.name}: up to {run.max_requests} DynamoDB requests per POST")
        if run.statuses != Counter({expected_status: len(run.requests)}):
            failures.append(f"{run.name}: statuses {dict(run.statuses)}")
    header = ("", "requests/POST", "max", "median ms", "requests by operation (mean)", "target")
    out.append(table(rows, header))
    out.append("   (median ms is moto in-process latency, informational only)")
    out.append("")
    all_201 = all(
        run.statuses == Counter({201: len(run.requests)}) for run in (p.plain, p.keyed, p.retried)
    )
    checks = [
        (all_201, "every POST answered 201"),
        (p.replay_identical, "every retry replayed the first answer (same tracking ID and code)"),
        (
            p.stored_complaints == p.stored_events == p.expected_complaints,
            f"retries stored nothing new ({p.stored_complaints:,} complaints and "
            f"{p.stored_events:,} events stored, {p.expected_complaints:,} expected)",
        ),
    ]
    for ok, text in checks:
        out.append(f"   {verdict(ok)} {text}")
        if not ok:
            failures.append(text)
    return "\n".join(out)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=20_000, help="table size (20,000)")
    parser.add_argument("--posts", type=int, default=200, help="POSTs per variant (200)")
    parser.add_argument("--seed", type=int, default=1708, help="random seed (1708)")
    parser.add_argument(
        "--now",
        type=datetime.fromisoformat,
        default=DEFAULT_NOW,
        help="sweep instant, ISO 8601 with offset (2025-09-15T03:00:00+00:00)",
    )
    args = parser.parse_args(argv)
    if args.now.tzinfo is None:
        parser.error("--now needs a UTC offset, e.g. 2025-09-15T03:00:00+00:00")
    if args.complaints < 1_000 or args.posts < 2:
        parser.error("use at least 1,000 complaints and 2 POSTs")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    failures: list[str] = []
    tap = DynamoTap()
    fast = FastItemSerializer()
    with tap.installed(), fast.installed(), moto_item_level_transaction_backup():
        sweep = bench_sweep(args.complaints, args.now.astimezone(UTC), args.seed, tap, fast)
        posts = bench_posts(args.posts, args.seed, tap)
    versions = ", ".join(
        f"{pkg} {metadata.version(pkg)}" for pkg in ("moto", "pynamodb", "botocore", "chalice")
    )
    print(
        f"Saber bench: python {platform.python_version()}, {versions}, "
        f"{os.cpu_count()} CPUs, seed {args.seed}"
    )
    print(
        "Items read = sum of ScannedCount over Query/Scan responses; requests = DynamoDB "
        "API calls (botocore _make_api_call)."
    )
    print()
    print(report_sweep(sweep, args.now.astimezone(UTC), failures))
    print()
    print(report_posts(posts, failures))
    print()
    elapsed = time.perf_counter() - started
    if failures:
        print(f"FAILED ({elapsed:.0f} s): " + "; ".join(failures))
        return 1
    print(f"All targets met and checks passed in {elapsed:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
