"""The entry point: parse, dispatch to a command, and turn errors into exit statuses.

Exit statuses (docs/design.md §6): 0 success, 1 a check failed (or a
:class:`~tropexact.errors.VerificationError`), 2 bad input or a budget exceeded
(one line on stderr naming the problem), 130 interrupted.  A library error
naming a parameter (``param="max_regions"``) is shown with its option
(``--max-regions``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

from tropexact.errors import (BudgetExceeded, InputError, OutputExists, RunExists,
                              TropexactError, VerificationError)

from .deadline import MAX_SECONDS, TIME_UP, TimeUp, alarm, supervise
from .commands import (check_command, convert_command, plot_command, regions_command,
                       tropicalize_command, verify_command)
from .experiments import bounds_command, search_command, verify_random_command
from .parser import build_parser

__all__ = ["main", "COMMANDS", "PARAM_FLAGS"]

#: The command of each subcommand name.
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "tropicalize": tropicalize_command, "regions": regions_command, "verify": verify_command,
    "check": check_command, "bounds": bounds_command, "search": search_command,
    "convert": convert_command, "plot": plot_command,
}

#: The option of each library parameter that a message may name (errors.TropexactError.param).
PARAM_FLAGS = {"arch": "--arch", "budget": "--budget", "chain_length": "--chain-length",
               "objective": "--objective", "lo": "--weights", "n": "--random",
               "workers": "--workers", "dask": "--dask", "out_dir": "--out",
               "max_regions": "--max-regions", "max_terms": "--max-terms",
               "max_denominator": "--max-denominator", "input_dim": "--input-dim",
               "activations": "--activations", "samples": "--samples", "window": "--window",
               "level": "--level", "time_limit": "--time-limit", "parts": "--parts",
               "checkpoint": "--checkpoint", "regions_out": "--regions-out",
               "method": "--method", "certificate": "--certificate", "pieces": "--pieces",
               "input_shape": "--input-shape", "graph": "--graph"}


#: What each kind of error is called on stderr, its exit status and a hint (first match wins).
_EXITS = {OutputExists: ("error", 2, " (pass --force to replace it)"),
          RunExists: ("error", 2, " (pass --resume to continue it)"),
          InputError: ("error", 2, ""),
          BudgetExceeded: ("budget exceeded", 2, ""),
          VerificationError: ("verification failed", 1, "")}


def _message(e: TropexactError) -> str:
    """The error's message with the library parameter it names shown as its option."""
    return e.render(PARAM_FLAGS.get(e.param or "", e.param))


def _command(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    if args.command == "verify" and args.random is not None:
        return verify_random_command
    return COMMANDS[args.command]


def _seconds(value: float | None) -> float | None:
    """A ``--time-limit`` value, checked: a positive, finite number of seconds."""
    if value is not None and not 0 < value <= MAX_SECONDS:
        raise InputError(f"must be a positive number of seconds up to {MAX_SECONDS}, "
                         f"got {value:g}", param="time_limit")
    return value


def _outputs(args: argparse.Namespace) -> list[str]:
    """The files and directories the command may write (cleaned after a hard stop)."""
    names = ("certificate", "output", "out", "regions_out", "checkpoint")
    return [str(v) for v in (getattr(args, n, None) for n in names) if isinstance(v, str)]


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The parsed command line; an unknown option is reported by its subcommand, which
    suggests only its own options."""
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        parser.subcommand(args.command).error("unrecognized arguments: " + " ".join(extras))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tropexact`` with *argv* (default ``sys.argv[1:]``); return the exit status."""
    args = _parse(argv)
    try:
        seconds = _seconds(getattr(args, "time_limit", None))
    except InputError as e:
        return _failure(e)
    if seconds is None:
        return _run(args, None)
    # the checker keeps its own clock, which names the certificate; the hard stop stays
    soft = None if args.command == "check" else seconds
    return supervise(seconds, lambda: _run(args, soft), _outputs(args),
                     lambda: _failure(_time_up(seconds)))


def _time_up(seconds: float) -> BudgetExceeded:
    return BudgetExceeded(f"stopped after {seconds:g} s", param="time_limit")


def _failure(e: TropexactError) -> int:
    """Print the one-line error of *e*; its exit status."""
    for kind, (what, status, hint) in _EXITS.items():
        if isinstance(e, kind):
            print(f"tropexact: {what}: {_message(e)}{hint}", file=sys.stderr)
            return status
    raise e  # pragma: no cover - every kind is in _EXITS


def _run(args: argparse.Namespace, seconds: float | None) -> int:
    """The command, its errors as exit statuses; *seconds*: the soft alarm."""
    try:
        with alarm(seconds):
            return int(_command(args)(args))
    except TimeUp:  # only under supervise(), which reports it
        return TIME_UP
    except TropexactError as e:
        return _failure(e)
    except KeyboardInterrupt:
        print("tropexact: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
