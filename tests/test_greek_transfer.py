"""Transfer learning: frozen network, new last layer; batched leave-one-out equals training one by one."""
import numpy as np
import torch

from torch_impl import transfer
from torch_impl.embedding import embed_images
from torch_impl.model import Net


def _net():
    torch.manual_seed(0)
    return Net().eval()


def _images(count, seed=0):
    """Two easily told classes: ink in the left or in the right half."""
    rng = np.random.default_rng(seed)
    images = np.zeros((count, 28, 28), np.float32)
    labels = np.arange(count) % 2
    for image, label in zip(images, labels):
        column = 4 + 14 * label + rng.integers(0, 6)
        image[6:22, column : column + 3] = 1
    return images, labels


def test_retarget_freezes_everything_but_a_new_last_layer():
    net = _net()
    model = transfer.retarget(net, 3)
    assert model.fc2.out_features == 3 and net.fc2.out_features == 10
    assert not any(p.requires_grad for name, p in model.named_parameters() if not name.startswith("fc2"))
    assert torch.equal(model.conv1.weight, net.conv1.weight) and model.conv1.weight is not net.conv1.weight


def test_fit_learns_two_classes_and_leaves_the_network_alone():
    net = _net()
    before = {name: p.clone() for name, p in net.state_dict().items()}
    images, labels = _images(20)
    model = transfer.fit(net, images, labels, 2)
    test_images, test_labels = _images(10, seed=1)
    assert (transfer.predict(model, test_images) == test_labels).all()
    assert all(torch.equal(before[name], p) for name, p in net.state_dict().items())


def test_batched_layers_train_as_they_would_alone():
    features = embed_images(_net(), _images(30)[0])
    labels = _images(30)[1]
    masks = np.ones((2, 30), bool)
    masks[1, :10] = False
    initial = transfer.retarget(_net(), 2).fc2
    weight, bias = transfer.train_layers(initial, features, labels, masks)
    alone, alone_bias = transfer.train_layers(initial, features[10:], labels[10:], np.ones((1, 20), bool))
    torch.testing.assert_close(weight[1], alone[0], atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(bias[1], alone_bias[0], atol=1e-5, rtol=1e-4)


def test_leave_one_out_answers_once_per_drawing_and_skips_its_copies():
    """Drawing 0's copies carry the other class's label: seen, they outvote it; skipped, they cannot."""
    images, labels = _images(8)
    extras, extra_labels = _images(2, seed=3)
    copies = 4
    images = np.concatenate([images, np.repeat(images[:1], copies, axis=0), extras])
    labels = np.concatenate([labels, np.full(copies, 1 - labels[0]), extra_labels])
    skipped = np.concatenate([np.arange(8), np.zeros(copies, int), [-1, -2]])
    seen = np.concatenate([np.arange(8), 100 + np.arange(copies), [-1, -2]])  # copies in groups of their own
    assert transfer.leave_one_out(_net(), images, labels, 2, skipped).tolist() == labels[:8].tolist()
    assert transfer.leave_one_out(_net(), images, labels, 2, seen)[0] != labels[0]
