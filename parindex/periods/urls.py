from django.urls import path

from parindex.periods import views

app_name = "periods"

urlpatterns = [
    path("", views.period_list, name="list"),
]
