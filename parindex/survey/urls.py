"""/dieu-tra/…: the survey's signed-in pages; each part has its own URL module. The public
pages (a respondent's link, the public link/QR) are ``urls_public`` under /khao-sat/."""

from parindex.survey import (
    urls_design,
    urls_enumerator,
    urls_lists,
    urls_points,
    urls_progress,
)

app_name = "survey"
urlpatterns = [
    *urls_design.urlpatterns,
    *urls_lists.urlpatterns,
    *urls_enumerator.urlpatterns,
    *urls_progress.urlpatterns,
    *urls_points.urlpatterns,
]
