"""`torch-mnist`, also `python -m torch_impl`: its commands are frameworks.cli's, one floor up (the same for both
twins, with `convert` between them)."""
from runtime.errors import launch


def main() -> None:
    launch("torch-mnist", "frameworks.cli:torch_main", 'pip install ".[torch]" (in the repository)')


if __name__ == "__main__":
    main()
