"""Following a story as it develops: RSS and Atom feeds whose new entries are imported.

`refresh` asks each feed with the ETag / Last-Modified of its last answer, so a
feed with nothing new costs one request and no body. Each new entry's address
goes through the same URL import as `add` (same limits, same deadline). A feed
that fails says why in one line; the others go on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Literal

from store.errors import ImportFailed
from store.ingest.fetch import FEED_TYPES, Fetched, fetch
from store.models import Feed

MAX_FEED_BYTES = 5 * 1024 * 1024
SEEN_KEPT = 5000  # entry addresses remembered per feed
FeedStatus = Literal["new", "unchanged", "failed"]


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str


@dataclass(frozen=True)
class FeedCheck:
    """One feed asked for news: its new entries (oldest first), or why it failed."""

    feed: Feed
    status: FeedStatus
    entries: tuple[FeedEntry, ...] = ()
    reason: str = ""
    number: int = 0  # this is the number-th feed checked, of `of`
    of: int = 0


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def read_feed(feed: Feed, conditional: bool = True) -> tuple[Fetched, str, list[FeedEntry]]:
    """Fetch and parse a feed: (the answer, the feed's title, its entries oldest first).

    ImportFailed with a one-line reason when it cannot be fetched or is not a feed.
    """
    etag, modified = (feed.etag, feed.modified) if conditional else ("", "")
    got = fetch(feed.url, MAX_FEED_BYTES, FEED_TYPES, etag, modified)
    if got.not_modified:
        return got, feed.title, []
    import feedparser  # loaded only when a feed is read

    parsed = feedparser.parse(got.body, response_headers={"content-location": got.url})
    entries = []
    for entry in parsed.entries:
        link = str(entry.get("link") or "")
        if link.startswith(("http://", "https://")):
            entries.append(FeedEntry(link, str(entry.get("title") or "")))
    problem = parsed.get("bozo_exception")
    benign = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
    broken = parsed.get("bozo") and not isinstance(problem, benign)
    if not entries and (broken or not parsed.get("version")):
        why = f" ({str(problem).splitlines()[0]})" if problem else ""
        raise ImportFailed(f"not an RSS or Atom feed{why}")
    entries.reverse()  # feeds list the newest first; import in the order they appeared
    return got, str(parsed.feed.get("title") or ""), entries


def check(feed: Feed) -> tuple[FeedCheck, Feed]:
    """Ask one feed for news: what is new, and the feed's row as it should now be stored."""
    try:
        got, title, entries = read_feed(feed)
    except ImportFailed as exc:
        return FeedCheck(feed, "failed", reason=str(exc)), replace(feed, checked=now())
    if got.not_modified:
        return FeedCheck(feed, "unchanged"), replace(feed, checked=now())
    seen = set(feed.seen)
    new = tuple(e for e in dict.fromkeys(entries) if e.url not in seen)
    updated = replace(
        feed,
        etag=got.etag,
        modified=got.modified,
        seen=(*feed.seen, *(e.url for e in new))[-SEEN_KEPT:],
        checked=now(),
        title=title or feed.title,
    )
    return FeedCheck(feed, "new" if new else "unchanged", new), updated
