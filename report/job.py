"""The main job in two steps: `compute` runs every section of the report, in the order of the seed report, and
writes what each found to OUT/facts/ as JSON beside its figures; `render` writes OUT/report.md from those files
alone, so the prose can change and be re-rendered in seconds without training anything again."""
import json
import time
from pathlib import Path

from recipe.settings import Recipe
from report import examine, export_section, greek, hard_photos, keras_section, not_a_digit, sweep_section, training
from report.context import Context
from runtime import atomic
from runtime.data import mnist
from runtime.errors import InputError

TITLE = "# MNIST in two frameworks: report"
SECTIONS = {"training": training, "examine": examine, "greek": greek, "sweep": sweep_section,
            "keras": keras_section, "export": export_section, "hard_photos": hard_photos, "not_a_digit": not_a_digit}


def run(out: Path, config: Recipe) -> Path:
    """Compute every section, then render the report from what was written."""
    compute(out, config)
    return render(out)


def compute(out: Path, config: Recipe) -> None:
    started = time.time()
    context = Context(out=out, data=mnist.load(config.data_dir), model_path=out / "torch" / "model.pth",
                      recipe=config)
    for name, section in SECTIONS.items():
        atomic.write_text(facts_file(out, name), json.dumps(section.compute(context), indent=1))
    atomic.write_text(facts_file(out, "job"), json.dumps({"seconds": time.time() - started}))


def render(out: Path) -> Path:
    """OUT/report.md from OUT/facts/*.json."""
    parts = [TITLE, *(section.render(_facts(out, name)) for name, section in SECTIONS.items())]
    parts.append(f"---\nGenerated in {_facts(out, 'job')['seconds']:.0f} s.")
    report = out / "report.md"
    atomic.write_text(report, "\n\n".join(parts) + "\n")
    return report


def facts_file(out: Path, name: str) -> Path:
    return out / "facts" / f"{name}.json"


def _facts(out: Path, name: str) -> dict:
    path = facts_file(out, name)
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise InputError(f"{path}: no such file (`mnist-report run --out {out}` computes the report)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not a facts file of the report ({error})") from None
