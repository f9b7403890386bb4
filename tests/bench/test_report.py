"""The README's performance figures are the newest committed bench run's, and a run with errors is never "met"."""

import copy
import json

import pytest

from bench import report


@pytest.fixture
def runs():
    return report.committed_runs()


def test_readme_performance_section_is_generated_from_the_committed_runs(runs):
    """README's tables between the bench markers are exactly what bench/report.py makes of the committed runs."""
    readme = report.README.read_text()
    assert report.markdown(runs) in readme, "run: .venv/bin/python bench/report.py readme"


def test_the_committed_runs_hold_every_part_of_make_bench(runs):
    """Together the committed runs have pages, search, yardstick and growth figures, each with load averages."""
    parts = report.newest_of_each_part(runs)
    assert set(parts) >= {"pages", "search", "yardstick", "growth"}
    assert all("load_average" in json.dumps(run["parts"][name]) for name, run in parts.items())


def test_a_partial_run_shows_its_parts_and_the_older_runs_the_rest(runs):
    """A run of one part alone (here growth): its table comes from it, the others' from the older run, each named."""
    older = copy.deepcopy(next(run for run in runs if {"pages", "growth"} <= set(run["parts"])))
    partial = {
        **copy.deepcopy(older),
        "when": "2099-01-01 00:00 UTC",
        "file": "bench/results/run-20990101-000000.json",
        "parts": {"growth": older["parts"].pop("growth")},
    }
    older["parts"].pop("lighthouse", None)
    text = report.markdown([partial, older])
    assert f"JSON: `{partial['file']}`): growth." in text
    assert f"JSON: `{older['file']}`): pages, search" in text
    assert "Cost as content grows" in text and "| static file (ceiling) |" in text
    assert "(lighthouse: not part of any committed run)" in text


def test_a_page_whose_wrk_run_had_errors_is_failed_not_met(runs):
    """One non-2xx answer in a page's wrk run turns its verdict to "failed", however fast it was."""
    run = copy.deepcopy(report.newest_of_each_part(runs)["pages"])
    row = run["parts"]["pages"]["passes"]["no page cache"]["pages"][0]
    row.update(ratio_to_ceiling=0.99, failed=True, errors=1)
    line = next(line for line in report.markdown(run).splitlines() if line.startswith(f"| {row['page']} |"))
    assert "99.0% failed" in line


def test_verdicts():
    """met, missed (bold in the README) and failed."""
    assert report.verdict(True) == "met"
    assert report.verdict(False) == "**missed**"
    assert report.verdict(True, failed=True) == "failed"


def test_a_ratio_just_under_its_goal_is_not_printed_as_the_goal():
    """59.97% of a 60% goal is missed: one decimal would print "60.0% missed", so it gets two."""
    assert report.pct(0.59974, goal=0.6) == "59.97%"
    assert report.pct(0.6, goal=0.6) == "60.0%"
    assert report.pct(0.5, goal=0.6) == "50.0%"
    assert report.pct(0.59974) == "60.0%"
