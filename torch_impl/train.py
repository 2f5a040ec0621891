"""Seeded training of the reference network, evaluated on train and test sets after every epoch."""
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from rich.progress import Progress, TaskID
from torch import nn

from torch_impl.augment import augment
from torch_impl.config import TrainConfig
from torch_impl.data import load_tensors
from torch_impl.model import Net


@dataclass(frozen=True)
class EpochResult:
    epoch: int  # 0 is the untrained network
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float


def make_repeatable(seed: int) -> None:
    torch.manual_seed(seed)
    torch.backends.cudnn.enabled = False


def device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@torch.no_grad()
def evaluate(model: Net, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 1000) -> tuple[float, float]:
    """Mean negative log-likelihood and accuracy (0-1) in inference mode."""
    model.eval()
    at = next(model.parameters()).device
    loss, correct = 0.0, 0
    for start in range(0, len(images), batch_size):
        output = model(images[start:start + batch_size].to(at))
        target = labels[start:start + batch_size].to(at)
        loss += F.nll_loss(output, target, reduction="sum").item()
        correct += (output.argmax(1) == target).sum().item()
    return loss / len(images), correct / len(images)


def train_epoch(model: Net, optimizer: torch.optim.Optimizer, images: torch.Tensor, labels: torch.Tensor,
                batch_size: int, generator: torch.Generator, progress: Progress, task,
                augment_batches: bool = False, scheduler: torch.optim.lr_scheduler.LRScheduler | None = None) -> None:
    model.train()
    at = next(model.parameters()).device
    order = torch.randperm(len(images), generator=generator)
    for start in range(0, len(images), batch_size):
        batch = order[start:start + batch_size]
        inputs = augment(images[batch], generator) if augment_batches else images[batch]
        optimizer.zero_grad()
        loss = F.nll_loss(model(inputs.to(at)), labels[batch].to(at))
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        progress.update(task, advance=len(batch), description=f"loss {loss.item():.3f}")


def train(config: TrainConfig, data=None) -> tuple[Net, list[EpochResult]]:
    """Train from scratch; `data` is (train x, train y, test x, test y) tensors, loaded when None."""
    train_x, train_y, test_x, test_y = data if data is not None else load_tensors(config.data_dir)
    train_x, train_y = train_x[:config.train_limit], train_y[:config.train_limit]
    make_repeatable(config.seed)
    model = Net().to(device())
    history = [EpochResult(0, *evaluate(model, train_x, train_y), *evaluate(model, test_x, test_y))]
    with Progress(transient=True) as progress:
        task = progress.add_task("", total=len(train_x))
        for epoch, _ in enumerate(trained_epochs(model, config, train_x, train_y, progress, task), 1):
            history.append(EpochResult(epoch, *evaluate(model, train_x, train_y, config.test_batch_size),
                                       *evaluate(model, test_x, test_y, config.test_batch_size)))
            progress.console.print(format_epoch(history[-1]))
            progress.reset(task)
    return model.cpu().eval(), history


def trained_epochs(model: nn.Module, config: TrainConfig, images: torch.Tensor, labels: torch.Tensor,
                   progress: Progress, task: TaskID) -> Iterator[float]:
    """Train `model` (made just after make_repeatable(config.seed)) one epoch at a time, yielding after
    each its training seconds; the batches advance `task`."""
    optimizer = make_optimizer(model, config)
    scheduler = make_schedule(optimizer, config, batches_per_epoch=-(-len(images) // config.batch_size))
    generator = torch.Generator().manual_seed(config.seed)
    for _ in range(config.epochs):
        started = time.perf_counter()
        train_epoch(model, optimizer, images, labels, config.batch_size, generator, progress, task,
                    config.augment, scheduler)
        yield time.perf_counter() - started


def make_optimizer(model: Net, config: TrainConfig) -> torch.optim.Optimizer:
    if config.optimizer == "sgd":
        return torch.optim.SGD(model.parameters(), lr=config.lr, momentum=config.momentum,
                               weight_decay=config.weight_decay)
    if config.optimizer == "adamw":
        return torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    raise ValueError(f"unknown optimizer {config.optimizer!r} (sgd or adamw)")


def make_schedule(optimizer: torch.optim.Optimizer, config: TrainConfig,
                  batches_per_epoch: int) -> torch.optim.lr_scheduler.LRScheduler | None:
    """None for a constant learning rate; "onecycle" warms up to config.lr, then anneals, stepped per batch."""
    if config.schedule == "constant":
        return None
    if config.schedule == "onecycle":
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=config.lr,
                                                   total_steps=config.epochs * batches_per_epoch)
    raise ValueError(f"unknown schedule {config.schedule!r} (constant or onecycle)")


def format_epoch(result: EpochResult) -> str:
    return (f"epoch {result.epoch}: train loss {result.train_loss:.4f} acc {100 * result.train_accuracy:.2f}% | "
            f"test loss {result.test_loss:.4f} acc {100 * result.test_accuracy:.2f}%")


def history_rows(history: list[EpochResult]) -> list[dict]:
    return [asdict(result) for result in history]
