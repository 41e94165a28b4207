"""The non-interactive subcommands. Output goes through tui.plain so untrusted text
never reaches the terminal as control codes or Rich markup."""

from __future__ import annotations

import argparse
import sys

from tui.plain import visible, visible_line


def _library(args: argparse.Namespace, seed: bool = False):
    from store import Library

    lib = Library.open(args.data_dir)
    if seed:
        for outcome in lib.ensure_seeds():
            if outcome.status == "failed":
                print(f"treaty-tui: seed {outcome.name}: {outcome.reason}", file=sys.stderr)
    return lib


def cmd_add(args: argparse.Namespace) -> int:
    lib = _library(args)
    counts = {"added": 0, "duplicate": 0, "failed": 0}
    for outcome in lib.add(args.sources, story=args.story, source=args.source):
        counts[outcome.status] += 1
        name = visible_line(outcome.name)
        if outcome.status == "failed":
            print(f"failed     {name}: {visible_line(outcome.reason)}", file=sys.stderr)
            continue
        info = outcome.info
        label = "added" if outcome.status == "added" else "already in library"
        print(
            f"{label:<10} {info.id}  {visible_line(info.title)}  ({visible_line(info.source)})"
            if outcome.status == "added"
            else f"{info.id}  {visible_line(info.title)}  ({visible_line(info.source)}): {label}"
        )
    print(
        f"{counts['added']} added, {counts['duplicate']} already in library, "
        f"{counts['failed']} failed"
    )
    return 1 if counts["failed"] else 0


def cmd_list(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    lib = _library(args, seed=True)
    stories = {s.id: s.name for s in lib.stories()}
    table = Table(title=f"{len(lib.articles())} articles", title_justify="left")
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
    info = lib.remove(args.id)
    print(f"removed    {info.id}  {visible_line(info.title)}  ({visible_line(info.source)})")
    return 0


def run_eval(args: argparse.Namespace) -> int:
    from store import evaluate

    runner = {
        "links": lambda: evaluate.eval_links(args.gold),
        "entities": lambda: evaluate.eval_entities(args.gold),
        "pairs": lambda: evaluate.eval_pairs(args.pairs),
        "ner": lambda: evaluate.eval_ner(args.conll),
    }[args.kind]
    report = runner()
    for line in report.details:
        print(visible_line(line))
    print(report.summary)
    return 0
