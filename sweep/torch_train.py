"""Train one variant in PyTorch with the reference's seeded loop (torch_impl.train)."""
from rich.progress import Progress, TaskID

from sweep.config import NetConfig
from sweep.network import ConfigurableNet
from sweep.train import limited, measured
from torch_impl.config import TrainConfig
from torch_impl.data import Tensors
from torch_impl.train import device, evaluate, make_repeatable, trained_epochs


def train_variant(config: NetConfig, seed: int, progress: Progress, task: TaskID, data: Tensors) -> list[dict]:
    """Per-epoch history (sweep.train.measured) of `config` trained with `seed` on `data`
    (torch_impl.data.as_tensors); the batches advance `task`."""
    train_x, train_y, test_x, test_y = limited(config, data)
    make_repeatable(seed)
    model = ConfigurableNet(config).to(device())
    settings = TrainConfig(epochs=config.epochs, batch_size=config.batch_size, lr=config.lr,
                           momentum=config.momentum, optimizer=config.optimizer, seed=seed)
    epochs = trained_epochs(model, settings, train_x, train_y, progress, task)
    return measured(epochs, lambda: evaluate(model, test_x, test_y))
