"""URLs of the appraisal: appraiser pages (see views/appraiser.py)."""

urlpatterns: list = []
