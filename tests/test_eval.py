"""`treaty-tui eval` on the shared gold data, asserting the quality targets.

The data is read from ../shared (never copied here); a test is skipped with
a reason where it is absent.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import shared_path


def summary(cli, *args: str) -> dict[str, float]:
    code, out, err = cli("eval", *args)
    assert code == 0, err
    last = out.strip().splitlines()[-1]
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", last)}


def test_links_on_the_seed_pair(cli) -> None:
    figures = summary(cli, "links", str(shared_path("eval", "seeds.gold.json")))
    assert figures["f1"] >= 0.80
    assert figures["gold"] == 12


def test_entities_on_the_seed_pair(cli) -> None:
    figures = summary(cli, "entities", str(shared_path("eval", "seeds.gold.json")))
    assert figures["f1"] >= 0.85
    assert figures["canon_f1"] >= 0.95


def test_eval_details_come_before_the_summary(cli) -> None:
    code, out, _ = cli("eval", "links", str(shared_path("eval", "seeds.gold.json")))
    lines = out.strip().splitlines()
    assert lines[-1].startswith("links precision=")
    assert lines[-2].startswith("links per linked sentence: predicted mean ")
    assert all(line.startswith(("miss: [", "false positive: [")) for line in lines[:-2])


def test_eval_leaves_the_users_library_alone(cli, home) -> None:
    summary(cli, "entities", str(shared_path("eval", "seeds.gold.json")))
    assert not home.exists()


def test_eval_of_a_missing_file_is_one_line(cli) -> None:
    code, _, err = cli("eval", "links", "/nonexistent/gold.json")
    assert code == 1
    assert err.strip() == "treaty-tui: no such gold file: /nonexistent/gold.json"


@pytest.mark.slow
def test_ner_on_conll(cli) -> None:
    figures = summary(cli, "ner", str(shared_path("data", "conll2003", "eng.testa")))
    assert figures["f1"] >= 0.66


@pytest.mark.slow
def test_pairs_on_mrpc(cli) -> None:
    figures = summary(cli, "pairs", str(shared_path("data", "mrpc", "msr_paraphrase_train.txt")))
    assert figures["accuracy"] >= 0.75
    assert figures["n"] == 4076


@pytest.mark.slow
def test_differs_on_the_exhaustive_stories(cli) -> None:
    """A `differs` badge is right nine times in ten and finds most changed counts."""
    stories = ["taiwan-quake-2024", "baltimore-bridge-2024", "fico-shooting-2024"]
    figures = summary(
        cli, "differs", *(str(shared_path("eval", f"{s}.gold.json")) for s in stories)
    )
    assert figures["gold"] == 274
    assert figures["precision"] >= 0.75
    assert figures["recall"] >= 0.40


@pytest.mark.slow
def test_links_on_the_exhaustive_stories(cli) -> None:
    """The product's reason to exist: on three real stories of ten reports, annotated
    exhaustively, links are right more often than not and find most gold links; each
    story alone passes too. Micro figures are summed from the three runs."""
    stories = ["taiwan-quake-2024", "baltimore-bridge-2024", "fico-shooting-2024"]
    runs = [summary(cli, "links", str(shared_path("eval", f"{s}.gold.json"))) for s in stories]
    assert [run["gold"] for run in runs] == [753, 427, 554]
    assert all(run["f1"] >= 0.55 for run in runs), runs
    right = sum(round(run["precision"] * run["predicted"]) for run in runs)
    precision = right / sum(run["predicted"] for run in runs)
    recall = right / sum(run["gold"] for run in runs)
    assert precision >= 0.60
    assert 2 * precision * recall / (precision + recall) >= 0.62


@pytest.mark.slow
def test_links_on_ecbplus(cli) -> None:
    """Two similar events per topic (ECB+): links keep them apart."""
    topics = sorted(shared_path("data", "ecbplus").glob("ecbplus_topic*.gold.json"))
    figures = summary(cli, "links", *map(str, topics))
    assert figures["f1"] >= 0.70
