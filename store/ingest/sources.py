"""Read one import argument (file, folder or URL) into SourceDocuments.

HTML, from a file or the web, goes through trafilatura, the field's standard
article extractor: it drops navigation, scripts and boilerplate and keeps the
title, author, date and site name.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from store.errors import ImportFailed
from store.ingest.decode import decode_text, repair_mojibake

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MAX_BYTES_ENV = "TREATY_TUI_MAX_BYTES"
DEFAULT_MAX_BYTES = 2 * 1024 * 1024  # a news page with its scripts; the text is far less


@dataclass(frozen=True)
class SourceDocument:
    """Raw article text and what its container said about it."""

    text: str
    origin: str
    format: str = "text"  # text | markdown | html
    title: str = ""
    author: str = ""
    date: str = ""
    site: str = ""
    notice: str = ""  # how the bytes were read, where the user should know (stray bytes)
    unrepaired: str = ""  # the text as read, when mojibake in it was repaired


def repaired(doc: SourceDocument) -> SourceDocument:
    """The document with mojibake ("itâ€™s") in its text and title put right; the text as
    read is kept, so an article imported before the repair is still recognised."""
    text, title = repair_mojibake(doc.text), repair_mojibake(doc.title)
    if text == doc.text and title == doc.title:
        return doc
    notice = "; ".join(filter(None, (doc.notice, "mis-decoded characters repaired")))
    return replace(doc, text=text, title=title, notice=notice, unrepaired=doc.text)


def max_bytes() -> int:
    """The size cap for one file or download ($TREATY_TUI_MAX_BYTES, default 2 MiB)."""
    try:
        return int(os.environ.get(MAX_BYTES_ENV, DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


def is_url(arg: str) -> bool:
    return "://" in arg


@dataclass(frozen=True)
class Skipped:
    """Files of a folder that are not articles: how many, and their endings."""

    count: int
    suffixes: tuple[str, ...]

    def __str__(self) -> str:
        files = "file" if self.count == 1 else "files"
        return f"{self.count} {files} of other types skipped ({', '.join(self.suffixes)})"


def collect_sources(args: list[str]) -> Iterator[tuple[str, str | Skipped | None]]:
    """Expand arguments into (name, error or None): folders recursively by extension,
    hidden files and folders left out, other files counted (Skipped)."""
    for arg in args:
        if is_url(arg):
            yield arg, None
            continue
        path = Path(arg).expanduser()
        if path.is_dir():
            files = [
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
            found = sorted(p for p in files if p.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES)
            if not found:
                yield arg, "folder holds no .txt, .md or .html files"
            for p in found:
                yield str(p), None
            others = [p for p in files if p not in set(found)]
            if found and others:
                endings = sorted({p.suffix.lower() or "(none)" for p in others})
                yield arg, Skipped(len(others), tuple(endings))
        elif not path.exists():
            yield arg, "no such file or folder"
        else:
            yield arg, None


def read_source(arg: str) -> SourceDocument:
    """Read one file or URL; raises ImportFailed with a one-line reason."""
    if is_url(arg):
        from store.ingest.fetch import fetch_url

        body, content_type, charset, final_url = fetch_url(arg, max_bytes())
        decoded = decode_text(body, charset)
        if "html" in content_type:
            return repaired(replace(from_html(decoded.text, final_url), notice=decoded.notice))
        return repaired(SourceDocument(decoded.text, final_url, "text", notice=decoded.notice))
    return repaired(read_file(Path(arg).expanduser()))


def read_file(path: Path) -> SourceDocument:
    limit = max_bytes()
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ImportFailed("not a regular file")
        if size > limit:
            raise ImportFailed(
                f"file is {size:,} bytes, over the {limit:,}-byte limit (set {MAX_BYTES_ENV})"
            )
        raw = path.read_bytes()
    except PermissionError:
        raise ImportFailed("permission denied") from None
    except FileNotFoundError:
        raise ImportFailed("no such file") from None
    except IsADirectoryError:
        raise ImportFailed("is a folder") from None
    suffix = path.suffix.lower()
    decoded = decode_text(raw)
    text, origin = decoded.text, str(path.resolve())
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_like_html(text)):
        return replace(from_html(text, origin), notice=decoded.notice)
    fmt = "markdown" if suffix in {".md", ".markdown"} else "text"
    return SourceDocument(text, origin, fmt, notice=decoded.notice)


def _looks_like_html(text: str) -> bool:
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


BLOCKS = ("h1", "h2", "h3", "h4", "p", "li", "blockquote", "pre")


def _plain_html_document(html: str, origin: str) -> SourceDocument:
    """A page's title, headings and paragraphs, without scripts, styles or navigation."""
    from lxml import etree
    from lxml import html as lxml_html

    try:  # huge_tree: libxml2 otherwise drops everything nested over 256 deep
        root = lxml_html.fromstring(html, parser=lxml_html.HTMLParser(huge_tree=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        raise ImportFailed("no article text found in the HTML page")
    title = " ".join((root.findtext(".//title") or "").split())
    for junk in root.xpath("//script|//style|//noscript|//template|//nav|//header|//footer"):
        junk.drop_tree()
    blocks = [" ".join(el.text_content().split()) for el in root.iter(*BLOCKS)]
    text = "\n\n".join(b for b in blocks if b)
    if not text:
        raise ImportFailed("no article text found in the HTML page")
    return SourceDocument(text=text, origin=origin, format="html", title=title)


def from_html(html: str, origin: str) -> SourceDocument:
    """Extract the article from an HTML page with trafilatura."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=origin if is_url(origin) else None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
        )
    except Exception as exc:  # trafilatura raises many parser errors on broken pages
        raise ImportFailed(f"HTML could not be parsed ({exc.__class__.__name__})") from None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    # pages trafilatura gives up on (very deep or odd markup): their plain text
    if not text or doc is None or isinstance(doc, dict):
        return _plain_html_document(html, origin)
    return SourceDocument(
        text=text,
        origin=origin,
        format="html",
        title=(doc.title or "").strip(),
        author=(doc.author or "").strip(),
        date=(doc.date or "").strip(),
        site=(doc.sitename or "").strip(),
    )
