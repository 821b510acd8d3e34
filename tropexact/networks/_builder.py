"""Building a ReLU network layer by layer from exact affine bookkeeping (for :mod:`.synthesis`).

A *value* is a function of the input that the network under construction holds
at the current layer: ``const + ⟨x, X⟩ + Σ form[i] · y_i`` where y is the output
of the last finished layer (the input x itself before the first hidden layer),
and X an affine part in the input that the layers keep available by carrying x.

Only nonnegative numbers pass a ReLU layer unchanged, so carrying a value v into
the next layer costs neurons:

* its part in x: nothing when the layers carry x (two neurons relu(x_j), relu(−x_j)
  per used coordinate, shared by every value: mode ``"inputs"``), otherwise two
  neurons relu(ℓ) and relu(−ℓ) once, in the first layer (mode ``"values"``);
* its part in the outputs y ≥ 0 of a hidden layer: the positive coefficients P and
  the negative ones N are nonnegative combinations, so one neuron relu(P) = P and
  one relu(N) = N carry them (one neuron when N = 0).

Neurons with the same pre-activation are made once (:meth:`Builder.neuron`
deduplicates), so equal sub-expressions of different polynomials share neurons.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from tropexact.exact.numbers import Q

from .model import Layer

__all__ = ["Value", "Builder", "combine"]

_ZERO = Q(0)


class Value:
    """``const + ⟨x, X⟩ + Σ form[i] y_i`` (immutable; *form* a sorted tuple of (i, coef))."""

    __slots__ = ("x", "form", "const")

    def __init__(self, x: tuple, form: tuple = (), const: Any = _ZERO) -> None:
        self.x, self.form, self.const = x, form, const

    @classmethod
    def affine(cls, exponent: Sequence[Any], coefficient: Any) -> "Value":
        """The monomial c ⊙ x^α as the value c + ⟨α, x⟩."""
        return cls(tuple(Q(a) for a in exponent), (), Q(coefficient))

    def __sub__(self, other: "Value") -> "Value":
        return combine([(1, self), (-1, other)])


def combine(terms: Iterable[tuple[Any, Value]], const: Any = _ZERO) -> Value:
    """Σ coef · value + const (all values over the same basis)."""
    terms = list(terms)
    d = len(terms[0][1].x)
    x = [_ZERO] * d
    form: dict[int, Any] = {}
    c = Q(const)
    for k, v in terms:
        k = Q(k)
        if not k:
            continue
        for j, a in enumerate(v.x):
            if a:
                x[j] += k * a
        for i, a in v.form:
            form[i] = form.get(i, _ZERO) + k * a
        c += k * v.const
    return Value(tuple(x), tuple(sorted((i, a) for i, a in form.items() if a)), c)


class Builder:
    """The layers of a network under construction, one hidden layer at a time.

    Parameters
    ----------
    d : int
        Input dimension.
    carry_inputs : tuple of int
        Coordinates j carried through every hidden layer as relu(x_j), relu(−x_j)
        (mode ``"inputs"``); empty for mode ``"values"``.
    """

    def __init__(self, d: int, carry_inputs: tuple = ()) -> None:
        self.d = d
        self.carry_inputs = tuple(carry_inputs)
        self.layers: list[Layer] = []
        self._x_index: dict[int, tuple[int, int]] = {}  # j -> (relu(x_j), relu(-x_j)) in y
        self._rows: list[tuple] = []
        self._bias: list = []
        self._index: dict = {}
        self._new_x: dict[int, tuple[int, int]] = {}

    @property
    def first(self) -> bool:
        """Whether the basis is still the input x (no hidden layer finished yet)."""
        return not self.layers

    def _row(self, v: Value) -> tuple:
        """The pre-activation row of *v* over the current basis (its constant apart)."""
        if self.first:
            return v.x
        row = [_ZERO] * self.layers[-1].out_dim
        for i, a in v.form:
            row[i] += a
        for j, a in enumerate(v.x):
            if a:
                if j not in self._x_index:  # pragma: no cover - guarded by the modes
                    raise AssertionError(f"x{j} is not carried")
                p, n = self._x_index[j]
                row[p] += a
                row[n] -= a
        return tuple(row)

    def begin(self) -> None:
        """Start a hidden layer; in mode ``"inputs"`` it opens with the carries of x."""
        self._rows, self._bias, self._index = [], [], {}
        unit = [_ZERO] * self.d
        self._new_x = {}
        for j in self.carry_inputs:
            e = list(unit)
            e[j] = Q(1)
            pos = self._neuron_index(Value(tuple(e)))
            e[j] = Q(-1)
            self._new_x[j] = (pos, self._neuron_index(Value(tuple(e))))

    def _neuron_index(self, v: Value) -> int:
        key = (self._row(v), v.const)
        i = self._index.get(key)
        if i is None:
            i = self._index[key] = len(self._rows)
            self._rows.append(key[0])
            self._bias.append(key[1])
        return i

    def neuron(self, v: Value) -> Value:
        """relu(v) as a neuron of the layer under construction (made once), as a value."""
        return Value((_ZERO,) * self.d, ((self._neuron_index(v), Q(1)),))

    def carry(self, v: Value) -> Value:
        """*v* in the basis of the layer under construction (see the module docstring)."""
        zero = (_ZERO,) * self.d
        if self.first and not self.carry_inputs:
            if not any(v.x):
                return Value(zero, (), v.const)
            p = self.neuron(Value(v.x))
            n = self.neuron(Value(tuple(-a for a in v.x)))
            return combine([(1, p), (-1, n)], v.const)
        x = v.x if self.carry_inputs else zero
        out = Value(x, (), v.const)
        pos = tuple((i, a) for i, a in v.form if a > 0)
        neg = tuple((i, -a) for i, a in v.form if a < 0)
        parts = [(1, out)]
        if pos:
            parts.append((1, self.neuron(Value(zero, pos))))
        if neg:
            parts.append((-1, self.neuron(Value(zero, neg))))
        return combine(parts, 0)

    def cost(self, v: Value) -> int:
        """Neurons :meth:`carry` spends on *v* (before deduplication)."""
        if self.first:
            return 0 if self.carry_inputs else 2 * any(v.x)
        return any(c > 0 for _, c in v.form) + any(c < 0 for _, c in v.form)

    def max2(self, a: Value, b: Value) -> Value:
        """max(a, b) = b + relu(a − b), carrying the cheaper of the two."""
        if self.cost(a) < self.cost(b):
            a, b = b, a
        return combine([(1, self.carry(b)), (1, self.neuron(a - b))])

    def end(self) -> None:
        """Finish the hidden layer under construction (at least one neuron)."""
        if not self._rows:  # nothing to compute or carry: a zero neuron keeps the shape
            self._rows.append(self._row(Value((_ZERO,) * self.d)))
            self._bias.append(_ZERO)
        self.layers.append(Layer(tuple(self._rows), tuple(self._bias), "relu"))
        self._x_index = self._new_x

    def output(self, values: Sequence[Value]) -> Layer:
        """The identity output layer computing *values* from the current basis."""
        return Layer(tuple(self._row(v) for v in values), tuple(v.const for v in values),
                     "identity")
