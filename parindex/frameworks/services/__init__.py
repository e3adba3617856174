"""Writes on frameworks and their nodes. Atomic, audited, take the acting user.

The stored tree is always valid: every change is applied inside a transaction, then the whole
framework is re-validated by the engine; if it would be invalid the change is refused with a
``DomainError`` listing every problem, and nothing is saved.

Decisions:
- One framework per owner/block/year may be ACTIVE; activating one archives the one that was
  active. New imports and copies are DRAFT.
- A framework may be edited while it is not archived and no assessment uses it (once units
  have started their self-assessment on it, it is locked: copy it to a new version instead).
- An inner node's declared max follows its children: when a leaf's max changes, a node is
  added, removed, the declared max of every ancestor that declares one is updated to the new
  sum (recorded in the audit row). Adding a child to a leaf makes the leaf an inner node (its
  rule, max, source and "không áp dụng" flag are dropped)."""

from parindex.frameworks.services.nodes import node_add, node_delete, node_move, node_update
from parindex.frameworks.services.tree import (
    EDITABLE_NODE_FIELDS,
    FRAMEWORK_FIELDS,
    LEAF_ONLY_FIELDS,
    NODE_FIELDS,
    ProblemText,
    edit_problem_text,
    ensure_editable,
)
from parindex.frameworks.services.versions import (
    framework_activate,
    framework_archive,
    framework_copy,
    framework_import,
    framework_update,
)

__all__ = [
    "EDITABLE_NODE_FIELDS",
    "FRAMEWORK_FIELDS",
    "LEAF_ONLY_FIELDS",
    "NODE_FIELDS",
    "ProblemText",
    "edit_problem_text",
    "ensure_editable",
    "framework_activate",
    "framework_archive",
    "framework_copy",
    "framework_import",
    "framework_update",
    "node_add",
    "node_delete",
    "node_move",
    "node_update",
]
