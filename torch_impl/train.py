"""Seeded training of the reference network, evaluated on train and test sets after every epoch."""
import time
from collections.abc import Iterator
from functools import partial

import torch
import torch.nn.functional as F

from recipe.history import EpochResult, OnBatch, OnEpoch, history
from recipe.settings import SEED, Recipe, limited
from runtime.data import mnist
from runtime.errors import InputError
from torch_impl.augment import augment
from torch_impl.data import Tensors, as_tensors
from torch_impl.model import Net


def make_repeatable(seed: int) -> None:
    torch.manual_seed(seed)
    torch.backends.cudnn.enabled = False


def device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def as_data(data: mnist.Mnist) -> Tensors:
    """MNIST in this framework's layout (torch_impl.data)."""
    return as_tensors(data)


def seeded_model(recipe: Recipe) -> Net:
    """The recipe's untrained network, its weights drawn from recipe.seed."""
    make_repeatable(recipe.seed)
    return Net(recipe).to(device())


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


def train(recipe: Recipe = SEED, data: Tensors | None = None, on_batch: OnBatch | None = None,
          on_epoch: OnEpoch | None = None, outliers: torch.Tensor | None = None) -> tuple[Net, list[EpochResult]]:
    """Train from scratch; `data` is as_data(...), loaded when None; the callbacks see every batch and epoch;
    `outliers`: normalised [M, 1, 28, 28] pictures holding no digit, needed when recipe.outlier_exposure > 0."""
    data = limited(recipe, data if data is not None else as_data(mnist.load(recipe.data_dir)))
    if recipe.outlier_exposure and outliers is None:
        raise InputError("a recipe with outlier exposure trains with pictures that hold no digit: pass outliers")
    model = seeded_model(recipe)
    results = history(trained_epochs(model, recipe, *data[:2], on_batch, outliers),
                      partial(evaluate, model, batch_size=recipe.test_batch_size), data, on_epoch)
    return model.cpu().eval(), results


def trained_epochs(model: Net, recipe: Recipe, images: torch.Tensor, labels: torch.Tensor,
                   on_batch: OnBatch | None = None, outliers: torch.Tensor | None = None) -> Iterator[float]:
    """Train `model` (seeded_model(recipe)) one epoch at a time, yielding after each its training seconds."""
    optimizer = make_optimizer(model, recipe)
    scheduler = make_schedule(optimizer, recipe, batches_per_epoch=-(-len(images) // recipe.batch_size))
    generator = torch.Generator().manual_seed(recipe.seed)
    for _ in range(recipe.epochs):
        started = time.perf_counter()
        train_epoch(model, optimizer, scheduler, images, labels, recipe, generator, on_batch, outliers)
        yield time.perf_counter() - started


def train_epoch(model: Net, optimizer: torch.optim.Optimizer, scheduler: torch.optim.lr_scheduler.LRScheduler | None,
                images: torch.Tensor, labels: torch.Tensor, recipe: Recipe, generator: torch.Generator,
                on_batch: OnBatch | None, outliers: torch.Tensor | None = None) -> None:
    model.train()
    at = next(model.parameters()).device
    order = torch.randperm(len(images), generator=generator)
    for start in range(0, len(images), recipe.batch_size):
        batch = order[start:start + recipe.batch_size]
        inputs = images[batch]
        if recipe.outlier_exposure:  # half a batch of outliers, drawn at random, beside the digits
            drawn = torch.randint(len(outliers), (len(batch) // 2,), generator=generator)
            inputs = torch.cat([inputs, outliers[drawn]])
        inputs = augment(inputs, generator) if recipe.augment else inputs
        optimizer.zero_grad()
        log_probs = model(inputs.to(at))
        loss = F.nll_loss(log_probs[:len(batch)], labels[batch].to(at))
        if recipe.outlier_exposure:  # the outliers' cross-entropy to equal probabilities
            loss = loss - recipe.outlier_exposure * log_probs[len(batch):].mean()
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        if on_batch is not None:
            on_batch(start + len(batch), len(images), loss.item())


def make_optimizer(model: Net, recipe: Recipe) -> torch.optim.Optimizer:
    if recipe.optimizer == "adamw":
        return torch.optim.AdamW(model.parameters(), lr=recipe.lr, weight_decay=recipe.weight_decay)
    return torch.optim.SGD(model.parameters(), lr=recipe.lr, momentum=recipe.momentum,
                           weight_decay=recipe.weight_decay)


def make_schedule(optimizer: torch.optim.Optimizer, recipe: Recipe,
                  batches_per_epoch: int) -> torch.optim.lr_scheduler.LRScheduler | None:
    """None for a constant learning rate; "onecycle" warms up to recipe.lr, then anneals, stepped per batch."""
    if recipe.schedule == "onecycle":
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=recipe.lr,
                                                   total_steps=recipe.epochs * batches_per_epoch)
    return None
