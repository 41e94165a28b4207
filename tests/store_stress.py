"""Stress drivers for the store, run as their own processes by tests/test_reliability.py.

    python tests/store_stress.py crash HOME ROUNDS SEED
        Forks a writer (notes added and edited, articles imported) and SIGKILLs
        it at a random moment, ROUNDS times; after each kill reopens the store
        and checks that every write acknowledged before the kill is intact.
    python tests/store_stress.py doctor HOME ROUNDS SEED
        Builds a library of 32 articles in HOME, then ROUNDS times takes its
        catalog away (or damages a links file), forks `doctor`'s repair and
        SIGKILLs it at a random moment; after each kill the library must open
        with every article and no seed article added.
    python tests/store_stress.py work HOME NAME OPS
        One of several concurrent workers: OPS operations (add a note, edit
        one of its own, every 25th an article import), each acknowledged on
        stdout once it returned.

Both print one JSON line of figures at the end.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store import Library  # noqa: E402
from store.ingest.sources import SourceDocument  # noqa: E402


def article_text(name: str, i: int) -> str:
    return (
        f"Council {name} votes on bridge {i}\n\n"
        f"The council of {name.title()}ville voted {i % 9 + 3} to 2 on Tuesday to fund bridge "
        f"number {i} over the river, officials said. Work starts in {2030 + i % 7}."
    )


def write_forever(home: Path, name: str, ack) -> None:
    """The writer loop of one crash round: acknowledges each write after it returns."""
    lib = Library.open(home)
    target = lib.articles()[0]
    mine: list[str] = []
    for i in range(10**9):
        if i % 7 == 3:
            doc = SourceDocument(article_text(name, i), f"<stress {name} {i}>")
            for outcome in lib.add_documents([doc], story="stress"):
                if outcome.status == "added":
                    ack(f"article {outcome.info.id}")
        elif i % 3 == 2 and mine:
            note_id = random.choice(mine)
            lib.edit_note(note_id, body=f"edited {name} {i}")
            ack(f"edit {note_id} edited {name} {i}")
        else:
            note = lib.add_note(target.id, i % 50, i % 50 + 10, f"{name} {i}", [name])
            mine.append(note.id)
            ack(f"note {note.id} {name} {i}")


def check(home: Path, acks: list[str]) -> list[str]:
    """Problems with the store after a kill: it must open and hold every acknowledged write."""
    problems = []
    try:
        lib = Library.open(home)
        articles = {a.id for a in lib.articles()}
        notes = {n.id: n for n in lib.notes()}
    except Exception as exc:  # noqa: BLE001 - any failure to open is what we look for
        return [f"store does not open: {exc}"]
    bodies: dict[str, str] = {}
    for line in acks:
        kind, key, *rest = line.split(" ", 2)
        if kind == "article":
            if key not in articles:
                problems.append(f"article {key} lost")
            else:
                lib.article(key)
        else:
            bodies[key] = rest[0]
    for note_id, body in bodies.items():
        if note_id not in notes:
            problems.append(f"note {note_id} lost")
        elif notes[note_id].body != body and not notes[note_id].body.startswith("edited"):
            problems.append(f"note {note_id} body {notes[note_id].body!r} != {body!r}")
    return problems


def crash(home: Path, rounds: int, seed: int) -> dict:
    random.seed(seed)
    Library.open(home).ensure_seeds()  # loads spaCy once; forked writers inherit it
    figures = {"kills": 0, "acknowledged": 0, "problems": []}
    for round_no in range(rounds):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            out = os.fdopen(write_fd, "w", buffering=1)
            try:
                write_forever(home, f"r{round_no}", lambda line, out=out: out.write(line + "\n"))
            finally:
                os._exit(0)
        os.close(write_fd)
        time.sleep(random.uniform(0.01, 0.4))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        figures["kills"] += 1
        with os.fdopen(read_fd) as pipe:
            acks = [line.strip() for line in pipe if line.endswith("\n")]
        figures["acknowledged"] += len(acks)
        figures["problems"] += [f"round {round_no}: {p}" for p in check(home, acks)]
    return figures


def doctor(home: Path, rounds: int, seed: int) -> dict:
    from store.doctor import repair

    random.seed(seed)
    lib = Library.open(home)
    docs = [
        SourceDocument(
            "\n\n".join(article_text(f"d{i % 3}", i * 10 + j) for j in range(8)), f"<doctor {i}>"
        )
        for i in range(32)
    ]
    ids = {o.info.id for o in lib.add_documents(docs, story="doctor") if o.info}
    ids |= {a.id for a in lib.articles()}
    started = time.perf_counter()
    (home / "catalog.json").unlink()
    repair(home)
    full = time.perf_counter() - started
    figures: dict = {"kills": 0, "articles": len(ids), "repair_seconds": round(full, 2)}
    problems: list[str] = []
    for round_no in range(rounds):
        links = sorted((home / "links").glob("*.json"))
        if round_no % 2 and links:
            links[0].write_bytes(b'{"links": {"1": ')
        else:
            (home / "catalog.json").unlink(missing_ok=True)
        pid = os.fork()
        if pid == 0:
            try:
                repair(home)
            finally:
                os._exit(0)
        time.sleep(random.uniform(0, full * 1.2))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        figures["kills"] += 1
        try:
            shown = {a.id for a in Library.open(home).articles()}
        except Exception as exc:  # noqa: BLE001 - any failure to open is what we look for
            problems.append(f"round {round_no}: library does not open: {exc}")
            continue
        if shown != ids:
            problems.append(f"round {round_no}: {len(ids - shown)} lost, {len(shown - ids)} new")
    repair(home)
    if repair(home):
        problems.append("a second doctor still repairs")
    figures["problems"] = problems
    return figures


def work(home: Path, name: str, ops: int) -> dict:
    lib = Library.open(home)
    target = lib.articles()[0]
    mine: list[str] = []
    counts = {"notes": 0, "edits": 0, "articles": 0}
    for i in range(ops):
        if i % 25 == 24:
            doc = SourceDocument(article_text(name, i), f"<work {name} {i}>")
            [outcome] = lib.add_documents([doc], story="stress")
            print(f"article {outcome.info.id}", flush=True)
            counts["articles"] += 1
        elif i % 2 and mine:
            note_id = mine[i % len(mine)]
            lib.edit_note(note_id, body=f"{name} edit {i}")
            print(f"edit {note_id} {name} edit {i}", flush=True)
            counts["edits"] += 1
        else:
            note = lib.add_note(target.id, i % 40, i % 40 + 8, f"{name} {i}", [name])
            mine.append(note.id)
            print(f"note {note.id} {name} {i}", flush=True)
            counts["notes"] += 1
    return counts


if __name__ == "__main__":
    command, home = sys.argv[1], Path(sys.argv[2])
    if command == "crash":
        result = crash(home, int(sys.argv[3]), int(sys.argv[4]))
    elif command == "doctor":
        result = doctor(home, int(sys.argv[3]), int(sys.argv[4]))
    else:
        result = work(home, sys.argv[3], int(sys.argv[4]))
    print(json.dumps(result), flush=True)
