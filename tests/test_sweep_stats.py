import math

import pytest

from recipe.settings import Recipe
from sweep.plan import Plan, variants
from sweep.stats import Summary, findings, mean_std, summarise, welch_p
from sweep.summary import table


def test_summarise_and_mean_std():
    summary = summarise([{"test_accuracy": 0.97, "test_loss": 0.1, "seconds": 10},
                         {"test_accuracy": 0.99, "test_loss": 0.3, "seconds": 20}])
    assert summary.n == 2 and summary.seconds == 15
    assert mean_std(summary.accuracies) == pytest.approx((0.98, math.sqrt(2) * 0.01))
    assert summarise([]) is None
    assert math.isnan(mean_std((0.5,))[1])


def test_welch_p_on_hand_numbers():
    # t = -3 / sqrt(1/3 + 1/3) = -3.674 with 4 degrees of freedom
    assert welch_p((1, 2, 3), (4, 5, 6)) == pytest.approx(0.02131, abs=1e-5)
    assert math.isnan(welch_p((1,), (4, 5)))
    assert welch_p((1, 1), (1, 1)) == 1.0 and welch_p((1, 1), (2, 2)) == 0.0


def _summaries(plan: Plan, accuracies: list[tuple[float, ...]]) -> dict[Recipe, Summary | None]:
    return {variant: Summary(seeds, tuple(1 - a for a in seeds), 1.0) if seeds else None
            for variant, seeds in zip(variants(plan), accuracies)}


def test_findings_separate_real_differences_from_noise():
    plan = Plan({"dropout": (0.25, 0.5, 0.75)}, repeats=3)
    text = findings(plan, _summaries(plan, [(0.980, 0.981, 0.979), (0.970, 0.972, 0.971), (0.960, 0.975, 0.968)]))
    assert "Welch's t-test" in text
    assert "0.25 → 0.5: -0.90 points (p = 0.00039), beyond the noise" in text
    assert "0.5 → 0.75: -0.33 points (p = 0.52), within the noise" in text
    assert "0.25 → 0.75: -1.23 points (p = 0.1), within the noise" in text  # larger, but so is the spread
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
