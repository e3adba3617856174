"""The criteria framework as immutable values (see ``parse.py`` for how it is read)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Literal, TypeVar, cast

T = TypeVar("T")

FORMAT = "parindex.framework/v1"
RESULTS_FORMAT = "parindex.results/v1"

ZERO = Decimal(0)


@dataclass(frozen=True)
class Option:
    """One answer of a ``choice`` rule."""

    key: str
    label: str
    points: Decimal


@dataclass(frozen=True)
class Step:
    """One step of a ``ratio`` rule in ``steps`` mode."""

    min_percent: Decimal
    points: Decimal


@dataclass(frozen=True)
class ChoiceRule:
    type: ClassVar[str] = "choice"
    options: tuple[Option, ...]


@dataclass(frozen=True)
class BooleanRule:
    type: ClassVar[str] = "boolean"


@dataclass(frozen=True)
class NumberRule:
    type: ClassVar[str] = "number"
    min: Decimal = ZERO


WhenZero = Literal["na", "full", "zero"]
RatioMode = Literal["proportional", "steps"]


@dataclass(frozen=True)
class RatioRule:
    type: ClassVar[str] = "ratio"
    mode: RatioMode
    steps: tuple[Step, ...] = ()
    when_zero: WhenZero = "zero"


@dataclass(frozen=True)
class CountRule:
    type: ClassVar[str] = "count"
    per: Decimal


@dataclass(frozen=True)
class DeductionRule:
    type: ClassVar[str] = "deduction"
    per: Decimal
    floor: Decimal = ZERO


@dataclass(frozen=True)
class RelativeRule:
    type: ClassVar[str] = "relative"


@dataclass(frozen=True)
class SurveyRule:
    type: ClassVar[str] = "survey"


Rule = (
    ChoiceRule
    | BooleanRule
    | NumberRule
    | RatioRule
    | CountRule
    | DeductionRule
    | RelativeRule
    | SurveyRule
)

RULE_TYPES: tuple[str, ...] = (
    "choice",
    "boolean",
    "number",
    "ratio",
    "count",
    "deduction",
    "relative",
    "survey",
)


@dataclass(frozen=True)
class Band:
    """A rating band: a unit gets the first band (highest first) whose ``min`` <= its index."""

    min: Decimal
    label: str


@dataclass(frozen=True)
class Node:
    """A node of the criteria tree.

    ``max`` is the declared maximum (always set on leaves; ``None`` on an inner node that
    does not declare one). ``total_max`` is the computed maximum of the subtree: a leaf's
    ``max``; for an inner node the sum of its children's ``total_max``, where bonus
    children are left out of a non-bonus parent's sum (their max never counts), and every
    child counts inside a bonus node. ``own_bonus`` is the ``bonus`` key as written;
    ``bonus`` is effective (the node or one of its ancestors is a bonus node).
    """

    code: str
    title: str
    max: Decimal | None
    total_max: Decimal
    children: tuple[Node, ...] = ()
    rule: Rule | None = None
    source: Literal["self", "survey"] = "self"
    allow_na: bool = False
    own_bonus: bool = False
    bonus: bool = False
    evidence: str | None = None
    guide: str | None = None
    parent: str | None = None
    depth: int = 0

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def iter_nodes(self) -> Iterator[Node]:
        """This node and its descendants, in preorder."""
        yield self
        for child in self.children:
            yield from child.iter_nodes()


@dataclass(frozen=True)
class Framework:
    """A criteria framework (``parindex.framework/v1``)."""

    code: str
    title: str
    year: int
    block: str
    bands: tuple[Band, ...]
    nodes: tuple[Node, ...]
    _by_code: dict[str, Node] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    # The tree is immutable: its preorder and its leaves are listed once, and what the
    # calculators derive from the framework alone (compiled leaves, the aggregation plan) is
    # kept in ``_memo`` (see ``memo``) — an autosave scores one assessment many times a minute.
    _all: tuple[Node, ...] = field(default=(), init=False, repr=False, compare=False, hash=False)
    _leaves: tuple[Node, ...] = field(default=(), init=False, repr=False, compare=False, hash=False)
    _memo: dict[str, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        every = tuple(n for root in self.nodes for n in root.iter_nodes())
        object.__setattr__(self, "_all", every)
        object.__setattr__(self, "_leaves", tuple(n for n in every if n.is_leaf))
        object.__setattr__(self, "_by_code", {n.code: n for n in every})

    def iter_nodes(self) -> Iterator[Node]:
        """Every node, in preorder (the order of the framework file)."""
        return iter(self._all)

    def leaves(self) -> list[Node]:
        """The leaves, in preorder."""
        return list(self._leaves)

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """What ``build`` derives from this framework alone, built once (two threads racing
        may both build it: the results are equal, one is kept)."""
        try:
            return cast(T, self._memo[key])
        except KeyError:
            value = build()
            return cast(T, self._memo.setdefault(key, value))

    def node(self, code: str) -> Node:
        """The node with this code (``KeyError`` if there is none)."""
        return self._by_code[code]

    def get(self, code: str) -> Node | None:
        return self._by_code.get(code)

    @property
    def max_total(self) -> Decimal:
        """The sum of the max of the non-bonus leaves."""
        total = ZERO
        for leaf in self.leaves():
            if not leaf.bonus and leaf.max is not None:
                total += leaf.max
        return total

    def band_for(self, index: Decimal | None) -> Band | None:
        """The first band whose ``min`` <= ``index`` (``None`` without bands or index)."""
        if index is None:
            return None
        for band in self.bands:
            if band.min <= index:
                return band
        return None
