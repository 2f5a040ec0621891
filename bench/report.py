"""The markdown results: when and on what it ran, the ratios against their targets, then what was measured."""
import importlib.metadata
import os
import platform
from datetime import datetime
from pathlib import Path

import torch

from bench.ceiling import SIDE, Ceiling, training_flops
from bench.footprint import Footprint
from bench.inference import InferenceResult
from bench.startup import ProcessResult
from bench.sweeps import SweepTimes
from bench.targets import Ratio
from bench.timing import FULL, Sizes
from bench.training import Training
from recipe.settings import SEED

LIBRARIES = ("torch", "torchvision", "jax", "keras", "onnxruntime", "numpy", "opencv-python-headless", "ray")


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.is_file() else []
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.processor() or platform.machine()


def machine() -> str:
    versions = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in LIBRARIES)
    return (f"{cpu_model()}, {os.cpu_count()} logical CPUs ({torch.get_num_threads()} PyTorch threads), "
            f"load average {os.getloadavg()[1]:.1f} over the last 5 minutes at the end (other processes), "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}; {versions}")


def settings(sizes: Sizes, quick: bool) -> str:
    kind = "a quick smoke run (tiny sizes: the ratios mean little)" if quick else \
        "a full-size run" if sizes == FULL else "a run at custom sizes"
    return (f"{kind}: training on {sizes.train_images:,} images per pass at batch 64, median of "
            f"{sizes.train_repeats} passes after a warm-up pass (the reference's and the Keras twin's in turn); "
            f"inference and accuracy on {sizes.test_images:,} test images, start-up on one picture, each the median "
            f"of {sizes.repeats} after a warm-up; sweep engines: once each, 8 trainings of one epoch on "
            f"{sizes.sweep_images:,} images")


def ratio_rows(ratios: list[Ratio]) -> list[str]:
    return [f"| {ratio.name} | {ratio.value:.3g}x | {ratio.target} | {ratio.marker} |" for ratio in ratios]


def measurement_rows(ceiling: Ceiling, training: Training, inference: list[InferenceResult],
                     startup: tuple[ProcessResult, ...], footprint: Footprint, sweep: SweepTimes) -> list[str]:
    rows = [f"| the ceiling: float32 matmul {SIDE}x{SIDE}, {torch.get_num_threads()} threads | numpy "
            f"{ceiling.numpy_gflops:.1f} GFLOP/s, PyTorch {ceiling.torch_gflops:.1f} GFLOP/s |",
            f"| the network's training step, counted from its layers | {training_flops(SEED) / 1e6:.3f} MFLOP per "
            "image (forward, weight and input gradients) |"]
    rows += [f"| training: {result.loop} | {result.images_per_second:,.0f} images/s, "
             f"{result.seconds_per_epoch:.1f} s/epoch, {result.gflops:.1f} GFLOP/s; test accuracy "
             f"{100 * result.test_accuracy:.2f}% |" for result in training]
    rows += [f"| inference at batch {result.batch_size}: {result.engine} | {result.images_per_second:,.0f} images/s |"
             for result in inference]
    rows += [f"| start-up: {result.command} | {result.seconds:.2f} s, peak RSS {result.peak_rss_mb:.0f} MB "
             f"(`{result.output}`) |" for result in startup]
    how = "a fresh venv with `pip install ./runtime`" if footprint.runtime_measured else \
        "estimated from its installed distributions (`--skip-venv`)"
    rows += [f"| disk: runtime-only venv | {footprint.runtime_bytes / 1e6:,.0f} MB, {how} |",
             f"| disk: training stack venv | {footprint.training_bytes / 1e6:,.0f} MB, "
             "the environment running this benchmark |"]
    plan = f"{sweep.trainings} trainings of {sweep.images:,} images"
    rows += [f"| sweep: local, one training at a time on {sweep.cores} threads | {sweep.local:.1f} s for {plan} |",
             f"| sweep: processes, {sweep.cores} workers of 1 thread | {sweep.processes:.1f} s for {plan}, "
             "starting the workers included |",
             f"| sweep: Ray, {sweep.cores} workers of 1 thread, instance running | {sweep.ray:.1f} s for {plan} |",
             f"| sweep: Ray start-up (`ray.init`, {sweep.cores} CPUs) | {sweep.ray_startup:.1f} s |",
             f"| sweep: {sweep.cores} bare processes of 1 thread, no engine (the ceiling) | {sweep.ceiling:.1f} s for "
             f"{plan}; each started (imports, MNIST) in {sweep.worker_startup:.1f} s |"]
    return rows


def markdown(ratios: list[Ratio], measurements: list[str], sizes: Sizes, quick: bool) -> str:
    return "\n".join([
        "# Benchmarks", "",
        f"Measured by `python -m bench` on {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, "
        f"{settings(sizes, quick)}.",
        "",
        f"Machine: {machine()}.", "",
        "Absolute times differ from run to run; the ratios, all measured in this one run, are what to compare.",
        "", "## Ratios", "",
        "| comparison | ratio | target | |", "| --- | ---: | --- | --- |", *ratio_rows(ratios),
        "", "## Measurements", "",
        "| what | measured |", "| --- | --- |", *measurements, "",
    ])
