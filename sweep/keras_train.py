"""Train one variant in Keras with the twin's seeded loop (keras_impl.train)."""
import keras
from rich.progress import Progress, TaskID

from keras_impl.train import Arrays, compile_nll, evaluate, trained_epochs
from sweep.config import NetConfig
from sweep.keras_network import build
from sweep.train import limited, measured


def train_variant(config: NetConfig, seed: int, progress: Progress, task: TaskID, data: Arrays) -> list[dict]:
    """Per-epoch history (sweep.train.measured) of `config` trained with `seed` on `data`
    (keras_impl.train.as_arrays); the batches advance `task`."""
    train_x, train_y, test_x, test_y = limited(config, data)
    keras.utils.set_random_seed(seed)
    model = compile_nll(build(config), optimizer(config))
    advance = Advance(progress, task, len(train_x), config.batch_size)
    epochs = trained_epochs(model, train_x, train_y, config.batch_size, config.epochs, seed, [advance])
    return measured(epochs, lambda: evaluate(model, test_x, test_y))


def optimizer(config: NetConfig) -> keras.optimizers.Optimizer:
    """torch_impl.train.make_optimizer's, with PyTorch's settings: AdamW without weight decay, eps 1e-8."""
    if config.optimizer == "adamw":
        return keras.optimizers.AdamW(config.lr, weight_decay=0.0, epsilon=1e-8)
    return keras.optimizers.SGD(config.lr, momentum=config.momentum)


class Advance(keras.callbacks.Callback):
    """Advances a rich Progress task by each batch's images, showing the epoch's mean loss so far."""

    def __init__(self, progress: Progress, task: TaskID, images: int, batch_size: int) -> None:
        super().__init__()
        self.progress, self.task, self.images, self.batch_size = progress, task, images, batch_size

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.progress.update(self.task, advance=min(self.batch_size, self.images - batch * self.batch_size),
                             description=f"loss {float(logs['loss']):.3f}")
