import pytest

from tests.periods.factories import make_assessment, make_framework, make_period


@pytest.fixture
def so_framework(province):
    return make_framework(province.snv, province.so, year=2026)


@pytest.fixture
def period(province, so_framework):
    return make_period(province, frameworks={province.so: so_framework})


@pytest.fixture
def assessment(province):
    return make_assessment(province)
