from django.urls import path

from parindex.assessments.views import workspace as views

app_name = "assessments"

urlpatterns = [
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/gia-han/", views.assessment_extend, name="extend"),
    path("<int:pk>/chuyen-trang-thai/", views.assessment_transition, name="transition"),
    path("tu-danh-gia/", views.workspace_list, name="workspace-list"),
    path("<int:pk>/tu-danh-gia/", views.workspace, name="workspace"),
    path("<int:pk>/tu-danh-gia/bang-diem/", views.workspace_table, name="table"),
    path("<int:pk>/tu-danh-gia/gui/", views.workspace_send, name="send"),
    path("<int:pk>/muc/<int:entry_id>/luu/", views.entry_autosave, name="autosave"),
    path("<int:pk>/muc/<int:entry_id>/lich-su/", views.entry_history, name="entry-history"),
]
