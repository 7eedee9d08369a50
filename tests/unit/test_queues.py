"""Which work queues a complaint sits in, derived from its state alone."""

from chalicelib.domain.complaint import EscalationLevel, Status
from chalicelib.domain.escalation import DEFAULT_POLICY
from chalicelib.domain.queues import QueueKeys, queue_keys
from tests.unit.builders import REGION, complaint, followed_up, routed

INTERVENTION = EscalationLevel.INTERVENTION
TAKEOVER = EscalationLevel.TAKEOVER


def keys(case) -> QueueKeys:
    return queue_keys(case, DEFAULT_POLICY)


def test_a_new_complaint_is_in_triage():
    assert keys(complaint()).stage_queue == f"triage#{REGION}"


def test_a_new_complaint_waits_on_the_intervention_clock():
    assert keys(complaint()).clock_queue == f"{REGION}#intervention"


def test_a_new_complaint_is_in_no_agency_queue():
    assert keys(complaint()).agency_queue is None


def test_a_routed_complaint_leaves_triage():
    assert keys(routed()).stage_queue is None


def test_a_routed_complaint_is_in_its_agency_queue():
    assert keys(routed(agency="PUPR")).agency_queue == f"{REGION}#PUPR"


def test_a_routed_complaint_still_waits_on_the_intervention_clock():
    assert keys(routed()).clock_queue == f"{REGION}#intervention"


def test_a_followed_up_complaint_waits_on_no_clock():
    assert keys(followed_up()).clock_queue is None


def test_a_followed_up_complaint_stays_in_its_agency_queue():
    assert keys(followed_up(agency="PUPR")).agency_queue == f"{REGION}#PUPR"


def test_a_complaint_in_intervention_waits_on_the_takeover_clock():
    assert keys(routed(escalation=INTERVENTION)).clock_queue == f"{REGION}#takeover"


def test_a_complaint_in_intervention_is_in_the_regional_intervention_queue():
    assert keys(routed(escalation=INTERVENTION)).stage_queue == f"intervention#{REGION}"


def test_a_followed_up_complaint_leaves_the_intervention_queue():
    assert keys(followed_up(escalation=INTERVENTION)).stage_queue is None


def test_a_complaint_taken_over_waits_on_no_clock():
    assert keys(routed(escalation=TAKEOVER)).clock_queue is None


def test_a_complaint_taken_over_is_in_the_national_takeover_queue():
    assert keys(routed(escalation=TAKEOVER)).stage_queue == "takeover"


def test_an_unrouted_complaint_taken_over_is_in_the_takeover_queue_not_triage():
    assert keys(complaint(escalation=TAKEOVER)).stage_queue == "takeover"


def test_a_closed_complaint_is_in_no_queue():
    closed = routed(status=Status.CLOSED, escalation=INTERVENTION)

    assert keys(closed) == QueueKeys(None, None, None)


def test_a_resolved_complaint_is_in_no_queue():
    assert keys(followed_up(status=Status.RESOLVED)) == QueueKeys(None, None, None)
