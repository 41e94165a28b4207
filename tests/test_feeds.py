"""Following feeds: a real HTTP server on 127.0.0.1 serves RSS 2.0 and Atom feeds (one of
which grows between refreshes, one broken) and the article pages they point to."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from store import Library

TOPICS = {
    "dam": ("Dam gates opened", "The river authority opened the gates of the Carrow dam"),
    "rail": ("Rail line closed", "The regional rail line between Dunmore and Carrow closed"),
    "school": ("Schools shut", "Every school in the county stayed shut on Wednesday"),
    "ferry": ("Ferry halted", "The river ferry stopped running after the current grew strong"),
}


def page(slug: str) -> bytes:
    title, lede = TOPICS[slug]
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body><article>"
        f"<h1>{title}</h1><p>{lede} on Tuesday after two days of heavy rain, officials "
        "said.</p><p>Residents were told to keep away from the river banks while engineers "
        "checked the flood defences along the valley.</p><p>The county council said it would "
        "publish a full account of the damage by the end of the week.</p></article>"
        "</body></html>"
    ).encode()


def rss(base: str, slugs: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{TOPICS[s][0]}</title><link>{base}/news/{s}</link></item>"
        for s in reversed(slugs)  # newest first, as feeds list them
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Valley News</title>'
        f"<link>{base}/</link><description>news</description>{items}</channel></rss>"
    ).encode()


def atom(base: str, slugs: list[str]) -> bytes:
    entries = "".join(
        f'<entry><title>{TOPICS[s][0]}</title><link href="{base}/news/{s}"/>'
        f"<id>urn:{s}</id><updated>2024-04-0{n + 1}T10:00:00Z</updated></entry>"
        for n, s in enumerate(slugs)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>County Wire</title><id>urn:wire</id><updated>2024-04-05T10:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()


class FeedSite:
    """What the server holds, changeable between refreshes, and the requests it answered."""

    def __init__(self) -> None:
        self.rss = ["dam"]
        self.atom = ["rail"]
        self.requests: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.base = ""


@pytest.fixture
def site() -> Iterator[FeedSite]:
    state = FeedSite()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            state.requests[self.path] += 1
            if self.path == "/valley.rss":
                body, kind = rss(state.base, state.rss), "application/rss+xml"
            elif self.path == "/wire.atom":
                body, kind = atom(state.base, state.atom), "application/atom+xml"
            elif self.path == "/broken.rss":
                body, kind = b"<rss><channel><item><title>cut off", "application/rss+xml"
            elif self.path.startswith("/news/") and self.path[6:] in TOPICS:
                body, kind = page(self.path[6:]), "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
            if self.headers.get("If-None-Match") == etag:
                state.not_modified[self.path] += 1
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def titles(home: Path) -> set[str]:
    return {a.title for a in Library.open(home).articles()}


def test_refresh_imports_new_entries_and_asks_only_for_news(site: FeedSite, cli, home) -> None:
    code, out, _ = cli("follow", f"{site.base}/valley.rss", "--story", "Valley floods")
    assert code == 0 and "following" in out and "Valley News" in out
    code, out, _ = cli("follow", f"{site.base}/wire.atom")
    assert code == 0 and "County Wire" in out
    code, out, _ = cli("follow", "--list")
    assert out.count("\t") >= 6 and "Valley floods" in out and "never refreshed" in out

    code, out, err = cli("refresh")
    assert code == 0, err
    assert "feed       " in out and "1 new entry" in out
    assert out.strip().endswith("2 added, 0 already in library, 0 failed, from 2 feeds")
    assert titles(home) == {"Dam gates opened", "Rail line closed"}
    lib = Library.open(home)
    valley = next(s for s in lib.stories() if s.name == "Valley floods")
    assert [a.title for a in lib.articles() if a.story == valley.id] == ["Dam gates opened"]

    code, out, _ = cli("refresh")  # nothing new: one request per feed, answered 304
    assert "nothing new" in out and out.strip().endswith(
        "0 added, 0 already in library, 0 failed, from 2 feeds"
    )
    assert site.not_modified["/valley.rss"] == 1 and site.not_modified["/wire.atom"] == 1
    assert site.requests["/news/dam"] == 1  # the page is not fetched again

    site.rss += ["school", "ferry"]  # the story develops
    code, out, _ = cli("refresh")
    assert "2 new entries" in out and "2 added" in out
    assert {"Schools shut", "Ferry halted"} <= titles(home)

    code, out, _ = cli("unfollow", f"{site.base}/wire.atom")
    assert code == 0 and "unfollowed" in out
    code, out, _ = cli("follow", "--list")
    assert "wire.atom" not in out and "valley.rss" in out


def test_following_a_broken_missing_or_repeated_feed_is_one_line(
    site: FeedSite, cli, home: Path
) -> None:
    cli("follow", f"{site.base}/valley.rss")
    code, _, err = cli("follow", f"{site.base}/broken.rss")
    assert code == 1 and err.count("\n") == 1 and "not an RSS or Atom feed" in err
    code, _, err = cli("follow", f"{site.base}/missing.rss")
    assert code == 1 and "HTTP 404" in err and err.count("\n") == 1
    code, _, err = cli("follow", f"{site.base}/valley.rss")
    assert code == 1 and "already following" in err
    assert [f.url for f in Library.open(home).feeds()] == [f"{site.base}/valley.rss"]


def test_a_feed_that_breaks_after_it_was_followed(site: FeedSite, cli, home: Path) -> None:
    cli("follow", f"{site.base}/valley.rss")
    cli("follow", f"{site.base}/wire.atom")
    lib = Library.open(home)
    from store.disk.feedlist import read_feeds, write_feeds

    feeds = read_feeds(lib.layout)  # the wire's address now answers with a broken feed
    write_feeds(lib.layout, [feeds[0], type(feeds[1])(f"{site.base}/broken.rss")])
    code, out, err = cli("refresh")
    assert code == 1
    [line] = [line for line in err.splitlines() if line.strip()]
    assert line.startswith("failed     feed ") and "broken.rss" in line
    assert "Dam gates opened" in titles(home)
    assert "(1 could not be read)" in out


async def test_the_reader_refreshes_imports_and_shows_the_source_address(
    site: FeedSite, home: Path, tmp_path: Path, private_config, monkeypatch
) -> None:
    """R and i run `treaty-tui refresh` / `add` as child processes (the reader never loads
    spaCy); the new articles appear without a restart. O over SSH shows the address."""
    from tests.conftest import Messages, ready, settle
    from tui.app import TreatyApp
    from tui.messages import ChildDone, ChildOutput
    from tui.screens.source_actions import SourceAddress

    Library.open(home).follow(f"{site.base}/valley.rss")
    list(Library.open(home).add([f"{site.base}/news/rail"]))
    report = tmp_path / "ferry.txt"
    report.write_text(page("ferry").decode().replace("<p>", "\n\n"), encoding="utf-8")
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    messages = Messages()
    app = TreatyApp(home)
    async with app.run_test(size=(120, 40), message_hook=messages.hook) as pilot:
        screen = await ready(pilot)
        await pilot.press("R")
        done = await messages.wait_for(pilot, ChildDone)
        assert done.what == "Refresh" and done.code == 0, done.last
        assert done.last.startswith("1 added")
        assert any("Dam gates opened" in m.line for m in messages.of(ChildOutput))
        await settle(pilot)
        assert "Dam gates opened" in {a.title for a in screen.snapshot.articles}

        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(report), "enter")
        done = await messages.wait_for(pilot, ChildDone, 2)
        assert done.what == "Import" and done.code == 0 and done.last.startswith("1 added")
        await settle(pilot)
        assert len(screen.snapshot.articles) == 3

        screen.open_place(
            next(a.id for a in screen.snapshot.articles if a.title == "Rail line closed"), 0
        )
        await settle(pilot)
        await pilot.press("O")
        await pilot.pause()
        assert isinstance(app.screen, SourceAddress)
        shown = app.screen.query_one("#address").render()
        assert str(shown) == f"{site.base}/news/rail"
        await pilot.press("y")
        assert app.clipboard == f"{site.base}/news/rail"


def test_a_damaged_feeds_file_is_one_line_and_doctor_sets_it_aside(
    site: FeedSite, cli, home: Path
) -> None:
    cli("follow", f"{site.base}/valley.rss")
    feeds = Library.open(home).layout.feeds
    feeds.write_text('[{"url": 5}]')
    code, _, err = cli("refresh")
    assert code == 1 and err.count("\n") == 1 and "feeds.json" in err and "doctor" in err
    code, out, _ = cli("doctor")
    assert "feeds.json" in out and "follow the feeds again" in out
    code, out, err = cli("refresh")
    assert code == 0 and "no feeds followed" in err
    assert list(home.glob("feeds.json.damaged-*"))  # kept, never deleted
