"""Store timings in a fresh process, for tests/bench/run.py.

    python tests/bench/store_probe.py notes HOME
    python tests/bench/store_probe.py archive HOME COUNT
    python tests/bench/store_probe.py import HOME EMPTY PAIRS TEXT_FILE

notes: median ms of adding, editing and deleting a note, 20 times, on the
article with the sentence count nearest 40 (so every library size writes
notes on a like article). archive: first fills HOME with COUNT notes (an
annotation archive, spread over its articles), then times note writes as
`notes` does, reading one article's notes (what the reader does on every
open) and listing every note. import: PAIRS imports of the text in TEXT_FILE, into the
empty library EMPTY and into HOME by turns (each removed again), after one
warm-up import. A fresh process keeps the heap of whoever built HOME out of
the figures. Prints JSON.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store.ingest.sources import SourceDocument  # noqa: E402
from store.library import Library  # noqa: E402


def note_writes(home: Path) -> float:
    lib = Library.open(home)
    article = min(lib.articles(), key=lambda a: (abs(a.sentences - 40), a.id))
    times = []
    for i in range(20):
        t = time.perf_counter()
        note = lib.add_note(article.id, i, i + 5, "bench note", ["bench"])
        lib.edit_note(note.id, body="edited")
        lib.delete_note(note.id)
        times.append((time.perf_counter() - t) / 3)
    return statistics.median(times) * 1000


def import_one(home: Path, text: str) -> float:
    lib = Library.open(home)
    t = time.perf_counter()
    [outcome] = lib.add_documents([SourceDocument(text, f"<bench {time.time()}>")])
    elapsed = time.perf_counter() - t
    lib.remove(outcome.info.id)
    return elapsed


def archive(home: Path, count: int) -> dict[str, float]:
    import uuid

    from store.models import Anchor, Note

    lib = Library.open(home)
    ids = [a.id for a in lib.articles()]
    stamp = "2024-06-19T10:00:00+00:00"
    lib.notebook.put_many(
        Note(str(uuid.uuid4()), ids[i % len(ids)], Anchor("x", 0, 5), f"note {i}", ("t",), stamp)
        for i in range(count)
    )
    article = min(lib.articles(), key=lambda a: (abs(a.sentences - 40), a.id))
    reads = []
    for _ in range(20):
        t = time.perf_counter()
        lib.notes(article=article.id)
        reads.append(time.perf_counter() - t)
    t = time.perf_counter()
    listed = len(lib.notes())
    list_s = time.perf_counter() - t
    return {
        "note_ms": note_writes(home),
        "article_notes_ms": statistics.median(reads) * 1000,
        "list_s": list_s,
        "notes": listed,
    }


def main() -> None:
    mode, home = sys.argv[1], Path(sys.argv[2])
    if mode == "notes":
        print(json.dumps({"note_ms": note_writes(home)}))
        return
    if mode == "archive":
        print(json.dumps(archive(home, int(sys.argv[3]))))
        return
    empty, pairs, text = Path(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]).read_text()
    import_one(empty, text)  # loads spaCy
    times = [(import_one(empty, text), import_one(home, text)) for _ in range(pairs)]
    print(json.dumps({"empty": [e for e, _ in times], "full": [f for _, f in times]}))


if __name__ == "__main__":
    main()
