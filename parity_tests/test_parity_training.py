"""Parity test 4: a network trained in either framework scores the same in the other; the twin's own training."""
import json

from keras_impl.convert import get_weights, keras_to_torch, torch_to_keras
from parity_tests.twins import accuracy, keras_model_with, torch_net_with, torch_outputs


def test_keras_twin_reaches_98_percent(keras_trained):
    """The reference's recipe in Keras: 5 epochs, SGD lr 0.01 momentum 0.5, batch 64."""
    _, history = keras_trained
    print("\n" + json.dumps([[round(r.test_accuracy, 4), round(r.seconds, 1)] for r in history]))
    assert len(history) == 6
    assert history[-1].test_accuracy >= 0.98
    assert history[-1].test_loss < history[1].test_loss < history[0].test_loss


def test_keras_trained_network_scores_the_same_in_pytorch(keras_trained, test_images, mnist_data):
    model, history = keras_trained
    net = torch_net_with(keras_to_torch(get_weights(model)))
    in_torch = accuracy(torch_outputs(net, test_images).log_probs, mnist_data.test_labels)
    print(f"\ntrained in Keras: test accuracy {100 * history[-1].test_accuracy:.2f}% in Keras, "
          f"{100 * in_torch:.2f}% in PyTorch")
    assert in_torch == history[-1].test_accuracy


def test_pytorch_trained_network_scores_the_same_in_keras(reference_model, reference_state, test_images,
                                                           mnist_data):
    _, history = reference_model
    model = keras_model_with(torch_to_keras(reference_state))
    log_probs = model.predict(test_images[..., None], batch_size=1000, verbose=0)
    in_keras = accuracy(log_probs, mnist_data.test_labels)
    print(f"\ntrained in PyTorch: test accuracy {100 * history[-1].test_accuracy:.2f}% in PyTorch, "
          f"{100 * in_keras:.2f}% in Keras")
    assert in_keras == history[-1].test_accuracy
