import numpy as np

from keras_impl import model as km


def test_layers_in_the_reference_order_and_names():
    net = km.build()
    names = [layer.name for layer in net.layers]
    assert [name for name in names if name in ("conv1", "conv2", "conv2_drop", "fc1", "fc2")] == \
        ["conv1", "conv2", "conv2_drop", "fc1", "fc2"]
    assert type(net.get_layer("conv2_drop")).__name__ == "SpatialDropout2D"
    assert net.get_layer("conv2_drop").rate == 0.5
    assert net.count_params() == 21_840  # as the reference: 260 + 5,020 + 16,050 + 510


def test_shapes_of_every_stage():
    net = km.build()
    x = np.zeros((3, 28, 28, 1), np.float32)
    assert km.convolutions(net).predict(x, verbose=0).shape == (3, 4, 4, 20)
    assert km.embedding(net).predict(x, verbose=0).shape == (3, 50)
    log_probs = net.predict(x, verbose=0)
    assert log_probs.shape == (3, 10)
    np.testing.assert_allclose(np.exp(log_probs).sum(1), 1, rtol=1e-5)


def test_truncated_models_share_the_trained_layers():
    net = km.build()
    embedding = km.embedding(net)
    net.get_layer("fc1").kernel.assign(np.zeros((320, 50), np.float32))
    net.get_layer("fc1").bias.assign(np.full(50, 7, np.float32))
    assert embedding.get_layer("fc1") is net.get_layer("fc1")
    assert (embedding.predict(np.ones((1, 28, 28, 1), np.float32), verbose=0) == 7).all()


def test_embedding_is_after_relu():
    net = km.build()
    net.get_layer("fc1").bias.assign(np.full(50, -100, np.float32))
    assert not km.embedding(net).predict(np.zeros((2, 28, 28, 1), np.float32), verbose=0).any()
