"""Problems found in user input, and the exceptions that carry them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file.

    ``source`` is the file's name as given (e.g. ``values.csv``), ``where`` the line number
    (as text) or the node path in a framework (``node 1.1.2``, ``nodes[2].children[0]``);
    it may be empty when the whole file is concerned (e.g. it cannot be read).
    """

    source: str
    where: str
    message: str
    message_vi: str

    def _prefix(self) -> str:
        return f"{self.source}:{self.where}" if self.where else self.source

    def __str__(self) -> str:
        return f"{self._prefix()}: {self.message}"

    def vi(self) -> str:
        """The problem in Vietnamese, e.g. ``values.csv:14: đơn vị SYT, tiêu chí 3.1: ...``."""
        return f"{self._prefix()}: {self.message_vi}"


class InvalidInput(Exception):
    """Raised with every problem found in the input (never just the first)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class BadValue(ValueError):
    """A value that a leaf's rule does not accept (English and Vietnamese wording)."""

    def __init__(self, message: str, message_vi: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_vi = message_vi
