"""`treaty-tui claims STORY`: a story's claim groups (or every link) as a table, JSON or CSV.

The JSON shape is stable, for scripts:

    {"story": {"id", "name"}, "sources": [{"article", "source", "title"}],
     "groups": [{"sources": N, "of": M, "differs": bool,
                 "representative": SENTENCE, "members": [SENTENCE...],
                 "differences": [{"a": SENTENCE, "b": SENTENCE,
                                  "values": [{"what", "a", "b"}]}]}],
     "single_source": [SENTENCE...]}
    SENTENCE = {"article", "source", "sentence", "text"}

With --links, "links": [{"a": SENTENCE, "b": SENTENCE, "score", "relation",
"differences": [{"what", "a", "b"}]}] takes the place of groups and single_source.
"""

from __future__ import annotations

import csv
import json
from typing import TYPE_CHECKING, Any, TextIO

from store.plain import counted, visible, visible_line

if TYPE_CHECKING:
    from store.library import Library
    from store.models import Article, SentenceRef, Story

Report = dict[str, Any]


def claims_report(lib: Library, story: Story, with_links: bool = False) -> Report:
    infos = [a for a in lib.articles() if a.story == story.id]
    articles: dict[str, Article] = {a.id: lib.article(a.id) for a in infos}
    source = {a.id: a.source for a in infos}

    def sentence(article: str, index: int) -> dict[str, Any]:
        return {
            "article": article,
            "source": source.get(article, ""),
            "sentence": index,
            "text": articles[article].sentence_text(index),
        }

    def ref(r: SentenceRef) -> dict[str, Any]:
        return sentence(r.article, r.sentence)

    report: Report = {
        "story": {"id": story.id, "name": story.name},
        "sources": [{"article": a.id, "source": a.source, "title": a.title} for a in infos],
    }
    links = lib.links(story.id)
    if with_links:
        report["links"] = [
            {
                "a": sentence(x.a_article, x.a_sentence),
                "b": sentence(x.b_article, x.b_sentence),
                "score": x.score,
                "relation": x.relation,
                "differences": [{"what": d.what, "a": d.this, "b": d.other} for d in x.differences],
            }
            for x in sorted(links, key=lambda x: -x.score)
        ]
        return report
    by_pair = {
        frozenset(((x.a_article, x.a_sentence), (x.b_article, x.b_sentence))): x for x in links
    }
    groups = []
    for g in lib.claim_groups(story.id):
        differences = []
        for a, b in g.differing:
            link = by_pair[frozenset(((a.article, a.sentence), (b.article, b.sentence)))]
            values = link.differences_from(a.article, a.sentence)
            differences.append(
                {
                    "a": ref(a),
                    "b": ref(b),
                    "values": [{"what": d.what, "a": d.this, "b": d.other} for d in values],
                }
            )
        groups.append(
            {
                "sources": len(g.sources),
                "of": len(infos),
                "differs": bool(g.differing),
                "representative": ref(g.representative),
                "members": [ref(m) for m in g.members],
                "differences": differences,
            }
        )
    report["groups"] = groups
    report["single_source"] = [ref(r) for r in lib.single_source(story.id)]
    return report


def write_report(report: Report, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump(report, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        _write_csv(report, out)
    else:
        _print_table(report, out)


def _where(s: dict[str, Any]) -> str:
    return f"{s['source']}#{s['sentence']}"


def _write_csv(report: Report, out: TextIO) -> None:
    writer = csv.writer(out)
    if "links" in report:
        writer.writerow(["a", "a_text", "b", "b_text", "score", "relation", "differences"])
        for x in report["links"]:
            values = "; ".join(f"{d['what']}: {d['a']} | {d['b']}" for d in x["differences"])
            writer.writerow(
                [
                    _where(x["a"]),
                    visible(x["a"]["text"]),
                    _where(x["b"]),
                    visible(x["b"]["text"]),
                    x["score"],
                    x["relation"],
                    visible(values),
                ]
            )
        return
    writer.writerow(["rank", "sources", "of", "differs", "representative", "text", "members"])
    for rank, g in enumerate(report["groups"], start=1):
        writer.writerow(
            [
                rank,
                g["sources"],
                g["of"],
                "yes" if g["differs"] else "",
                _where(g["representative"]),
                visible(g["representative"]["text"]),
                " ".join(_where(m) for m in g["members"]),
            ]
        )


def _print_table(report: Report, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out) if out.isatty() else Console(file=out, width=10_000)
    name = visible_line(report["story"]["name"])
    if "links" in report:
        table = Table(
            title=f"{name}: {counted(len(report['links']), 'link')}", title_justify="left"
        )
        for column in ("score", "relation", "sentence", "other sentence", "differences"):
            table.add_column(column, overflow="fold")
        for x in report["links"]:
            values = "; ".join(f"{d['a']} | {d['b']}" for d in x["differences"])
            table.add_row(
                f"{x['score']:.2f}",
                x["relation"],
                Text(visible_line(f"{x['a']['source']}: {x['a']['text']}")),
                Text(visible_line(f"{x['b']['source']}: {x['b']['text']}")),
                Text(visible_line(values)),
            )
        console.print(table)
        return
    groups = report["groups"]
    table = Table(
        title=f"{name}: {counted(len(groups), 'claim')} reported by two sources or more",
        title_justify="left",
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("sources", no_wrap=True)
    table.add_column("", no_wrap=True)  # "differs"
    table.add_column("claim (as its best member states it)", ratio=1, overflow="fold")
    for rank, g in enumerate(groups, start=1):
        rep = g["representative"]
        mark = "differs" if g["differs"] else ""
        table.add_row(
            str(rank),
            f"{g['sources']} of {g['of']}",
            mark,
            Text(visible_line(f"{rep['source']}: {rep['text']}")),
        )
    console.print(table)
    single = len(report["single_source"])
    console.print(f"{single} sentence{'' if single == 1 else 's'} found in one source only")
