"""Regions and their agencies: reference data, never branched on by name."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Agency:
    code: str  # stable, e.g. "PUPR"; what routing and tokens name
    name: str
    categories: tuple[str, ...] = ()
    # Where the agency's officers are told of a complaint routed to them (SMS
    # numbers, +62 form); none: they learn of it from their queue.
    contacts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    code: str  # e.g. "tanggamus"
    name: str
    timezone: str  # IANA name: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT)
    tracking_prefix: str  # e.g. "TGM"
    sms_keywords: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    agencies: tuple[Agency, ...] = field(default=())
    category_names: dict[str, str] = field(default_factory=dict)  # "jalan" -> "Jalan rusak"
    # SMS numbers of the admins told of escalations, by role: "admin_daerah" at
    # intervention, "admin_pusat" at takeover.
    contacts: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def agency(self, code: str) -> Agency | None:
        wanted = code.strip().upper()
        return next((a for a in self.agencies if a.code == wanted), None)

    @property
    def categories(self) -> frozenset[str]:
        """Every category code the region knows: its agencies' and its named ones."""
        return frozenset(self.category_names) | {c for a in self.agencies for c in a.categories}

    def category_code(self, written: str) -> str:
        """The region's code for a category as a client wrote it ("Jalan",
        " lampu jalan ", "LAMPU_JALAN" -> "jalan", "lampu-jalan"); ValueError when
        the region has no such category."""
        code = "-".join(written.replace("_", " ").casefold().split())
        if self.categories and code not in self.categories:
            raise ValueError(code)
        return code

    def category_name(self, code: str) -> str:
        """The readable name of a category; its code, spaced and capitalised, when
        the region data names none."""
        return self.category_names.get(code) or code.replace("-", " ").capitalize()


def region_from_dict(data: dict) -> Region:
    """A region from its published data (sample files, stored items)."""
    return Region(
        code=data["code"],
        name=data["name"],
        timezone=data["timezone"],
        tracking_prefix=data["tracking_prefix"],
        sms_keywords=tuple(data.get("sms_keywords", ())),
        aliases=tuple(data.get("aliases", ())),
        agencies=tuple(
            Agency(
                code=a["code"],
                name=a["name"],
                categories=tuple(a.get("categories", ())),
                contacts=tuple(a.get("contacts", ())),
            )
            for a in data.get("agencies", ())
        ),
        category_names=dict(data.get("category_names", {})),
        contacts={role: tuple(v) for role, v in data.get("contacts", {}).items()},
    )
