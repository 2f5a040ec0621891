"""The report's deployment section: the run's model exported, its graphs tabled, the runtime put to work."""
import re

import torch

from recipe.settings import Recipe
from report import export_section
from report.context import Context, shared_folder
from runtime.data.mnist import Mnist
from runtime.models import OnnxModel
from torch_impl import checkpoint
from torch_impl.model import Net


def test_section_exports_the_run_model_and_uses_it(tmp_path, mnist_data):
    torch.manual_seed(0)
    # untrained: the section's plumbing is under test, and the settings the file says it was trained with
    checkpoint.save(Net(), tmp_path / "torch" / "model.pth", Recipe(epochs=3).trained_with())
    data = Mnist(mnist_data.train_images[:10], mnist_data.train_labels[:10],
                 mnist_data.test_images[:300], mnist_data.test_labels[:300])
    markdown = export_section.render(export_section.compute(Context(tmp_path, data, tmp_path / "torch" / "model.pth")))

    full = OnnxModel(tmp_path / "onnx" / "torch" / "digits.onnx", kind="full")
    assert OnnxModel(tmp_path / "onnx" / "torch" / "embedding.onnx").kind == "embedding"
    assert '"epochs": 3' in full.metadata["training"] and full.metadata["source_framework"].startswith("pytorch")
    assert markdown.startswith("# Deployment: ONNX and a runtime without the frameworks")
    assert "| torch | `digits.onnx` | image [N, 1, 28, 28] | log_probs [N, 10] |" in markdown
    assert "| torch | `embedding.onnx` | image [N, 1, 28, 28] | embedding [N, 50] |" in markdown
    assert "| keras |" not in markdown  # this run made no Keras model
    if shared_folder("handwritten_digits"):
        assert "| 0.png | 0 |" in markdown and "the shipped model (stronger recipe) **10/10**" in markdown
        assert re.search(r"Turned \(each photo turned by 7 angles .*\): this run's model \*\*\d+/70\*\*, "
                         r"the shipped model \*\*\d+/70\*\*\.", markdown)
    if shared_folder("greek_new"):
        assert "on the 12 distinct new drawings" in markdown and markdown.count("/12** correct") == 2
