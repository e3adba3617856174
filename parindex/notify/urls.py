"""Notice pages, mounted under the periods' URLs (namespace ``periods``) by parindex/urls.py."""

from django.urls import path

from parindex.notify import views

period_pages = [
    path("<int:pk>/tien-do/nhac-nho/", views.period_progress_remind, name="progress-remind"),
]
