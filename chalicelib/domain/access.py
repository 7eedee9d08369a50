"""Who may see and do what. Pure rules over an actor and a complaint.

An agency officer sees only complaints routed to their agency; a regional admin is
confined to their region; the central admin sees all. What a caller may not see
is reported as absent, never as forbidden, so its existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chalicelib.domain.calendar import NATIONAL
from chalicelib.domain.complaint import Complaint, EscalationLevel


class Role(StrEnum):
    ADMIN_PUSAT = "admin_pusat"  # central admin, all regions
    ADMIN_DAERAH = "admin_daerah"  # regional admin, one region
    AGENCY = "agency"  # officer of one agency (perangkat daerah)


@dataclass(frozen=True)
class Actor:
    subject: str
    role: Role
    region: str | None = None
    agency: str | None = None


SYSTEM = "system"


def can_view(actor: Actor, complaint: Complaint) -> bool:
    if actor.role is Role.ADMIN_PUSAT:
        return True
    if actor.role is Role.ADMIN_DAERAH:
        return actor.region == complaint.region
    return (
        complaint.agency is not None
        and actor.region == complaint.region
        and actor.agency == complaint.agency
    )


def can_route(actor: Actor, complaint: Complaint) -> bool:
    """The central admin routes (disposisi); a regional admin may re-route a case
    in intervention."""
    if actor.role is Role.ADMIN_PUSAT:
        return True
    return (
        actor.role is Role.ADMIN_DAERAH
        and actor.region == complaint.region
        and complaint.escalation is EscalationLevel.INTERVENTION
    )


def can_follow_up(actor: Actor, complaint: Complaint) -> bool:
    """The responsible agency follows up; after an escalation, so may the admin
    that holds the case (the regional admin at intervention, the central admin at
    takeover, who then holds it alone)."""
    level = complaint.escalation
    if level is EscalationLevel.TAKEOVER:
        return actor.role is Role.ADMIN_PUSAT
    if actor.role is Role.AGENCY:
        return complaint.agency is not None and can_view(actor, complaint)
    if level is EscalationLevel.INTERVENTION:
        return actor.role is Role.ADMIN_DAERAH and actor.region == complaint.region
    return False


def can_verify(actor: Actor, complaint: Complaint) -> bool:
    """Verification (accept, send back, reject, quarantine) is the central admin's."""
    return actor.role is Role.ADMIN_PUSAT


def is_responsible_agency(actor: Actor, complaint: Complaint) -> bool:
    """An officer of the agency the complaint is routed to."""
    return actor.role is Role.AGENCY and complaint.agency is not None and can_view(actor, complaint)


def can_close(actor: Actor, complaint: Complaint) -> bool:
    if actor.role is Role.ADMIN_PUSAT:
        return True
    return actor.role is Role.ADMIN_DAERAH and actor.region == complaint.region


def sees_reporter(actor: Actor, complaint: Complaint) -> bool:
    """Whether a view, list or export shows the reporter's identity. An anonymous
    reporter is shown to nobody there: an admin who needs the identity reveals it,
    which is recorded (`can_reveal_reporter`)."""
    return not complaint.anonymous


def can_reveal_reporter(actor: Actor, complaint: Complaint) -> bool:
    """Admins may reveal an anonymous reporter (each reveal is an event with who
    and why); agencies never."""
    if actor.role is Role.ADMIN_PUSAT:
        return True
    return actor.role is Role.ADMIN_DAERAH and actor.region == complaint.region


def can_change_calendar(actor: Actor, scope: str) -> bool:
    """The central admin changes the national calendar and any region's; a
    regional admin only their own region's days off."""
    if actor.role is Role.ADMIN_PUSAT:
        return True
    return actor.role is Role.ADMIN_DAERAH and scope == actor.region


def can_read_calendar_changes(actor: Actor, scope: str) -> bool:
    """Admins read the changes they may make, and the national ones every region follows."""
    return can_change_calendar(actor, scope) or (
        actor.role is Role.ADMIN_DAERAH and scope == NATIONAL
    )
