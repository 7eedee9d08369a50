"""The embedded DynamoDB of `make run`: moto's server, one request at a time.

moto's server answers each connection on its own thread, but its DynamoDB
backend copies and restores whole tables in a transaction without a lock, so
concurrent requests can lose or duplicate writes. Serialising requests gives the
all-or-nothing behaviour DynamoDB has, and makes the recorder's log follow the
order in which writes were applied.

Usage: python scripts/dynamodb_server.py HOST PORT
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.server import MotoRequestHandler
from werkzeug.serving import run_simple


def one_at_a_time(app: Callable[..., Iterable[bytes]]) -> Callable[..., list[bytes]]:
    lock = threading.Lock()

    def serialised(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with lock:
            return list(app(environ, start_response))

    return serialised


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    # Stop promptly on SIGTERM, like on Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(
        host,
        port,
        one_at_a_time(app),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
