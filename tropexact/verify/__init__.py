"""Verification: certificates, the independent checker, and the paper's checks on instances.

Layer 7 of tropexact (see ``docs/architecture.md``).  The theorem checks live in
:mod:`tropexact.verify.theorems` (imported on use: they load sympy through the bounds).

:mod:`~tropexact.verify.certificates`  region certificates (``docs/certificates.md``)
:mod:`~tropexact.verify.checker`      the independent checker: standard library only
:mod:`~tropexact.verify.theorems`     the claims of Zhang–Naitzat–Lim (2018), checked exactly
"""

from .certificates import certificate, write_certificate
from .checker import check_certificate, check_file

__all__ = ["certificate", "write_certificate", "check_certificate", "check_file"]
