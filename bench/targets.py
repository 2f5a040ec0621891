"""The comparisons as ratios measured in one run (so the machine's speed cancels out), each against its
target where the issue sets one; "better" is above 1 except against a maximum."""
from bench.ceiling import Ceiling
from bench.footprint import Footprint
from bench.inference import InferenceResult
from bench.ratio import Ratio
from bench.startup import ProcessResult
from bench.sweeps import SweepTimes
from bench.training import Training

ONNX_SPEEDUP = {1: 5.0, 64: 2.0, 1000: None}  # onnxruntime over PyTorch eager, by batch size
KERAS_OF_REFERENCE = 0.9  # the twin's training images/s over the reference's
ACCURACY_TOLERANCE = 0.005  # "the same accuracy": within half a percentage point
STARTUP_SECONDS = 0.5  # the one absolute target: `runtime predict` on one image, whole process
SWEEP_OF_CEILING = 0.9  # each engine's wall time at most 1/0.9 of the bare processes' (bench.sweeps)
RAY_OVERHEAD = 1.1  # Ray's wall time at most 10% above the processes'


def training_ratios(training: Training, ceiling: Ceiling) -> list[Ratio]:
    reference, keras, classic = training
    return [
        Ratio("training GFLOP/s: PyTorch reference / the float32 matmul ceiling", reference.gflops / ceiling.gflops),
        Ratio("training GFLOP/s: Keras/JAX twin / the float32 matmul ceiling", keras.gflops / ceiling.gflops),
        Ratio("training images/s: reference loop / classic DataLoader loop",
              reference.images_per_second / classic.images_per_second, 2.0),
        Ratio("test accuracy after training: reference loop / classic DataLoader loop",
              reference.test_accuracy / classic.test_accuracy, 1 - ACCURACY_TOLERANCE, 1 + ACCURACY_TOLERANCE),
        Ratio("training images/s: Keras/JAX twin / PyTorch reference",
              keras.images_per_second / reference.images_per_second, KERAS_OF_REFERENCE),
    ]


def inference_ratios(results: list[InferenceResult]) -> list[Ratio]:
    speed = {(result.engine, result.batch_size): result.images_per_second for result in results}
    ratios = []
    for batch_size, minimum in ONNX_SPEEDUP.items():
        torch_speed = speed["PyTorch eager", batch_size]
        ratios += [Ratio(f"inference images/s at batch {batch_size}: onnxruntime / PyTorch eager",
                         speed["onnxruntime", batch_size] / torch_speed, minimum),
                   Ratio(f"inference images/s at batch {batch_size}: Keras/JAX jitted / PyTorch eager",
                         speed["Keras/JAX jitted", batch_size] / torch_speed)]
    return ratios


def deployment_ratios(runtime: ProcessResult, script: ProcessResult, footprint: Footprint) -> list[Ratio]:
    return [
        Ratio(f"start-up wall time: the {STARTUP_SECONDS:g} s target / `runtime predict`",
              STARTUP_SECONDS / runtime.seconds, 1.0),
        Ratio("start-up wall time: PyTorch script / `runtime predict`", script.seconds / runtime.seconds, 3.0),
        Ratio("peak memory: PyTorch script / `runtime predict`", script.peak_rss_mb / runtime.peak_rss_mb),
        Ratio("disk: training stack venv / runtime-only venv", footprint.training_bytes / footprint.runtime_bytes,
              10.0),
    ]


def sweep_ratios(times: SweepTimes) -> list[Ratio]:
    name = f"sweep wall time, {times.trainings} trainings on {times.cores} cores"
    ceiling = f"{name}: {times.cores} bare processes (the ceiling)"
    return [
        Ratio(f"{ceiling} / processes", times.ceiling / times.processes, SWEEP_OF_CEILING),
        Ratio(f"{ceiling} / Ray", times.ceiling / times.ray, SWEEP_OF_CEILING),
        Ratio(f"{name}: processes / Ray", times.processes / times.ray, round(1 / RAY_OVERHEAD, 3)),
        Ratio(f"{name}: local / processes", times.local / times.processes),
    ]
