"""Interrupted writes: an existing good file stays as it was, and nothing half-written appears under its name."""
import signal
import subprocess
import sys

import pytest

from runtime import atomic
from runtime_support import ctrl_c_reaches_children

OLD = b"the complete old file\n"

# Writes half of a new version through atomic_path, says so, and waits to be interrupted.
WRITER = """
import sys, time
from runtime import atomic
with atomic.atomic_path(sys.argv[1]) as tmp:
    with tmp.open("wb") as handle:
        handle.write(b"half of the new")
        handle.flush()
        print("half written", flush=True)
        time.sleep(60)
"""


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "model.onnx"
    path.write_bytes(OLD)
    return path


@pytest.mark.parametrize("interruption", [RuntimeError("disk full"), KeyboardInterrupt()], ids=["error", "ctrl-c"])
def test_interrupted_write_keeps_the_old_file_and_cleans_up(good_file, interruption):
    with pytest.raises(type(interruption)):
        with atomic.atomic_path(good_file) as tmp:
            tmp.write_bytes(b"half of the new")
            raise interruption
    assert good_file.read_bytes() == OLD
    assert [path.name for path in good_file.parent.iterdir()] == [good_file.name]


def test_a_new_file_appears_only_when_complete(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with atomic.atomic_path(tmp_path / "new.npz") as tmp:
            tmp.write_bytes(b"half")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    atomic.write_text(tmp_path / "new.npz", "whole")
    assert [(path.name, path.read_text()) for path in tmp_path.iterdir()] == [("new.npz", "whole")]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_a_process_stopped_mid_write_leaves_the_old_file(good_file, sig):
    with ctrl_c_reaches_children():
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(good_file)], cwd=good_file.parent,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert writer.stdout.readline() == "half written\n"
    writer.send_signal(sig)
    assert writer.wait(timeout=30) != 0
    assert good_file.read_bytes() == OLD
    others = [path.name for path in good_file.parent.iterdir() if path != good_file]
    if sig == signal.SIGINT:
        assert others == []
    else:  # no process can clean up after SIGKILL: the half-written file stays under a hidden temporary name
        assert len(others) == 1 and others[0].startswith(f".{good_file.name}.") and others[0].endswith(".tmp")

