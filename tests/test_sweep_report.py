"""The report section end to end, with real (tiny) trainings: table, plots, findings, and resume."""
import json

from report.context import Context
from report.sweep_section import compute, render

TINY = """
repeats = 2
[base]
epochs = 2
train_limit = 128
test_limit = 100
[vary]
dropout = [0.25, 0.75]
epochs = [1, 2]
"""


def test_section_runs_the_plan_and_reports_it(tmp_path, mnist_data):
    (tmp_path / "tiny.toml").write_text(TINY)
    context = Context(out=tmp_path / "out", data=mnist_data, model_path=tmp_path / "out" / "model.pth")
    text = render(json.loads(json.dumps(compute(context, str(tmp_path / "tiny.toml")))))  # as the facts file holds it
    assert "| dropout | epochs | test loss | accuracy (%) | n | training time (s) |" in text
    assert text.count(" | 2 | ") >= 4  # four variants, each with two seeds
    for name in ("accuracy_dropout", "accuracy_epochs", "accuracy_dropout_epochs"):
        assert f"](sweep/{name}.png)" in text and (context.out / "sweep" / f"{name}.png").stat().st_size > 0
    assert "**dropout** (epochs 2): 0.25 → 0.75:" in text and "**epochs** (dropout 0.75): 1 → 2:" in text
    results = context.out / "sweep" / "results.jsonl"
    lines = results.read_text()
    assert len(lines.splitlines()) == 4
    assert render(compute(context, str(tmp_path / "tiny.toml"))) == text and results.read_text() == lines  # no training
