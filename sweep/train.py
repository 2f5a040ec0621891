"""Train one variant with the reference's seeded loop, measuring the test set after every epoch."""
import time

import torch
from rich.progress import Progress, TaskID

from sweep.config import NetConfig
from sweep.network import ConfigurableNet
from torch_impl.config import TrainConfig
from torch_impl.data import Tensors
from torch_impl.train import device, evaluate, make_optimizer, make_repeatable, train_epoch


def train_variant(config: NetConfig, seed: int, progress: Progress, task: TaskID, data: Tensors) -> list[dict]:
    """Per epoch: test loss and accuracy, and the training seconds so far (evaluation excluded).

    With `data` bound (functools.partial) this is a sweep.run.Trainer."""
    train_x, train_y, test_x, test_y = data
    train_x, train_y = train_x[:config.train_limit], train_y[:config.train_limit]
    test_x, test_y = test_x[:config.test_limit], test_y[:config.test_limit]
    make_repeatable(seed)
    model = ConfigurableNet(config).to(device())
    optimizer = make_optimizer(model, TrainConfig(lr=config.lr, momentum=config.momentum, optimizer=config.optimizer))
    generator = torch.Generator().manual_seed(seed)
    history, seconds = [], 0.0
    for epoch in range(1, config.epochs + 1):
        started = time.perf_counter()
        train_epoch(model, optimizer, train_x, train_y, config.batch_size, generator, progress, task)
        seconds += time.perf_counter() - started
        loss, accuracy = evaluate(model, test_x, test_y)
        history.append({"epoch": epoch, "test_loss": loss, "test_accuracy": accuracy, "seconds": seconds})
    return history

