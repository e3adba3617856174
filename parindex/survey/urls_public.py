"""/khao-sat/…: the pages without login — a respondent's invitation link (``urls_respond``)
and a unit's public link and QR code (``urls_qr``)."""

from parindex.survey import urls_qr, urls_respond

urlpatterns = [*urls_respond.urlpatterns, *urls_qr.urlpatterns]
