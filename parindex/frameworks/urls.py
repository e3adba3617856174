from django.urls import path

from parindex.frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("nhap/", views.framework_import, name="import"),
    path("nhap/mau-bo-tieu-chi.xlsx", views.import_template, name="import-template"),
    path("nhap/so-demo.yaml", views.import_example, name="import-example"),
    path("so-sanh/", views.framework_diff_view, name="diff"),
    path("<int:pk>/", views.framework_detail, name="detail"),
    path("<int:pk>/tai-ve/<str:fmt>/", views.framework_export, name="export"),
    path("<int:pk>/sao-chep/", views.framework_copy, name="copy"),
    path("<int:pk>/sua/", views.framework_edit, name="edit"),
    path("<int:pk>/trang-thai/<str:action>/", views.framework_status, name="status"),
    path("<int:pk>/tieu-chi/them/", views.node_add, name="node-add"),
    path("<int:pk>/tieu-chi/<int:node_pk>/sua/", views.node_edit, name="node-edit"),
    path("<int:pk>/tieu-chi/<int:node_pk>/xoa/", views.node_delete, name="node-delete"),
    path(
        "<int:pk>/tieu-chi/<int:node_pk>/di-chuyen/<str:direction>/",
        views.node_move,
        name="node-move",
    ),
]
