"""XLA's threads, which must be chosen before JAX starts (it reads XLA_FLAGS once): import no keras here."""
import os
import sys

from recipe.settings import cores

# XLA has no thread-count flag: its CPU backend runs on one thread with this flag, else on every core.
XLA_ONE_THREAD = "--xla_cpu_multi_thread_eigen=false"


def check(threads: int) -> None:
    """ValueError unless XLA can run on `threads` here."""
    if threads not in (1, cores()):
        raise ValueError(f"the Keras twin runs XLA on 1 thread or on all {cores()} cores, not {threads}")


def use_threads(threads: int) -> None:
    """Set XLA's thread flag before JAX starts; refuse what it cannot give."""
    check(threads)
    flags = os.environ.get("XLA_FLAGS", "")
    if "jax" in sys.modules:
        if (XLA_ONE_THREAD in flags) != (threads == 1):
            raise RuntimeError(f"JAX started in this process with other threads than {threads}")
    elif threads == 1 and XLA_ONE_THREAD not in flags:
        os.environ["XLA_FLAGS"] = f"{flags} {XLA_ONE_THREAD}".strip()
