# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The seed report, step by step, in PyTorch and Keras
#
# The student report this project grew from (*Project 5: Recognition using Deep Networks*) walks a digit network
# from data to experiments. This notebook walks the same tasks in the same order, each in the PyTorch reference
# and, beside it, its Keras 3 twin on JAX. Every step calls the project's own functions (`torch_impl`,
# `keras_impl`, `recipe`, `report`, `runtime`, `sweep`): nothing is re-implemented here, so what you read is what
# `make run` and the tests run.
#
# Run it from a clone after `make setup` (`.venv/bin/jupyter` is not needed: any Jupyter front end on the `.venv`
# kernel works, or `make tutorial`, which executes it in place). `TUTORIAL_QUICK=1` in the environment trains
# one epoch on 10,000 images, as the suite does; without it, the seed's full recipe (5 epochs on 60,000 images, a few
# minutes on 2 cores).

# %%
import os
from dataclasses import replace
from pathlib import Path

from IPython.display import Image, Markdown, display

import recipe

# Wherever the notebook runs, its paths (data/mnist, ../shared/data, out/) are the repository root's, as for
# every command of the project: the root is where the (editable) project is installed from.
os.chdir(Path(recipe.__file__).resolve().parent.parent)
QUICK = os.environ.get("TUTORIAL_QUICK") == "1"
OUT = Path("out/tutorial")

import keras_impl  # noqa: F401  selects the JAX backend before anything imports keras
from recipe.settings import SEED

setting = replace(SEED, epochs=1, train_limit=10000, test_limit=2000) if QUICK else SEED
print(f"{'quick' if QUICK else 'full'} setting: {setting.epochs} epoch(s), "
      f"{setting.train_limit or 60000} training images, {setting.test_limit or 10000} test images measured")

# %% [markdown]
# ## Build and train a network to recognise digits
#
# ### A. The MNIST data
#
# `runtime.data.mnist` fetches the four IDX files into `data/mnist` (checked by SHA-256; no work when they are
# there) and reads them as uint8 arrays. `plots.figures.image_grid` draws the first six test digits.

# %%
from plots import figures
from runtime.data import mnist

data = mnist.load(mnist.fetch(mnist.DEFAULT_DIR))
print(f"train {data.train_images.shape}, test {data.test_images.shape}")
display(Image(figures.image_grid(data.test_images[:6], [f"label {y}" for y in data.test_labels[:6]], 2, 3,
                                 OUT / "first_six_digits.png")))

# %% [markdown]
# ### B. Repeatable
#
# The seed set `torch.manual_seed(1)` and turned cuDNN off; `torch_impl.train.seeded_model` does both and draws the
# recipe's network. The Keras twin seeds Keras, NumPy and JAX (`keras.utils.set_random_seed`) in its own
# `seeded_model`. The same seed gives the same weights:

# %%
import numpy as np

from keras_impl import train as keras_train
from torch_impl import train as torch_train

torch_weights = [net.conv1.weight.detach().numpy() for net in (torch_train.seeded_model(setting) for _ in range(2))]
keras_weights = [model.get_layer("conv1").get_weights()[0] for model in
                 (keras_train.seeded_model(setting) for _ in range(2))]
print("PyTorch, two draws of seed 1 equal:", np.array_equal(*torch_weights))
print("Keras,   two draws of seed 1 equal:", np.array_equal(*keras_weights))

# %% [markdown]
# ### C. The network
#
# conv 10@5x5 -> max-pool 2 + ReLU -> conv 20@5x5 -> dropout 0.5 -> max-pool 2 + ReLU -> flatten (320) ->
# dense 50 + ReLU -> dense 10 -> log_softmax: `torch_impl.model.Net` and `keras_impl.model.build`, layer for layer
# and name for name.

# %%
from keras_impl.model import build

print(torch_train.seeded_model(setting))
build(setting).summary()

# %% [markdown]
# ### D. Training
#
# One call per framework, `train(setting, data)`: seeded, evaluated on the training and test sets before the
# first epoch (epoch 0) and after each. Both return the model and a list of `recipe.history.EpochResult`.

# %%
from recipe.history import format_epoch, history_rows

torch_net, torch_history = torch_train.train(setting, torch_train.as_data(data))
print("PyTorch reference:", *map(format_epoch, torch_history), sep="\n")
keras_net, keras_history = keras_train.train(setting, keras_train.as_data(data))
print("Keras twin:", *map(format_epoch, keras_history), sep="\n")

# %%
for name, history in (("PyTorch reference", torch_history), ("Keras twin", keras_history)):
    display(Image(figures.training_curves(history_rows(history), OUT / f"curves_{name.split()[0]}.png", name)))

# %% [markdown]
# ### E. Save and read back
#
# `torch_impl.checkpoint` writes the `state_dict` (atomically, with the training settings) and reads it with
# `weights_only=True`; `keras_impl.checkpoint` writes a `.keras` file and checks that a loaded file holds this
# network. Read back, both give the same outputs as before.

# %%
from keras_impl import checkpoint as keras_checkpoint
from keras_impl.model import log_probabilities as keras_log_probabilities
from torch_impl import checkpoint as torch_checkpoint
from torch_impl.predict import log_probabilities as torch_log_probabilities

first_ten = data.test_images[:10] / np.float32(255)
torch_checkpoint.save(torch_net, OUT / "model.pth", setting.trained_with())
keras_checkpoint.save(keras_net, OUT / "model.keras", setting.trained_with())
torch_loaded, keras_loaded = torch_checkpoint.load(OUT / "model.pth"), keras_checkpoint.load(OUT / "model.keras")
print("PyTorch, read back, same outputs:", np.array_equal(torch_log_probabilities(torch_net, first_ten),
                                                          torch_log_probabilities(torch_loaded, first_ten)))
print("Keras,   read back, same outputs:", np.allclose(keras_log_probabilities(keras_net, first_ten),
                                                       keras_log_probabilities(keras_loaded, first_ten)))
print("settings stored with the weights:", torch_checkpoint.trained_with(OUT / "model.pth"))

# %% [markdown]
# ### F. The first ten test examples
#
# Printed as the seed printed them (`recipe.history.format_example`): the ten log-probabilities, the index of
# the largest, the label. Then the first nine with each framework's prediction.

# %%
from recipe.history import format_example

torch_ten, keras_ten = torch_log_probabilities(torch_loaded, first_ten), keras_log_probabilities(keras_loaded, first_ten)
for index in range(10):
    print(format_example(index, torch_ten[index], int(data.test_labels[index])))
print("\nKeras twin, index of max value:", keras_ten.argmax(1).tolist())
print("labels:                         ", data.test_labels[:10].tolist())
titles = [f"torch {t}, keras {k}" for t, k in zip(torch_ten.argmax(1), keras_ten.argmax(1))]
display(Image(figures.image_grid(data.test_images[:9], titles[:9], 3, 3, OUT / "first_nine_predictions.png")))

# %% [markdown]
# ### G. New inputs: photos of handwritten digits
#
# `runtime.read` is the one door from a picture to the network's 28x28 input (ink found and made bright, fitted
# in 20x20, centred by mass, as MNIST was made); `torch_impl.predict.predict_files` reads the photos through it.
# The photos are the project's shared ones (`../shared/data/handwritten_digits`, named by their digit).

# %%
from report.context import shared_folder
from torch_impl.predict import predict_files

photos = shared_folder("handwritten_digits")
if photos is None:
    print("no ../shared/data/handwritten_digits here: this step is skipped")
else:
    paths = sorted(photos.glob("*.png"))
    inputs, photo_log_probs = predict_files(torch_loaded, paths)
    keras_photo = keras_log_probabilities(keras_loaded, inputs).argmax(1)
    labels = [int(path.name[0]) for path in paths]
    print(f"PyTorch {sum(int(p == y) for p, y in zip(photo_log_probs.argmax(1), labels))}/{len(paths)} correct, "
          f"Keras {sum(int(p == y) for p, y in zip(keras_photo, labels))}/{len(paths)}")
    import cv2
    pictures = [cv2.imread(str(path), cv2.IMREAD_GRAYSCALE) for path in paths]
    titles = [f"{y} -> {t} / {k}" for y, t, k in zip(labels, photo_log_probs.argmax(1), keras_photo)]
    display(Image(figures.pictures_with_inputs(pictures, inputs, titles, OUT / "handwritten_digits.png")))

# %% [markdown]
# ## Examine the network
#
# ### A-C. The first layer's filters, their effect through `filter2D`, the truncated model
#
# `report.examine.findings` does the seed's three tasks on a trained PyTorch network: it prints `conv1.weight`,
# applies each filter to the first training image with OpenCV's `filter2D` (the same cross-correlation as the
# layer), and runs a model truncated after the two convolution stages (`torch_impl.embedding.Truncated`, which
# shares the network's weights) on the first 1,000 test images.

# %%
from report import examine
from report.context import Context

context = Context(out=OUT, data=data, model_path=OUT / "model.pth")
for finding in examine.findings(torch_loaded, context):
    print(f"== {finding.heading}\n{finding.printed}")
    for figure in finding.figures:
        display(Image(figure))

# %% [markdown]
# The Keras twin's filters are its `conv1` kernel ([5, 5, 1, 10], channels last), drawn by the same figure
# functions; its truncated model is `keras_impl.model.convolutions`, a model sharing the twin's layers.

# %%
from keras_impl.model import convolutions, to_inputs
from report import examine_figures

keras_filters = keras_loaded.get_layer("conv1").get_weights()[0][:, :, 0].transpose(2, 0, 1)
display(Image(examine_figures.conv1_filters(keras_filters, OUT / "keras_conv1_filters.png")))
first_train = to_inputs(data.train_images[:1] / np.float32(255))[0, :, :, 0]
display(Image(examine_figures.filter_effects(first_train, keras_filters, OUT / "keras_conv1_filter_effects.png")))
keras_maps = convolutions(keras_loaded).predict(to_inputs(data.test_images[:1000] / np.float32(255)), verbose=0)
print("Keras truncated model output size:", keras_maps.shape)
display(Image(examine_figures.channel_maps(keras_maps[0].transpose(2, 0, 1), OUT / "keras_truncated_channels.png")))

# %% [markdown]
# ## Create a digit embedding space
#
# ### A. A Greek symbol data set
#
# The seed's 27 drawings of alpha, beta and gamma, from `../shared/data/greek`; without it, letters the project
# generates (`synthetic.greek`: font glyphs redrawn to look hand-drawn). `report.greek.symbol_sets` chooses, and
# `report.symbol_csv.write_csv` writes the seed's two CSV files.

# %%
from report.greek import symbol_sets
from report.symbol_csv import write_csv
from runtime.symbols.sets import select_classes

every_symbol, new_drawings, origin = symbol_sets()
letters = ["alpha", "beta", "gamma"]
symbols = select_classes(every_symbol, letters)
print(f"{len(symbols.images)} drawings of {', '.join(symbols.class_names)} from {origin}")
print("written:", *write_csv(symbols, OUT / "greek"))
display(Image(figures.image_grid(symbols.images, [symbols.class_names[y] for y in symbols.labels],
                                 -(-len(symbols.images) // 9), 9, OUT / "greek_symbols.png")))

# %% [markdown]
# ### B-C. The truncated model and the symbols in the embedding space
#
# The network up to its dense-50 layer (after the ReLU): `torch_impl.embedding.embed_images` in PyTorch,
# `keras_impl.model.embedding` in Keras. Each symbol becomes a vector of 50 numbers.

# %%
from keras_impl.model import embedding
from torch_impl.embedding import embed_images

print("PyTorch, 1,000 test digits:", embed_images(torch_loaded, data.test_images[:1000] / np.float32(255)).shape)
torch_vectors = embed_images(torch_loaded, symbols.images)
keras_vectors = embedding(keras_loaded).predict(to_inputs(symbols.images), verbose=0)
print("PyTorch, the symbols:", torch_vectors.shape, "  Keras, the symbols:", keras_vectors.shape)

# %% [markdown]
# ### D. Distances in the embedding space
#
# The seed's sum-squared distance from the first alpha, beta and gamma to all 27 (`runtime.symbols.knn`), and
# the whole table as a heat map (`report.greek_figures.distance_heatmap`): drawings of one letter lie closer
# together than to the others.

# %%
from report.greek_figures import distance_heatmap
from runtime.symbols import knn

for name, vectors in (("PyTorch", torch_vectors), ("Keras", keras_vectors)):
    distances = knn.sum_squared_distances(vectors, vectors)
    print(f"== {name}")
    for label, letter in enumerate(symbols.class_names):
        first = int(np.flatnonzero(symbols.labels == label)[0])
        print(f"{letter} ssd: [{', '.join(f'{d:.4g}' for d in distances[first])}]")
    display(Image(distance_heatmap(distances, symbols.labels, symbols.class_names, OUT / f"greek_distances_{name}.png")))

# %% [markdown]
# ### E. New drawings
#
# Drawings by another hand (`../shared/data/greek_new`, its distinct files; without it, generated letters of
# another seed), each named by its nearest drawing of the 27, as the seed did (1-NN by sum-squared distance), in
# both embeddings. Beside them, the runtime's `SymbolClassifier` with its shipped references: generated letters
# only, nothing fitted on these drawings (`runtime greek classify --classes alpha,beta,gamma`).

# %%
from runtime import SymbolClassifier

new = select_classes(new_drawings, letters)
truth = np.array(new.class_names)[new.labels]
named = {"PyTorch, 1-NN": knn.knn_classify(embed_images(torch_loaded, new.images), torch_vectors, symbols.labels).labels,
         "Keras, 1-NN": knn.knn_classify(embedding(keras_loaded).predict(to_inputs(new.images), verbose=0),
                                         keras_vectors, symbols.labels).labels}
answers = {name: np.array(symbols.class_names)[labels] for name, labels in named.items()}
answers["runtime, shipped references"] = np.array([match.label for match in
                                                   SymbolClassifier().only(letters).classify(new.images)])
for name, answer in answers.items():
    print(f"{name}: {int((answer == truth).sum())}/{len(truth)} correct")

# %% [markdown]
# ## Design your own experiment
#
# ### A. The plan
#
# The seed varied batch size (32, 64, 128), dropout (0.25, 0.5, 0.75) and epochs (2-7): `sweep/plans/seed.toml`,
# here with 3 seeds per variant. `mnist-sweep run --plan seed` trains it (27 trainings of 7 epochs, about an hour
# on 2 cores; `--framework keras` for the twin, `--engine processes` or `ray` to spread it).

# %%
from sweep import plan as plans

seed_plan = plans.load("seed")
print(plans.describe(seed_plan))
print(f"{len(plans.variants(seed_plan))} variants, {len(plans.trainings(seed_plan)) * seed_plan.repeats} trainings")

# %% [markdown]
# ### B-C. The prediction, and the results
#
# The seed predicted that more epochs help, and larger batches and more dropout hurt. The repository keeps the
# seed plan's results (`sweep/results/seed/results.jsonl`, PyTorch); the sweep's own functions summarise them
# again here, without training: mean ± standard deviation over the seeds, and which steps are beyond the
# seed-to-seed noise.

# %%
from sweep import summary
from sweep.run import load as load_results
from sweep.stats import findings

records = load_results(Path("sweep/results/seed/results.jsonl"))
seed_summaries = summary.summaries(seed_plan, records, "torch")
display(Markdown(summary.table(seed_plan, seed_summaries)))
print(findings(seed_plan, seed_summaries))
for plot in summary.draw(seed_plan, seed_summaries, OUT / "sweep", "torch"):
    display(Image(plot))
