"""One validation rule: its id, severity and description beside the function that applies it.

A family module declares its rules with ``@rule(...)``; ``registry.py`` lists them in the order
they run. A rule's function reads the document (``CheckInput``) and returns its checks; it
never sees another rule's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..models import Check, Severity
from .inputs import CheckInput

Checker = Callable[[CheckInput], Iterable[Check]]


@dataclass(frozen=True)
class CheckRule:
    id: str  # family.name: sum.classes, share.stated …
    severity: Severity  # of a failure, unless ``when`` says otherwise
    description: str  # what it checks, in one line
    run: Checker | None  # None: an outcome other rules report (unit.scale)
    when: str = ""  # how the severity of a failure may differ
    # Other rules a failure of this one may be reported as (a unit slip is not a wrong sum).
    reports: tuple[str, ...] = ()

    @property
    def family(self) -> str:
        return self.id.partition(".")[0]

    @property
    def emits(self) -> frozenset[str]:
        """The rule ids its checks may carry."""
        return frozenset((self.id, *self.reports))


def rule(
    rule_id: str,
    severity: Severity,
    description: str,
    *,
    when: str = "",
    reports: tuple[str, ...] = (),
) -> Callable[[Checker], CheckRule]:
    """Declare the decorated function as the rule ``rule_id``."""

    def declare(run: Checker) -> CheckRule:
        return CheckRule(rule_id, severity, description, run, when, reports)

    return declare
