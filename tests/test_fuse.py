import pytest

from qa.fuse import interpolate, rrf


def test_rrf_rewards_agreement_and_keeps_single_list_items():
    fused = rrf([["a", "b", "c"], ["b", "d"]], k=60)
    ids = [i for i, _ in fused]
    assert ids[0] == "b"  # ranked by both
    assert set(ids) == {"a", "b", "c", "d"}
    assert dict(fused)["b"] == pytest.approx(1 / 62 + 1 / 61)


def test_rrf_weights_and_duplicates():
    fused = dict(rrf([["a", "a", "b"], ["b"]], k=1, weights=[1.0, 0.0]))
    assert fused["a"] == pytest.approx(1 / 2)
    assert fused["b"] == pytest.approx(1 / 3)


def test_rrf_empty_lists():
    assert rrf([[], []]) == []


def test_interpolate_min_max():
    fused = interpolate([{"a": 0.9, "b": 0.5}, {"b": 10.0, "c": 2.0}], [0.5, 0.5])
    assert dict(fused) == pytest.approx({"a": 0.5, "b": 0.5, "c": 0.0})
