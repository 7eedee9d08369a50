"""Who may see and act on a complaint."""

import pytest

from chalicelib.domain.access import (
    can_close,
    can_follow_up,
    can_reveal_reporter,
    can_route,
    can_view,
    sees_reporter,
)
from chalicelib.domain.complaint import EscalationLevel
from tests.unit.builders import (
    OTHER_REGION,
    agency_officer,
    central_admin,
    complaint,
    regional_admin,
    routed,
)

NONE = EscalationLevel.NONE
INTERVENTION = EscalationLevel.INTERVENTION
TAKEOVER = EscalationLevel.TAKEOVER

# --- viewing -------------------------------------------------------------------------


def test_an_agency_officer_sees_a_complaint_routed_to_their_agency():
    assert can_view(agency_officer("PUPR"), routed(agency="PUPR"))


def test_an_agency_officer_cannot_see_a_complaint_routed_to_another_agency():
    assert not can_view(agency_officer("PUPR"), routed(agency="DINKES"))


def test_an_agency_officer_cannot_see_a_complaint_nobody_has_routed():
    assert not can_view(agency_officer("PUPR"), complaint())


def test_an_agency_officer_cannot_see_a_same_named_agency_in_another_region():
    assert not can_view(agency_officer("PUPR", region=OTHER_REGION), routed(agency="PUPR"))


def test_a_regional_admin_sees_every_complaint_in_their_region():
    assert can_view(regional_admin(), complaint())


def test_a_regional_admin_cannot_see_another_regions_complaints():
    assert not can_view(regional_admin(OTHER_REGION), complaint())


def test_the_central_admin_sees_every_region():
    assert can_view(central_admin(), complaint(region=OTHER_REGION))


# --- routing -------------------------------------------------------------------------


def test_the_central_admin_routes():
    assert can_route(central_admin(), complaint())


def test_a_regional_admin_may_reroute_a_case_in_intervention():
    assert can_route(regional_admin(), routed(escalation=INTERVENTION))


@pytest.mark.parametrize("level", [NONE, TAKEOVER])
def test_a_regional_admin_may_not_route_outside_intervention(level):
    assert not can_route(regional_admin(), routed(escalation=level))


def test_a_regional_admin_may_not_reroute_another_regions_case():
    assert not can_route(regional_admin(OTHER_REGION), routed(escalation=INTERVENTION))


def test_an_agency_officer_never_routes():
    assert not can_route(agency_officer(), routed())


# --- follow-up, by escalation level ----------------------------------------------------


def test_the_responsible_agency_follows_up_before_any_escalation():
    assert can_follow_up(agency_officer("PUPR"), routed(agency="PUPR"))


def test_another_agency_may_not_follow_up():
    assert not can_follow_up(agency_officer("DINKES"), routed(agency="PUPR"))


def test_a_regional_admin_may_not_follow_up_before_intervention():
    assert not can_follow_up(regional_admin(), routed())


def test_the_regional_admin_may_follow_up_at_intervention():
    assert can_follow_up(regional_admin(), routed(escalation=INTERVENTION))


def test_another_regions_admin_may_not_follow_up_at_intervention():
    assert not can_follow_up(regional_admin(OTHER_REGION), routed(escalation=INTERVENTION))


def test_the_responsible_agency_may_still_follow_up_at_intervention():
    assert can_follow_up(agency_officer("PUPR"), routed(agency="PUPR", escalation=INTERVENTION))


def test_the_central_admin_follows_up_after_takeover():
    assert can_follow_up(central_admin(), routed(escalation=TAKEOVER))


def test_the_central_admin_may_follow_up_an_unrouted_case_after_takeover():
    assert can_follow_up(central_admin(), complaint(escalation=TAKEOVER))


@pytest.mark.parametrize(
    "actor", [agency_officer("PUPR"), regional_admin()], ids=["agency", "daerah"]
)
def test_only_the_central_admin_follows_up_after_takeover(actor):
    assert not can_follow_up(actor, routed(agency="PUPR", escalation=TAKEOVER))


# --- closing -------------------------------------------------------------------------


def test_an_agency_officer_may_not_close_a_complaint():
    assert not can_close(agency_officer("PUPR"), routed(agency="PUPR"))


def test_a_regional_admin_may_close_a_complaint_in_their_region():
    assert can_close(regional_admin(), routed())


def test_a_regional_admin_may_not_close_another_regions_complaint():
    assert not can_close(regional_admin(OTHER_REGION), routed())


# --- the reporter's identity ---------------------------------------------------------


def test_an_anonymous_reporter_is_hidden_from_the_agency():
    assert not sees_reporter(agency_officer("PUPR"), routed(agency="PUPR", anonymous=True))


@pytest.mark.parametrize("actor", [regional_admin(), central_admin()], ids=["daerah", "pusat"])
def test_admins_see_an_anonymous_reporter_only_by_revealing_them(actor):
    complaint = routed(anonymous=True)

    assert not sees_reporter(actor, complaint)
    assert can_reveal_reporter(actor, complaint)


def test_an_agency_officer_may_never_reveal_an_anonymous_reporter():
    assert not can_reveal_reporter(agency_officer("PUPR"), routed(agency="PUPR", anonymous=True))


def test_a_regional_admin_may_not_reveal_another_regions_reporter():
    assert not can_reveal_reporter(regional_admin(OTHER_REGION), routed(anonymous=True))


def test_a_named_reporter_is_visible_to_the_agency():
    assert sees_reporter(agency_officer("PUPR"), routed(agency="PUPR"))
