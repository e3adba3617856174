from django.urls import path

from parindex.assessments.views import periods as views

# Mounted with the notify pages under the namespace "periods" by parindex/urls.py.
urlpatterns = [
    path("", views.period_list, name="list"),
    path("tao-moi/", views.period_create, name="create"),
    path("<int:pk>/", views.period_detail, name="detail"),
    path("<int:pk>/lich/", views.period_calendar_edit, name="calendar-edit"),
    path("<int:pk>/them-don-vi/", views.period_add_units, name="add-units"),
    path("<int:pk>/rut-don-vi/<int:assessment_pk>/", views.period_remove_unit, name="remove-unit"),
    path("<int:pk>/dong/", views.period_close, name="close"),
    path("<int:pk>/tien-do/", views.period_progress, name="progress"),
    path(
        "<int:pk>/tien-do/<int:assessment_pk>/gia-han/",
        views.period_progress_extend,
        name="progress-extend",
    ),
    path("<int:pk>/phan-cong/", views.period_contributors, name="contributors"),
    path(
        "<int:pk>/tien-do/<int:assessment_pk>/mo-lai/",
        views.period_progress_reopen,
        name="progress-reopen",
    ),
]
