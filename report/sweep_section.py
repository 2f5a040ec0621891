"""Report part "Design your own experiment" (seed tasks A-C): a small sweep here, the seed's whole one on demand.
Its facts hold the plan's name and its training records, from which the table and findings are rendered."""
from functools import partial

from recipe.settings import cores
from report.context import Context
from sweep import engines, summary, trial
from sweep import plan as plans
from sweep.run import run

PREDICTION = ("as the number of epochs increase, the performance of the network should get better to a certain "
              "extent, as the batch size for training increases the performance will get worse, and as the dropout "
              "rate increases the performance will get worse")


def compute(context: Context, plan_spec: str = "small") -> dict:
    """Run the plan into `context.out / "sweep"` (finished trainings there are kept) and draw its figures."""
    plan = plans.load(plan_spec)
    folder = context.out / "sweep"
    records, failures = run(plan, folder / "results.jsonl", "torch", cores(),
                            partial(engines.local, data=context.data, train=trial.train))
    if failures:
        raise RuntimeError(f"{failures} trainings of the sweep failed (see above)")
    figures = summary.draw(plan, summary.summaries(plan, records, "torch"), folder, "torch")
    return {"plan": plan_spec, "records": records, "figures": [context.link(path) for path in figures]}


def render(facts: dict) -> str:
    plan = plans.load(facts["plan"])
    results = summary.text(plan, summary.summaries(plan, facts["records"], "torch"), facts["figures"], "torch")
    return "\n\n".join([
        "# Design your own experiment",
        f"## A. The plan\n\nHere, a quick sweep: {plans.describe(plan)}. Variants that differ only in epochs are "
        "read from the per-epoch history of one training. The seed report's plan (batch size 32/64/128 × dropout "
        "0.25/0.5/0.75 × epochs 2-7, on all 60,000 images) with three seeds is one command, "
        "`mnist-sweep run --plan seed`: 27 trainings of 7 epochs, resumable, results in `out/sweep-seed/`.",
        f"## B. The seed's prediction\n\n\"I believe that {PREDICTION}.\" Its table has one run per variant, "
        "accuracy rounded to whole percents, so it cannot tell whether a difference is larger than another seed "
        "would make.",
        f"## C. Results\n\nTest accuracy and loss as mean ± standard deviation over n seeds; training time per "
        f"run, evaluation excluded.\n\n{results}",
    ])
