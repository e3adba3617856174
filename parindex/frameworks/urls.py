from django.urls import path

from parindex.frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="list"),
]
