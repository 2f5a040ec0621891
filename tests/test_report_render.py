"""The report in two steps: `compute` writes each section's facts as JSON, `render` writes report.md from them
alone (here with the examine section only, on an untrained network: the steps, not the sections, are tested)."""
import json

import pytest
import torch
from typer.testing import CliRunner

from recipe.settings import Recipe
from report import cli, examine, job
from runtime.errors import InputError
from torch_impl import checkpoint
from torch_impl.model import Net


@pytest.fixture
def computed(mnist_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(job, "SECTIONS", {"examine": examine})
    torch.manual_seed(0)
    checkpoint.save(Net(), tmp_path / "torch" / "model.pth")
    job.compute(tmp_path, Recipe(data_dir=mnist_dir))
    return tmp_path


def test_render_writes_the_report_from_the_facts_alone(computed):
    facts = json.loads((computed / "facts" / "examine.json").read_text())
    assert facts["batch"] == examine.BATCH and len(facts["findings"]) == 3
    report = job.render(computed).read_text()
    assert report.startswith(job.TITLE) and "## C. Build a truncated model" in report
    seconds = json.loads((computed / "facts" / "job.json").read_text())["seconds"]
    assert report.endswith(f"Generated in {seconds:.0f} s.\n")
    facts["findings"][0]["printed"] = "edited"  # what render shows comes from the facts file, nothing else
    (computed / "facts" / "examine.json").write_text(json.dumps(facts))
    result = CliRunner().invoke(cli.app, ["render", "--out", str(computed)])
    assert result.exit_code == 0, result.output
    assert "```\nedited\n```" in (computed / "report.md").read_text()


@pytest.mark.parametrize("damage, message", [(lambda path: path.unlink(), "no such file"),
                                             (lambda path: path.write_text("{"), "not a facts file")])
def test_missing_or_corrupt_facts_are_one_error_and_leave_the_report(computed, damage, message):
    before = job.render(computed).read_text()
    damage(computed / "facts" / "examine.json")
    with pytest.raises(InputError, match=message):
        job.render(computed)
    assert (computed / "report.md").read_text() == before
