"""End to end: the `make run` stack (moto server, chalice local, local timer) in
the background on free ports, driven over HTTP and the CLI as an operator would."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    def __init__(self, data_dir: Path):
        self.port, self.db_port = free_port(), free_port()
        self.data_dir = data_dir
        self.log = data_dir / "stack.log"
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("SABER_", "DYNAMODB_"))
        } | {
            "PORT": str(self.port),
            "DYNAMODB_PORT": str(self.db_port),
            "SABER_DATA_DIR": str(data_dir),
            "SABER_SCHEDULE_INTERVAL": "2",
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        offset = self.log.stat().st_size if self.log.exists() else 0
        self.process = subprocess.Popen(
            [sys.executable, "scripts/run_local.py"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while "ready" not in self.log.read_text()[offset:]:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the stack did not come up in 90 s"
            time.sleep(0.2)

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)

    def request(self, method: str, path: str, body=None, token=None, headers=None):
        headers = {"Content-Type": "application/json"} | (headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def cli(self, *args: str) -> str:
        env = self.env | {
            "SABER_STAGE": "local",
            "DYNAMODB_ENDPOINT": f"http://127.0.0.1:{self.db_port}",
        }
        done = subprocess.run(
            [sys.executable, "-m", "chalicelib.cli", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()


@pytest.fixture
def stack(tmp_path):
    running = Stack(tmp_path / "data")
    running.start()
    yield running
    if running.process and running.process.poll() is None:
        running.stop()


COMPLAINT = {
    "name": "I Gusti Ayu Made Sari",
    "phone": "0812-3456-7890",
    "nik": "3506042602660001",
    "title": "Jalan rusak di pekon Way Gelang",
    "description": "Jalan berlubang sejak Januari, dua motor sudah jatuh. <b>Tolong</b>.",
    "location": "Pekon Way Gelang, Kec. Kota Agung",
    "category": "jalan",
}


def test_file_route_follow_up_and_escalate_over_http(stack):
    admin = stack.cli("token", "--role", "admin_pusat")
    pupr = stack.cli("token", "--role", "agency", "--agency", "PUPR")

    status, stalled = stack.request("POST", "/complaints", COMPLAINT)
    assert status == 201
    _, handled = stack.request("POST", "/complaints", COMPLAINT | {"title": "Lampu jalan mati"})
    for filed in (stalled, handled):
        tid = filed["tracking_id"]
        assert (
            stack.request("POST", f"/staff/complaints/{tid}/route", {"agency": "PUPR"}, admin)[0]
            == 200
        )
    status, followed = stack.request(
        "POST",
        f"/staff/complaints/{handled['tracking_id']}/follow-ups",
        {"text": "Tim sudah meninjau lokasi."},
        pupr,
    )
    assert (status, followed["status"]) == (200, "followed_up")

    at_31 = json.loads(stack.cli("sweep", "--now", stalled["deadlines"]["follow_up_overdue_from"]))
    _, after_31 = stack.request("GET", f"/complaints/{stalled['tracking_id']}")
    at_61 = json.loads(stack.cli("sweep", "--now", stalled["deadlines"]["takeover_overdue_from"]))
    _, after_61 = stack.request("GET", f"/complaints/{stalled['tracking_id']}")
    _, untouched = stack.request("GET", f"/complaints/{handled['tracking_id']}")
    _, takeover = stack.request("GET", "/staff/queues/takeover", token=admin)

    assert (at_31["flagged_intervention"], after_31["escalation"]) == (1, "intervention")
    assert (at_61["flagged_takeover"], after_61["escalation"]) == (1, "takeover")
    assert untouched["escalation"] == "none"
    assert [c["tracking_id"] for c in takeover["items"]] == [stalled["tracking_id"]]


def test_verification_a_transfer_a_reply_and_an_automatic_closure_over_http(stack):
    admin = stack.cli("token", "--role", "admin_pusat")
    dishub = stack.cli("token", "--role", "agency", "--agency", "DISHUB")
    pupr = stack.cli("token", "--role", "agency", "--agency", "PUPR")
    _, filed = stack.request("POST", "/complaints", COMPLAINT | {"category": "jembatan"})
    tid, code = filed["tracking_id"], {"X-Access-Code": filed["access_code"]}

    def staff(action: str, body: dict, token: str = admin) -> dict:
        status, view = stack.request("POST", f"/staff/complaints/{tid}/{action}", body, token)
        assert status == 200, view
        return view

    staff("request-info", {"missing": "Patokan terdekat"})
    status, supplied = stack.request(
        "POST",
        f"/complaints/{tid}/replies",
        {"kind": "information", "text": "Dekat SDN 2"},
        None,
        code,
    )
    assert (status, supplied["status"]) == (200, "received")
    staff("accept", {})
    staff("route", {"agency": "DISHUB"})
    assert staff("decline", {"reason": "Kewenangan PUPR"}, dishub)["status"] == "verified"
    staff("route", {"agency": "PUPR"})
    staff("follow-ups", {"text": "Tim meninjau."}, pupr)
    resolved = staff("resolve", {"outcome": "Retakan ditambal."}, pupr)
    last_day = date.fromisoformat(resolved["reply_due"])
    after_window = f"{last_day + timedelta(days=1)}T00:00:00+07:00"

    summary = json.loads(stack.cli("closures", "--now", after_window))

    assert summary["closed_without_reply"] == 1
    _, view = stack.request("GET", f"/complaints/{tid}", headers=code)
    assert (view["status"], view["closure"]) == ("closed", "closed_without_reply")
    types = [entry["type"] for entry in view["history"]]
    assert types[:4] == ["received", "info_requested", "info_supplied", "verified"]
    assert "declined" in types and types[-1] == "closed"


def test_a_burst_of_concurrent_posts_loses_and_duplicates_nothing(stack):
    answers: list = []

    def submit(i: int) -> None:
        keyed = i % 2 == 1
        body = COMPLAINT if keyed else COMPLAINT | {"title": f"Keluhan {i}"}
        headers = {"Idempotency-Key": "burst-1"} if keyed else {}
        answers.append((keyed, *stack.request("POST", "/complaints", body, headers=headers)))

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    admin = stack.cli("token", "--role", "admin_pusat")
    _, triage = stack.request("GET", "/staff/queues/triage?limit=100", token=admin)

    assert [status for _, status, _ in answers] == [201] * 24
    assert len({a["tracking_id"] for keyed, _, a in answers if keyed}) == 1
    assert len(triage["items"]) == 13  # 12 distinct complaints and the one filed by key


def test_an_open311_client_reports_and_reads_back_over_http(stack):
    admin = stack.cli("token", "--role", "admin_pusat")
    _, issued = stack.request("POST", "/staff/api-keys", {"client": "Aplikasi Lapor Warga"}, admin)
    form = {
        "api_key": issued["api_key"],
        "service_code": "jalan",
        "lat": "-5.4917",
        "long": "104.6242",
        "description": "Lubang besar di tengah jalan.",
        "first_name": "Siti",
        "last_name": "Aminah",
        "email": "siti.aminah@example.id",
        "attribute[kedalaman]": "30 cm",
    }
    posted = urllib.request.Request(
        f"http://127.0.0.1:{stack.port}/open311/v2/requests.json",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(posted, timeout=30) as response:
        assert response.status == 200
        (created,) = json.loads(response.read())
    tracking_id = created["service_request_id"]
    url = f"http://127.0.0.1:{stack.port}/open311/v2/requests/{tracking_id}.xml"
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/xml")
        root = ET.fromstring(response.read())

    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == tracking_id
    assert root.findtext("request/status") == "open"
    assert stack.request("GET", f"/complaints/{tracking_id}")[1]["category"] == "jalan"


def test_a_regional_day_off_added_over_http_is_in_force_for_the_cli_and_the_calendar(stack):
    daerah = stack.cli("token", "--role", "admin_daerah", "--region", "tanggamus")
    before = stack.cli("add-working-days", "2027-06-08", "1")

    status, _ = stack.request(
        "POST",
        "/staff/calendar/changes",
        {
            "date": "2027-06-09",
            "change": "add",
            "scope": "tanggamus",
            "name": "Libur daerah",
            "reason": "Surat edaran Bupati",
        },
        daerah,
    )
    after = stack.cli("add-working-days", "2027-06-08", "1")
    _, calendar = stack.request("GET", "/regions/tanggamus/calendar?year=2027")

    assert status == 201
    assert (before, after) == ("2027-06-09", "2027-06-10")
    added = next(d for d in calendar["days_off"] if d["date"] == "2027-06-09")
    assert (added["source"], added["details"]["reason"]) == ("admin", "Surat edaran Bupati")


def test_an_agency_downloads_its_queue_as_csv_over_http(stack):
    admin = stack.cli("token", "--role", "admin_pusat")
    pupr = stack.cli("token", "--role", "agency", "--agency", "PUPR")
    _, filed = stack.request("POST", "/complaints", COMPLAINT | {"anonymous": True})
    tid = filed["tracking_id"]
    stack.request("POST", f"/staff/complaints/{tid}/route", {"agency": "PUPR"}, admin)

    download = urllib.request.Request(
        f"http://127.0.0.1:{stack.port}/staff/queues/agency/export?category=jalan",
        headers={"Authorization": f"Bearer {pupr}"},
    )
    with urllib.request.urlopen(download, timeout=30) as response:
        content_type = response.headers["Content-Type"]
        disposition = response.headers["Content-Disposition"]
        text = response.read().decode("utf-8")

    assert content_type == "text/csv; charset=utf-8"
    assert disposition.startswith('attachment; filename="saber-agency-tanggamus-PUPR-')
    assert tid in text
    assert "Made Sari" not in text and "3506042602660001" not in text


def test_an_unknown_route_answers_404_in_the_error_shape(stack):
    status, body = stack.request("GET", "/no/such/route")

    assert status == 404
    assert body["error"]["code"] == "not_found"


def test_the_local_timer_runs_the_scheduled_sweep(stack):
    deadline = time.monotonic() + 30
    while '"message":"escalation sweep"' not in stack.log.read_text():
        assert time.monotonic() < deadline, "no scheduled sweep ran within 30 s"
        time.sleep(0.5)


def test_local_data_survives_a_restart(stack):
    status, filed = stack.request("POST", "/complaints", COMPLAINT)
    assert status == 201
    assert stack.stop() == 0

    stack.start()
    status, found = stack.request("GET", f"/complaints/{filed['tracking_id']}")

    assert (status, found["title"]) == (200, COMPLAINT["title"])


def test_ctrl_c_stops_everything_and_frees_the_ports(stack):
    assert stack.stop() == 0

    for port in (stack.port, stack.db_port):
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0


def test_a_test_sms_to_the_local_server_is_filed_and_acknowledged_in_the_log(stack):
    """As the README's curl does: a form post with the local gateway secret."""
    form = urllib.parse.urlencode(
        {"from": "0812-3456-7890", "text": "Tanggamus_Jalan rusak di pekon Way Gelang"}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{stack.port}/channels/sms",
        data=form,
        headers={"X-Saber-Token": "saber-local-sms-gateway-secret"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        receipt = json.loads(response.read())
    assert (receipt["outcome"], receipt["duplicate"]) == ("filed", False)

    acknowledgement = f"SMS to +6281234567890: Aduan Anda diterima. ID {receipt['tracking_id']}"
    deadline = time.monotonic() + 30
    while acknowledgement not in stack.log.read_text():
        assert time.monotonic() < deadline, "no acknowledgement was logged within 30 s"
        time.sleep(0.5)
    admin = stack.cli("token", "--role", "admin_pusat")
    _, triage = stack.request("GET", "/staff/queues/triage", token=admin)
    assert [c["tracking_id"] for c in triage["items"]] == [receipt["tracking_id"]]


def test_an_sms_without_the_gateway_secret_is_refused(stack):
    request = urllib.request.Request(
        f"http://127.0.0.1:{stack.port}/channels/sms",
        data=b"from=081234567890&text=Tanggamus_x",
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)

    assert refused.value.code == 401


def test_the_record_verifies_and_an_anonymous_reporter_is_revealed_only_with_a_reason(stack):
    admin = stack.cli("token", "--role", "admin_pusat")
    _, filed = stack.request("POST", "/complaints", COMPLAINT | {"anonymous": True})
    tid = filed["tracking_id"]
    stack.request("POST", f"/staff/complaints/{tid}/route", {"agency": "PUPR"}, admin)

    _, view = stack.request("GET", f"/staff/complaints/{tid}", token=admin)
    status, revealed = stack.request(
        "POST", f"/staff/complaints/{tid}/reveal", {"reason": "Klarifikasi lokasi"}, admin
    )
    _, trail = stack.request("GET", f"/staff/complaints/{tid}/events", token=admin)

    assert view["reporter"] is None
    assert status == 200 and revealed["reporter"]["name"] == COMPLAINT["name"]
    assert [e["type"] for e in trail["events"]] == ["received", "routed", "reporter_revealed"]
    assert trail["chain"]["verified"] is True
