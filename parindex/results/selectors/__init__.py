"""Reads of the results (no writes): a period's blocks (``period``), one unit's results
(``unit``), the user's list (``mine``) and what they share (``common``)."""

from parindex.results.selectors.period import BlockResults, PeriodResults, period_results
from parindex.results.selectors.unit import UnitResults, unit_results

__all__ = ["BlockResults", "PeriodResults", "UnitResults", "period_results", "unit_results"]
