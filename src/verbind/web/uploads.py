"""A limit on the size of any request with files, checked before its body is read.

Django keeps non-file fields under DATA_UPLOAD_MAX_MEMORY_SIZE, but streams files of any
size to a temporary file. This handler, first in FILE_UPLOAD_HANDLERS, refuses a
multipart request whose announced length is above MAX_UPLOAD_REQUEST_BYTES before a byte
of it is read: the person gets the 400 page. The photo form itself checks the same way,
earlier, so there the person gets a clear message on the page instead.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class RequestSizeLimitUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.MAX_UPLOAD_REQUEST_BYTES:
            raise RequestDataTooBig(
                f"Upload of {content_length} bytes is above MAX_UPLOAD_REQUEST_BYTES."
            )
        return None

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
