"""Run Saber locally: embedded DynamoDB, table setup, `chalice local` and the scheduler.

`make run` executes this file with the virtualenv's Python. Each child runs in its own
process group, so stopping a child also stops anything it spawned. Ctrl-C, SIGTERM or SIGHUP
stops everything and exits 0; if a child dies on its own, the rest are stopped and the exit
status is 1.

Settings (environment): PORT (API, default 8000), DYNAMODB_PORT (embedded DynamoDB, default
8001), SABER_DATA_DIR (default .local/), SABER_SCHEDULE_INTERVAL (seconds, default 60) and
DYNAMODB_ENDPOINT (use that DynamoDB instead of starting the embedded one). SMS gateways
authenticate with SABER_SMS_GATEWAY_SECRET, `saber-local-sms-gateway-secret` unless set;
outgoing SMS are written to the log (SABER_SMS_SENDER=log).

Persistence. moto keeps its data in memory, so its recorder appends every request it receives
to `<SABER_DATA_DIR>/moto-recording`, and the next start sends the recorded requests again.
This script replays them itself rather than calling moto's replay endpoint, because it has
to see each response: the log is rewritten after the replay, atomically, without reads,
probes, requests DynamoDB rejected without effect, and cut-off entries. So the log holds only
requests that can change state, and each restart replays what the last one kept. Recording is
switched on (`/moto-api/recorder/start-recording`) only after the replay, so the replay is
never recorded twice.
"""

from __future__ import annotations

import base64
import fcntl
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TextIO
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
from chalicelib.config import LOCAL_SMS_GATEWAY_SECRET  # noqa: E402

PYTHON = sys.executable
SCRIPTS = Path(__file__).resolve().parent
HOST = "127.0.0.1"
DEFAULT_AWS_REGION = "ap-southeast-3"
STARTUP_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 10
POLL_SECONDS = 0.1
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

RECORDING_NAME = "moto-recording"
# DynamoDB actions that only read. Other services name reads the same way.
READ_ONLY_ACTIONS = frozenset({"BatchGetItem", "Query", "Scan", "TransactGetItems"})
READ_ONLY_ACTION_PREFIXES = ("Describe", "Get", "List")
# Errors after which DynamoDB (and moto) guarantee that nothing changed. Other failures are
# kept in the log: moto can apply part of a BatchWriteItem before rejecting the rest.
NO_EFFECT_ERRORS = frozenset(
    {
        "ConditionalCheckFailedException",
        "TransactionCanceledException",
        "ResourceInUseException",
        "ResourceNotFoundException",
    }
)
# Headers that describe the original connection, not the request; http.client sets its own.
CONNECTION_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})
WHITESPACE = re.compile(r"\s*")


class Failure(Exception):
    """Something went wrong: report it, stop every child and exit 1."""


class StopRequested(Exception):
    """The user asked to stop (Ctrl-C, SIGTERM, SIGHUP): stop every child and exit 0."""


@dataclass(frozen=True)
class Options:
    api_port: int
    dynamodb_port: int
    external_endpoint: str | None
    data_dir: Path
    schedule_interval: str


def read_options(env: dict[str, str]) -> Options:
    """Validate the environment before anything starts, so a typo fails in one clear line."""
    options = Options(
        api_port=_port(env, "PORT", 8000),
        dynamodb_port=_port(env, "DYNAMODB_PORT", 8001),
        external_endpoint=env.get("DYNAMODB_ENDPOINT") or None,
        data_dir=Path(env.get("SABER_DATA_DIR") or REPO_ROOT / ".local").resolve(),
        schedule_interval=_interval(env),
    )
    if options.external_endpoint is None and options.api_port == options.dynamodb_port:
        raise Failure("PORT and DYNAMODB_PORT must differ")
    return options


def _port(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name) or str(default)
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise Failure(f"{name} must be a port number (1-65535), got {raw!r}")
    return int(raw)


def _interval(env: dict[str, str]) -> str:
    raw = env.get("SABER_SCHEDULE_INTERVAL") or "60"
    with suppress(ValueError):
        if float(raw) > 0:
            return raw
    raise Failure(f"SABER_SCHEDULE_INTERVAL must be a positive number of seconds, got {raw!r}")


def ensure_port_free(port: int, variable: str) -> None:
    """Fail before starting anything rather than leave a half-started stack behind.

    SO_REUSEADDR matches what the servers themselves use, so a port in TIME_WAIT after a
    previous run still counts as free."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            raise Failure(
                f"port {port} on {HOST} is already in use; set {variable} to a free port"
            ) from None


def port_accepts(port: int) -> bool:
    try:
        socket.create_connection((HOST, port), timeout=0.5).close()
    except OSError:
        return False
    return True


def child_env(endpoint: str) -> dict[str, str]:
    """The user's environment plus what the local stage needs; fake AWS keys keep botocore
    from looking for real credentials."""
    env = dict(os.environ)
    env["SABER_STAGE"] = "local"
    env["DYNAMODB_ENDPOINT"] = endpoint
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("AWS_DEFAULT_REGION", DEFAULT_AWS_REGION)
    env.setdefault("AWS_ACCESS_KEY_ID", "local")
    env.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    # What SMS gateways (and the README's curl) send in X-Saber-Token; SMS are logged, not sent.
    env.setdefault("SABER_SMS_GATEWAY_SECRET", LOCAL_SMS_GATEWAY_SECRET)
    env.setdefault("SABER_SMS_SENDER", "log")
    return env


_output_lock = threading.Lock()


def emit(line: str, stream: TextIO | None = None) -> None:
    """Write one whole line; children's output threads share the terminal."""
    with _output_lock:
        print(line, file=stream or sys.stdout, flush=True)


def say(message: str) -> None:
    emit(f"[saber] {message}")


class Child:
    """A child process in its own process group, its output copied line by line with a
    `[name]` prefix."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.process = subprocess.Popen(
            argv,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
        self._copier = threading.Thread(target=self._copy_output, daemon=True)
        self._copier.start()

    def _copy_output(self) -> None:
        for raw in self.process.stdout:
            emit(f"[{self.name}] {raw.decode(errors='replace').rstrip()}")

    def exited(self) -> bool:
        if self.process.poll() is None:
            return False
        self._copier.join(timeout=1)  # let its last words reach the terminal first
        return True

    def stop(self) -> None:
        """SIGTERM the whole group, SIGKILL it if it lingers, then sweep up any member that
        outlived the leader."""
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                say(f"{self.name} ignored SIGTERM for {STOP_TIMEOUT_SECONDS}s; killing it")
                self._signal_group(signal.SIGKILL)
                self.process.wait()
        self._signal_group(signal.SIGKILL)
        self._copier.join(timeout=1)

    def _signal_group(self, signum: int) -> None:
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)


class Supervisor:
    """Owns the children. Signal handlers only set a flag; every wait loop polls `check()`,
    so a stop request is never raised in the middle of starting a process."""

    def __init__(self) -> None:
        self.children: list[Child] = []
        self.stop_signal: int | None = None

    def __enter__(self) -> Supervisor:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._request_stop)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.children:
            say("stopping " + ", ".join(child.name for child in self.children))
        for child in reversed(self.children):  # DynamoDB last: it sees every final write
            child.stop()
        self.children.clear()

    def _request_stop(self, signum: int, _frame: object) -> None:
        self.stop_signal = signum

    def check(self) -> None:
        if self.stop_signal is not None:
            say(f"received {signal.Signals(self.stop_signal).name}")
            raise StopRequested
        for child in self.children:
            if child.exited():
                code = child.process.returncode
                raise Failure(f"{child.name} exited unexpectedly with status {code}")

    def spawn(self, name: str, argv: list[str], env: dict[str, str]) -> Child:
        try:
            child = Child(name, argv, env)
        except OSError as error:
            raise Failure(f"cannot start {name}: {error}") from None
        self.children.append(child)
        return child

    def wait_for_port(self, child: Child, port: int) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not port_accepts(port):
            self.check()
            if time.monotonic() > deadline:
                raise Failure(
                    f"{child.name} did not open port {port} within {STARTUP_TIMEOUT_SECONDS}s"
                )
            time.sleep(POLL_SECONDS)

    def run_to_completion(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        child = self.spawn(name, argv, env)
        while not child.exited():
            self.check()
            time.sleep(POLL_SECONDS)
        self.children.remove(child)
        if child.process.returncode != 0:
            raise Failure(f"{name} failed with status {child.process.returncode}")

    def supervise(self) -> NoReturn:
        while True:
            self.check()
            time.sleep(POLL_SECONDS)


@contextmanager
def data_dir_lock(data_dir: Path) -> Iterator[None]:
    """Two runs appending to one recording would corrupt it, whatever their ports."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "run_local.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Failure(
                f"another run_local.py is using {data_dir}; stop it or set SABER_DATA_DIR"
            ) from None
        yield


def read_recording(path: Path) -> tuple[list[dict], int]:
    """Return the recorded requests and how many entries could not be read.

    The log is read as a stream of JSON objects, not one per line: moto writes a large entry
    (over 8 KiB) and its newline in two writes, so concurrent requests can put two entries on
    one line; a crash can leave a cut-off last entry, which is skipped."""
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    decoder = json.JSONDecoder()
    entries: list[dict] = []
    unreadable = 0
    position = _skip_space(text, 0)
    while position < len(text):
        try:
            entry, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            entry = None
            newline = text.find("\n", position)
            position = len(text) if newline < 0 else newline
        if isinstance(entry, dict) and {"method", "url", "headers"} <= entry.keys():
            entries.append(entry)
        else:
            unreadable += 1
        position = _skip_space(text, position)
    return entries, unreadable


def _skip_space(text: str, position: int) -> int:
    return WHITESPACE.match(text, position).end()


def changes_state(entry: dict) -> bool:
    """Reads, dashboard views and health probes are recorded too; replaying them is waste."""
    if entry["method"].upper() in {"GET", "HEAD", "OPTIONS"}:
        return False
    headers = {name.lower(): value for name, value in entry["headers"].items()}
    action = headers.get("x-amz-target", "").rpartition(".")[2]
    return not (action in READ_ONLY_ACTIONS or action.startswith(READ_ONLY_ACTION_PREFIXES))


def send(port: int, entry: dict) -> tuple[int, bytes]:
    """Send a recorded request to the server on `port` and return its status and body."""
    url = urlsplit(entry["url"])
    target = (url.path or "/") + (f"?{url.query}" if url.query else "")
    body = entry.get("body") or ""
    payload = base64.b64decode(body) if entry.get("body_encoded") else body.encode()
    headers = {
        name: value
        for name, value in entry["headers"].items()
        if name.lower() not in CONNECTION_HEADERS
    }
    connection = http.client.HTTPConnection(HOST, port, timeout=STARTUP_TIMEOUT_SECONDS)
    try:
        connection.request(entry["method"], target, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def had_effect(status: int, payload: bytes) -> bool:
    """False only when DynamoDB said the request changed nothing, e.g. the conditional put of
    an idempotent setup, which would otherwise pile up in the log on every start."""
    if status < 400:
        return True
    try:
        error = json.loads(payload).get("__type", "")
    except (ValueError, AttributeError):
        return True
    return error.rpartition("#")[2] not in NO_EFFECT_ERRORS


def write_recording(path: Path, entries: list[dict]) -> None:
    """Replace the log atomically: a crash leaves either the old or the new one, never half."""
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as file:
        for entry in entries:
            file.write(json.dumps(entry) + "\n")
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def restore(supervisor: Supervisor, port: int, recording: Path) -> None:
    """Replay the log into the fresh server, then keep only what had an effect."""
    entries, unreadable = read_recording(recording)
    writes = [entry for entry in entries if changes_state(entry)]
    if entries:
        say(f"restoring {len(writes)} recorded writes from {recording}")
    started = time.monotonic()
    kept = []
    for entry in writes:
        supervisor.check()
        try:
            status, payload = send(port, entry)
        except OSError as error:
            raise Failure(f"replaying {recording} failed: {error}") from None
        if had_effect(status, payload):
            kept.append(entry)
    if entries:
        write_recording(recording, kept)
        say(
            f"restored in {time.monotonic() - started:.1f}s; kept {len(kept)} writes, dropped "
            f"{len(entries) - len(writes)} reads, {len(writes) - len(kept)} rejected writes, "
            f"{unreadable} unreadable entries"
        )


def start_recording(port: int) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=STARTUP_TIMEOUT_SECONDS)
    try:
        connection.request("POST", "/moto-api/recorder/start-recording")
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise Failure(f"moto refused to start recording (HTTP {response.status})")


def start_dynamodb(supervisor: Supervisor, options: Options) -> str:
    """Start moto with recording off, restore the data, then record from here on.

    MOTO_ENABLE_RECORDING is removed rather than set: any non-empty value, even "False",
    turns recording on at start, which would record the replay itself."""
    recording = options.data_dir / RECORDING_NAME
    env = child_env(f"http://{HOST}:{options.dynamodb_port}")
    env.pop("MOTO_ENABLE_RECORDING", None)
    env["MOTO_RECORDER_FILEPATH"] = str(recording)
    argv = [PYTHON, str(SCRIPTS / "dynamodb_server.py"), HOST, str(options.dynamodb_port)]
    dynamodb = supervisor.spawn("dynamodb", argv, env)
    supervisor.wait_for_port(dynamodb, options.dynamodb_port)
    restore(supervisor, options.dynamodb_port, recording)
    start_recording(options.dynamodb_port)
    return env["DYNAMODB_ENDPOINT"]


def run(supervisor: Supervisor, options: Options) -> NoReturn:
    if options.external_endpoint:
        endpoint = options.external_endpoint
        say(f"using DYNAMODB_ENDPOINT={endpoint}; not starting the embedded DynamoDB")
    else:
        endpoint = start_dynamodb(supervisor, options)
    env = child_env(endpoint)
    supervisor.run_to_completion("setup", [PYTHON, "-m", "chalicelib.cli", "setup"], env)
    # `chalice local` (no autoreload), serving one request at a time: see api_server.py.
    api_argv = [PYTHON, str(SCRIPTS / "api_server.py"), HOST, str(options.api_port), "local"]
    api = supervisor.spawn("api", api_argv, env)
    supervisor.wait_for_port(api, options.api_port)
    scheduler_argv = [PYTHON, "-m", "chalicelib.cli", "scheduler"]
    scheduler_argv += ["--interval", options.schedule_interval]
    supervisor.spawn("scheduler", scheduler_argv, env)
    print_banner(options, endpoint)
    supervisor.supervise()


def print_banner(options: Options, endpoint: str) -> None:
    data = "not used (DYNAMODB_ENDPOINT is set)" if options.external_endpoint else options.data_dir
    say(
        "ready\n"
        f"  API          http://{HOST}:{options.api_port}\n"
        f"  DynamoDB     {endpoint}\n"
        f"  Data dir     {data}\n"
        "  Staff token  .venv/bin/python -m chalicelib.cli token --role admin_pusat\n"
        f"  Test SMS     curl -d from=081234567890 -d text=Tanggamus_Jalan+rusak "
        f"-H 'X-Saber-Token: {child_env(endpoint)['SABER_SMS_GATEWAY_SECRET']}' "
        f"http://{HOST}:{options.api_port}/channels/sms\n"
        "  Stop         Ctrl-C"
    )


def main() -> int:
    try:
        options = read_options(dict(os.environ))
        ensure_port_free(options.api_port, "PORT")
        if options.external_endpoint is None:
            ensure_port_free(options.dynamodb_port, "DYNAMODB_PORT")
        lock = nullcontext() if options.external_endpoint else data_dir_lock(options.data_dir)
        with lock, Supervisor() as supervisor:
            run(supervisor, options)
    except StopRequested:
        say("stopped")
    except Failure as error:
        emit(f"[saber] error: {error}", sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
