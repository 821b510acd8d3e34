"""Verification: certificates, the independent checker, and the paper's checks on instances.

Layer 7 of tropexact (see ``docs/architecture.md``).

:mod:`~tropexact.verify.check`           the one record of a named check (pass / fail / n/a / not run)
:mod:`~tropexact.verify.correspondence`  regions of f ↔ upper vertices of P(f), with the graphs
:mod:`~tropexact.verify.theorems`        the claims of Zhang–Naitzat–Lim (2018), checked exactly
:mod:`~tropexact.verify.instance`        every check of ``tropexact verify``, each computation once
:mod:`~tropexact.verify.certificates`    region certificates (``docs/certificates.md``)
:mod:`~tropexact.verify.checker`         the independent checker: standard library only
"""

from .certificates import certificate, write_certificate
from .checker import check_certificate, check_file

__all__ = ["certificate", "write_certificate", "check_certificate", "check_file"]
