"""/tham-dinh/…: the appraisal's pages; each part of the flow has its own URL module."""

from parindex.appraisal import urls_appraiser, urls_consolidation, urls_organizer, urls_unit

app_name = "appraisal"
urlpatterns = [
    *urls_organizer.urlpatterns,
    *urls_appraiser.urlpatterns,
    *urls_unit.urlpatterns,
    *urls_consolidation.urlpatterns,
]
