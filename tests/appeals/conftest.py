import pytest

from parindex.assessments.models import Entry
from parindex.publication.services import period_publish
from tests.appraisal.conftest import appraisal, clock  # noqa: F401 - fixtures
from tests.results.conftest import approve, through_round_two


@pytest.fixture
def published(appraisal):  # noqa: F811 - the fixture above
    """The period approved and published (version 1); ``leaf`` is Sở Tư pháp's 1.6."""
    ns = appraisal
    through_round_two(ns)
    ns.state = approve(ns)
    ns.publication = period_publish(actor=ns.province.admin, period=ns.period)
    ns.stp.refresh_from_db()
    ns.leaf = Entry.objects.filter(assessment=ns.stp, node__code="1.6").select_related("node").get()
    return ns
