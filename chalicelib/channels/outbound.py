"""Where outgoing SMS go: Amazon SNS in AWS, a log line under `make run`."""

from __future__ import annotations

import sys
import uuid
from typing import Any, TextIO

_TRANSACTIONAL = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}


class SnsSmsSender:
    """Publishes straight to the phone number as a transactional SMS. The boto3
    SNS client is passed in, so tests and other accounts can supply their own."""

    def __init__(self, client: Any):
        self._client = client

    def send(self, to: str, text: str) -> str | None:
        answer = self._client.publish(
            PhoneNumber=to, Message=text, MessageAttributes=_TRANSACTIONAL
        )
        return answer.get("MessageId")


class LoggingSmsSender:
    """Writes each SMS as a line on stderr instead of sending it (`make run`)."""

    def __init__(self, stream: TextIO | None = None):
        self._stream = stream

    def send(self, to: str, text: str) -> str | None:
        print(f"SMS to {to}: {text}", file=self._stream or sys.stderr, flush=True)
        return f"log-{uuid.uuid4().hex}"
