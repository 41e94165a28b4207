"""`treaty-tui report STORY`: the story's three answers in one document.

What most sources agree on (claims reported by two sources or more, none of
them differing), where they differ (each source's value and quote side by
side, each difference an update or a contradiction by the reports' times),
and what one source alone reports; the reader's notes under the claims they
sit on. Markdown, one self-contained HTML file that prints well, or JSON:

    {"story": {"id", "name"}, "sources": [{"article", "source", "title", "time"}],
     "agreed": [CLAIM], "differing": [CLAIM + "differences": [DIFFERENCE]],
     "single_source": [CLAIM], "other_notes": [NOTE]}
    CLAIM = {"sources": N, "of": M, "claim": SENTENCE, "members": [SENTENCE], "notes": [NOTE]}
    SENTENCE = {"article", "source", "sentence", "text"}
    DIFFERENCE = {"what", "a": SENTENCE, "a_value", "b": SENTENCE, "b_value", "kind"}
    a differing CLAIM also has "values": [{"what", "kind", "kinds": {KIND: pairs},
        "by_value": [{"value", "sources": [NAME], "members": [SENTENCE]}]}]
    KIND = "update" | "contradiction" | "undated" (the reports' times do not tell)
    NOTE = {"id", "article", "quote", "text", "tags"}
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from store.analysis.updates import (
    KIND_LABELS,
    ReportTime,
    difference_kind,
    report_time,
    same_value,
)
from store.plain import counted, visible, visible_line
from tui.claims_output import claims_report

if TYPE_CHECKING:
    from store.library import Library
    from store.models import Note, Story

Report = dict[str, Any]
FORMATS = ("md", "html", "json")


def story_report(lib: Library, story: Story) -> Report:
    base = claims_report(lib, story)
    infos = {a.id: a for a in lib.articles() if a.story == story.id}
    articles = {a: lib.article(a) for a in infos}
    times = {a: report_time(infos[a].date, articles[a].text) for a in infos}
    notes = [n for n in lib.notes(story=story.id) if not n.orphan]
    placed: set[str] = set()

    def notes_on(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for note in notes:
            for m in members:
                span = articles[m["article"]].sentences[m["sentence"]]
                if note.article == m["article"] and _overlaps(note, span.start, span.end):
                    out.append(_note(note))
                    placed.add(note.id)
                    break
        return out

    def claim(group: dict[str, Any]) -> dict[str, Any]:
        return {
            "sources": group["sources"],
            "of": group["of"],
            "claim": group["representative"],
            "members": group["members"],
            "notes": notes_on(group["members"]),
        }

    agreed, differing = [], []
    for group in base["groups"]:
        if not group["differs"]:
            agreed.append(claim(group))
            continue
        entry = claim(group)
        entry["differences"] = [
            _difference(pair, value, times)
            for pair in group["differences"]
            for value in pair["values"]
        ]
        entry["values"] = side_by_side(entry["differences"], times)
        differing.append(entry)
    single = []
    for ref in base["single_source"]:
        single.append({"sources": 1, "of": len(infos), "claim": ref, "members": [ref]})
        single[-1]["notes"] = notes_on([ref])
    sources = [
        {**s, "time": times[s["article"]].label() if times[s["article"]].known else ""}
        for s in base["sources"]
    ]
    return {
        "story": base["story"],
        "sources": sources,
        "agreed": agreed,
        "differing": differing,
        "single_source": single,
        "other_notes": [_note(n) for n in notes if n.id not in placed],
    }


def _overlaps(note: Note, start: int, end: int) -> bool:
    return note.anchor.start < end and note.anchor.end > start


def _note(note: Note) -> dict[str, Any]:
    return {
        "id": note.id,
        "article": note.article,
        "quote": note.anchor.exact,
        "text": note.body,
        "tags": list(note.tags),
    }


def _difference(
    pair: dict[str, Any], value: dict[str, str], times: dict[str, ReportTime]
) -> dict[str, Any]:
    a, b = pair["a"], pair["b"]
    kind = difference_kind(value["what"], times[a["article"]], times[b["article"]])
    return {
        "what": value["what"],
        "a": a,
        "a_value": value["a"],
        "b": b,
        "b_value": value["b"],
        "kind": kind,
    }


def side_by_side(
    differences: list[dict[str, Any]], times: dict[str, ReportTime]
) -> list[dict[str, Any]]:
    """Per kind of value ("dead"), each value with the sources that give it (earliest
    report first where times are known), and what kind of difference it is overall."""
    out = []
    for what in dict.fromkeys(d["what"] for d in differences):
        values: dict[str, list[dict[str, Any]]] = {}  # by what the value says
        written: dict[str, str] = {}  # as the first source writes it
        kinds: dict[str, int] = {}
        for d in (d for d in differences if d["what"] == what):
            kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
            for side in ("a", "b"):
                key = same_value(d[f"{side}_value"])
                written.setdefault(key, d[f"{side}_value"])
                members = values.setdefault(key, [])
                if d[side] not in members:
                    members.append(d[side])
        earliest = {
            key: min(times[m["article"]].sort_key() for m in members)
            for key, members in values.items()
        }
        out.append(
            {
                "what": what,
                "by_value": [
                    {
                        "value": written[key],
                        "sources": list(dict.fromkeys(m["source"] for m in values[key])),
                        "members": values[key],
                    }
                    for key in sorted(values, key=lambda k: earliest[k])
                ],
                "kind": max(kinds, key=lambda k: (kinds[k], k)),
                "kinds": kinds,
            }
        )
    return out


def kind_line(entry: dict[str, Any]) -> str:
    """The kind ("update by a later report"), or each kind with its number of pairs
    where they are mixed."""
    kinds = entry["kinds"]
    if len(kinds) == 1:
        return KIND_LABELS[entry["kind"]]
    return "; ".join(f"{KIND_LABELS[k]}: {n} pairs" for k, n in sorted(kinds.items()))


# -- Markdown ---------------------------------------------------------------------------
def to_markdown(report: Report) -> str:
    """Markdown; text from articles and notes has control characters shown, `|` escaped."""

    def t(text: str) -> str:
        return visible_line(text).replace("|", "\\|")

    lines = [f"# {t(report['story']['name'])}", ""]
    lines.append(f"{counted(len(report['sources']), 'source')}:")
    lines += [
        f"- {t(s['source'])}: {t(s['title'])}" + (f" ({s['time']})" if s["time"] else "")
        for s in report["sources"]
    ]
    sections = (
        ("What most sources agree on", report["agreed"]),
        ("Where sources differ", report["differing"]),
        ("Reported by one source only", report["single_source"]),
    )
    for title, claims in sections:
        lines += ["", f"## {title} ({len(claims)})", ""]
        for c in claims:
            who = ", ".join(dict.fromkeys(t(m["source"]) for m in c["members"]))
            lines.append(f"- **{t(c['claim']['text'])}** ({c['sources']} of {c['of']}: {who})")
            for v in c.get("values", ()):
                sides = " | ".join(
                    f"**{t(x['value'])}**: {', '.join(t(s) for s in x['sources'])}"
                    for x in v["by_value"]
                )
                lines.append(f"  - {t(v['what'] or 'value')}: {sides} ({kind_line(v)})")
                for x in v["by_value"]:
                    for m in x["members"]:
                        lines.append(f'    - {t(m["source"])}: "{t(m["text"])}"')
            lines += _markdown_notes(c["notes"], t)
    if report["other_notes"]:
        lines += ["", f"## Other notes ({len(report['other_notes'])})", ""]
        lines += _markdown_notes(report["other_notes"], t, indent="")
    return "\n".join(lines) + "\n"


def _markdown_notes(notes: list[dict[str, Any]], t, indent: str = "  ") -> list[str]:
    out = []
    for n in notes:
        tags = " ".join(f"#{t(tag)}" for tag in n["tags"])
        body = " ".join(visible(n["text"]).split())
        out.append(f'{indent}- note on "{t(n["quote"])}": {body} {tags}'.rstrip())
    return out


# -- HTML -------------------------------------------------------------------------------
STYLE = """
body { font: 15px/1.45 Georgia, 'Times New Roman', serif; max-width: 48em; margin: 2em auto;
  padding: 0 1em; color: #111; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #999; margin-top: 1.6em; }
.reach { color: #555; font-size: .9em; } .kind { font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; font-size: .9em; }
td, th { border: 1px solid #bbb; padding: .25em .4em; vertical-align: top; text-align: left; }
.value { font-weight: bold; white-space: nowrap; }
.note { border-left: 3px solid #c90; padding-left: .6em; margin: .3em 0 .3em 1em; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
  li, table, .note { break-inside: avoid; } }
"""


def to_html(report: Report) -> str:
    """One self-contained page (no scripts, fonts or images from elsewhere)."""

    def e(text: str) -> str:
        return html.escape(visible(text))

    name = e(report["story"]["name"])
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{name}</title><style>{STYLE}</style></head><body>",
        f"<h1>{name}</h1>",
        f"<p>{counted(len(report['sources']), 'source')}:</p><ul>",
    ]
    for s in report["sources"]:
        when = f" <span class=reach>({e(s['time'])})</span>" if s["time"] else ""
        out.append(f"<li><b>{e(s['source'])}</b>: {e(s['title'])}{when}</li>")
    out.append("</ul>")
    sections = (
        ("What most sources agree on", report["agreed"]),
        ("Where sources differ", report["differing"]),
        ("Reported by one source only", report["single_source"]),
    )
    for title, claims in sections:
        out.append(f"<h2>{title} ({len(claims)})</h2><ol>")
        for c in claims:
            who = ", ".join(dict.fromkeys(e(m["source"]) for m in c["members"]))
            out.append(
                f"<li><p>{e(c['claim']['text'])}<br><span class=reach>{c['sources']} of "
                f"{c['of']} sources: {who}</span></p>"
            )
            for v in c.get("values", ()):
                out.append(
                    f"<table><tr><th>{e(v['what'] or 'value')}</th><th>source</th>"
                    f"<th>quote</th></tr>"
                )
                for x in v["by_value"]:
                    span = f'rowspan="{len(x["members"])}"'
                    for n, m in enumerate(x["members"]):
                        value = f"<td {span} class=value>{e(x['value'])}</td>" if n == 0 else ""
                        out.append(
                            f"<tr>{value}<td>{e(m['source'])}</td><td>{e(m['text'])}</td></tr>"
                        )
                out.append(f"</table><p class=kind>{e(kind_line(v))}</p>")
            out += _html_notes(c["notes"], e)
            out.append("</li>")
        out.append("</ol>")
    if report["other_notes"]:
        out.append(f"<h2>Other notes ({len(report['other_notes'])})</h2>")
        out += _html_notes(report["other_notes"], e)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _html_notes(notes: list[dict[str, Any]], e) -> list[str]:
    return [
        f"<div class=note>On &ldquo;{e(n['quote'])}&rdquo;: {e(n['text'])}"
        + "".join(f" <b>#{e(tag)}</b>" for tag in n["tags"])
        + "</div>"
        for n in notes
    ]


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    return to_html(report) if fmt == "html" else to_markdown(report)
