"""The stored definition as the engine's ``Survey`` (the same parser as ``parindex survey``),
checked against the block's framework, cached per (survey, updated_at)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from parindex import engine
from parindex.frameworks.selectors import framework_to_engine
from parindex.survey.models import Survey

_cache: OrderedDict[tuple[int, str], engine.Survey] = OrderedDict()
_lock = threading.Lock()
_SIZE = 32


def engine_survey(survey: Survey) -> engine.Survey:
    """The engine survey of ``survey`` (raises ``engine.InvalidInput`` if the stored
    definition no longer fits the block's framework)."""
    key = (survey.pk, survey.updated_at.isoformat() if survey.updated_at else "")
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    fw = framework_to_engine(survey.period_block.framework)
    result = engine.parse_survey(survey.definition, source=_source(survey), framework=fw)
    if survey.pk is not None:
        with _lock:
            _cache[key] = result
            while len(_cache) > _SIZE:
                _cache.popitem(last=False)
    return result


def _source(survey: Survey) -> str:
    return str(survey.definition.get("code") or "survey") if survey.definition else "survey"


def problem_text(problem: engine.Problem) -> str:
    """An engine problem about a survey definition, in words an officer reads."""
    return f"{problem.where}: {problem.message_vi}" if problem.where else problem.message_vi


def questions_for(survey: engine.Survey, group: str) -> list[engine.Question]:
    """The questions asked of ``group``, in the definition's order."""
    return [q for q in survey.questions if group in q.groups]
