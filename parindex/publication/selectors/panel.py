"""The organizer's publication panel on the results page (one period)."""

from __future__ import annotations

from dataclasses import dataclass

from parindex.periods.models import Period
from parindex.publication.models import Publication
from parindex.results.selectors.common import approved_state


@dataclass
class Panel:
    approved: bool
    decision_recorded: bool
    latest: Publication | None
    block_codes: list[str]

    @property
    def can_publish(self) -> bool:
        return self.approved and self.decision_recorded and self.latest is None


def publication_panel(period: Period) -> Panel:
    state = approved_state(period)
    latest = Publication.objects.filter(period=period).defer("content").order_by("-version").first()
    blocks = sorted(((state.snapshot or {}).get("blocks") or {}) if state else {})
    return Panel(
        approved=state is not None,
        decision_recorded=bool(
            state and state.decision_number and state.decision_date and state.decision_signer
        ),
        latest=latest,
        block_codes=blocks,
    )
