"""The size guard stops keeping a file's bytes past the limit."""

from __future__ import annotations

from parindex.evidence.uploads import SizeLimitUploadHandler, TooLargeUpload


def _feed(handler, chunks):
    handler.new_file("files", "a.pdf", "application/pdf", None)
    passed = [handler.receive_data_chunk(c, 0) for c in chunks]
    return passed, handler.file_complete(sum(len(c) for c in chunks))


def test_a_file_within_the_limit_passes_through():
    passed, done = _feed(SizeLimitUploadHandler(limit=10), [b"12345", b"6789"])
    assert passed == [b"12345", b"6789"]
    assert done is None  # the next handler builds the file


def test_past_the_limit_the_bytes_are_dropped_and_the_size_is_kept():
    handler = SizeLimitUploadHandler(limit=10)
    passed, done = _feed(handler, [b"12345", b"678901", b"x" * 100])
    assert passed == [b"12345", None, None]
    assert isinstance(done, TooLargeUpload)
    assert done.size == 111
    assert done.name == "a.pdf"
    assert done.too_large is True
    # the next file starts afresh
    passed, done = _feed(handler, [b"123"])
    assert passed == [b"123"] and done is None
