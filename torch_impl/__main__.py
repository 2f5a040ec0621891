"""`torch-mnist`, also `python -m torch_impl`."""
from runtime.errors import launch


def main() -> None:
    launch("torch-mnist", "torch_impl.cli", 'pip install ".[torch]" (in the repository)')


if __name__ == "__main__":
    main()
