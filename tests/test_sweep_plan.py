import pytest

from recipe.settings import Recipe
from runtime.errors import InputError
from sweep.plan import Plan, describe, from_table, held, line, load, training_of, trainings, variants

SEED_VALUES = {"batch_size": (32, 64, 128), "dropout": (0.25, 0.5, 0.75), "epochs": (2, 3, 4, 5, 6, 7)}


def test_seed_plan_is_54_variants_from_9_trainings():
    plan = load("seed")
    assert plan.vary == SEED_VALUES and plan.mode == "grid" and list(plan.seeds()) == [1, 2, 3]
    assert len(variants(plan)) == 54
    assert len(trainings(plan)) == 9 and {config.epochs for config in trainings(plan)} == {7}
    for variant, training in training_of(plan).items():
        assert (training.batch_size, training.dropout) == (variant.batch_size, variant.dropout)


def test_one_at_a_time_holds_the_others_at_base():
    plan = Plan(SEED_VALUES, mode="one-at-a-time")  # base: the reference, 5 epochs
    configs = variants(plan)
    assert len(configs) == 1 + 2 + 2 + 5  # the reference is shared by the three dimensions
    assert all(sum(getattr(c, name) != getattr(Recipe(), name) for name in SEED_VALUES) <= 1 for c in configs)
    # The epochs variants are read from one 7-epoch training of the reference; the others train for 5.
    assert sorted((t.batch_size, t.dropout, t.epochs) for t in trainings(plan)) == [
        (32, 0.5, 5), (64, 0.25, 5), (64, 0.5, 7), (64, 0.75, 5), (128, 0.5, 5)]


def test_lines_cross_at_the_held_values():
    plan = load("small")  # dropout 0.25/0.75 x epochs 1/2; base dropout 0.5 is not among them
    assert (held(plan).dropout, held(plan).epochs, held(plan).train_limit) == (0.75, 2, 6000)
    assert [(c.dropout, c.epochs) for c in line(plan, "epochs")] == [(0.75, 1), (0.75, 2)]
    assert describe(plan).startswith("dropout 0.25/0.75 × epochs 1/2 (grid; otherwise the reference with epochs 2")


def test_values_are_coerced_and_lists_become_tuples():
    plan = from_table({"vary": {"dropout": [0, 0.5], "pool_layers": [[1, 2], [2]]}, "repeats": 1}, "test")
    assert plan.vary == {"dropout": (0.0, 0.5), "pool_layers": ((1, 2), (2,))}
    assert len(variants(plan)) == 4


@pytest.mark.parametrize("table, message", [
    ({"vary": {"width": [1, 2]}}, "unknown dimension 'width'"),
    ({"vary": {"dropout": 0.5}}, "vary.dropout must be a non-empty list"),
    ({"vary": {"dropout": []}}, "vary.dropout must be a non-empty list"),
    ({"vary": {"dropout": [0.5, 0.5]}}, "vary.dropout repeats a value"),
    ({"vary": {"dropout": [{"a": 1}]}}, "dropout: {'a': 1} is not a valid value"),
    ({"vary": {}}, "needs a \\[vary\\] table"),
    ({"vary": {"epochs": [1]}, "mode": "random"}, "mode 'random' is not one of grid, one-at-a-time"),
    ({"vary": {"epochs": [1]}, "repeats": 0}, "repeats must be a whole number"),
    ({"vary": {"epochs": [1]}, "seeds": 3}, "unknown key 'seeds'"),
    ({"vary": {"conv_layers": [1, 3]}}, "shrink the 28x28 image to nothing"),
])
def test_bad_plans_are_one_line_errors(table, message):
    with pytest.raises(InputError, match=message) as error:
        from_table(table, "plan.toml")
    assert str(error.value).startswith("plan.toml: ") and "\n" not in str(error.value)


def test_bad_plan_files(tmp_path):
    (tmp_path / "broken.toml").write_text('mode = "grid\n')
    with pytest.raises(InputError, match="broken.toml: not a readable TOML plan"):
        load(str(tmp_path / "broken.toml"))
    with pytest.raises(InputError, match=r"missing.toml: no such plan file or built-in plan \(seed, small\)"):
        load(str(tmp_path / "missing.toml"))
