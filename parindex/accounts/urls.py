from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from parindex.accounts import views

app_name = "accounts"

urlpatterns = [
    path(
        "dang-nhap/",
        login_not_required(auth_views.LoginView.as_view(template_name="accounts/login.html")),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url="/"
        ),
        name="password-change",
    ),
    path("don-vi/", views.unit_list, name="unit-list"),
    path("nguoi-dung/", views.user_list, name="user-list"),
]
