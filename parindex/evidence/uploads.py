"""An upload handler that stops keeping a file's bytes once it passes MAX_UPLOAD_MB.

Installed first by the upload view, it counts each file's bytes; past the limit it swallows the
rest (nothing more is written to memory or the temporary file) and hands the view a small
``TooLargeUpload`` carrying the name and the real size, which the service refuses with a clear
message. Files within the limit go on to Django's usual handlers untouched.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class TooLargeUpload(UploadedFile):
    too_large = True

    def __init__(self, name: str, size: int, content_type: str | None) -> None:
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size)


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.seen = 0
        self.too_large = False

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.seen = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.seen += len(raw_data)
        if self.seen > self.limit:
            self.too_large = True
            return None  # the handlers after this one get nothing more of this file
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.too_large:
            return TooLargeUpload(self.file_name or "", self.seen, self.content_type)
        return None
