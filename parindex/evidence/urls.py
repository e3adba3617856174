from django.urls import path

from parindex.evidence import views

app_name = "evidence"

urlpatterns = [
    path("muc/<int:entry_id>/", views.entry_page, name="entry"),
    path("muc/<int:entry_id>/danh-sach/", views.file_list, name="list"),
    path("muc/<int:entry_id>/tai-len/", views.upload, name="upload"),
    path("<int:pk>/tai-ve/", views.download, name="download"),
    path("<int:pk>/xem/", views.preview, name="preview"),
    path("<int:pk>/xoa/", views.remove, name="remove"),
]
