"""URLs of the appraisal: unit pages (see views/unit.py)."""

urlpatterns: list = []
