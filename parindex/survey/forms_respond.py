"""The questions of one form (one respondent group, one rated unit), reusable by every
channel: the invitation link, the public link/QR and the enumerators' paper-form entry.

Stable API::

    form = AnswerForm(request.POST or None, survey=engine_survey(s), group="HDND")
    form.is_valid()
    form.answers()        # {"Q01": "A", ...}: the chosen option keys, skipped ones left out
    form.rows             # [(number, question, bound field), ...] for the template

- ``survey``: the engine survey (``parindex.survey.definition.engine_survey``);
- ``group``: the respondent group's code; only the questions asked of it are fields, in the
  definition's order (``questions_for``);
- ``required`` (default True): every question must be answered — the scale's "Không đánh
  giá được" option (weight ``None``) is the way to skip; the enumerator entry may pass False;
- ``prefix``: Django's form prefix (several forms on one page); field names are the
  question codes (``Q01``, or ``<prefix>-Q01``).

Render with ``{{ form.html }}`` (the template ``survey/respond/_questions.html``): one
fieldset per question, the options as large radio rows (mobile-first), the "don't know"
options set apart, errors in Vietnamese. An unbound form given ``cache_key`` (the survey's
``(pk, updated_at)``, as ``engine_survey`` caches it) renders once per process and group:
every respondent of a group sees the same blank questions, and rendering 14 questions' radio
rows was most of the form page's CPU.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from parindex import engine
from parindex.survey.definition import questions_for

REQUIRED_MESSAGE = "Chọn một phương án cho câu này."
INVALID_MESSAGE = "Phương án đã chọn không có trong phiếu."
TEMPLATE = "survey/respond/_questions.html"

_blank: OrderedDict[tuple[Any, ...], SafeString] = OrderedDict()
_blank_lock = threading.Lock()
_BLANK_SIZE = 64


class AnswerForm(forms.Form):
    """One ``ChoiceField`` (radio) per question asked of ``group``."""

    def __init__(
        self,
        *args: Any,
        survey: engine.Survey,
        group: str,
        required: bool = True,
        cache_key: tuple[Any, ...] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.group = group
        self.required = required
        self.cache_key = cache_key
        self.questions: list[engine.Question] = questions_for(survey, group)
        for q in self.questions:
            self.fields[q.code] = forms.ChoiceField(
                label=q.text,
                choices=[(o.key, o.label) for o in q.options],
                widget=forms.RadioSelect,
                required=required,
                error_messages={"required": REQUIRED_MESSAGE, "invalid_choice": INVALID_MESSAGE},
            )
            # the keys of the "don't know" options (no weight): shown apart in the template
            self.fields[q.code].dont_know = {o.key for o in q.options if o.weight is None}  # type: ignore[attr-defined]

    @property
    def rows(self) -> list[tuple[int, engine.Question, forms.BoundField]]:
        """``(number, question, bound field)`` per question, numbered from 1."""
        return [(i, q, self[q.code]) for i, q in enumerate(self.questions, start=1)]

    def html(self) -> SafeString:
        """The questions as HTML (cached for an unbound form with a ``cache_key``)."""
        key = None
        if not self.is_bound and not self.initial and self.cache_key is not None:
            key = (*self.cache_key, self.group, self.prefix, self.required)
            with _blank_lock:
                hit = _blank.get(key)
                if hit is not None:
                    _blank.move_to_end(key)
                    return hit
        # the template escapes every text of the definition
        out = mark_safe(render_to_string(TEMPLATE, {"form": self}))  # noqa: S308
        if key is not None:
            with _blank_lock:
                _blank[key] = out
                while len(_blank) > _BLANK_SIZE:
                    _blank.popitem(last=False)
        return out

    def answers(self) -> dict[str, str]:
        """The chosen option keys (call after ``is_valid()``); unanswered questions left out."""
        return {
            q.code: str(self.cleaned_data.get(q.code) or "")
            for q in self.questions
            if self.cleaned_data.get(q.code)
        }
