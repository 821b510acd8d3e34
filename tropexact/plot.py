"""Figures of regions, tropical curves and Newton polygons (``tropexact plot``).  Placeholder."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the ``plot`` subcommand (placeholder until the figures land)."""
