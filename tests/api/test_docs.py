"""The OpenAPI document and the interactive docs, which work offline (no external URL)."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders


def test_the_openapi_document_lists_every_operation_with_bearer_auth(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "parindex API"
    assert "/api/v1/assessments/{assessment_id}/entries/{entry_id}/" in schema["paths"]
    scheme = schema["components"]["securitySchemes"]["TokenAuth"]
    assert scheme == {"type": "http", "scheme": "bearer"}
    public = schema["paths"]["/api/v1/public/results/"]["get"]
    assert "security" not in public


def test_the_docs_page_loads_only_local_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.I), html
    assert '"validatorUrl": null' in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    for src in sources:
        assert finders.find(src.removeprefix("/static/")), src
