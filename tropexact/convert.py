"""Import networks from PyTorch, ONNX and numpy (``tropexact convert``).  Placeholder."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the ``convert`` subcommand (placeholder until the importers land)."""
