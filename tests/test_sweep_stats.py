import math
from pathlib import Path

import pytest

from recipe.settings import Recipe
from sweep.cli import build_plan
from sweep.plan import Plan, variants
from sweep.run import load
from sweep.stats import Summary, findings, mean_std, paired_p, summarise
from sweep.summary import summaries, table


def test_summarise_and_mean_std():
    summary = summarise([{"seed": 1, "test_accuracy": 0.97, "test_loss": 0.1, "seconds": 10},
                         {"seed": 2, "test_accuracy": 0.99, "test_loss": 0.3, "seconds": 20}])
    assert summary.n == 2 and summary.seconds == 15 and summary.seeds == (1, 2)
    assert mean_std(summary.accuracies) == pytest.approx((0.98, math.sqrt(2) * 0.01))
    assert summarise([]) is None
    assert math.isnan(mean_std((0.5,))[1])


def seeded(*accuracies: float, seeds: tuple[int, ...] = (1, 2, 3)) -> Summary:
    return Summary(seeds[:len(accuracies)], accuracies, tuple(1 - a for a in accuracies), 1.0)


def test_paired_p_on_hand_numbers():
    # differences 3, 3, 4: t = (10/3) / (sqrt(1/3) / sqrt(3)) = 10 with 2 degrees of freedom
    assert paired_p(seeded(1, 2, 3), seeded(4, 5, 7)) == pytest.approx(0.009852, abs=1e-6)
    assert math.isnan(paired_p(seeded(1), seeded(4, 5)))
    assert math.isnan(paired_p(seeded(1, 2, seeds=(1, 2)), seeded(4, 5, seeds=(3, 4))))  # no seed in common
    assert paired_p(seeded(1, 1), seeded(1, 1)) == 1.0 and paired_p(seeded(1, 2), seeded(2, 3)) == 0.0


def test_paired_p_pairs_by_seed_not_by_position():
    """Seeds that move together: the same small gain on each seed is clear when paired (Welch's t-test would
    give p = 0.82 here, lost in the spread between seeds)."""
    before = seeded(0.970, 0.980, 0.990)
    after = seeded(0.9825, 0.9915, 0.972, seeds=(2, 3, 1))
    assert paired_p(before, after) == pytest.approx(0.0202, abs=1e-4)
    shuffled = seeded(0.9825, 0.9915, 0.972)  # the same numbers, given to other seeds
    assert paired_p(before, shuffled) > 0.5


def _summaries(plan: Plan, accuracies: list[tuple[float, ...]]) -> dict[Recipe, Summary | None]:
    return {variant: seeded(*seeds) if seeds else None for variant, seeds in zip(variants(plan), accuracies)}


def test_findings_separate_real_differences_from_noise():
    plan = Plan({"dropout": (0.25, 0.5, 0.75)}, repeats=3)
    text = findings(plan, _summaries(plan, [(0.980, 0.981, 0.979), (0.970, 0.972, 0.971), (0.960, 0.975, 0.968)]))
    assert "paired t-test" in text
    assert "0.25 → 0.5: -0.90 points (p = 0.0041), beyond the noise" in text  # differences -1.0, -0.9, -0.8
    assert "0.5 → 0.75: -0.33 points (p = 0.47), within the noise" in text
    assert "0.25 → 0.75: -1.23 points (p = 0.095), within the noise" in text  # larger, but not steady
    assert "standard deviation of 0.10-0.75 points (median 0.10)" in text


def test_findings_with_too_few_seeds_or_missing_runs():
    plan = Plan({"batch_size": (32, 64, 128)}, repeats=2)
    text = findings(plan, _summaries(plan, [(0.98, 0.99), (0.97,), ()]))
    assert "32 → 64: -1.50 points, too few seeds to judge" in text and "64 → 128: not run yet" in text
    one_seed = _summaries(plan, [(0.98,), (0.97,), (0.96,)])
    assert "single finished seed" in findings(plan, one_seed)


def test_table_has_the_seed_columns_with_mean_std_and_n():
    plan = Plan({"batch_size": (32, 64)}, repeats=2)
    lines = table(plan, _summaries(plan, [(0.98, 0.99), ()])).splitlines()
    assert lines[0] == "| batch size | test loss | accuracy (%) | n | training time (s) |"
    assert lines[2] == "| 32 | 0.0150 ± 0.0071 | 98.50 ± 0.71 | 2 | 1 |"
    assert lines[3] == "| 64 | - | - | 0 | - |"


def test_the_committed_seed_summary_is_what_its_results_give():
    """sweep/results/seed/summary.md is regenerated whenever the statistics change (README quotes it)."""
    folder = Path(__file__).parents[1] / "sweep" / "results" / "seed"
    plan = build_plan("seed", [], [], None, None)
    found = summaries(plan, load(folder / "results.jsonl"), "torch")
    text = (folder / "summary.md").read_text()
    assert table(plan, found) in text and findings(plan, found) in text
