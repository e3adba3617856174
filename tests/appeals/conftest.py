from tests.appraisal.conftest import appraisal, clock  # noqa: F401 - fixtures
