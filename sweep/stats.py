"""Mean and spread over seeds, and which differences stand out from the seed-to-seed noise."""
import math
import statistics
from dataclasses import dataclass

from scipy import stats

from recipe.settings import Recipe
from sweep.config import show
from sweep.plan import Plan, held, line

SIGNIFICANCE = 0.05
METHOD = ("A difference counts as beyond the seed-to-seed noise when a paired t-test on the per-seed test accuracies "
          f"gives p < {SIGNIFICANCE} (so about one in twenty comparisons of equal variants passes by chance). The "
          "pairs are the seeds: variants trained with one seed start from the same weights, and variants that differ "
          "only in epochs are read from the same training, so they are compared seed by seed, not as independent "
          "samples. With only a few seeds, passing takes a change that is steady from seed to seed. Each dimension "
          "is read step by step and, last, from its first value to its last.")


@dataclass(frozen=True)
class Summary:
    seeds: tuple[int, ...]  # the seed of each entry below
    accuracies: tuple[float, ...]  # test accuracy (0-1), one per seed
    losses: tuple[float, ...]
    seconds: float  # mean training time

    @property
    def n(self) -> int:
        return len(self.accuracies)


def summarise(outcomes: list[dict]) -> Summary | None:
    if not outcomes:
        return None
    return Summary(tuple(row["seed"] for row in outcomes), tuple(row["test_accuracy"] for row in outcomes),
                   tuple(row["test_loss"] for row in outcomes), statistics.fmean(row["seconds"] for row in outcomes))


def mean_std(values: tuple[float, ...]) -> tuple[float, float]:
    """Mean and sample standard deviation (nan for a single value)."""
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else math.nan


def paired_p(before: Summary, after: Summary) -> float:
    """Two-sided p-value of the paired t-test on the accuracies of the seeds both have; nan for fewer than two."""
    first, second = dict(zip(before.seeds, before.accuracies)), dict(zip(after.seeds, after.accuracies))
    seeds = sorted(first.keys() & second.keys())
    if len(seeds) < 2:
        return math.nan
    differences = [second[seed] - first[seed] for seed in seeds]
    if statistics.pstdev(differences) == 0:  # the t statistic is undefined; the verdict is not
        return 1.0 if differences[0] == 0 else 0.0
    return float(stats.ttest_rel([first[seed] for seed in seeds], [second[seed] for seed in seeds]).pvalue)


def findings(plan: Plan, summaries: dict[Recipe, Summary | None]) -> str:
    """A short paragraph: the spread between seeds, then each step along each dimension and its verdict."""
    spreads = [mean_std(summary.accuracies)[1] * 100 for summary in summaries.values() if summary and summary.n > 1]
    if not spreads:
        return "Each variant has a single finished seed, so there is no measure of seed-to-seed noise to judge by."
    sentences = [METHOD, f"Between seeds the test accuracy of a variant varies by a standard deviation of "
                         f"{min(spreads):.2f}-{max(spreads):.2f} points (median {statistics.median(spreads):.2f})."]
    for name, values in plan.vary.items():
        if len(values) > 1:
            sentences.append(_dimension_finding(plan, name, summaries))
    return " ".join(sentences)


def _dimension_finding(plan: Plan, name: str, summaries: dict[Recipe, Summary | None]) -> str:
    others = [f"{other.replace('_', ' ')} {show(getattr(held(plan), other))}" for other in plan.vary if other != name]
    points = line(plan, name)
    pairs = list(zip(points, points[1:])) + ([(points[0], points[-1])] if len(points) > 2 else [])
    steps = [f"{show(getattr(before, name))} → {show(getattr(after, name))}: "
             + _verdict(summaries.get(before), summaries.get(after)) for before, after in pairs]
    held_at = f" ({', '.join(others)})" if others else ""
    return f"**{name.replace('_', ' ')}**{held_at}: " + "; ".join(steps) + "."


def _verdict(before: Summary | None, after: Summary | None) -> str:
    if before is None or after is None:
        return "not run yet"
    change = (mean_std(after.accuracies)[0] - mean_std(before.accuracies)[0]) * 100
    p = paired_p(before, after)
    if math.isnan(p):
        return f"{change:+.2f} points, too few seeds to judge"
    noise = "beyond the noise" if p < SIGNIFICANCE else "within the noise"
    return f"{change:+.2f} points (p = {p:.2g}), {noise}"
