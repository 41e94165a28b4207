"""Work done by helper processes on spare cores: the same results as done in one process."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Library, importing, spread
from store.analysis import linking, pipeline
from tests.conftest import shared_path

needs_a_helper = pytest.mark.skipif(not spread.can_help(), reason="needs a spare core and fork")


@needs_a_helper
def test_a_helper_works_elsewhere_and_its_failure_is_raised_here() -> None:
    assert spread.in_helper(os.getpid)() != os.getpid()
    with pytest.raises(ZeroDivisionError):  # done again here, where it fails as usual
        spread.in_helper(lambda: 1 // 0)()


@needs_a_helper
def test_a_helper_streams_its_items_in_order_and_its_failure_is_raised_here() -> None:
    assert list(spread.streamed(lambda: range(5))) == [0, 1, 2, 3, 4]
    assert os.getpid() not in set(spread.streamed(lambda: (os.getpid() for _ in range(3))))

    def fails_after_two() -> Iterator[int]:
        yield from (1, 2)
        raise ZeroDivisionError

    items = spread.streamed(fails_after_two)
    assert [next(items), next(items)] == [1, 2]
    with pytest.raises(ZeroDivisionError):  # the rest made here, where it fails as usual
        next(items)


@needs_a_helper
def test_a_stream_dropped_before_its_end_stops_its_helper() -> None:
    items = spread.streamed(itertools.count)  # a helper that would never end
    assert next(items) == 0
    assert multiprocessing.active_children()
    items.close()
    assert not multiprocessing.active_children()


def _stored(home: Path) -> dict[str, object]:
    """The links, groups and reach files, the catalog's counts and story entities, and
    each article's analysis (sentences, names, claims)."""
    out: dict[str, object] = {
        str(p.relative_to(home)): p.read_bytes()
        for folder in ("links", "groups", "reach")
        for p in sorted((home / folder).rglob("*"))
        if p.is_file()
    }
    data = json.loads(Library.open(home).layout.catalog.read_text())
    out["articles"] = {k: (v["linked"], v["unique"]) for k, v in data["articles"].items()}
    out["stories"] = {k: (v["entities"], v["linked_articles"]) for k, v in data["stories"].items()}
    library = Library.open(home)
    for info in library.articles():
        article = library.article(info.id)
        out[info.id] = (article.sentences, article.mentions, article.claims)
    return out


@needs_a_helper
def test_stories_linked_with_helpers_are_stored_as_linked_on_one_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two stories imported at once, every part that can go to a helper sent there (the
    parse, the second story, every other claim's pairs, writing its links), and again
    with this process held to one core: the same analysis, and the same links, groups
    and counts, byte for byte."""
    reports = [
        str(p)
        for story in ("taiwan-quake-2024", "baltimore-bridge-2024")
        for p in sorted(shared_path("eval", story).glob("[0-9]*.txt"))[:4]
    ]
    monkeypatch.setattr(importing, "SPREAD_FROM", 0)
    monkeypatch.setattr(importing, "SPREAD_LINKS", 0)
    monkeypatch.setattr(linking, "SPREAD_PAIRS", 0)
    monkeypatch.setattr(pipeline, "HELPED_FROM", 0)
    list(Library.open(tmp_path / "helped").add(reports))
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    try:
        assert not spread.can_help()
        list(Library.open(tmp_path / "alone").add(reports))
    finally:
        os.sched_setaffinity(0, cores)
    helped, alone = _stored(tmp_path / "helped"), _stored(tmp_path / "alone")
    assert len(helped["stories"]) == 2  # type: ignore[arg-type]
    assert any(name.startswith("links") for name in helped)
    assert helped == alone
