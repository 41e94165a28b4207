"""Importing articles through the real CLI: files, folders, Markdown, HTML, URLs."""

from __future__ import annotations

import gzip
import json
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from store import Library

ARTICLE = """Flood defences hold as river peaks in Riverton
Engineers say the new barrier saved hundreds of homes.
RIVERTON, March 3 \u2014 The river crested at 5.2 metres on Sunday, the highest level in 40 years, \
Mayor Ana Ruiz said.
More than 300 residents were moved to shelters before the peak.
Cost of the barrier
The barrier cost $12 million and was finished in 2022, according to the city council.
Reporting by Jo Park; Editing by Sam Lee
"""

PAGE = """<!doctype html><html><head><title>Quake shakes coastal town | Coast News</title>
<meta property="og:site_name" content="Coast News">
<meta name="author" content="Rita Vega">
<meta property="article:published_time" content="2024-05-02">
<style>body { color: red }</style><script>var tracking = "do not import me";</script>
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Quake shakes coastal town</h1>
<p>A magnitude 6.1 earthquake struck the coastal town of Port Elm on Thursday, damaging
dozens of buildings and cutting power to 20,000 homes, officials said.</p>
<p>Rescue teams from three provinces searched collapsed houses through the night, and the
regional governor said two people had been pulled alive from the rubble.</p>
<p>The national weather agency warned of aftershocks over the coming days and asked
residents to stay away from damaged structures near the harbour.</p>
</article><footer>Copyright Coast News</footer></body></html>"""


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_text_import_records_parts_and_is_verbatim(tmp_path: Path, cli, home: Path) -> None:
    path = write(tmp_path, "flood.txt", ARTICLE)
    code, out, err = cli("add", str(path), "--source", "River Post")
    assert code == 0, err
    assert "Flood defences hold as river peaks in Riverton" in out
    assert "(River Post)" in out
    assert out.strip().splitlines()[-1] == "1 added, 0 already in library, 0 failed"
    lib = Library.open(home)
    [info] = lib.articles()
    article = lib.article(info.id)
    assert article.text == ARTICLE.strip()
    kinds = [(p.kind, article.text[p.start : p.end]) for p in article.paragraphs]
    assert kinds[0] == ("title", "Flood defences hold as river peaks in Riverton")
    assert kinds[1] == ("deck", "Engineers say the new barrier saved hundreds of homes.")
    assert kinds[2][1].startswith("RIVERTON, March 3 \u2014 The river crested")
    assert article.text[article.paragraphs[2].start :][: article.paragraphs[2].lead] == (
        "RIVERTON, March 3 \u2014 "
    )
    assert ("heading", "Cost of the barrier") in kinds
    assert kinds[-1] == ("credit", "Reporting by Jo Park; Editing by Sam Lee")
    assert info.source == "River Post"
    assert info.sentences >= 6


def test_reimport_says_already_in_library_and_changes_nothing(
    tmp_path: Path, cli, home: Path
) -> None:
    path = write(tmp_path, "flood.txt", ARTICLE)
    assert cli("add", str(path))[0] == 0
    before = {p: p.read_bytes() for p in home.rglob("*.json")}
    code, out, _ = cli("add", str(path))
    assert code == 0
    assert "already in library" in out
    assert "0 added, 1 already in library" in out
    assert {p: p.read_bytes() for p in home.rglob("*.json")} == before


def test_the_same_text_twice_in_one_import_is_added_once(tmp_path: Path, cli) -> None:
    first = write(tmp_path, "flood.txt", ARTICLE)
    (tmp_path / "copy").mkdir()
    copy = write(tmp_path, "copy/flood-again.txt", ARTICLE)
    code, out, _ = cli("add", str(first), str(copy))
    assert code == 0
    assert "1 added, 1 already in library" in out
    assert out.count("already in library") == 2  # the line for the copy and the summary


def test_folder_import_is_recursive_and_failures_do_not_stop_others(
    tmp_path: Path, cli, home: Path
) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    write(folder, "a.txt", ARTICLE)
    write(
        folder / "sub",
        "b.md",
        "# Dam opens\n\nThe new dam opened on Friday, "
        "the ministry said, and will power 50,000 homes.\n",
    )
    write(folder, "empty.txt", "   \n\n")
    write(folder, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(folder, "ignored.json", "{}")
    (folder / ".git").mkdir()
    write(folder / ".git", "notes.txt", "A hidden folder's text is no article.")
    write(folder, ".draft.md", "# Hidden\n\nA hidden file is skipped too.")
    code, out, err = cli("add", str(folder), str(tmp_path / "missing.txt"))
    assert code == 1
    assert "2 added, 0 already in library, 3 failed" in out
    assert f"skipped    {folder}: 1 file of other types skipped (.json)" in out
    assert "empty.txt: empty file" in err
    assert "binary.txt: binary content" in err
    assert "missing.txt: no such file or folder" in err
    assert len(Library.open(home).articles()) == 2
    md = next(a for a in Library.open(home).articles() if a.title == "Dam opens")
    article = Library.open(home).article(md.id)
    assert article.paragraphs[0].kind == "title"
    assert article.text[article.paragraphs[0].start : article.paragraphs[0].end] == "Dam opens"


def test_latin1_file_is_decoded(tmp_path: Path, cli, home: Path) -> None:
    text = (
        "Caf\u00e9 owners in S\u00e3o Paulo protested on Monday against the new tax, "
        "the union said.\n"
    )
    path = write(tmp_path, "latin.txt", text.encode("latin-1"))
    code, _, err = cli("add", str(path))
    assert code == 0, err
    [info] = Library.open(home).articles()
    assert "S\u00e3o Paulo" in Library.open(home).article(info.id).text


def test_html_file_goes_through_the_extractor(tmp_path: Path, cli, home: Path) -> None:
    path = write(tmp_path, "quake.html", PAGE)
    code, out, err = cli("add", str(path))
    assert code == 0, err
    [info] = Library.open(home).articles()
    article = Library.open(home).article(info.id)
    assert info.title == "Quake shakes coastal town"
    assert info.source == "Coast News"
    assert info.author == "Rita Vega"
    assert info.date == "2024-05-02"
    assert "magnitude 6.1 earthquake" in article.text
    assert "tracking" not in article.text and "color: red" not in article.text
    assert "Copyright" not in article.text


CYRILLIC_PAGE = """<!doctype html><html><head><meta charset="windows-1251">
<title>Паводок в долине</title></head><body><article><h1>Паводок в долине</h1>
<p>Река вышла из берегов во вторник, затопив десятки домов в долине, сообщили власти.</p>
<p>Спасатели эвакуировали жителей трёх деревень и открыли пункты временного размещения.</p>
<p>Синоптики ожидают новых дождей до конца недели, предупредили в местной администрации.</p>
</article></body></html>"""
MOJIBAKE = "Itâ€™s the dam: the river authority says the cafÃ© by the bridge is safe."


class _Site(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        routes = {
            "/quake": (200, "text/html; charset=utf-8", PAGE.encode()),
            "/plain": (200, "text/plain", ARTICLE.encode()),
            "/image": (200, "image/png", b"\x89PNG\r\n"),
            "/cyrillic": (200, "text/html", CYRILLIC_PAGE.encode("cp1251")),
            "/huge": (200, "text/html", b"<p>" + b"x" * 3_000_000 + b"</p>"),
        }
        if self.path == "/drip":  # headers, then a byte every half second, for ever
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(600):
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(0.5)
            return
        if self.path in ENCODED:
            encoding, body = ENCODED[self.path]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Encoding", encoding)
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path == "/undefined":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=undefined")
            self.end_headers()
            self.wfile.write(ARTICLE.encode())
            return
        if self.path == "/plain%20page":
            self.path = "/plain"
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop2")
            self.end_headers()
            return
        if self.path == "/loop2":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/quake")
            self.end_headers()
            return
        if self.path not in routes:
            self.send_error(404, "Not Found")
            return
        status, ctype, body = routes[self.path]
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


ENCODED = {
    "/gzip": ("gzip", gzip.compress(PAGE.encode())),
    "/deflate": ("deflate", zlib.compress(PAGE.encode())),
    "/bomb": ("gzip", gzip.compress(b"<p>" + b"a" * 20_000_000 + b"</p>")),  # 20 MB from 20 kB
}


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # the importer hangs up on oversize bodies on purpose


@pytest.fixture
def site() -> Iterator[str]:
    server = _QuietServer(("127.0.0.1", 0), _Site)
    server.daemon_threads = True  # a dripping answer never holds the test up
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_import_of_an_html_page(site: str, cli, home: Path) -> None:
    code, out, err = cli("add", f"{site}/moved", f"{site}/plain")
    assert code == 0, err
    assert "2 added" in out
    infos = {a.title: a for a in Library.open(home).articles()}
    quake = infos["Quake shakes coastal town"]
    assert quake.source == "Coast News"
    assert quake.origin == f"{site}/quake"  # the redirect was followed
    assert "Flood defences hold as river peaks in Riverton" in infos


def test_notes_on_a_web_page_export_with_its_address(site: str, cli, home: Path) -> None:
    """Other Web Annotation tools (Hypothesis) place a note by the page's address."""
    cli("add", f"{site}/quake")
    lib = Library.open(home)
    [info] = lib.articles()
    sentence = lib.article(info.id).sentences[1]
    lib.add_note(info.id, sentence.start, sentence.end, "check the magnitude")
    [item] = json.loads(lib.export_notes(lib.notes(), "jsonld"))
    target = item["target"]
    assert target["source"] == f"{site}/quake"
    assert target["id"] == f"urn:treaty-tui:article:{info.id}"
    assert target["type"] == "SpecificResource"
    lib.delete_note(lib.notes()[0].id)
    added, _, rejected = lib.import_notes(json.dumps([item]))
    assert (added, rejected) == (1, [])
    assert lib.notes()[0].article == info.id  # read back onto the same article


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "HTTP 404"),
        ("/image", "content type image/png"),
        ("/huge", "byte limit"),
        ("/loop", "redirect"),
        ("/to-file", "redirect to a file: URL refused"),
    ],
)
def test_url_import_failures_are_one_line_reasons(
    site: str, cli, home: Path, monkeypatch, path: str, reason: str
) -> None:
    monkeypatch.setenv("TREATY_TUI_MAX_BYTES", "1000000")
    code, out, err = cli("add", f"{site}{path}")
    assert code == 1
    assert reason in err
    assert len(err.strip().splitlines()) == 1
    assert "0 added, 0 already in library, 1 failed" in out
    assert not (home / "catalog.json").exists() or Library.open(home).articles() == []


def test_compressed_pages_are_decoded(site: str, cli, home: Path) -> None:
    code, out, err = cli("add", f"{site}/gzip")
    assert code == 0, err
    [info] = Library.open(home).articles()
    assert info.title == "Quake shakes coastal town"
    code, out, _ = cli("add", f"{site}/deflate")
    assert "already in library" in out  # the same page, deflated


def test_each_bad_url_is_one_line_and_the_others_still_import(
    site: str, cli, home: Path, monkeypatch
) -> None:
    """A dripping server, a compression bomb, a bogus charset and a URL with a space."""
    monkeypatch.setenv("TREATY_TUI_URL_SECONDS", "2")
    monkeypatch.setenv("TREATY_TUI_MAX_BYTES", "1000000")
    started = time.monotonic()
    code, out, err = cli(
        "add", f"{site}/drip", f"{site}/bomb", f"{site}/undefined", f"{site}/plain page"
    )
    assert time.monotonic() - started < 30  # one deadline per URL, not per read
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    assert "/drip: gave up after 2 s" in lines[0]
    assert "/bomb: page is over the 1,000,000-byte limit once decompressed" in lines[1]
    assert "1 added, 1 already in library, 2 failed" in out  # the same text twice
    [info] = Library.open(home).articles()
    assert info.title.startswith("Flood defences")


def test_only_http_and_https_urls(cli) -> None:
    code, _, err = cli("add", "file:///etc/passwd", "ftp://example.org/a.txt")
    assert code == 1
    assert "only http and https URLs are accepted, not file:" in err
    assert "not ftp:" in err


def test_dead_url_is_reported(cli) -> None:
    # port 9 on loopback: nothing listens there
    code, _, err = cli("add", "http://127.0.0.1:9/article")
    assert code == 1
    assert "cannot fetch" in err


def test_a_long_import_reports_its_progress(tmp_path: Path, home: Path) -> None:
    path = write(tmp_path, "long.txt", "Bridge vote\n\n" + ARTICLE * 40)
    heard: list[tuple[int, int, int]] = []
    [outcome] = list(Library.open(home).add([str(path)], progress=lambda *f: heard.append(f)))
    assert outcome.status == "added"
    assert len(heard) > 1 and all(articles == 1 for articles, _, _ in heard)
    done = [d for _, d, _ in heard]
    assert done == sorted(done) and done[-1] == heard[-1][2]  # it ends at 100%


def test_a_long_import_draws_a_progress_bar_on_a_terminal(tmp_path: Path, home: Path) -> None:
    """On a terminal stderr shows rich's bar with counts and the time left; stdout keeps
    its one line per article."""
    import os
    import pty
    import subprocess
    import sys

    from tests.conftest import ROOT

    path = write(tmp_path, "long.txt", "Bridge vote\n\n" + ARTICLE * 60)
    parent, child = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="100")
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--data-dir", str(home), "add", str(path)],
        stdout=subprocess.PIPE,
        stderr=child,
        env=env,
        timeout=300,
        check=False,
    )
    os.close(child)
    drawn = b""
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(parent)
    assert done.returncode == 0 and b"1 added" in done.stdout
    text = drawn.decode("utf-8", "replace")
    assert "analysing 1 article" in text and "characters" in text
    assert "━" in text  # the bar itself


def test_a_page_without_a_header_charset_is_read_by_its_meta_charset(
    site: str, cli, home: Path
) -> None:
    code, out, err = cli("add", f"{site}/cyrillic")
    assert code == 0, err
    [info] = Library.open(home).articles()
    article = Library.open(home).article(info.id)
    assert info.title == "Паводок в долине" and "Река вышла из берегов" in article.text


def test_mojibake_is_repaired_and_an_earlier_import_is_still_recognised(
    tmp_path: Path, cli, home: Path
) -> None:
    from store.ingest.sources import SourceDocument

    path = write(tmp_path, "dam.txt", "Dam holds\n\n" + MOJIBAKE + "\n")
    lib = Library.open(home)  # an import from before the repair: the text as it was read
    [before] = list(lib.add_documents([SourceDocument(path.read_text(), str(path))]))
    assert "â€™" in lib.article(before.info.id).text
    code, out, _ = cli("add", str(path))
    assert code == 0 and "already in library" in out  # recognised, not added twice

    fresh = tmp_path / "fresh"
    code, out, _ = cli("--data-dir", str(fresh), "add", str(path))
    assert "mis-decoded characters repaired" in out
    lib = Library.open(fresh)
    text = lib.article(lib.articles()[0].id).text
    assert "It’s the dam" in text and "café by the bridge" in text and "â€" not in text
    code, out, _ = cli("--data-dir", str(fresh), "add", str(path))
    assert "already in library" in out
