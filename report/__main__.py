"""`mnist-report`, also `python -m report`."""
from frameworks.launch import launch


def main() -> None:
    launch("mnist-report", "report.cli", 'pip install ".[all]" (in the repository)')


if __name__ == "__main__":
    main()
