"""The reference's intra-op threads (a twin of keras_impl.threads)."""


def check(threads: int) -> None:
    """Any count will do: PyTorch runs its intra-op work on as many threads as it is given."""


def use_threads(threads: int) -> None:
    import torch  # here, so that a sweep's driver checks --threads without starting PyTorch

    torch.set_num_threads(threads)
