from django.urls import path

from parindex.assessments import views

app_name = "assessments"

urlpatterns = [
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/gia-han/", views.assessment_extend, name="extend"),
    path("<int:pk>/chuyen-trang-thai/", views.assessment_transition, name="transition"),
]
