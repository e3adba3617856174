from django.urls import path

from parindex.ops import views

app_name = "ops"

urlpatterns = [
    path("tac-vu-nen/", views.worker, name="worker"),
]
