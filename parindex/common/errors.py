"""The one domain error type: services raise it, views turn it into a Vietnamese message."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken; ``message`` is shown to the user as is (Vietnamese)."""

    def __init__(self, message: str, *, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []
