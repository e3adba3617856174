"""Filled by its part of the survey."""

urlpatterns: list = []
