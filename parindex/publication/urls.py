from django.urls import path

from parindex.publication import views

app_name = "publication"

urlpatterns = [
    path("dot/<int:period_pk>/", views.publish, name="publish"),
]
