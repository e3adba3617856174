"""URLs of the appraisal: consolidation pages (see views/consolidation.py)."""

urlpatterns: list = []
