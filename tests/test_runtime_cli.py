"""The runtime's commands end to end on the shipped models (typer's CliRunner, in-process)."""
import csv
import json

import numpy as np
import pytest
from runtime_support import MNIST_DIR, mnist_test_set, shared_folder, write_digits
from typer.testing import CliRunner

from runtime.cli import app
from runtime.models import DIGITS
from runtime.symbols.references import ReferenceSet

runner = CliRunner()


@pytest.fixture(scope="module")
def data():
    return mnist_test_set()


@pytest.fixture(scope="module")
def digits(data, tmp_path_factory):
    """Twenty MNIST test digits saved as dark-on-light PNG pictures."""
    return write_digits(tmp_path_factory.mktemp("digits"), data.test_images[:20], data.test_labels[:20])


def invoke(*args):
    return runner.invoke(app, [str(arg) for arg in args])


def test_predict_reads_pictures_and_folders(digits):
    result = invoke("predict", *digits[:3], digits[0].parent, "--top-k", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3 + len(digits)
    assert all(line.count("(p=") == 3 for line in lines)
    correct = sum(line.split(": ")[1][0] == line.split("/")[-1][0] for line in lines)
    assert correct >= len(lines) - 1


def test_predict_json_and_bad_files(digits, tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    result = invoke("predict", digits[0], broken, tmp_path / "missing.png", digits[1], "--json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [row["path"] for row in rows] == [str(digits[0]), str(digits[1])]
    assert all(0 < row["probability"] <= 1 and row["top"][0]["digit"] == row["digit"] for row in rows)
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and "broken.png" in errors[0] and "missing.png: no such file" in errors[1]


def test_embed_writes_npy_and_csv(digits, tmp_path):
    assert invoke("embed", *digits[:4], "-o", tmp_path / "e.npy").exit_code == 0
    vectors = np.load(tmp_path / "e.npy")
    assert vectors.shape == (4, 50) and vectors.dtype == np.float32 and (vectors >= 0).all()
    assert invoke("embed", *digits[:4], "-o", tmp_path / "e.csv").exit_code == 0
    rows = list(csv.reader((tmp_path / "e.csv").open()))
    assert rows[0][:2] == ["path", "e0"] and len(rows) == 5 and rows[1][0] == str(digits[0])
    np.testing.assert_allclose(np.array([row[1:] for row in rows[1:]], float), vectors, rtol=1e-6)
    assert "must end in .npy or .csv" in str(invoke("embed", digits[0], "-o", tmp_path / "e.txt").exception)


def test_greek_fit_classify_and_distances_on_digit_classes(data, tmp_path):
    """Any labelled folder works: here 'one' and 'seven' pictures stand in for letters."""
    for name, label in (("one", 1), ("seven", 7)):
        chosen = np.flatnonzero(data.test_labels == label)[:6]
        write_digits(tmp_path / "refs" / name, data.test_images[chosen[:5]], data.test_labels[chosen[:5]])
        write_digits(tmp_path / "new" / name, data.test_images[chosen[5:]], data.test_labels[chosen[5:]])
    fit = invoke("greek", "fit", tmp_path / "refs", "-o", tmp_path / "refs.npz")
    assert fit.exit_code == 0, fit.output
    assert ReferenceSet.load(tmp_path / "refs.npz").class_names == ["one", "seven"]
    result = invoke("greek", "classify", tmp_path / "new", "--refs", tmp_path / "refs.npz", "-k", "3", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["label"] for row in rows] == ["one", "seven"] and len(rows[0]["neighbours"]) == 3
    table = invoke("greek", "distances", tmp_path / "refs").stdout.splitlines()
    assert table[1].startswith("one ssd: [0, ") and table[2].startswith("seven ssd: [")
    assert len(table[1].split(",")) == 10
    (tmp_path / "bad.png").write_text("not a picture")
    result = invoke("greek", "classify", tmp_path / "bad.png", tmp_path / "new" / "one",
                    "--refs", tmp_path / "refs.npz")
    assert result.exit_code == 1  # one error line, every other picture still answered
    assert result.stderr.startswith("error: ") and "bad.png: cannot decode image" in result.stderr
    assert [line.split(": ")[1].split()[0] for line in result.stdout.splitlines()] == ["one"]


def test_greek_classify_new_handwriting_against_the_seed_letters(tmp_path):
    """A new writer's letters (greek_new) against the first writer's drawings, then the shipped letters.

    The issue's target is 16/18 against the drawings; the shipped generated letters, narrowed to the
    same three classes, must do as well without any of the user's drawings.
    """
    greek, new = shared_folder("greek"), shared_folder("greek_new")
    (tmp_path / "refs").mkdir()
    for letter in ("alpha", "beta", "gamma"):
        (tmp_path / "refs" / letter).symlink_to((greek / letter).resolve())
    assert invoke("greek", "fit", tmp_path / "refs", "-o", tmp_path / "abg.npz").exit_code == 0
    assert len(ReferenceSet.load(tmp_path / "abg.npz").vectors) == 27 * 41  # each drawing and 40 copies
    for options in (["--refs", tmp_path / "abg.npz"], ["--classes", "alpha,beta,gamma"]):
        result = invoke("greek", "classify", new, *options, "--json")
        rows = json.loads(result.stdout)
        correct = sum(row["label"] == row["path"].split("/")[-2] for row in rows)
        print(f"greek_new with {options[0]}: {correct}/{len(rows)}")
        assert len(rows) == 18 and correct >= 16


def test_evaluate_shipped_model():
    result = invoke("evaluate", "--json", "--data-dir", MNIST_DIR)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["accuracy"] >= 0.992


def test_info_and_fetch():
    text = invoke("info", DIGITS).stdout
    assert "full model" in text and "input  image tensor(float)" in text and "training:" in text
    info = json.loads(invoke("info", DIGITS, "--json").stdout)
    assert info["outputs"][0]["name"] == "log_probs" and info["outputs"][0]["shape"][1] == 10
    fetched = invoke("fetch", "--data-dir", MNIST_DIR)
    assert fetched.exit_code == 0 and "MNIST ready" in fetched.stdout
