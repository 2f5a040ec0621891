"""The installs a user gets, built from uv.lock in fresh environments: the runtime alone holds only `runtime`
and commands that run; the training project without its frameworks says in one line what to install."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from runtime_support import shared_folder

from frameworks.launch import launch

ROOT = Path(__file__).resolve().parents[1]
UV = Path(sys.executable).with_name("uv")  # the dev extra installs uv beside the test interpreter
# Each training command with arguments that need its framework (mnist-export's --help needs none).
TRAINING_RUNS = {"torch-mnist": ["--help"], "keras-mnist": ["--help"], "mnist-report": ["--help"],
                 "mnist-sweep": ["--help"], "mnist-export": ["graphs", "model.pth", "graphs/"]}
OUR_PACKAGES = ("runtime", "torch_impl", "keras_impl", "export", "report", "sweep", "bench")
# Lists the top-level names the mnist-runtime distribution installs, and which of our packages import.
PROBE = """
import importlib.util, json
from importlib.metadata import distribution
files = distribution("mnist-runtime").files
print(json.dumps({
    "top_level": sorted({f.parts[0] for f in files if not f.parts[0].endswith(".dist-info") and f.parts[0] != ".."}),
    "importable": [name for name in %r if importlib.util.find_spec(name)],
    "files": sorted(str(f) for f in files if f.parts[0] == "runtime" and "__pycache__" not in f.parts),
}))
""" % (OUR_PACKAGES,)


# The wheel's files: the runtime and its models, nothing the training project alone uses (no report helpers, no
# leave-one-out, no launcher of framework commands).
RUNTIME_FILES = sorted([
    "runtime/__init__.py", "runtime/__main__.py", "runtime/atomic.py", "runtime/errors.py",
    *(f"runtime/cli/{name}.py" for name in ("__init__", "digits", "serve", "symbols")),
    *(f"runtime/data/{name}.py" for name in ("__init__", "idx", "mnist")),
    *(f"runtime/models/{name}" for name in ("__init__.py", "batching.py", "contract.py", "digits.onnx",
                                            "embedding.onnx", "greek_refs.npz")),
    *(f"runtime/reading/{name}.py" for name in ("__init__", "decode", "files", "ink", "render", "segment")),
    *(f"runtime/serve/{name}" for name in ("__init__.py", "app.py", "http.py", "kserve.py", "process.py",
                                           "page/index.html", "page/page.css", "page/page.js")),
    *(f"runtime/symbols/{name}.py" for name in ("__init__", "classifier", "distort", "knn", "references", "sets")),
])


def installed(venv: Path, package: str) -> Path:
    """`package` of the workspace and what it needs, from the lock, into `venv`, as a normal (not editable) install."""
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv)}
    subprocess.run([UV, "sync", "--frozen", "--quiet", "--package", package, "--no-editable",
                    "--python", sys.executable], cwd=ROOT, env=env, check=True, timeout=600)
    return venv / "bin"


@pytest.fixture(scope="module")
def runtime_bin(tmp_path_factory) -> Path:
    return installed(tmp_path_factory.mktemp("runtime-only") / "venv", "mnist-runtime")


@pytest.fixture(scope="module")
def frameworkless_bin(tmp_path_factory) -> Path:
    return installed(tmp_path_factory.mktemp("no-extras") / "venv", "mnist-twins")


def console_scripts(bin_dir: Path) -> list[Path]:
    """Every command the install put on the PATH, but the interpreter and the venv's activation scripts."""
    return sorted(path for path in bin_dir.iterdir()
                  if path.is_file() and os.access(path, os.X_OK) and not path.name.startswith(("python", "activate")))


def test_runtime_install_holds_only_the_runtime_package(runtime_bin, tmp_path):
    run = subprocess.run([runtime_bin / "python", "-c", PROBE], capture_output=True, text=True, cwd=tmp_path,
                         check=True)
    found = json.loads(run.stdout)
    assert found == {"top_level": ["runtime"], "importable": ["runtime"], "files": RUNTIME_FILES}
    commands = {script.name for script in console_scripts(runtime_bin)}
    assert "runtime" in commands and commands.isdisjoint(TRAINING_RUNS)


def test_every_runtime_install_command_runs(runtime_bin, tmp_path):
    for script in console_scripts(runtime_bin):
        run = subprocess.run([script, "--help"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
        assert run.returncode == 0, f"{script.name} --help: {run.stderr}"


def test_runtime_install_reads_the_shared_photos(runtime_bin, tmp_path):
    photos = shared_folder("handwritten_digits").resolve()
    run = subprocess.run([runtime_bin / "runtime", "predict", photos, "--json"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    assert len(results) == 10
    assert [Path(r["path"]).name[0] for r in results] == [str(r["digit"]) for r in results]


def test_runtime_serve_without_its_extra_says_what_to_install(runtime_bin, tmp_path):
    run = subprocess.run([runtime_bin / "runtime", "serve", "--port", "0"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert run.returncode == 1 and run.stderr.count("\n") == 1, run.stderr
    assert run.stderr.startswith("error: runtime serve needs the [serve] extra") and "./runtime[serve]" in run.stderr


@pytest.mark.parametrize("command", TRAINING_RUNS)
def test_training_command_without_its_framework_says_what_to_install(frameworkless_bin, command, tmp_path):
    (tmp_path / "model.pth").write_bytes(b"")
    run = subprocess.run([frameworkless_bin / command, *TRAINING_RUNS[command]], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert run.returncode == 1
    assert run.stderr.startswith(f"error: {command} needs ") and run.stderr.count("\n") == 1, run.stderr
    assert 'pip install ".[' in run.stderr and "Traceback" not in run.stderr


def test_launch_lets_a_bug_through(tmp_path, monkeypatch):
    """A module missing from a package that is installed is a bug to see, not an extra to install."""
    (tmp_path / "broken_cli.py").write_text("import runtime.no_such_module\n")
    monkeypatch.syspath_prepend(tmp_path)
    with pytest.raises(ModuleNotFoundError):
        launch("broken", "broken_cli", "pip install nothing")
