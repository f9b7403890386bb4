"""The README's performance figures are the newest committed bench run's, and a run with errors is never "met"."""

import copy
import json

import pytest

from bench import report


@pytest.fixture
def newest():
    return report.read_run(report.newest_run())


def test_readme_performance_section_is_generated_from_the_newest_committed_run(newest):
    """README's tables between the bench markers are exactly what bench/report.py makes of the newest run's JSON."""
    readme = report.README.read_text()
    assert report.markdown(newest) in readme, "run: .venv/bin/python bench/report.py readme"


def test_the_committed_run_holds_every_part_of_make_bench(newest):
    """The committed run has pages, search and growth figures (Lighthouse when it ran), each with load averages."""
    assert set(newest["parts"]) >= {"pages", "search", "growth"}
    assert "load_average" in json.dumps(newest["parts"])


def test_a_page_whose_wrk_run_had_errors_is_failed_not_met(newest):
    """One non-2xx answer in a page's wrk run turns its verdict to "failed", however fast it was."""
    run = copy.deepcopy(newest)
    row = run["parts"]["pages"]["passes"]["no page cache"]["pages"][0]
    row.update(ratio_to_ceiling=0.99, failed=True, errors=1)
    line = next(line for line in report.markdown(run).splitlines() if line.startswith(f"| {row['page']} |"))
    assert "99.0% failed" in line


def test_verdicts():
    """met, missed (bold in the README) and failed."""
    assert report.verdict(True) == "met"
    assert report.verdict(False) == "**missed**"
    assert report.verdict(True, failed=True) == "failed"
