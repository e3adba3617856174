"""The table page's leaves (written in Python by ``{% leaf_card %}``): the markup the autosave
script and the evidence upload need, escaped values, the declared state, read-only leaves, and
the evidence partials (stamped per entry, or the list partial itself for a leaf with files)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from parindex.assessments.models import Entry
from parindex.assessments.services import entry_record
from parindex.evidence.services import evidence_upload
from tests.assessments.test_workspace_views import (
    _entry,
    _url,
    at_work,  # noqa: F401 - fixture
)
from tests.evidence import pdfs
from tests.evidence.conftest import load_entry, upload

pytestmark = pytest.mark.usefixtures("at_work")

VOID = {"input", "br", "img", "hr", "meta", "link"}


class Balance(HTMLParser):
    """Checks that every element opened is closed, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()


def _section(html: str, entry: Entry) -> str:
    match = re.search(rf'<section [^>]*id="leaf-{entry.pk}".*?</section>', html, re.S)
    assert match, f"leaf {entry.pk} missing"
    return match.group(0)


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": "/_unused_/"},
        },
    }


def test_every_leaf_is_well_formed_html_with_what_the_scripts_need(login, province, assessment):
    html = login(province.officer).get(_url("assessments:table", assessment)).content.decode()
    parser = Balance()
    parser.feed(html[html.index('<div class="tab-content') : html.index('<div class="modal')])
    assert parser.problems == [] and parser.stack == []
    entries = Entry.objects.filter(assessment=assessment).select_related("node")
    for entry in entries:
        section = _section(html, entry)
        assert f'data-code="{entry.node.code}"' in section
        if entry.node.source == "survey":
            assert "data-entry-form" not in section
            continue
        autosave = reverse("assessments:autosave", args=[assessment.pk, entry.pk])
        history = reverse("assessments:entry-history", args=[assessment.pk, entry.pk])
        upload_url = reverse("evidence:upload", args=[entry.pk])
        assert f'action="{autosave}"' in section and f'hx-get="{history}"' in section
        assert f'data-entry="{entry.pk}"' in section and 'name="explanation"' in section
        assert f'id="evidence-list-{entry.pk}"' in section
        assert section.count(upload_url) == 2  # the drop zone's action and data-upload-url
        assert 'name="csrfmiddlewaretoken"' in section


def test_values_are_escaped_and_the_declared_state_is_shown(login, province, assessment):
    boolean, choice, ratio, na = (_entry(assessment, c) for c in ("1.2", "1.1.1", "1.6", "2.4"))
    entry_record(actor=province.officer, entry=boolean, value="no", explanation="<b>x</b> & y")
    key = str(choice.node.rule_params["options"][-1]["key"])
    entry_record(actor=province.officer, entry=choice, value=key)
    entry_record(actor=province.officer, entry=ratio, value="3", value2="4")
    entry_record(actor=province.officer, entry=na, value="NA")
    html = login(province.officer).get(_url("assessments:table", assessment)).content.decode()

    section = _section(html, boolean)
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y</textarea>" in section and "<b>x" not in section
    assert f'id="v-{boolean.pk}-no" value="no" checked' in section
    assert f'id="v-{boolean.pk}-yes" value="yes">' in section
    assert "Đã lưu lúc 09:30 ngày 20/10/2026" in section
    assert province.officer.display_name in section
    assert 'data-version="1"' in section
    n = len(choice.node.rule_params["options"])
    assert f'id="v-{choice.pk}-{n}" value="{key}" checked' in _section(html, choice)
    section = _section(html, ratio)
    assert f'id="v-{ratio.pk}" value="3"' in section and f'id="v2-{ratio.pk}" value="4"' in section
    assert "<strong data-score>0,75</strong>" in section
    section = _section(html, na)
    assert f'id="na-{na.pk}" data-na checked' in section
    assert "<strong data-score>Không áp dụng</strong>" in section


def test_an_appraiser_reads_the_leaves_without_inputs_or_drop_zones(login, province, assessment):
    # appraisers read an assessment once the unit has sent it (issue 6, §3)
    type(assessment).objects.filter(pk=assessment.pk).update(status="submitted")
    html = login(province.appraiser).get(_url("assessments:table", assessment)).content.decode()
    entry = _entry(assessment, "1.2")
    section = _section(html, entry)
    assert "<fieldset disabled" in section
    assert reverse("evidence:upload", args=[entry.pk]) not in section


def test_a_leaf_with_files_shows_the_evidence_partial_as_its_own_view_does(
    login, province, assessment, media
):
    entry = _entry(assessment, "1.2")
    evidence_upload(
        actor=province.officer, entry=load_entry(entry), upload=upload("kh.pdf", pdfs.make_pdf())
    )
    client = login(province.officer)
    html = client.get(_url("assessments:table", assessment)).content.decode()
    partial = client.get(reverse("evidence:list", args=[entry.pk])).content.decode()

    def words(text: str) -> list[str]:
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
        return re.sub(r"<[^>]+>", " ", text).split()

    section = _section(html, entry)
    start = section.index(f'<div id="evidence-list-{entry.pk}"')
    assert "kh.pdf" in section
    assert (
        words(partial) == words(section[start : start + len(partial) + 200])[: len(words(partial))]
    )
