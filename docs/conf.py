"""Sphinx configuration: the API reference from the numpydoc docstrings, and the guides.

Build with ``make docs`` (``sphinx-build -W``: a warning fails the build).
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.abspath(".."))

import tropexact  # noqa: E402

project = "tropexact"
author = "the tropexact developers"
release = version = tropexact.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",      # numpydoc sections (Parameters, Returns, Examples, ...)
    "sphinx.ext.mathjax",
    "myst_parser",              # the guides are Markdown
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "api/generated/*.tmp"]
templates_path = ["_templates"]

autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {
    "members": True,
    "undoc-members": False,
    "show-inheritance": True,
    "ignore-module-all": True,   # a package documents its own docstring; names live in modules
}
autodoc_member_order = "bysource"
autodoc_typehints = "none"       # the numpydoc sections say the types
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_use_ivar = True        # Attributes as fields: dataclass members are documented once

myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath"]
suppress_warnings = ["myst.header"]

html_theme = "alabaster"
html_title = f"tropexact {release}"
