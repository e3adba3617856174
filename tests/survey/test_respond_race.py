"""One invitation link submitted twice at the same moment for the same unit (PostgreSQL, real
threads, through the view): exactly one response is stored."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from parindex.survey.definition import engine_survey, questions_for
from parindex.survey.models import Respondent, RespondentUnit, Response
from parindex.survey.services.invitations import invitations_send
from parindex.survey.services.respondents import respondents_import
from tests.survey.test_lists import rows_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and threads"
    ),
]


def test_two_submissions_of_one_link_at_once_store_exactly_one_response(surveyed):
    p = surveyed.province
    respondents_import(
        actor=p.officer,
        survey=surveyed.survey,
        unit=p.stp,
        rows=rows_of([["HDND", "Nguyễn Văn An", "", "an@bacgiang.gov.vn", "", ""]]),
    )
    (token,) = invitations_send(actor=p.admin, survey=surveyed.survey)
    url = reverse("survey_public:respond_form", kwargs={"token": token})
    answers = {q.code: "A" for q in questions_for(engine_survey(surveyed.survey), "HDND")}
    clients = [Client(), Client()]
    started = [c.get(url).context["started"] for c in clients]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    statuses: list[int] = []

    def submit(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            r = clients[i].post(url, {"don_vi": p.stp.pk, "bat_dau": started[i], **answers})
            statuses.append(r.status_code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    # the winner goes on (302); the loser is sent back to the form (302) when it lost the
    # lock, or shown the finished link (200) when it read after the winner's commit
    assert len(statuses) == 2 and 302 in statuses and set(statuses) <= {200, 302}
    assert Response.objects.filter(unit=p.stp).count() == 1
    person = Respondent.objects.get()
    assert RespondentUnit.objects.get(respondent=person).answered_on is not None


def test_two_intakes_of_one_respondent_at_once_store_one_and_refuse_the_other(surveyed):
    from parindex.common.errors import DomainError
    from parindex.survey.services.intake import response_submit

    p = surveyed.province
    respondents_import(
        actor=p.officer,
        survey=surveyed.survey,
        unit=p.stp,
        rows=rows_of([["HDND", "Nguyễn Văn An", "", "an@bacgiang.gov.vn", "", ""]]),
    )
    person = Respondent.objects.get()
    answers = {q.code: "B" for q in questions_for(engine_survey(surveyed.survey), "HDND")}
    barrier = threading.Barrier(2)
    refused: list[str] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            response_submit(
                survey=surveyed.survey,
                unit=p.stp,
                group="HDND",
                answers=answers,
                channel=Response.Channel.INVITATION,
                respondent=person,
            )
        except DomainError as exc:
            refused.append(exc.message)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert len(refused) == 1 and "đã được gửi" in refused[0]
    assert Response.objects.count() == 1
