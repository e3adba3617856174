"""The approved period of ``tests/results/conftest.py`` (Sở Tư pháp and Sở Y tế through both
rounds, approved by the chair, the publication decision recorded), and a file storage in
memory for the export jobs."""

from __future__ import annotations

import pytest

from tests.appraisal.conftest import appraisal, clock  # noqa: F401 - fixtures
from tests.results.conftest import approved  # noqa: F401 - fixture


@pytest.fixture
def memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
