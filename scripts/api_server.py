"""The API of `make run`: `chalice local`, handling one request at a time.

`chalice local` answers each connection on its own thread, but a Chalice app
keeps the request being handled on the app object (`app.current_request`), as
Lambda runs one request per container. Two concurrent requests would read each
other's body and headers; handling them one at a time keeps the local server
faithful to Lambda. A malformed Content-Length gets a 400 instead of a dropped
connection, and an unknown route a 404 in the service's error shape.

Usage: python scripts/api_server.py HOST PORT STAGE
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from pathlib import Path

from chalice.cli.factory import CLIFactory
from chalice.deploy.validate import validate_routes
from chalice.local import (
    ChaliceRequestHandler,
    ForbiddenError,
    LocalDevServer,
    LocalGatewayException,
    ThreadedHTTPServer,
)

# Far above the service's own body limit, which answers 413 with the usual error shape.
MAX_CONTENT_LENGTH = 16 * 1024 * 1024


class Server(ThreadedHTTPServer):
    # The default backlog of 5 resets connections when a burst of clients arrives.
    request_queue_size = 128


class OneRequestAtATime(ChaliceRequestHandler):
    _lock = threading.Lock()

    def _generic_handle(self) -> None:
        problem = _content_length_problem(self.headers.get("content-length"))
        if problem:
            self._refuse(*problem)
            return
        with self._lock:
            super()._generic_handle()

    def _send_error_response(self, error: LocalGatewayException) -> None:
        # The app has no authorizers, so a "forbidden" from the local gateway means
        # no route matched (API Gateway's "Missing Authentication Token").
        if isinstance(error, ForbiddenError):
            self._refuse(404, "not_found", f"no route {self.command} {self.path}")
        else:
            super()._send_error_response(error)

    def _refuse(self, status: int, code: str, message: str) -> None:
        body = json.dumps({"error": {"code": code, "message": message, "field": None}}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True


def _content_length_problem(raw: str | None) -> tuple[int, str, str] | None:
    if raw is None:
        return None
    if not raw.strip().isdigit():
        return 400, "bad_request", "Content-Length must be a whole number"
    if int(raw) > MAX_CONTENT_LENGTH:
        return 413, "payload_too_large", f"the body may be at most {MAX_CONTENT_LENGTH} bytes"
    return None


def main() -> None:
    host, port, stage = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    project = Path(__file__).resolve().parent.parent
    factory = CLIFactory(project_dir=str(project), environ=os.environ)
    config = factory.create_config_obj(chalice_stage_name=stage)
    app = config.chalice_app  # imports app.py with the stage's environment applied
    validate_routes(app.routes)
    server = LocalDevServer(
        app, config, host, port, handler_cls=OneRequestAtATime, server_cls=Server
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
