"""Evidence in the S3 bucket: a real PDF uploaded through the unit's page is stored under a
random name as a private object (the endpoint refuses a request without the key), the app
streams it to the unit (download as attachment, inline preview) and to nobody outside, a lost
object is a 404, and removing the evidence deletes the object."""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError
from django.test import Client
from django.urls import reverse

from parindex.evidence.models import EvidenceFile
from tests.evidence.conftest import upload

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]
JSON = {"HTTP_ACCEPT": "application/json"}
NAME = "Kế hoạch CCHC năm 2026 (đã ký).pdf"


def _upload(client, entry, data: bytes) -> EvidenceFile:
    response = client.post(
        reverse("evidence:upload", args=[entry.pk]), {"files": [upload(NAME, data)]}, **JSON
    )
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert result["ok"] is True, result["message"]
    return EvidenceFile.objects.get(entry=entry)


def _anonymous_get(key: str) -> int:
    url = f"{os.environ['S3_ENDPOINT_URL']}/{os.environ['S3_BUCKET']}/{key}"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our endpoint
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_an_uploaded_pdf_is_a_private_object_under_a_random_name_served_by_the_app(
    ev, login, signed_pdf, s3, bucket_keys
):
    client = login(ev.officer)
    evidence = _upload(client, ev.entry, signed_pdf)
    prefix = f"evidence/{ev.assessment.pk}/"
    assert re.fullmatch(re.escape(prefix) + r"[0-9a-f]{32}\.pdf", evidence.storage_name)
    assert bucket_keys(prefix) == {evidence.storage_name}  # nothing named after the user's file
    stored = s3.get_object(Bucket=os.environ["S3_BUCKET"], Key=evidence.storage_name)
    assert stored["Body"].read() == signed_pdf
    assert evidence.signature_status == "signed_intact"

    # the bucket gives nothing without the key, neither the object nor the listing
    assert _anonymous_get(evidence.storage_name) == 403
    assert _anonymous_get("") == 403

    download = client.get(reverse("evidence:download", args=[evidence.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="Ke hoach CCHC')
    assert download["Cache-Control"] == "private, no-cache"
    assert b"".join(download.streaming_content) == signed_pdf
    preview = client.get(reverse("evidence:preview", args=[evidence.pk]))
    assert preview.status_code == 200
    assert preview["Content-Disposition"].startswith("inline; ")
    assert preview["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(preview.streaming_content) == signed_pdf

    # the unit's leader reads it too; another unit's officer and the anonymous do not
    leader = Client()
    leader.force_login(ev.leader)
    assert leader.get(reverse("evidence:download", args=[evidence.pk])).status_code == 200
    outsider = Client()
    outsider.force_login(ev.outsider)
    for view in ("evidence:download", "evidence:preview"):
        assert outsider.get(reverse(view, args=[evidence.pk])).status_code == 404
        anonymous = Client().get(reverse(view, args=[evidence.pk]))
        assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous["Location"]


def test_removing_the_evidence_deletes_its_object(ev, login, s3, bucket_keys):
    from tests.evidence import pdfs

    client = login(ev.officer)
    evidence = _upload(client, ev.entry, pdfs.make_pdf("Bao cao quy 3"))
    prefix = f"evidence/{ev.assessment.pk}/"
    assert bucket_keys(prefix) == {evidence.storage_name}
    response = client.post(
        reverse("evidence:remove", args=[evidence.pk]), {"reason": "Nhầm tệp"}, **JSON
    )
    assert response.json()["ok"] is True
    assert not EvidenceFile.objects.filter(pk=evidence.pk).exists()
    assert bucket_keys(prefix) == set()
    with pytest.raises(ClientError) as gone:
        s3.head_object(Bucket=os.environ["S3_BUCKET"], Key=evidence.storage_name)
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_an_object_lost_from_the_bucket_is_a_404_not_an_error(ev, login, s3):
    from tests.evidence import pdfs

    client = login(ev.officer)
    evidence = _upload(client, ev.entry, pdfs.make_pdf("Bao cao mat"))
    s3.delete_object(Bucket=os.environ["S3_BUCKET"], Key=evidence.storage_name)
    assert client.get(reverse("evidence:download", args=[evidence.pk])).status_code == 404
