"""The survey's write services (each atomic, taking the acting user; audited where a person
acts: design, lists, invitations, review, voids)."""
