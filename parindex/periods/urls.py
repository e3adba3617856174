from django.urls import path

from parindex.periods import views

app_name = "periods"

urlpatterns = [
    path("", views.period_list, name="list"),
    path("tao-moi/", views.period_create, name="create"),
    path("<int:pk>/", views.period_detail, name="detail"),
    path("<int:pk>/lich/", views.period_calendar_edit, name="calendar-edit"),
    path("<int:pk>/them-don-vi/", views.period_add_units, name="add-units"),
    path("<int:pk>/rut-don-vi/<int:assessment_pk>/", views.period_remove_unit, name="remove-unit"),
    path("<int:pk>/dong/", views.period_close, name="close"),
]
