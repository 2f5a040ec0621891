"""The readable results of a sweep: a markdown table, one plot per dimension, a heat map, the findings."""
from pathlib import Path

from frameworks import FRAMEWORKS
from recipe.settings import Recipe
from sweep import figures
from sweep.config import show, with_values
from sweep.plan import Plan, held, line
from sweep.run import outcomes
from sweep.stats import Summary, findings, mean_std, summarise


def summaries(plan: Plan, records: dict[str, dict], framework: str) -> dict[Recipe, Summary | None]:
    return {variant: summarise(rows) for variant, rows in outcomes(plan, records, framework).items()}


def markdown(plan: Plan, summaries: dict[Recipe, Summary | None], folder: Path, links_from: Path,
             framework: str) -> str:
    """Which framework trained, table, figures (drawn into `folder`, linked relative to `links_from`), findings."""
    figures = [str(path.relative_to(links_from)) for path in draw(plan, summaries, folder, framework)]
    return text(plan, summaries, figures, framework)


def text(plan: Plan, summaries: dict[Recipe, Summary | None], figures: list[str], framework: str) -> str:
    """`markdown` with its figures drawn already (their links)."""
    links = [f"![{Path(link).stem.replace('_', ' ')}]({link})" for link in figures]
    return "\n\n".join([f"Trained with {FRAMEWORKS[framework].title}.", table(plan, summaries), *links,
                        findings(plan, summaries)])


def table(plan: Plan, summaries: dict[Recipe, Summary | None]) -> str:
    """The seed's columns (the varied dimensions, test loss, accuracy) as mean ± std over n seeds."""
    header = [name.replace("_", " ") for name in plan.vary] + ["test loss", "accuracy (%)", "n", "training time (s)"]
    rows = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for variant, summary in summaries.items():
        values = [show(getattr(variant, name)) for name in plan.vary]
        rows.append("| " + " | ".join(values + _measured(summary)) + " |")
    return "\n".join(rows)


def _measured(summary: Summary | None) -> list[str]:
    if summary is None:
        return ["-", "-", "0", "-"]
    loss, loss_std = mean_std(summary.losses)
    accuracy, accuracy_std = mean_std(summary.accuracies)
    if summary.n == 1:
        return [f"{loss:.4f}", f"{100 * accuracy:.2f}", "1", f"{summary.seconds:.0f}"]
    return [f"{loss:.4f} ± {loss_std:.4f}", f"{100 * accuracy:.2f} ± {100 * accuracy_std:.2f}", str(summary.n),
            f"{summary.seconds:.0f}"]


def draw(plan: Plan, summaries: dict[Recipe, Summary | None], folder: Path, framework: str) -> list[Path]:
    """One accuracy plot per varied dimension; in a grid of two or more, a heat map of the first two."""
    varied = [name for name, values in plan.vary.items() if len(values) > 1]
    paths = [figures.accuracy_line([show(value) for value in plan.vary[name]],
                                   [_seeds(summaries, variant) for variant in line(plan, name)],
                                   name.replace("_", " "), _title(plan, [name], framework),
                                   folder / f"accuracy_{name}.png")
             for name in varied]
    if plan.mode == "grid" and len(varied) >= 2:
        rows, columns = varied[:2]
        cells = [[_seeds(summaries, with_values(held(plan), {rows: row, columns: column}))
                  for column in plan.vary[columns]] for row in plan.vary[rows]]
        paths.append(figures.accuracy_heat_map(
            [show(value) for value in plan.vary[rows]], [show(value) for value in plan.vary[columns]], cells,
            rows.replace("_", " "), columns.replace("_", " "), _title(plan, [rows, columns], framework),
            folder / f"accuracy_{rows}_{columns}.png"))
    return paths


def _seeds(summaries: dict[Recipe, Summary | None], variant: Recipe) -> tuple[float, ...]:
    summary = summaries.get(variant)
    return summary.accuracies if summary else ()


def _title(plan: Plan, shown: list[str], framework: str) -> str:
    others = [f"{name.replace('_', ' ')} {show(getattr(held(plan), name))}" for name in plan.vary if name not in shown]
    held_at = f" ({', '.join(others)})" if others else ""
    return f"{FRAMEWORKS[framework].title}: test accuracy, {plan.repeats} seeds{held_at}"
