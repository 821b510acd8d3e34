"""Progress bars on stderr (tqdm), shown only on a terminal and never with ``--quiet``.

The library reports progress through plain callbacks (``progress(n)``,
``progress(done, total)``, ``progress(done, total, extra)``); this module
turns them into tqdm bars for the command line.  Output on stdout is never
touched, so ``--json`` stays one clean object.

Examples
--------
>>> with bar("layers", total=3, quiet=True) as show:  # quiet: no output at all
...     for k in range(3):
...         show(k + 1, 3)
>>> show.done
3
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["bar", "stages"]


class bar:  # noqa: N801 - used like a function: ``with bar(...) as show``
    """A callback ``show(done, total=None, extra=None)`` backed by a tqdm bar.

    Parameters
    ----------
    desc : str
        What is counted ("regions", "networks", "layers", ...).
    total : int, optional
        Known total; without it the bar is a counter with a rate.
    quiet : bool
        Draw nothing (``--quiet``).  Nothing is drawn either when stderr is
        not a terminal, so logs and pipes stay clean.
    extra : str, optional
        Label of the third callback argument (e.g. "best", "failed").
    """

    def __init__(self, desc: str, *, total: int | None = None, quiet: bool = False,
                 extra: str | None = None) -> None:
        self.desc, self.total, self.extra_label = desc, total, extra
        self.done = 0
        self._bar: Any = None
        self.enabled = not quiet and sys.stderr.isatty()

    def __enter__(self) -> "bar":
        if self.enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=self.total, unit=f" {self.desc}", file=sys.stderr,
                             leave=False, dynamic_ncols=True, mininterval=0.2)
        return self

    def __call__(self, done: int, total: int | None = None, extra: Any = None) -> None:
        self.done = done
        if self._bar is None:
            return
        if total is not None and total != self._bar.total:
            self._bar.total = total
        self._bar.update(done - self._bar.n)
        if extra is not None and self.extra_label:
            self._bar.set_postfix_str(f"{self.extra_label} {extra}", refresh=False)

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


class stages:  # noqa: N801 - used like a function: ``with stages(...) as show``
    """A callback ``show(stage, done, total)`` that draws one :class:`bar` per stage.

    The library reports multi-step work as ``progress(stage, done, total)``
    (e.g. :func:`tropexact.verify.instance.verify_network`); a new stage closes
    the previous stage's bar and opens its own, labelled by *labels*.

    Examples
    --------
    >>> with stages({"regions": "regions"}, quiet=True) as show:
    ...     show("regions", 5, None); show("layers", 1, 2)
    >>> show.stage
    'layers'
    """

    def __init__(self, labels: dict[str, str], *, quiet: bool = False) -> None:
        self.labels, self.quiet = labels, quiet
        self.stage: str | None = None
        self._bar: bar | None = None

    def __enter__(self) -> "stages":
        return self

    def __call__(self, stage: str, done: int, total: int | None = None) -> None:
        if stage != self.stage:
            self._close()
            self.stage = stage
            self._bar = bar(self.labels.get(stage, stage), total=total, quiet=self.quiet)
            self._bar.__enter__()
        self._bar(done, total)  # type: ignore[misc]

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __exit__(self, *exc: Any) -> None:
        self._close()
