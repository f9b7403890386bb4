"""Byte ranges for files Django serves itself: replay videos, caption tracks, and /media/ under DEBUG.

Django's FileResponse always answers a whole 200, so a browser cannot seek in a video it serves:
every chapter link and every `?t=` would start again at 0:00. This middleware answers a single
`Range: bytes=...` on any 200 FileResponse with `206 Partial Content` and the slice, an unsatisfiable
range with `416` and `Content-Range: bytes */size`, and says `Accept-Ranges: bytes` on every file.
Wagtail's document view (WAGTAILDOCS_SERVE_METHOD="serve_view", its privacy checks included) and
Django's static view both answer with a FileResponse, so both gain ranges, under runserver and gunicorn.

Several ranges in one request, or an `If-Range` that no longer matches, get the whole file, as
RFC 9110 allows: browsers ask media for one range at a time.
"""

import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def parse_range(header, size):
    """(first, last) byte of a single range, "unsatisfiable", or None to serve the whole file."""
    match = RANGE.match(header.strip())
    if match is None:
        return None  # malformed or several ranges: ignoring the header is allowed
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(size - length, 0), size - 1
    first = int(first)
    if last and int(last) < first:
        return None  # "bytes=9-3" is not a valid range: ignore it
    if first >= size:
        return "unsatisfiable"
    return first, min(int(last), size - 1) if last else size - 1


class RangeFileResponse(StreamingHttpResponse):
    """`length` bytes of an open file from `first`; closes the file when the server is done with it."""

    def __init__(self, file, first, length, **kwargs):
        super().__init__(self._read(file, first, length), status=206, **kwargs)
        self._file = file

    @staticmethod
    def _read(file, first, length):
        file.seek(first)
        while length > 0:
            chunk = file.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk

    def close(self):
        try:
            self._file.close()
        finally:
            super().close()


def _if_range_holds(request, response):
    """An `If-Range` validator must still describe the file, or the client gets the whole new one."""
    validator = request.headers.get("If-Range")
    if not validator:
        return True
    if validator.startswith(('"', "W/")):
        return not validator.startswith("W/") and validator == response.get("ETag")
    return validator == response.get("Last-Modified")


class ByteRangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not isinstance(response, FileResponse) or response.status_code != 200:
            return response
        try:
            size = int(response["Content-Length"])
        except (KeyError, ValueError):
            return response  # a file of unknown size cannot be sliced
        response["Accept-Ranges"] = "bytes"
        if response.get("Content-Encoding") == "None":
            del response["Content-Encoding"]  # Wagtail's sendfile writes Python's None for "no encoding"
        header = request.headers.get("Range")
        if not header or request.method not in ("GET", "HEAD") or not _if_range_holds(request, response):
            return response
        wanted = parse_range(header, size)
        if wanted is None:
            return response
        if wanted == "unsatisfiable":
            response.file_to_stream.close()
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            refused["Accept-Ranges"] = "bytes"
            return refused
        first, last = wanted
        partial = RangeFileResponse(response.file_to_stream, first, last - first + 1)
        for name, value in response.items():
            partial[name] = value
        partial.cookies = response.cookies
        partial["Content-Length"] = str(last - first + 1)
        partial["Content-Range"] = f"bytes {first}-{last}/{size}"
        return partial
