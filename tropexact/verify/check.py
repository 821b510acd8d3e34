"""One record for a named check: its status, what it established, and its data.

Every verification in tropexact reports through :class:`Check`: the theorem
checks, the region ↔ upper-vertex correspondence, the instance checks of
``tropexact verify``, the batches of ``verify --random`` and the command line.
A check has one of four statuses (:class:`Status`):

* ``pass`` — the claim was verified exactly;
* ``fail`` — it was refuted (the detail names the first counterexample);
* ``not applicable`` — the claim's hypotheses do not hold for this input
  (zonotopes for a deep network);
* ``not run`` — the claim applies but was not checked (the detail says why).

Only ``pass`` is a pass: :attr:`Check.passed` is false for the other three and
:meth:`Check.to_dict` writes ``"passed": false`` for them.  (The independent
checker, :mod:`tropexact.verify.checker`, keeps its own standard-library copy
of this shape so that it imports nothing from tropexact.)

Examples
--------
>>> c = Check.verdict("counts", 3 <= 5, "3 <= 5")
>>> c.status, c.passed, c.to_dict()
(<Status.PASS: 'pass'>, True, {'name': 'counts', 'status': 'pass', 'passed': True, 'detail': '3 <= 5'})
>>> n = Check.not_applicable("zonotopes", "two hidden layers")
>>> n.passed, n.failed, n.label
(False, False, 'n/a')
>>> tally([c, n])
{'pass': 1, 'fail': 0, 'not applicable': 1, 'not run': 0}
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from tropexact.errors import InputError

__all__ = ["Status", "Check", "tally", "none_failed"]


class Status(str, enum.Enum):
    """The outcome of a named check."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not applicable"
    NOT_RUN = "not run"

    def __str__(self) -> str:
        return self.value


_LABELS = {Status.PASS: "pass", Status.FAIL: "FAIL", Status.NOT_APPLICABLE: "n/a",
           Status.NOT_RUN: "not run"}


@dataclass(frozen=True)
class Check:
    """A named check: status, a one-line detail, and the data behind it.

    Attributes
    ----------
    name : str
        A stable identifier (``"tropical_identity"``, ``"correspondence F (output 0)"``).
    status : Status
    detail : str
        One line for humans: what was established, the first failure, or why
        the check does not apply or did not run.
    data : object
        The exact objects that prove or refute the claim (witness tuples, counts,
        graphs); never serialised by :meth:`to_dict`, and not compared.
    """

    name: str
    status: Status
    detail: str
    data: Any = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.status, Status):
            object.__setattr__(self, "status", Status(self.status))

    @classmethod
    def verdict(cls, name: str, ok: bool, detail: str, data: Any = ()) -> "Check":
        """``pass`` if *ok*, else ``fail``."""
        return cls(name, Status.PASS if ok else Status.FAIL, detail, data)

    @classmethod
    def not_applicable(cls, name: str, why: str) -> "Check":
        return cls(name, Status.NOT_APPLICABLE, why)

    @classmethod
    def not_run(cls, name: str, why: str) -> "Check":
        return cls(name, Status.NOT_RUN, why)

    @property
    def passed(self) -> bool:
        """True only when the claim was verified (status ``pass``)."""
        return self.status is Status.PASS

    @property
    def failed(self) -> bool:
        """True when the claim was refuted (status ``fail``)."""
        return self.status is Status.FAIL

    @property
    def label(self) -> str:
        """``pass``, ``FAIL``, ``n/a`` or ``not run``, for tables."""
        return _LABELS[self.status]

    def to_dict(self) -> dict:
        """``{"name", "status", "passed", "detail"}``; ``passed`` is true only for ``pass``."""
        return {"name": self.name, "status": self.status.value, "passed": self.passed,
                "detail": self.detail}

    @classmethod
    def from_dict(cls, d: Mapping) -> "Check":
        """Inverse of :meth:`to_dict` (the data is not serialised).

        Records written before statuses existed (``{"name", "passed", "detail"}``, a
        check that did not apply being ``passed`` with a detail starting ``"not
        applicable:"``) are read with the status they meant.

        Examples
        --------
        >>> Check.from_dict({"name": "z", "passed": True, "detail": "not applicable: deep"}).status
        <Status.NOT_APPLICABLE: 'not applicable'>
        """
        try:
            name, detail = str(d["name"]), str(d["detail"])
            if "status" in d:
                return cls(name, Status(d["status"]), detail)
            if d["passed"] is True and detail.startswith("not applicable:"):
                return cls(name, Status.NOT_APPLICABLE, detail[len("not applicable:"):].strip())
            return cls(name, Status.PASS if d["passed"] is True else Status.FAIL, detail)
        except (KeyError, ValueError, TypeError) as e:
            raise InputError(f"not a check record: {d!r} ({e})") from None


def tally(checks: Iterable[Check]) -> dict:
    """How many checks have each status, every status listed."""
    out = {s.value: 0 for s in Status}
    for c in checks:
        out[c.status.value] += 1
    return out


def none_failed(checks: Iterable[Check]) -> bool:
    """True when no check failed (checks that do not apply or did not run are not failures)."""
    return not any(c.failed for c in checks)
