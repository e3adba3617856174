"""URLs of the survey's progress and fraud checks (see views/progress.py, views/review.py)."""

from django.urls import path

from parindex.survey.views import progress, review

urlpatterns: list = [
    path("<int:survey_pk>/tien-do/", progress.progress_organizer, name="progress_organizer"),
    path("<int:survey_pk>/tien-do.xlsx", progress.progress_export, name="progress_export"),
    path(
        "<int:survey_pk>/don-vi/<int:unit_pk>/tien-do/",
        progress.progress_unit,
        name="progress_unit",
    ),
    path("<int:survey_pk>/bat-thuong/", review.review_thresholds, name="review_thresholds"),
    path("<int:survey_pk>/bat-thuong/quet-lai/", review.review_rescan, name="review_rescan"),
    path("<int:survey_pk>/xem-xet/", review.review_queue, name="review_queue"),
    path(
        "<int:survey_pk>/xem-xet/<int:response_pk>/",
        review.review_decide,
        name="review_decide",
    ),
    path("<int:survey_pk>/xem-xet/hang-loat/", review.review_bulk, name="review_bulk"),
    path("<int:survey_pk>/huy-ket-qua/", review.review_unit_void, name="review_unit_void"),
    path(
        "<int:survey_pk>/huy-ket-qua/<int:unit_pk>/khoi-phuc/",
        review.review_unit_unvoid,
        name="review_unit_unvoid",
    ),
]
