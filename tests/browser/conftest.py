"""Browser tests: Playwright's sync API driving Debian's Chromium against live_server.

The fixtures (``browser``, ``page``, ``shots``) live in tests/conftest.py so that one
Chromium serves every browser test of the run, wherever its module is (two session-scoped
``sync_playwright()`` at once would fail: "Sync API inside the asyncio loop").
"""

from tests.conftest import ARGS, CHROMIUM  # noqa: F401 - kept for the tests that import them
