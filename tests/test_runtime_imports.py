"""The runtime needs none of the training frameworks: run its commands in fresh processes and look."""
import subprocess
import sys

import pytest
from runtime_support import FORBIDDEN, mnist_test_set, write_digits

from runtime.models import DIGITS

# Runs the CLI as the console script does, then lists every forbidden top-level module that got imported.
PROBE = """
import sys
from runtime.cli import main
try:
    main()
finally:
    print("IMPORTED", sorted({name.split('.')[0] for name in sys.modules} & set(%r)))
""" % (FORBIDDEN,)


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    data = mnist_test_set()
    return write_digits(tmp_path_factory.mktemp("pictures"), data.test_images[:2], data.test_labels[:2])


@pytest.mark.parametrize("command", [["predict", "--top-k", "2"], ["embed", "-o", "{tmp}/e.npy"],
                                     ["greek", "classify"], ["info", str(DIGITS)]])
def test_runtime_commands_import_no_framework(command, pictures, tmp_path):
    args = [arg.format(tmp=tmp_path) for arg in command] + ([] if command[0] == "info" else [str(p) for p in pictures])
    run = subprocess.run([sys.executable, "-c", PROBE, *args],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "IMPORTED []"
