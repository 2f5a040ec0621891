"""A training's progress on the terminal: a transient bar over each epoch's batches, a line per epoch."""
from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import Progress

from recipe.history import EpochResult, OnBatch, OnEpoch, format_epoch


@contextmanager
def shown() -> Iterator[tuple[OnBatch, OnEpoch]]:
    """(on_batch, on_epoch) for a twin's train(), drawing on the terminal while the block runs."""
    with Progress(transient=True) as progress:
        task = progress.add_task("", total=None)

        def on_batch(done: int, total: int, loss: float) -> None:
            progress.update(task, completed=done, total=total, description=f"loss {loss:.3f}")

        def on_epoch(result: EpochResult) -> None:
            progress.console.print(format_epoch(result))
            progress.reset(task)

        yield on_batch, on_epoch
