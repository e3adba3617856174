"""The public results pages' cache in Redis, shared by every app server: a page is written
there on the first request and served from there after, and a new version of the results
deletes it from Redis on commit, so no server shows the old figures."""

from __future__ import annotations

import pickle

import pytest

from parindex.assessments import scoring
from parindex.assessments.models import Assessment, Entry
from parindex.publication.services import publication_new_version
from tests.publication.conftest import ranking_url

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]


def _pages(redis_client) -> list[bytes]:
    return sorted(redis_client.scan_iter(match=":1:pub:page:*"))


def test_the_public_ranking_is_cached_in_redis_and_a_new_version_clears_it(
    published, client, redis_client
):
    ns = published
    url = ranking_url(ns)
    assert _pages(redis_client) == []
    first = client.get(url)
    assert first.status_code == 200 and "Phiên bản 1" in first.content.decode()
    (key,) = _pages(redis_client)
    assert pickle.loads(redis_client.get(key)) == first.content  # noqa: S301 - our own cache
    assert 0 < redis_client.ttl(key) <= 24 * 3600
    assert key.decode().removeprefix(":1:") in pickle.loads(redis_client.get(":1:pub:keys"))  # noqa: S301

    # what another server wrote there is what this one serves
    redis_client.set(
        key, pickle.dumps(first.content.replace(b"Phi\xc3\xaan b\xe1\xba\xa3n 1", b"[tu-redis]"))
    )
    assert "[tu-redis]" in client.get(url).content.decode()

    entry = Entry.objects.select_related("node").get(assessment=ns.stp, node__code="1.6")
    Entry.objects.filter(pk=entry.pk).update(round2_score=entry.node.max)
    group = list(Assessment.objects.filter(period=ns.period).select_related("unit", "framework"))
    publication_new_version(
        actor=ns.province.admin,
        period=ns.period,
        results={"so": scoring.results_document(group)},
        note="Sửa tiêu chí 1.6 của Sở Tư pháp",
    )  # committed (a transactional test): the cache is cleared on commit
    assert redis_client.get(key) is None and redis_client.get(":1:pub:keys") is None
    html = client.get(url).content.decode()
    assert "Phiên bản 2" in html and "[tu-redis]" not in html
    (new_key,) = _pages(redis_client)
    assert new_key != key  # keyed by the newest publication


def test_cache_clear_leaves_the_queue(redis_client, queue_client, db):
    """The queue lives in its own Redis database: emptying the cache (cache.clear() from a
    shell, a deploy script) never drops a waiting task."""
    from django.core.cache import cache
    from rq import Queue

    from parindex.notify.tasks import send_submitted_notice

    queue = Queue("default", connection=queue_client)
    send_submitted_notice.enqueue(987654)  # no such assessment: the task would do nothing
    cache.set("pub:probe", b"x", 60)
    assert queue.count == 1 and redis_client.exists(":1:pub:probe")
    cache.clear()
    assert queue.count == 1 and not redis_client.exists(":1:pub:probe")
    queue.empty()
