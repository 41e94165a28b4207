"""Fetch an article over http(s) with a timeout, a size cap, a redirect cap and a type check."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from email.message import Message

from store.errors import ImportFailed

TIMEOUT_SECONDS = 15.0
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


def fetch_url(url: str, limit: int) -> tuple[bytes, str, str | None, str]:
    """(body, content type, charset, final URL) of a page, or ImportFailed with the reason."""
    check_scheme(url)
    opener = urllib.request.build_opener(_LimitedRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            headers: Message = response.headers
            content_type = headers.get_content_type()
            if content_type not in ACCEPTED_TYPES:
                raise ImportFailed(f"content type {content_type} is not an article page")
            length = headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise ImportFailed(f"page is {int(length):,} bytes, over the {limit:,}-byte limit")
            body = response.read(limit + 1)
            if len(body) > limit:
                raise ImportFailed(f"page is over the {limit:,}-byte limit")
            return body, content_type, headers.get_content_charset(), response.geturl()
    except urllib.error.HTTPError as exc:
        if exc.code in (301, 302, 303, 307, 308):
            raise ImportFailed(f"too many redirects (more than {MAX_REDIRECTS})") from None
        raise ImportFailed(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ImportFailed):
            raise reason from None
        raise ImportFailed(f"cannot fetch: {reason}") from None
    except TimeoutError:
        raise ImportFailed(f"timed out after {TIMEOUT_SECONDS:.0f} s") from None
    except (OSError, ValueError) as exc:
        raise ImportFailed(f"cannot fetch: {exc}") from None
