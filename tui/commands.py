"""The non-interactive subcommands. Output goes through store.plain so untrusted text
never reaches the terminal as control codes or Rich markup."""

from __future__ import annotations

import argparse
import sys

from store.plain import counted, visible, visible_line
from tui.logs import log


def _library(args: argparse.Namespace):
    from store import Library

    lib = Library.open(args.data_dir)
    if lib.recovered:
        print(f"treaty-tui: {lib.recovered}", file=sys.stderr)
    return lib


def cmd_story(args: argparse.Namespace) -> int:
    lib = _library(args)
    if args.action == "list":
        summaries = lib.story_summaries()
        if args.format == "json":
            import json
            from dataclasses import asdict

            print(json.dumps([asdict(s) for s in summaries], ensure_ascii=False, indent=1))
            return 0
        for s in summaries:
            dates = s.first if s.first == s.last else f"{s.first}..{s.last}"
            fields = (
                s.id,
                visible_line(s.name),
                counted(s.articles, "article"),
                counted(s.sources, "source"),
                dates,
            )
            print("\t".join(fields))
        return 0
    if args.action == "rename":
        story = lib.rename_story(args.story, args.name)
        print(f"renamed    {story.id}: {visible_line(story.name)}")
    elif args.action == "merge":
        story, moved = lib.merge_stories(args.into, args.others)
        print(f"merged     {counted(moved, 'article')} into {story.id}: {visible_line(story.name)}")
    else:
        info, story, new = lib.move_article(args.article, args.story)
        where = "a new story" if new else "story"
        print(f"moved      {info.id} to {where} {story.id}: {visible_line(story.name)}")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    lib = _library(args)
    if not lib.needs_seeds():
        print("the library has held articles: the sample reports go only into a new one")
        return 0
    failed = 0
    for outcome in lib.ensure_seeds():
        if outcome.status == "failed":
            failed += 1
            print(f"treaty-tui: seed {outcome.name}: {outcome.reason}", file=sys.stderr)
        elif outcome.info is not None:
            print(f"added      {outcome.info.id}  {visible_line(outcome.info.title)}")
    return 1 if failed else 0


def cmd_add(args: argparse.Namespace) -> int:
    from tui.progress import Progress

    lib = _library(args)
    counts = {"added": 0, "updated": 0, "duplicate": 0, "failed": 0, "skipped": 0}
    with Progress("characters") as bar:

        def analysing(articles: int, done: int, total: int) -> None:
            bar(f"analysing {counted(articles, 'article')}", done, total)

        try:
            outcomes = lib.add(
                args.sources, story=args.story, source=args.source, progress=analysing
            )
            _report_imports(outcomes, counts, quiet=args.quiet)
        except OSError as exc:  # a full disk, say: what was written stays, the rest is said
            from store.errors import reason

            print(f"treaty-tui: import stopped: {visible_line(reason(exc))}", file=sys.stderr)
            counts["failed"] += 1
    updated = f"{counts['updated']} updated, " if counts["updated"] else ""
    print(
        f"{counts['added']} added, {updated}{counts['duplicate']} already in library, "
        f"{counts['failed']} failed"
    )
    return 1 if counts["failed"] else 0


def _report_imports(outcomes, counts: dict[str, int], quiet: bool = False) -> None:
    """One line per source as it is imported (failures only if `quiet`), counted and logged
    (names, ids and reasons; never article text)."""
    for outcome in outcomes:
        what = outcome.info.id if outcome.info else outcome.reason
        log.info("import %s: %s %s", visible_line(outcome.name), outcome.status, what)
        if quiet and outcome.status not in ("failed",):
            if outcome.status != "skipped":
                counts[outcome.status] += 1
            continue
        name = visible_line(outcome.name)
        if outcome.status == "skipped":
            print(f"skipped    {name}: {visible_line(outcome.reason)}")
            continue
        counts[outcome.status] += 1
        if outcome.status == "failed":
            print(f"failed     {name}: {visible_line(outcome.reason)}", file=sys.stderr)
            continue
        info = outcome.info
        about = f"{info.id}  {visible_line(info.title)}  ({visible_line(info.source)})"
        if outcome.status == "duplicate":
            print(f"{about}: already in library")
        else:
            extra = f": {visible_line(outcome.reason)}" if outcome.reason else ""
            print(f"{outcome.status:<10} {about}{extra}")


def cmd_follow(args: argparse.Namespace) -> int:
    lib = _library(args)
    if args.list or not args.url:
        feeds = lib.feeds()
        stories = {s.id: s.name for s in lib.stories()}
        for feed in feeds:
            story = stories.get(feed.story, feed.story) or "(each article finds its story)"
            fields = (feed.url, feed.title, story, feed.checked or "never refreshed")
            print("\t".join(visible_line(f) for f in fields))
        if not feeds:
            print("no feeds followed: treaty-tui follow FEED_URL", file=sys.stderr)
        return 0
    feed = lib.follow(args.url, story=args.story)
    title = f" ({visible_line(feed.title)})" if feed.title else ""
    print(f"following  {visible_line(feed.url)}{title}: treaty-tui refresh imports its articles")
    return 0


def cmd_unfollow(args: argparse.Namespace) -> int:
    feed = _library(args).unfollow(args.url)
    print(f"unfollowed {visible_line(feed.url)} (its articles stay in the library)")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    """New entries of every feed followed, imported; a line per feed problem and article."""
    from store.feeds import FeedCheck
    from tui.progress import Progress

    lib = _library(args)
    counts = {"added": 0, "updated": 0, "duplicate": 0, "failed": 0, "skipped": 0}
    feeds_failed = feeds = 0
    with Progress("feeds") as bar:
        for event in lib.refresh():
            feeds += _refresh_event(event, counts, args.quiet, bar)
            feeds_failed += isinstance(event, FeedCheck) and event.status == "failed"
    if not feeds:
        print("no feeds followed: treaty-tui follow FEED_URL", file=sys.stderr)
        return 0
    print(
        f"{counts['added']} added, {counts['duplicate']} already in library, "
        f"{counts['failed']} failed, from {counted(feeds, 'feed')}"
        + (f" ({feeds_failed} could not be read)" if feeds_failed else "")
    )
    return 1 if counts["failed"] or feeds_failed else 0


def _refresh_event(event, counts: dict[str, int], quiet: bool, bar) -> int:
    """Print (and log) one event of a refresh; 1 for a feed checked, 0 for an article."""
    from store.feeds import FeedCheck

    if not isinstance(event, FeedCheck):
        _report_imports([event], counts, quiet=quiet)
        sys.stdout.flush()
        return 0
    bar("refreshing feeds", event.number, event.of)
    url = visible_line(event.feed.url)
    log.info("refresh %s: %s %d %s", url, event.status, len(event.entries), event.reason)
    if event.status == "failed":
        print(f"failed     feed {url}: {visible_line(event.reason)}", file=sys.stderr)
    elif not quiet:
        news = counted(len(event.entries), "new entry", "new entries")
        print(f"feed       {url}: {news if event.entries else 'nothing new'}")
    sys.stdout.flush()
    return 1


def cmd_search(args: argparse.Namespace) -> int:
    lib = _library(args)
    total, hits = lib.search(" ".join(args.words), limit=max(args.limit, 0))
    sources = {a.id: a.source for a in lib.articles()}
    if args.format != "tsv":
        rows = [
            {
                "article": h.article,
                "sentence": h.sentence,
                "source": sources.get(h.article, ""),
                "text": h.text,
                "entities": h.entities,
            }
            for h in hits
        ]
        emit(rows, args.format)
        print(f"{len(hits)} of {counted(total, 'matching sentence')}", file=sys.stderr)
        return 0
    for hit in hits:
        fields = (hit.article, str(hit.sentence), sources.get(hit.article, ""), hit.text)
        print("\t".join(visible_line(f) for f in fields))
    shown = f"{len(hits)} of {total}" if total > len(hits) else str(total)
    print(f"{shown} matching sentence{'' if total == 1 else 's'}", file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    lib = _library(args)
    stories = {s.id: s.name for s in lib.stories()}
    if args.format != "table":
        rows = [
            {
                "id": a.id,
                "story": a.story,
                "story_name": stories.get(a.story, a.story),
                "source": a.source,
                "date": a.date,
                "title": a.title,
                "origin": a.origin,
                "sentences": a.sentences,
                "entities": a.entities,
                "linked": a.linked,
                "only_here": a.unique,
            }
            for a in lib.articles()
        ]
        emit(rows, args.format)
        return 0
    table = Table(title=counted(len(lib.articles()), "article"), title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("story", ratio=2, overflow="fold")
    table.add_column("source", ratio=1, overflow="fold")
    table.add_column("date", no_wrap=True)
    table.add_column("title", ratio=4, overflow="fold")
    table.add_column("sentences", justify="right", no_wrap=True)
    table.add_column("entities", justify="right", no_wrap=True)
    for a in lib.articles():
        table.add_row(
            *(
                Text(visible_line(v))
                for v in (
                    a.id,
                    stories.get(a.story, a.story),
                    a.source,
                    a.date,
                    a.title,
                    str(a.sentences),
                    str(a.entities),
                )
            )
        )
    # In a pipe, cells are never wrapped, so every row stays one line for grep and cut.
    console = Console() if sys.stdout.isatty() else Console(width=10_000)
    console.print(table)
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    """A story's claim groups (or links) as a table, JSON or CSV."""
    from tui.claims_output import claims_report, write_report

    lib = _library(args)
    story = lib.story(args.story)
    report = claims_report(lib, story, with_links=args.links)
    write_report(report, args.format, sys.stdout)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """The story's three answers, with the reader's notes, as md, html or json."""
    from tui.story_report import render, story_report

    lib = _library(args)
    text = render(story_report(lib, lib.story(args.story)), args.format)
    if args.output:
        _write_file(args.output, text)
        print(f"report written to {visible_line(args.output)}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    lib = _library(args)
    article = lib.article(lib.find(args.id).id)
    out = []
    for p in article.paragraphs:
        out.append(visible(article.text[p.start : p.end]))
    sys.stdout.write("\n\n".join(out) + "\n")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    lib = _library(args)
    info, orphaned = lib.remove(args.id)
    print(f"removed    {info.id}  {visible_line(info.title)}  ({visible_line(info.source)})")
    if orphaned:
        print(
            f"{counted(orphaned, 'note')} on it kept as orphans (treaty-tui notes list --orphans)"
        )
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from store.disk.layout import data_home
    from store.doctor import repair

    home = data_home(args.data_dir)
    if not home.exists():
        print(f"no library at {visible_line(str(home))}: nothing to check")
        return 0
    from tui.progress import Progress

    with Progress("articles") as bar:
        findings = repair(home, lambda done, of: bar("indexing for search", done, of))
    log.info("doctor %s: %d repairs", visible_line(str(home)), len(findings))
    for finding in findings:
        print(f"{visible_line(str(finding.path))}: {visible_line(finding.what)}")
        log.info("doctor %s: %s", visible_line(str(finding.path)), visible_line(finding.what))
    print("the library is healthy" if not findings else f"{len(findings)} repairs made")
    return 0


def cmd_notes(args: argparse.Namespace) -> int:
    lib = _library(args)
    if args.action == "import":
        from pathlib import Path

        text = Path(args.file).read_text("utf-8", errors="strict")
        added, present, rejected = lib.import_notes(text, name=args.file)
        for line in rejected:
            print(f"treaty-tui: {visible_line(line)}", file=sys.stderr)
        left_out = f", {len(rejected)} rejected" if rejected else ""
        print(f"{counted(added, 'note')} imported, {present} already present{left_out}")
        return 1 if rejected else 0
    if args.action == "delete":
        note = lib.delete_note(args.id)
        print(f"deleted    {note.id[:8]}  {visible_line(note.anchor.exact)[:60]}")
        return 0
    notes = lib.notes(
        text=args.search,
        tag=args.tag,
        article=args.article,
        story=args.story,
        orphans=True if args.orphans else None,
    )
    if args.action == "export":
        output = lib.export_notes(notes, args.format)
        if args.output:
            _write_file(args.output, output)
            print(
                f"{counted(len(notes), 'note')} written to {visible_line(args.output)}",
                file=sys.stderr,
            )
        else:
            sys.stdout.write(output)
        return 0
    if getattr(args, "format", "table") != "table":
        emit([note_row(n) for n in notes], args.format)
        return 0
    _print_notes(notes)
    return 0


def _write_file(path: str, text: str) -> None:
    """Write an export atomically: a failed write leaves any earlier file whole."""
    from pathlib import Path

    from store.disk.files import write_bytes_atomic
    from store.errors import TreatyError

    target = Path(path)
    if not target.parent.is_dir():
        raise TreatyError(f"no such folder: {target.parent}")
    write_bytes_atomic(target, text.encode("utf-8"))


def note_row(n) -> dict:
    """A note as `notes list --format json|csv` gives it (the README lists the fields)."""
    return {
        "id": n.id,
        "article": n.article,
        "quote": n.anchor.exact,
        "start": n.anchor.start,
        "end": n.anchor.end,
        "confidence": n.anchor.confidence,
        "orphan": n.orphan,
        "body": n.body,
        "tags": " ".join(n.tags),
        "created": n.created,
        "updated": n.updated,
        "link_article": n.link_article,
    }


def emit(rows: list[dict], fmt: str) -> None:
    """Rows for scripts: JSON (a list of objects; every non-ASCII character escaped, so no
    control or bidi character reaches a terminal) or CSV (a header, then one line per
    row; control characters shown as visible symbols)."""
    if fmt == "json":
        import json

        print(json.dumps(rows, ensure_ascii=True, indent=1))
        return
    import csv

    if not rows:
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: visible_line(v) if isinstance(v, str) else v for k, v in row.items()})


def cmd_serve(args: argparse.Namespace) -> int:
    from store.disk.layout import data_home
    from tui.serve import serve

    serve(data_home(args.data_dir), args.host, args.port)
    return 0


def cmd_paths(args: argparse.Namespace) -> int:
    from store.disk.layout import data_home
    from tui.config import config_file
    from tui.logs import LOG_NAME, log_dir

    print(f"library\t{data_home(args.data_dir)}")
    print(f"config\t{config_file()}")
    print(f"log\t{log_dir() / LOG_NAME}")
    return 0


def _print_notes(notes) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=counted(len(notes), "note"), title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("article", no_wrap=True)
    table.add_column("tags", ratio=1, overflow="fold")
    table.add_column("quote", ratio=3, overflow="fold")
    table.add_column("note", ratio=3, overflow="fold")
    for n in notes:
        quote = visible_line(n.anchor.exact)
        if n.orphan:
            quote = f"(orphan) {quote}"
        elif n.anchor.confidence < 1.0:
            quote = f"({n.anchor.confidence:.0%}) {quote}"
        table.add_row(
            *(
                Text(v)
                for v in (
                    n.id[:8],
                    n.article,
                    " ".join(f"#{visible_line(t)}" for t in n.tags),
                    quote,
                    visible_line(n.body),
                )
            )
        )
    console = Console() if sys.stdout.isatty() else Console(width=10_000)
    console.print(table)


def run_eval(args: argparse.Namespace) -> int:
    from store.evaluation import scores as evaluate

    runner = {
        "links": lambda: evaluate.eval_links(args.gold),
        "differs": lambda: evaluate.eval_differs(args.gold),
        "entities": lambda: evaluate.eval_entities(args.gold),
        "pairs": lambda: evaluate.eval_pairs(args.pairs),
        "ner": lambda: evaluate.eval_ner(args.conll),
    }[args.kind]
    report = runner()
    for line in report.details:
        print(visible_line(line))
    print(report.summary)
    return 0
