import json

from recipe.settings import Recipe
from report import keras_section
from report.context import Context
from runtime.data.mnist import Mnist


def test_section_trains_saves_and_compares(tmp_path, mnist_data):
    data = Mnist(mnist_data.train_images[:640], mnist_data.train_labels[:640],
                 mnist_data.test_images[:200], mnist_data.test_labels[:200])
    reference = [{"epoch": e, "train_loss": 1.0, "train_accuracy": 0.5, "test_loss": 1.0, "test_accuracy": 0.5}
                 for e in range(6)]
    (tmp_path / "torch").mkdir()
    (tmp_path / "torch" / "model.history.json").write_text(json.dumps(reference))
    facts = keras_section.compute(Context(out=tmp_path, data=data, model_path=tmp_path / "torch" / "model.pth"),
                                  Recipe(epochs=1, train_limit=640))
    markdown = keras_section.render(facts)
    assert (tmp_path / "keras" / "model.keras").is_file()
    assert len(json.loads((tmp_path / "keras" / "model.history.json").read_text())) == 2
    assert (tmp_path / "figures" / "keras_training_curves.png").is_file()
    assert markdown.startswith("# The Keras twin")
    assert "| 1 | " in markdown and "(PyTorch reference: 50.00%)" in markdown
    assert "](figures/keras_training_curves.png)" in markdown
