"""The "SMS to 1708" rows of the field cases (shared/field-cases.md), as data.

Unit tests read each body with the domain rules; integration tests deliver each
through both SMS entry points (the End User Messaging SNS topic and the HTTP
gateway route). Rows about behaviour over several messages (re-delivery, replies,
ways of writing the sender) have their own tests beside these.
"""

from __future__ import annotations

from dataclasses import dataclass

FILED, NEEDS_CONTENT, NO_KEYWORD = "complaint", "needs_content", "no_keyword"
REPORTER_FORMS = ("081234567890", "+6281234567890", "6281234567890", "0812-3456-7890")
CANONICAL_REPORTER = "+6281234567890"
# The field case quotes `TGM-7K3QX`, one symbol short of a real ID; this is the
# full ID the tests issue in its place (body 7K3QX4, check symbol X).
REPLY_TEMPLATE = "{tracking_id} ada perkembangan? sdh 2 minggu"
SHORT_QUOTED_ID = "TGM-7K3QX ada perkembangan? sdh 2 minggu"


@dataclass(frozen=True)
class SmsRow:
    body: str
    intent: str
    content: str = ""
    region: str | None = "tanggamus"

    def __str__(self) -> str:
        return repr(self.body)


ROWS = (
    SmsRow("Tanggamus_Jalan rusak di pekon Way Gelang", FILED, "Jalan rusak di pekon Way Gelang"),
    SmsRow("TANGGAMUS jalan berlubang depan SDN 1", FILED, "jalan berlubang depan SDN 1"),
    SmsRow("tanggamus   lampu jalan mati", FILED, "lampu jalan mati"),
    SmsRow("Kab. Tanggamus_Air PDAM mati 3 hari", FILED, "Air PDAM mati 3 hari"),
    SmsRow("Kabupaten Tanggamus: sampah menumpuk", FILED, "sampah menumpuk"),
    SmsRow("Tanggamus - sampah menumpuk", FILED, "sampah menumpuk"),
    SmsRow("  Tanggamus_ jalan rusak  ", FILED, "jalan rusak"),
    SmsRow("Tanggamus_", NEEDS_CONTENT),
    SmsRow("jalan rusak di pekon Sukamaju", NO_KEYWORD, "jalan rusak di pekon Sukamaju", None),
)
