"""`torch-mnist` and `keras-mnist`, also `python -m frameworks torch|keras ...`: frameworks.cli's commands for
one twin; a twin whose framework is not installed says in one line which extra brings it."""
import sys

from frameworks.launch import launch


def torch_main() -> None:
    launch("torch-mnist", "frameworks.cli:torch_main", 'pip install ".[torch]" (in the repository)')


def keras_main() -> None:
    launch("keras-mnist", "frameworks.cli:keras_main", 'pip install ".[keras]" (in the repository)')


TWINS = {"torch": torch_main, "keras": keras_main}

if __name__ == "__main__":
    twin = sys.argv.pop(1) if len(sys.argv) > 1 else ""
    if twin not in TWINS:
        sys.exit(f"usage: python -m frameworks {'|'.join(TWINS)} COMMAND [ARGS]...")
    TWINS[twin]()
