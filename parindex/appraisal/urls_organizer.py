"""URLs of the appraisal: organizer pages (see views/organizer.py)."""

urlpatterns: list = []
