"""Fetch an article over http(s): one deadline, a size cap, a redirect cap, a type check.

The deadline covers the whole fetch (connect, headers, body): a server
that sends a byte every few seconds never trips a per-read timeout, so the
fetch runs in a thread that is given up on at the deadline. Compressed
bodies (gzip, deflate) are decoded with the size cap applied to what they
decode to, so a small "zip bomb" cannot fill memory.
"""

from __future__ import annotations

import http.client
import os
import threading
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from typing import TypeVar

from store.errors import ImportFailed

T = TypeVar("T")
TIMEOUT_SECONDS = 15.0  # for any one read
DEADLINE_SECONDS = 30.0  # for the whole fetch of one URL
DEADLINE_ENV = "TREATY_TUI_URL_SECONDS"
READ_CHUNK = 65536
URL_SAFE = ":/?#[]@!$&'()*+,;=%~"  # what a URL may hold as it is; the rest is %-encoded
MAX_REDIRECTS = 5
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")
USER_AGENT = "treaty-tui/0.1 (+article import)"


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow at most MAX_REDIRECTS redirects, and only to http(s)."""

    max_redirections = MAX_REDIRECTS
    max_repeats = 1

    def http_error_302(self, req, fp, code, msg, headers):
        target = headers.get("Location") or headers.get("URI") or ""
        scheme = urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, target)).scheme
        if scheme.lower() not in ("http", "https"):
            raise ImportFailed(f"redirect to a {scheme}: URL refused")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def check_scheme(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise ImportFailed(f"only http and https URLs are accepted, not {parts.scheme}:")
    if not parts.hostname:
        raise ImportFailed("URL has no host")


def deadline_seconds() -> float:
    """The whole-fetch deadline: $TREATY_TUI_URL_SECONDS, else DEADLINE_SECONDS."""
    try:
        return max(0.1, float(os.environ.get(DEADLINE_ENV, DEADLINE_SECONDS)))
    except ValueError:
        return DEADLINE_SECONDS


FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
    "application/json",
    *ACCEPTED_TYPES,  # some servers send feeds as text/html or text/plain
)


@dataclass(frozen=True)
class Fetched:
    """A page or feed as the server sent it, with what a conditional request needs later."""

    body: bytes
    content_type: str
    charset: str | None
    url: str
    etag: str = ""
    modified: str = ""
    not_modified: bool = False  # 304: nothing new since `etag` / `modified`


def fetch_url(url: str, limit: int) -> tuple[bytes, str, str | None, str]:
    """(body, content type, charset, final URL) of a page, or ImportFailed with the reason."""
    got = fetch(url, limit)
    return got.body, got.content_type, got.charset, got.url


def fetch(
    url: str,
    limit: int,
    accepted: tuple[str, ...] = ACCEPTED_TYPES,
    etag: str = "",
    modified: str = "",
) -> Fetched:
    """Fetch within the deadline; with `etag`/`modified`, a conditional request that may
    come back `not_modified` (HTTP 304) at the cost of one request and no body."""
    check_scheme(url)
    url = urllib.parse.quote(url, safe=URL_SAFE)  # a space typed in a URL is %20, not an error
    seconds = deadline_seconds()
    return within(seconds, lambda: _fetch(url, limit, seconds, accepted, etag, modified))


def within(seconds: float, work: Callable[[], T]) -> T:
    """`work()`'s result, or ImportFailed once `seconds` have passed (the thread is left)."""
    box: list = []

    def run() -> None:
        try:
            box.append((True, work()))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box.append((False, exc))

    thread = threading.Thread(target=run, daemon=True, name="fetch")
    thread.start()
    thread.join(seconds)
    if not box:
        raise ImportFailed(f"gave up after {seconds:g} s (the server is too slow)")
    ok, value = box[0]
    if not ok:
        raise value
    return value


def _read_body(response, limit: int, encoding: str) -> bytes:
    """The body, decompressed where it was sent compressed; ImportFailed past `limit` bytes."""
    if encoding in ("", "identity"):
        body = response.read(limit + 1)
        if len(body) > limit:
            raise ImportFailed(f"page is over the {limit:,}-byte limit")
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise ImportFailed(f"the page is sent in an encoding treaty-tui cannot read ({encoding})")
    # 47: gzip or zlib header, detected; a bare deflate stream is retried below
    inflater = zlib.decompressobj(47 if encoding != "deflate" else 15)
    out = bytearray()
    raw_deflate = False
    while chunk := response.read(READ_CHUNK):
        try:
            out += inflater.decompress(chunk, limit + 1 - len(out))
        except zlib.error:
            if encoding == "deflate" and not out and not raw_deflate:
                raw_deflate, inflater = True, zlib.decompressobj(-15)
                out += inflater.decompress(chunk, limit + 1)
            else:
                raise ImportFailed(f"the {encoding} body is damaged") from None
        if len(out) > limit or inflater.unconsumed_tail:
            raise ImportFailed(f"page is over the {limit:,}-byte limit once decompressed")
    return bytes(out)


def _fetch(
    url: str, limit: int, seconds: float, accepted: tuple[str, ...], etag: str, modified: str
) -> Fetched:
    opener = urllib.request.build_opener(_LimitedRedirects())
    asked = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        asked["If-None-Match"] = etag
    if modified:
        asked["If-Modified-Since"] = modified
    request = urllib.request.Request(url, headers=asked)
    try:
        with opener.open(request, timeout=min(TIMEOUT_SECONDS, seconds)) as response:
            headers: Message = response.headers
            content_type = headers.get_content_type()
            if content_type not in accepted:
                what = "an article page" if accepted is ACCEPTED_TYPES else "a feed"
                raise ImportFailed(f"content type {content_type} is not {what}")
            length = headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise ImportFailed(f"page is {int(length):,} bytes, over the {limit:,}-byte limit")
            encoding = (headers.get("Content-Encoding") or "").strip().lower()
            body = _read_body(response, limit, encoding)
            return Fetched(
                body,
                content_type,
                headers.get_content_charset(),
                response.geturl(),
                headers.get("ETag") or "",
                headers.get("Last-Modified") or "",
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304 and (etag or modified):
            return Fetched(b"", "", None, url, etag, modified, not_modified=True)
        if exc.code in (301, 302, 303, 307, 308):
            raise ImportFailed(f"too many redirects (more than {MAX_REDIRECTS})") from None
        raise ImportFailed(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ImportFailed):
            raise reason from None
        raise ImportFailed(f"cannot fetch: {reason}") from None
    except TimeoutError:
        quiet = min(TIMEOUT_SECONDS, seconds)
        raise ImportFailed(f"timed out: no answer for {quiet:g} s") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise ImportFailed(f"cannot fetch: {exc.__class__.__name__}: {exc}") from None
