"""`mnist-sweep`, also `python -m sweep`."""
from frameworks.launch import launch


def main() -> None:
    launch("mnist-sweep", "sweep.cli", 'pip install ".[torch]" (in the repository)')


if __name__ == "__main__":
    main()
