"""The main job: every section of the report, in the order of the seed report, into one folder."""
import time
from pathlib import Path

from recipe.settings import Recipe
from report import examine, export_section, greek, hard_photos, keras_section, not_a_digit, sweep_section, training
from report.context import Context
from runtime import atomic
from runtime.data import mnist


def run(out: Path, config: Recipe) -> Path:
    started = time.time()
    context = Context(out=out, data=mnist.load(config.data_dir), model_path=out / "torch" / "model.pth")
    parts = [
        "# MNIST in two frameworks: report",
        training.section(context, config),
        examine.section(context),
        greek.section(context),
        sweep_section.section(context),
        keras_section.section(context),
        export_section.section(context),
        hard_photos.section(context),
        not_a_digit.section(context),
    ]
    parts.append(f"---\nGenerated in {time.time() - started:.0f} s.")
    report = out / "report.md"
    atomic.write_text(report, "\n\n".join(parts) + "\n")
    return report
