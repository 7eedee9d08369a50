"""What the service says to a reporter by SMS, in plain GSM-7 text.

A single character outside the GSM-7 alphabet (a curly quote, an ellipsis, an
en dash) switches a whole SMS to UCS-2, which cuts a segment from 160 characters
to 70. Every text is therefore made plain ASCII from the GSM-7 basic alphabet,
and built from required and optional parts: optional parts are added only while
the text still fits one segment.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from datetime import date

from chalicelib.domain.complaint import EscalationLevel, Status

SEGMENT = 160  # GSM-7 characters in a single SMS
CONCATENATED_SEGMENT = 153  # per part once a text needs more than one

# GSM 03.38 basic alphabet; the extension table's characters cost two.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
# What is sent: printable ASCII that is also in the basic alphabet.
_PLAIN = frozenset(ch for ch in GSM7_BASIC if " " <= ch <= "~")
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2026": "...",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2022": "*",
        "[": "(",
        "]": ")",
        "{": "(",
        "}": ")",
        "\\": "/",
        "|": "/",
        "~": "-",
        "^": "",
        "\u20ac": "EUR",
        "\t": " ",
        "\n": " ",
        "\r": " ",
    }
)


def to_gsm7(text: str) -> str:
    """Plain GSM-7 text: typographic marks made ASCII, accents dropped, anything
    else that would force UCS-2 replaced by `?`."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch in _PLAIN else "?" for ch in plain).split())


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def gsm7_length(text: str) -> int:
    """Septets used: extension characters take two."""
    return sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)


def segments(text: str) -> int:
    """SMS parts needed (GSM-7 when possible, UCS-2 otherwise)."""
    if is_gsm7(text):
        length, single, part = gsm7_length(text), SEGMENT, CONCATENATED_SEGMENT
    else:
        length, single, part = len(text.encode("utf-16-le")) // 2, 70, 67
    return 1 if length <= single else math.ceil(length / part)


def compose(required: Sequence[str], optional: Sequence[str] = ()) -> str:
    """Required parts always; each optional part only while the text fits one SMS."""
    text = to_gsm7(" ".join(required))
    for part in optional:
        longer = to_gsm7(f"{text} {part}")
        if gsm7_length(longer) <= SEGMENT:
            text = longer
    return text


def _day(value: date) -> str:
    return value.strftime("%d-%m-%Y")


def acknowledgement(
    tracking_id: str, access_code: str, short_number: str, region_named: bool = True
) -> str:
    optional = [f"Cek status: kirim CEK {tracking_id} ke {short_number}."]
    if not region_named:
        optional.insert(0, "Wilayah tidak disebut; admin akan meneruskannya.")
    return compose(
        [f"Aduan Anda diterima. ID {tracking_id}, kode akses {access_code} (rahasiakan)."],
        optional,
    )


def content_request(short_number: str, keyword: str | None) -> str:
    word = keyword or "KABUPATEN"
    return compose(
        ["Pesan Anda kosong.", f"Kirim ulang ke {short_number}: {word}_isi aduan."],
        [f"Contoh: {word}_Jalan rusak di pekon Way Gelang"],
    )


def reply_received(tracking_id: str) -> str:
    return compose([f"Tanggapan Anda untuk aduan {tracking_id} sudah kami terima."])


def unknown_reference(quoted: str | None, short_number: str) -> str:
    """For an ID that does not read, or names no complaint this number may ask about.
    The same words in every case, so the answer never tells whether a complaint exists."""
    named = f"ID {quoted[:20]} tidak dikenali" if quoted else "ID aduan tidak disebut"
    return compose(
        [f"{named}."],
        [f"Kirim CEK diikuti ID aduan dari SMS tanda terima ke {short_number}."],
    )


_STATUS_WORDS = {
    Status.RECEIVED: "diterima, menunggu verifikasi",
    Status.NEEDS_INFO: "menunggu kelengkapan dari pelapor",
    Status.VERIFIED: "terverifikasi, menunggu diteruskan ke dinas",
    Status.QUARANTINED: "ditahan untuk pemeriksaan",
    Status.ROUTED: "diteruskan ke {agency}",
    Status.FOLLOWED_UP: "sudah ditindaklanjuti {agency}",
    Status.RESOLVED: "selesai, menunggu tanggapan pelapor",
    Status.DUPLICATE: "digabung dengan aduan lain",
    Status.CLOSED: "ditutup",
}
_ESCALATION_WORDS = {
    EscalationLevel.INTERVENTION: "Dalam pengawasan Admin Daerah.",
    EscalationLevel.TAKEOVER: "Diambil alih Admin Pusat.",
}


def status_reply(
    tracking_id: str,
    status: Status,
    escalation: EscalationLevel,
    agency: str | None,
    due: date | None,
    working_days_left: int | None,
) -> str:
    """The status and, while the clock runs, the follow-up deadline and the working
    days left to it. No personal data."""
    words = _STATUS_WORDS[status].format(agency=agency or "dinas").rstrip()
    optional = []
    if due is not None and working_days_left is not None:
        if working_days_left > 0:
            optional.append(
                f"Batas tindak lanjut {_day(due)}, {working_days_left} hari kerja lagi."
            )
        elif working_days_left == 0:
            optional.append(f"Batas tindak lanjut hari ini, {_day(due)}.")
        else:
            optional.append(f"Batas tindak lanjut {_day(due)} sudah lewat.")
    if escalation in _ESCALATION_WORDS:
        optional.append(_ESCALATION_WORDS[escalation])
    return compose([f"Aduan {tracking_id}: {words}."], optional)


def staff_routed(tracking_id: str, subject: str, agency_code: str, due: date) -> str:
    """To the officers of the agency a complaint was routed to. Never the reporter."""
    return compose(
        [f"Saber: aduan {tracking_id} didisposisikan ke {agency_code}."],
        [f"Pokok: {subject}.", f"Tindak lanjut paling lambat {_day(due)}."],
    )


def staff_escalated(tracking_id: str, level: str, agency_code: str | None, due: date) -> str:
    """To the admins who now hold a stalled case (and, at intervention, the agency)."""
    if level == "takeover":
        head = f"Saber: aduan {tracking_id} lewat 60 hari kerja tanpa tindak lanjut."
        tail = ["Kasus diambil alih Admin Pusat."]
    else:
        head = f"Saber: aduan {tracking_id} lewat 30 hari kerja tanpa tindak lanjut."
        tail = [f"Admin Daerah dapat intervensi. Batas ambil alih {_day(due)}."]
    where = [f"OPD: {agency_code}."] if agency_code else ["Belum didisposisikan."]
    return compose([head], where + tail)
