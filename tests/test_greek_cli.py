"""`mnist-report greek ...` end to end on small synthetic sets, a trained model's embedding through `runtime greek`,
and the report section on a tiny budget."""
import pytest
import torch
from typer.testing import CliRunner

from export import cli as export_cli
from report import cli, greek, greek_methods
from report.context import SHARED_DATA, Context
from report.symbol_csv import read_csv
from runtime import cli as runtime_cli
from runtime.symbols import references
from torch_impl import checkpoint, transfer
from torch_impl.model import Net

runner = CliRunner()


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("model") / "model.pth"
    checkpoint.save(Net(), path)
    return path


@pytest.fixture(scope="module")
def letters(tmp_path_factory):
    out = tmp_path_factory.mktemp("letters")
    result = runner.invoke(cli.app, ["greek", "synth", "--letters", "alpha,omega", "--count", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _run(*args, app=cli.app):
    result = runner.invoke(app, ["greek", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def _run_runtime(*args):
    return _run(*args, app=runtime_cli.app)


def test_dataset_writes_the_csv_files(letters, tmp_path):
    _run("dataset", letters, "--out", tmp_path)
    symbols = read_csv(tmp_path)
    assert symbols.images.shape == (6, 28, 28) and symbols.class_names == ["alpha", "omega"]


def test_a_trained_model_through_runtime_greek(letters, model_file, mnist_dir, tmp_path):
    """The documented way for a .pth: its embedding exported, then runtime's own commands, synthetic letters as
    `--extra`."""
    graphs = tmp_path / "graphs"
    exported = runner.invoke(export_cli.app, ["graphs", str(model_file), str(graphs), "--data-dir", str(mnist_dir)])
    assert exported.exit_code == 0, exported.output
    embedding = ["--model", graphs / "embedding.onnx"]
    table = _run_runtime("distances", letters, *embedding).splitlines()
    assert table[0].startswith("order: alpha_001.png") and table[1].startswith("alpha ssd: [0, ")
    assert len(table[2].split(",")) == 6
    extra = tmp_path / "extra"
    _run("synth", "--letters", "alpha,omega,pi", "--count", "1", "--seed", "1", "--out", extra)
    refs = tmp_path / "refs.npz"
    _run_runtime("fit", letters, "-o", refs, "--variants", "2", "--extra", extra, *embedding)
    reference_set = references.ReferenceSet.load(refs)
    assert len(reference_set.vectors) == 6 * 3 + 2 and reference_set.class_names == ["alpha", "omega"]
    image = letters / "omega" / "omega_002.png"
    output = _run_runtime("classify", image, "--refs", refs, "-k", "3", *embedding)
    assert output.startswith(f"{image}: omega (nearest: omega 0.000, ")  # itself is among the references


def test_section_on_a_small_budget(mnist_data, model_file, tmp_path, monkeypatch):
    monkeypatch.setattr(references, "VARIANTS", 2)
    monkeypatch.setattr(greek_methods, "SYNTHETIC_PER_CLASS", 2)
    monkeypatch.setattr(transfer, "STEPS", 5)
    monkeypatch.setattr(greek, "SEEDS", range(2))
    text = greek.render(greek.compute(Context(out=tmp_path, data=mnist_data, model_path=model_file)))
    for heading in ("## A.", "## B.", "## C.", "## D.", "## E.", "torch.Size([1000, 50])", "ssd: [0.0"):
        assert heading in text
    assert ("## F. Zero-shot" in text) == (SHARED_DATA / "greek_new").is_dir()
    for name in ("greek_symbols", "greek_distances", "greek_loo_confusion", "greek_new_confusion", "greek_neighbours"):
        assert (tmp_path / "figures" / f"{name}.png").is_file()
    assert (tmp_path / "greek" / "intensities.csv").is_file()
