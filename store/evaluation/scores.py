"""Score the real pipeline against human-made data (see shared/eval/FORMAT.md):
links and entities on gold stories, paraphrase pairs (MRPC), named entities (CoNLL).
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from store.errors import TreatyError
from store.evaluation.gold import (
    EVAL_STORY,
    QUOTE_MAP,
    GoldLinks,
    SentenceKey,
    gold_links,
    import_gold,
    load_gold,
    locate,
    temporary_library,
)
from store.labels import label_of
from store.library import Library
from store.models import Article, Claim, Link


@dataclass
class Report:
    """Detail lines, then the one summary line that eval prints last."""

    summary: str
    details: list[str] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


# -- links -----------------------------------------------------------------------
SentencePair = frozenset[SentenceKey]


def _show(pair: SentencePair, kind: str, articles: dict[str, Article], extra: str = "") -> str:
    parts = [f"[{art}#{idx}] {articles[art].sentence_text(idx)[:90]}" for art, idx in sorted(pair)]
    return f"{kind}: " + "  <->  ".join(parts) + (f"  ({extra})" if extra else "")


def _per_sentence(pairs: set[frozenset[tuple[int, str, int]]]) -> str:
    """How many links a linked sentence has: mean and most."""
    counts = Counter(end for pair in pairs for end in pair)
    if not counts:
        return "none"
    return f"mean {sum(counts.values()) / len(counts):.1f}, most {max(counts.values())}"


def eval_links(paths: list[str]) -> Report:
    tp = fp = fn = 0
    details: list[str] = []
    all_predicted: set[frozenset[tuple[int, str, int]]] = set()
    all_gold: set[frozenset[tuple[int, str, int]]] = set()
    for n, path in enumerate(paths):
        corpus = load_gold(path)
        with temporary_library() as lib:
            ids = import_gold(lib, corpus)
            articles = {gid: lib.article(aid) for gid, aid in ids.items()}
            found = gold_links(corpus, articles)
            details.extend(found.unplaced)
            gold = found.links
            predicted = {frozenset((a, b)) for a, b, _ in _predicted(lib, ids, found)}
            for pair in sorted(gold - predicted, key=sorted):
                details.append(_show(pair, "miss", articles))
            for pair in sorted(predicted - gold, key=sorted):
                details.append(_show(pair, "false positive", articles))
            tp += len(gold & predicted)
            fp += len(predicted - gold)
            fn += len(gold - predicted)
            # sentence keys of different files must not meet: number them by file
            all_predicted |= {frozenset((n, *end) for end in pair) for pair in predicted}
            all_gold |= {frozenset((n, *end) for end in pair) for pair in gold}
    p, r, f = prf(tp, fp, fn)
    details.append(
        f"links per linked sentence: predicted {_per_sentence(all_predicted)}; "
        f"gold {_per_sentence(all_gold)}"
    )
    return Report(
        f"links precision={p:.3f} recall={r:.3f} f1={f:.3f} "
        f"predicted={len(all_predicted)} gold={len(all_gold)}",
        details,
        {"precision": p, "recall": r, "f1": f},
    )


def _predicted(
    lib: Library, ids: dict[str, str], found: GoldLinks
) -> Iterator[tuple[SentenceKey, SentenceKey, Link]]:
    """The links the library made, as gold sentence keys, within the gold's scope."""
    back = {v: k for k, v in ids.items()}
    for link in lib.links(EVAL_STORY):
        a = (back[link.a_article], link.a_sentence)
        b = (back[link.b_article], link.b_sentence)
        if found.scope_all or (a in found.listed and b in found.listed):
            yield a, b, link


def eval_differs(paths: list[str]) -> Report:
    """Predicted `differs` links against the gold conflicts (FORMAT.md)."""
    tp = fp = fn = 0
    details: list[str] = []
    for path in paths:
        corpus = load_gold(path)
        with temporary_library() as lib:
            ids = import_gold(lib, corpus)
            articles = {gid: lib.article(aid) for gid, aid in ids.items()}
            found = gold_links(corpus, articles)
            gold: dict[SentencePair, str] = {}
            for entry in corpus.data.get("conflicts", []):
                ends = []
                for side in ("a", "b"):
                    art = articles.get(entry[side])
                    index = locate(art, entry[f"{side}_quote"]) if art else None
                    if index is None:
                        quote = entry[f"{side}_quote"][:80]
                        details.append(f"unplaced quote {entry[side]}: {quote}")
                    else:
                        ends.append((entry[side], index))
                if len(ends) == 2 and ends[0][0] != ends[1][0]:
                    gold[frozenset(ends)] = entry.get("what", "")
            predicted: dict[SentencePair, str] = {}
            for a, b, link in _predicted(lib, ids, found):
                if link.relation == "differs":
                    values = "; ".join(
                        f"{d.what or 'value'}: {d.this} | {d.other}" for d in link.differences
                    )
                    predicted[frozenset((a, b))] = values
            for pair in sorted(set(gold) - set(predicted), key=sorted):
                details.append(_show(pair, "miss", articles, gold[pair][:120]))
            for pair in sorted(set(predicted) - set(gold), key=sorted):
                details.append(_show(pair, "false positive", articles, predicted[pair]))
            tp += len(set(gold) & set(predicted))
            fp += len(set(predicted) - set(gold))
            fn += len(set(gold) - set(predicted))
    p, r, f = prf(tp, fp, fn)
    return Report(
        f"differs precision={p:.3f} recall={r:.3f} f1={f:.3f} predicted={tp + fp} gold={tp + fn}",
        details,
        {"precision": p, "recall": r, "f1": f},
    )


# -- entities --------------------------------------------------------------------
def mention_key(text: str) -> str:
    key = text.translate(QUOTE_MAP).casefold().strip()
    key = re.sub(r"^the\s+", "", key)
    key = re.sub(r"'s$|'$", "", key)
    return re.sub(r"\s+", " ", key)


def eval_entities(path: str) -> Report:
    corpus = load_gold(path)
    gold_entities = corpus.data.get("entities", {})
    types = {e["type"] for e in gold_entities.values()}
    details: list[str] = []
    with temporary_library() as lib:
        ids = import_gold(lib, corpus)
        gold: dict[str, Counter] = defaultdict(Counter)
        gold_entity: dict[tuple[str, str, str], str] = {}
        for m in corpus.data.get("mentions", []):
            etype = gold_entities[m["entity"]]["type"]
            key = (mention_key(m["text"]), etype)
            gold[m["article"]][key] += m.get("n", 1)
            gold_entity[(m["article"], key[0], key[1])] = m["entity"]
        tp = n_pred = n_gold = 0
        matched: list[tuple[str, str]] = []  # (gold entity, predicted entity) per matched mention
        for gid, aid in ids.items():
            article = lib.article(aid)
            pred: dict[tuple[str, str], list[str]] = defaultdict(list)
            for m in article.mentions:
                if m.label in types:
                    pred[(mention_key(m.text), m.label)].append(m.entity)
            for key in set(pred) | set(gold[gid]):
                have, want = len(pred.get(key, ())), gold[gid].get(key, 0)
                hit = min(have, want)
                tp += hit
                n_pred += have
                n_gold += want
                matched.extend((gold_entity[(gid, key[0], key[1])], e) for e in pred[key][:hit])
                if have > want:
                    details.append(f"false positive {gid}: {key[0]} ({key[1]}) x{have - want}")
                if want > have:
                    details.append(f"miss {gid}: {key[0]} ({key[1]}) x{want - have}")
    p, r, f = prf(tp, n_pred - tp, n_gold - tp)
    canon = _pairwise_f1(matched)
    return Report(
        f"entities precision={p:.3f} recall={r:.3f} f1={f:.3f} canon_f1={canon:.3f}",
        details,
        {"precision": p, "recall": r, "f1": f, "canon_f1": canon},
    )


def _pairwise_f1(matched: list[tuple[str, str]]) -> float:
    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    both = pairs(Counter(matched))
    gold = pairs(Counter(g for g, _ in matched))
    pred = pairs(Counter(p for _, p in matched))
    return prf(both, pred - both, gold - both)[2]


# -- paraphrase pairs ----------------------------------------------------------------
def read_mrpc(path: str | Path) -> list[tuple[int, str, str]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    except FileNotFoundError:
        raise TreatyError(f"no such pairs file: {path}") from None
    out = []
    for row in rows[1:]:
        if len(row) >= 5 and row[0] in ("0", "1"):
            out.append((int(row[0]), row[3], row[4]))
    if not out:
        raise TreatyError(f"{path}: no pairs in MRPC format (Quality, #1 ID, #2 ID, #1, #2)")
    return out


def pair_claims(pairs: list[tuple[int, str, str]]) -> list[tuple[Claim, Claim]]:
    """Each pair read as a story of two one-sentence articles, analysed as the linker would."""
    from store.analysis.claims import build_claims
    from store.analysis.entities import Resolver
    from store.analysis.pipeline import analyse_many
    from store.ingest.structure import find_structure
    from store.models import Mention

    texts = [t for _, a, b in pairs for t in (a, b)]
    analyses = list(analyse_many((find_structure(t), None) for t in texts))
    claims = []
    for i in range(0, len(analyses), 2):
        resolver = Resolver([])
        for analysis in analyses[i : i + 2]:
            ids, _ = resolver.resolve_article(analysis.mentions)
            mentions = tuple(
                Mention(m.start, m.end, m.text, m.label, e, m.sentence)
                for m, e in zip(analysis.mentions, ids)
            )
            claims.append(_merge_sentences(build_claims(analysis, mentions)))
    return list(zip(claims[::2], claims[1::2]))


def pair_feature_rows(
    pairs: list[tuple[int, str, str]], claims: list[tuple[Claim, Claim]] | None = None
) -> list[tuple[int, tuple[float, ...]]]:
    """Features of each pair, computed exactly as the linker computes them."""
    import numpy as np

    from store.analysis.features import ClaimTable, Idf, claim_keys, feature_matrix

    claims = claims if claims is not None else pair_claims(pairs)
    idf = Idf(
        claim_keys(c, t) for (_, *texts), pair in zip(pairs, claims) for c, t in zip(pair, texts)
    )
    table = ClaimTable.build(
        [c for pair in claims for c in pair], [t for _, *texts in pairs for t in texts], idf
    )
    first = np.arange(0, 2 * len(claims), 2)
    rows = feature_matrix(
        table,
        first,
        first + 1,
        np.zeros(len(claims)),  # one-sentence "articles": no context
    )
    return [(label, tuple(row)) for (label, _, _), row in zip(pairs, rows.tolist())]


def _merge_sentences(claims):
    """One claim for a text the segmenter split in two (pairs are single sentences)."""
    if len(claims) == 1:
        return claims[0]
    return Claim(
        0,
        next((c.speaker for c in claims if c.speaker), ""),
        tuple(dict.fromkeys(e for c in claims for e in c.entities)),
        tuple(q for c in claims for q in c.numbers),
        tuple(d for c in claims for d in c.dates),
        tuple(t for c in claims for t in c.terms),
    )


def eval_pairs(path: str) -> Report:
    from store.analysis.linking import default_scorer

    scorer = default_scorer()
    pairs = read_mrpc(path)
    rows = pair_feature_rows(pairs)
    tp = fp = fn = tn = 0
    details = []
    scores = scorer.probabilities([features for _, features in rows]).tolist()
    for (label, a, b), p in zip(pairs, scores):
        yes = p >= scorer.threshold
        tp += yes and label == 1
        fp += yes and label == 0
        fn += (not yes) and label == 1
        tn += (not yes) and label == 0
        if yes != bool(label):
            kind = "false positive" if yes else "miss"
            details.append(f"{kind}: {a[:70]}  <->  {b[:70]}")
    accuracy = (tp + tn) / len(pairs)
    f = prf(tp, fp, fn)[2]
    return Report(
        f"pairs accuracy={accuracy:.3f} f1={f:.3f} n={len(pairs)}",
        details,
        {"accuracy": accuracy, "f1": f},
    )


# -- CoNLL named entities ------------------------------------------------------------
NO_SPACE_BEFORE = {
    ",",
    ".",
    ":",
    ";",
    "?",
    "!",
    "%",
    ")",
    "]",
    "}",
    "'s",
    "'",
    "n't",
    "'re",
    "'ve",
    "'ll",
    "'d",
    "'m",
}
NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}


def read_conll(path: str | Path) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (token, IOB1 tag)."""
    docs: list[list[list[tuple[str, str]]]] = []
    doc: list[list[tuple[str, str]]] = []
    sent: list[tuple[str, str]] = []
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except FileNotFoundError:
        raise TreatyError(f"no such CoNLL file: {path}") from None
    for line in lines + [""]:
        parts = line.split()
        if not parts:
            if sent:
                doc.append(sent)
                sent = []
            continue
        if parts[0] == "-DOCSTART-":
            if sent:
                doc.append(sent)
                sent = []
            if doc:
                docs.append(doc)
                doc = []
            continue
        sent.append((parts[0], parts[-1]))
    if sent:
        doc.append(sent)
    if doc:
        docs.append(doc)
    return docs


def iob_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """(start, end, type) spans from IOB1/IOB2 tags."""
    spans: set[tuple[int, int, str]] = set()
    start: int | None = None
    kind = ""
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, label = tag.partition("-")
        if start is not None and (tag == "O" or prefix == "B" or label != kind):
            spans.add((start, i, kind))
            start, kind = None, ""
        if tag != "O" and start is None:
            start, kind = i, label
    return spans


def eval_ner(path: str) -> Report:
    from store.analysis.pipeline import analyse_many
    from store.ingest.structure import Structure
    from store.models import Paragraph

    docs = read_conll(path)
    structures, token_spans, gold = [], [], []
    for doc in docs:
        text_parts: list[str] = []
        spans: list[tuple[int, int]] = []
        paragraphs = []
        tags: list[str] = []
        pos = 0
        for sent in doc:
            para_start = pos
            prev = None
            for token, tag in sent:
                if prev is not None and token not in NO_SPACE_BEFORE and prev not in NO_SPACE_AFTER:
                    text_parts.append(" ")
                    pos += 1
                spans.append((pos, pos + len(token)))
                text_parts.append(token)
                pos += len(token)
                tags.append(tag)
                prev = token
            paragraphs.append(Paragraph("body", para_start, pos))
            text_parts.append("\n")
            pos += 1
        text = "".join(text_parts)
        structures.append(Structure(text, tuple(paragraphs), ""))
        token_spans.append(spans)
        gold.append({s for s in iob_spans(tags) if s[2] in {"PER", "LOC", "ORG"}})
    tp = fp = fn = 0
    details = []
    for structure, spans, gold_spans, analysis in zip(
        structures, token_spans, gold, analyse_many((s, None) for s in structures)
    ):
        starts = {s: i for i, (s, _) in enumerate(spans)}
        ends = {e: i + 1 for i, (_, e) in enumerate(spans)}
        predicted = set()
        for m in analysis.mentions:
            kind = label_of(m.label).conll
            if kind is None:
                continue
            first = starts.get(m.start) or next(
                (i for i, (s, e) in enumerate(spans) if s <= m.start < e), None
            )
            last = ends.get(m.end) or next(
                (i + 1 for i, (s, e) in enumerate(spans) if s < m.end <= e), None
            )
            if first is not None and last is not None:
                predicted.add((first, last, kind))
        tp += len(predicted & gold_spans)
        fp += len(predicted - gold_spans)
        fn += len(gold_spans - predicted)
        words = [structure.text[s:e] for s, e in spans]
        for a, b, missed in sorted(gold_spans - predicted):
            details.append(f"miss {missed}: {' '.join(words[a:b])}")
        for a, b, extra in sorted(predicted - gold_spans):
            details.append(f"false positive {extra}: {' '.join(words[a:b])}")
    p, r, f = prf(tp, fp, fn)
    return Report(
        f"ner precision={p:.3f} recall={r:.3f} f1={f:.3f}",
        details,
        {"precision": p, "recall": r, "f1": f},
    )
