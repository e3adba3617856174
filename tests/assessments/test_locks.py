"""One answer to "why is this locked?" (``workflow.lock_reason``): the same words from the
entry service, the evidence service, the workspace and the evidence list; and the steps offered
on screen are exactly the ones the service accepts."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from parindex.assessments import workflow
from parindex.assessments.access import actor_kinds, get_assessment_for_user
from parindex.assessments.models import Entry, Status
from parindex.assessments.services import EntryLocked, assessment_transition, entry_record
from parindex.common.errors import DomainError
from parindex.evidence.services import check_editable
from parindex.periods.models import Period
from tests.assessments.workflow_helpers import MOMENTS, actor_for, make_complete
from tests.periods.factories import local

BEFORE_START = local(2026, 10, 10)
IN_SELF_ASSESSMENT = local(2026, 10, 20)
AFTER_DEADLINE = local(2026, 11, 16, 9, 0)


def _state(assessment, name):
    if name == "closed":
        Period.objects.filter(pk=assessment.period_id).update(closed=True)
        return IN_SELF_ASSESSMENT
    if name == "submitted":
        type(assessment).objects.filter(pk=assessment.pk).update(status=Status.SUBMITTED)
        return IN_SELF_ASSESSMENT
    if name == "supplement":
        type(assessment).objects.filter(pk=assessment.pk).update(status=Status.SUPPLEMENT)
        return local(2026, 12, 2)
    return {"before": BEFORE_START, "after": AFTER_DEADLINE}[name]


@pytest.mark.parametrize("state", ["closed", "submitted", "supplement", "before", "after"])
def test_every_place_gives_the_same_reason(login, province, assessment, state):
    moment = _state(assessment, state)
    with time_machine.travel(moment, tick=False):
        loaded = get_assessment_for_user(province.officer, assessment.pk)
        reason = workflow.lock_reason(loaded)
        assert reason
        entry = Entry.objects.filter(assessment=assessment, node__code="1.2").get()
        with pytest.raises(EntryLocked) as declared:
            entry_record(actor=province.officer, entry=entry, value="yes")
        with pytest.raises(DomainError) as evidence:
            check_editable(loaded)
        client = login(province.officer)
        page = client.get(reverse("assessments:table", args=[assessment.pk])).content.decode()
        files = client.get(reverse("evidence:entry", args=[entry.pk])).content.decode()
    assert declared.value.message == reason
    assert evidence.value.message == reason
    assert reason in page
    assert reason in files


def test_nothing_is_locked_in_the_window_of_a_draft(province, assessment):
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        loaded = get_assessment_for_user(province.officer, assessment.pk)
        assert workflow.lock_reason(loaded) is None


HAND_STEPS = [t for t in workflow.TRANSITIONS if not t.by_appraisal]
MOMENTS_TRIED = [
    BEFORE_START,
    IN_SELF_ASSESSMENT,
    AFTER_DEADLINE,
    local(2026, 12, 2),
    local(2026, 12, 22),
    local(2026, 12, 27),
]


@pytest.mark.parametrize("t", HAND_STEPS, ids=lambda t: f"{t.source}->{t.target}")
def test_a_step_is_offered_exactly_when_the_service_takes_it(province, assessment, t):
    make_complete(assessment)
    actor = actor_for(province, t.actor)
    for moment in MOMENTS_TRIED:
        type(assessment).objects.filter(pk=assessment.pk).update(status=t.source)
        with time_machine.travel(moment, tick=False):
            loaded = get_assessment_for_user(actor, assessment.pk)
            shown = t in workflow.offered(loaded, actor_kinds(actor, loaded))
            try:
                assessment_transition(actor=actor, assessment=loaded, to=t.target, note="Lý do")
            except DomainError:
                taken = False
            else:
                taken = True
        assert shown == taken, (moment, shown, taken)
    assert MOMENTS[(t.source, t.target)]
