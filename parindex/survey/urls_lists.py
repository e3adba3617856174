"""/dieu-tra/…: the respondent lists and the invitations (see views/lists.py)."""

from django.urls import path

from parindex.survey.views import lists as views

unit = "<int:survey_pk>/don-vi/<int:unit_pk>/danh-sach/"
org = "<int:survey_pk>/danh-sach/"

urlpatterns = [
    path(unit, views.lists_unit, name="lists_unit"),
    path(f"{unit}mau.xlsx", views.lists_unit_template, name="lists_unit_template"),
    path(f"{unit}tai-len/", views.lists_unit_import, name="lists_unit_import"),
    path(org, views.lists_organizer, name="lists_organizer"),
    path(f"{org}mau.xlsx", views.lists_template, name="lists_template"),
    path(f"{org}nhap/", views.lists_import, name="lists_import"),
    path(f"{org}them/", views.lists_add, name="lists_add"),
    path(f"{org}<int:respondent_pk>/bot/", views.lists_remove, name="lists_remove"),
    path(f"{org}<int:respondent_pk>/gui-lai/", views.lists_resend, name="lists_resend"),
    path(f"{org}khoa-tat-ca/", views.lists_lock_all, name="lists_lock_all"),
    path(f"{org}don-vi/<int:unit_pk>/khoa/", views.lists_lock, name="lists_lock"),
    path(f"{org}don-vi/<int:unit_pk>/mo-lai/", views.lists_unlock, name="lists_unlock"),
    path(f"{org}gui-thu-moi/", views.lists_invite, name="lists_invite"),
    path(f"{org}nhac/", views.lists_remind, name="lists_remind"),
    path(f"{org}noi-dung-thu/", views.lists_mail, name="lists_mail"),
    path(f"{org}noi-dung-thu/luu/", views.lists_mail_save, name="lists_mail_save"),
]
