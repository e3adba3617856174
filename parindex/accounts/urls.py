from django.contrib.auth import views as auth_views
from django.urls import path

from parindex.accounts import views
from parindex.accounts.middleware import two_factor_exempt

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    # Django's LogoutView answers POST only (GET -> 405).
    path("dang-xuat/", two_factor_exempt(auth_views.LogoutView.as_view()), name="logout"),
    path("doi-mat-khau/", views.password_change, name="password-change"),
    path("quen-mat-khau/", views.password_forgot, name="password-forgot"),
    path("quen-mat-khau/da-gui/", views.password_forgot_sent, name="password-forgot-sent"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("dat-lai-mat-khau/xong/", views.password_reset_done, name="password-reset-done"),
    path("cua-toi/", views.account, name="account"),
    path("xac-thuc-hai-buoc/", views.two_factor_verify, name="two-factor-verify"),
    path("xac-thuc-hai-buoc/dang-ky/", views.two_factor_enrol, name="two-factor-enrol"),
    path("xac-thuc-hai-buoc/tat/", views.two_factor_disable, name="two-factor-disable"),
    path(
        "xac-thuc-hai-buoc/ma-du-phong/",
        views.backup_codes_regenerate,
        name="two-factor-backup-codes",
    ),
    path("phien/<int:pk>/dang-xuat/", views.session_end, name="session-end"),
    path("phien/dang-xuat-phien-khac/", views.sessions_end_others, name="sessions-end-others"),
    path("don-vi/", views.unit_list, name="unit-list"),
    path("don-vi/them/", views.unit_create, name="unit-create"),
    path("don-vi/<int:pk>/sua/", views.unit_edit, name="unit-edit"),
    path("don-vi/<int:pk>/ngung/", views.unit_deactivate, name="unit-deactivate"),
    path("don-vi/<int:pk>/kich-hoat/", views.unit_activate, name="unit-activate"),
    path("don-vi/<int:pk>/xoa/", views.unit_delete, name="unit-delete"),
    path("khoi/", views.block_list, name="block-list"),
    path("khoi/<int:pk>/sua/", views.block_edit, name="block-edit"),
    path("nguoi-dung/", views.user_list, name="user-list"),
    path("nguoi-dung/them/", views.user_create, name="user-create"),
    path("nguoi-dung/<int:pk>/", views.user_edit, name="user-edit"),
    path("nguoi-dung/<int:pk>/cap-vai-tro/", views.user_grant, name="user-grant"),
    path(
        "nguoi-dung/<int:pk>/dat-lai-mat-khau/",
        views.user_password_reset,
        name="user-password-reset",
    ),
    path(
        "nguoi-dung/<int:pk>/dat-lai-xac-thuc-hai-buoc/",
        views.user_two_factor_reset,
        name="user-two-factor-reset",
    ),
    path("vai-tro/<int:pk>/thu-hoi/", views.membership_revoke, name="membership-revoke"),
    path("nhap-excel/", views.import_page, name="import"),
    path("nhap-excel/xac-nhan/", views.import_confirm, name="import-confirm"),
    path("nhap-excel/mau.xlsx", views.import_template, name="import-template"),
]
