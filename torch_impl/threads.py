"""The reference's intra-op threads (a twin of keras_impl.threads)."""
import torch


def use_threads(threads: int) -> None:
    torch.set_num_threads(threads)
