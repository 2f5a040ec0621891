"""What every report section gets: where to write, the data, the trained reference model and its recipe."""
import os
from dataclasses import dataclass
from pathlib import Path

from recipe.settings import SEED, Recipe
from runtime.data.mnist import Mnist

# The project's real handwriting lives beside the repository; a fresh machine may not have it.
SHARED_DATA = Path(os.environ.get("SHARED_DATA", "../shared/data"))


def shared_folder(name: str) -> Path | None:
    folder = SHARED_DATA / name
    return folder if folder.is_dir() else None


@dataclass(frozen=True)
class Context:
    out: Path  # the report folder
    data: Mnist
    model_path: Path  # the reference network trained by this run (PyTorch state_dict)
    recipe: Recipe = SEED  # what the reference is trained with

    def figure(self, name: str) -> Path:
        return self.out / "figures" / name

    def link(self, path: Path) -> str:
        """A path under the report folder as report.md links it."""
        return str(path.relative_to(self.out))
