"""One door for reading a picture: `runtime predict` on a file and POST /predict of its bytes both enter
runtime.reading.read, which decodes the bytes and reads the same working image."""
import pytest
from runtime_support import digit, encoded, write
from typer.testing import CliRunner

import runtime.reading
from runtime.cli import app


@pytest.fixture
def doorway(monkeypatch):
    """The working images runtime.reading reads, in order, as bytes."""
    seen = []
    inner = runtime.reading._read_work

    def recorded(work):
        seen.append(work.tobytes())
        return inner(work)
    monkeypatch.setattr(runtime.reading, "_read_work", recorded)
    return seen


def test_predict_and_the_server_enter_the_same_door(doorway, tmp_path):
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from runtime.models import DIGITS, EMBEDDING, GREEK_REFS
    from runtime.serve.app import create_app, load_models

    path = write(tmp_path / "three.png", encoded(digit()))
    assert CliRunner().invoke(app, ["predict", str(path)]).exit_code == 0
    models = load_models(DIGITS, EMBEDDING, GREEK_REFS, 32, 0.0)
    try:
        with TestClient(create_app(models)) as client:
            answer = client.post("/predict", content=path.read_bytes(), headers={"content-type": "image/png"})
    finally:
        models.close()
    assert answer.status_code == 200 and answer.json()[0]["digit"] == 3
    assert len(doorway) == 2 and doorway[0] == doorway[1]
