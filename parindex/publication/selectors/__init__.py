"""Reads of the publication: the public site's (``public``) and the organizer's panel
(``panel``)."""
