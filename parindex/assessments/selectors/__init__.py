"""Reads on assessments, with a fixed number of queries (never one per entry)."""

from parindex.assessments.selectors.detail import Row, assessment_detail, assessment_rows
from parindex.assessments.selectors.evidence import evidence_for_assessment, evidence_for_entry
from parindex.assessments.selectors.workspace import (
    NA,
    NUMBER_LABELS,
    WORD_RULES,
    ZERO,
    Domain,
    Heading,
    Leaf,
    days_left,
    entry_history,
    entry_scores,
    is_province_self,
    leaf_view,
    table_panes,
    workspace,
    workspace_list,
)

__all__ = [
    "Domain",
    "Heading",
    "Leaf",
    "NA",
    "NUMBER_LABELS",
    "Row",
    "WORD_RULES",
    "ZERO",
    "assessment_detail",
    "assessment_rows",
    "days_left",
    "entry_history",
    "entry_scores",
    "evidence_for_assessment",
    "evidence_for_entry",
    "is_province_self",
    "leaf_view",
    "table_panes",
    "workspace",
    "workspace_list",
]
