"""Property (issue 13): any number drawn outside a key's declared domain is refused, and any
number drawn inside it is accepted, for every numeric scenario and measure key."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.scenario import Key, ScenarioError, check_value, measure_specs, schema

NUMERIC = sorted(
    [(f"{s}.{k}", spec) for s, keys in schema().items() for k, spec in keys.items() if spec.type is float]
    + [
        (f"measures.{m}.{k}", spec)
        for m, table in measure_specs().items()
        for k, spec in table["keys"].items()
        if spec.type is float
    ],
    key=lambda item: item[0],
)


def outside(spec: Key) -> st.SearchStrategy[float]:
    bad = [st.just(math.nan), st.just(math.inf), st.just(-math.inf)]
    if spec.minimum is not None:
        bad.append(st.floats(max_value=spec.minimum, exclude_max=True, allow_nan=False, allow_infinity=False))
    if spec.above is not None:
        bad.append(st.floats(max_value=spec.above, allow_nan=False, allow_infinity=False))
    if spec.maximum is not None:
        bad.append(st.floats(min_value=spec.maximum, exclude_min=True, allow_nan=False, allow_infinity=False))
    if spec.integer:
        lo = spec.minimum if spec.minimum is not None else -1e6
        hi = spec.maximum if spec.maximum is not None else 1e6
        bad.append(st.floats(lo, hi).filter(lambda v: v != int(v)))
    return st.one_of(bad)


def inside(spec: Key) -> st.SearchStrategy[float]:
    lo = spec.minimum if spec.minimum is not None else -1e12
    hi = spec.maximum if spec.maximum is not None else 1e12
    if spec.integer:
        return st.integers(math.ceil(lo), math.floor(hi)).map(float)
    return st.floats(lo, hi, exclude_min=spec.above is not None and spec.above >= lo, allow_nan=False).filter(
        lambda v: spec.above is None or v > spec.above
    )


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_numbers_outside_a_domain_are_refused(data):
    label, spec = data.draw(st.sampled_from(NUMERIC), label="key")
    value = data.draw(outside(spec), label="value")
    with pytest.raises(ScenarioError, match="allowed"):
        check_value(spec, value, f"case.toml: key '{label}'")


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_numbers_inside_a_domain_are_accepted(data):
    label, spec = data.draw(st.sampled_from(NUMERIC), label="key")
    value = data.draw(inside(spec), label="value")
    assert check_value(spec, value, f"case.toml: key '{label}'") == value


@settings(max_examples=200, deadline=None)
@given(st.booleans(), st.sampled_from(NUMERIC))
def test_booleans_are_not_numbers(flag, item):
    label, spec = item
    with pytest.raises(ScenarioError):
        check_value(spec, flag, f"case.toml: key '{label}'")
