"""`mnist-report greek ...` end to end on small synthetic sets, and the report section on a tiny budget."""
import pytest
import torch
from typer.testing import CliRunner

from report import cli, greek, greek_methods
from report.context import SHARED_DATA, Context
from report.symbol_csv import read_csv
from runtime.errors import InputError
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


def _run(*args):
    result = runner.invoke(cli.app, ["greek", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def test_dataset_writes_the_csv_files(letters, tmp_path):
    _run("dataset", letters, "--out", tmp_path)
    symbols = read_csv(tmp_path)
    assert symbols.images.shape == (6, 28, 28) and symbols.class_names == ["alpha", "omega"]


def test_distances_print_one_seed_style_row_per_class(letters, model_file):
    lines = _run("distances", letters, "--model", model_file).splitlines()
    assert lines[0].startswith("order: alpha_001.png")
    assert lines[1].startswith("alpha ssd: [0, ") and lines[2].startswith("omega ssd: [")
    assert len(lines[2].split(",")) == 6


def test_fit_then_classify(letters, model_file, tmp_path):
    refs = tmp_path / "refs.npz"
    _run("fit", letters, "-o", refs, "--model", model_file, "--variants", "2", "--synthetic", "1")
    reference_set = references.ReferenceSet.load(refs)
    assert len(reference_set.vectors) == 6 * 3 + 2 and reference_set.class_names == ["alpha", "omega"]
    image = letters / "omega" / "omega_002.png"
    output = _run("classify", image, "--refs", refs, "--model", model_file, "-k", "3")
    assert output.startswith(f"{image}: omega (nearest: omega 0.000, ")  # itself is among the references


def test_classify_reports_a_bad_file_and_classifies_the_rest(letters, model_file, tmp_path):
    """As `runtime greek classify` does: one error line, every other picture answered, exit code 1."""
    (tmp_path / "bad.png").write_text("not a picture")
    refs = tmp_path / "refs.npz"
    _run("fit", letters, "-o", refs, "--model", model_file, "--variants", "0", "--synthetic", "0")
    result = runner.invoke(cli.app, ["greek", "classify", str(tmp_path / "bad.png"), str(letters / "alpha"),
                                     "--refs", str(refs), "--model", str(model_file)])
    assert result.exit_code == 1
    assert "bad.png: cannot decode image" in result.stderr
    assert [line.split(":")[1].split()[0] for line in result.stdout.splitlines()] == ["alpha"] * 3


def test_a_missing_folder_is_an_input_error(model_file, tmp_path):
    result = runner.invoke(cli.app, ["greek", "fit", str(tmp_path / "none"), "-o", str(tmp_path / "r.npz"),
                                     "--model", str(model_file)])
    assert isinstance(result.exception, InputError) and "no such folder" in str(result.exception)
    assert not (tmp_path / "r.npz").exists()


def test_section_on_a_small_budget(mnist_data, model_file, tmp_path, monkeypatch):
    monkeypatch.setattr(references, "VARIANTS", 2)
    monkeypatch.setattr(greek_methods, "SYNTHETIC_PER_CLASS", 2)
    monkeypatch.setattr(transfer, "STEPS", 5)
    monkeypatch.setattr(greek, "SEEDS", range(2))
    text = greek.section(Context(out=tmp_path, data=mnist_data, model_path=model_file))
    for heading in ("## A.", "## B.", "## C.", "## D.", "## E.", "torch.Size([1000, 50])", "ssd: [0.0"):
        assert heading in text
    assert ("## F. Zero-shot" in text) == (SHARED_DATA / "greek_new").is_dir()
    for name in ("greek_symbols", "greek_distances", "greek_loo_confusion", "greek_new_confusion", "greek_neighbours"):
        assert (tmp_path / "figures" / f"{name}.png").is_file()
    assert (tmp_path / "greek" / "intensities.csv").is_file()
