"""Writes of the publication: ``period_publish`` (the organizer publishes an approved
period) and ``publication_new_version`` (a corrected version with a change note)."""

from parindex.publication.services.publish import (
    period_publish,
    publication_content,
    publication_new_version,
)

__all__ = ["period_publish", "publication_content", "publication_new_version"]
