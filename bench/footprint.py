"""Disk footprint: a virtual environment holding only the runtime against the training stack (this one).

The runtime-only environment is built once in a temporary folder (`python -m venv` + `pip install ./runtime`
of a copy of the runtime's folder, so the working tree gets no build files). Without building, its size is
estimated from the files of the installed distributions it would hold.
"""
import importlib.metadata
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

RUNTIME = "mnist-runtime"
NOT_SOURCES = ("build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis")  # of runtime/; its data/ is code


@dataclass(frozen=True)
class Footprint:
    runtime_bytes: int
    training_bytes: int
    runtime_measured: bool  # False: estimated from installed distributions


def tree_size(root: Path) -> int:
    """Bytes of the regular files under `root`; hard links counted once, symbolic links not followed."""
    seen, total = set(), 0
    for folder, _, files in os.walk(root):
        for name in files:
            info = os.lstat(os.path.join(folder, name))
            if stat.S_ISREG(info.st_mode) and (info.st_dev, info.st_ino) not in seen:
                seen.add((info.st_dev, info.st_ino))
                total += info.st_size
    return total


def runtime_sources(project: Path, into: Path) -> Path:
    """A copy of the runtime's package folder under `into`, without build leftovers: what pip installs."""
    return shutil.copytree(project / "runtime", into / "runtime", ignore=shutil.ignore_patterns(*NOT_SOURCES))


def runtime_venv_size(project: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        source = runtime_sources(project, Path(tmp))
        venv = Path(tmp) / "venv"
        python = venv / "bin" / "python"
        for command in ([sys.executable, "-m", "venv", venv], [python, "-m", "pip", "install", source]):
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(map(str, command))} failed: {done.stderr.strip()[-2000:]}")
        return tree_size(venv)


def distribution_closure(requirements: list[str]) -> set[str]:
    """Names of the installed distributions these requirements pull in (extras and markers honoured)."""
    found, pending = set(), [Requirement(text) for text in requirements]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if (name, frozenset(requirement.extras)) in found:
            continue
        found.add((name, frozenset(requirement.extras)))
        for text in importlib.metadata.distribution(name).requires or []:
            needed = Requirement(text)
            if needed.marker is None or any(needed.marker.evaluate({"extra": extra})
                                            for extra in requirement.extras | {""}):
                pending.append(needed)
    return {name for name, _ in found}


def installed_size(names: set[str]) -> int:
    files = (importlib.metadata.distribution(name).locate_file(file)
             for name in names for file in importlib.metadata.distribution(name).files or [])
    return sum(path.stat().st_size for path in map(Path, files) if path.is_file())


def run(project: Path, build: bool) -> Footprint:
    training = tree_size(Path(sys.prefix))
    if build:
        return Footprint(runtime_venv_size(project), training, runtime_measured=True)
    return Footprint(installed_size(distribution_closure([RUNTIME])), training, runtime_measured=False)
