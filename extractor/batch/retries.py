"""Which failures the next run retries."""

from __future__ import annotations

from ..problems import FailureClass, transient_codes

# Failures that say nothing about the file itself (the registry's transient codes): retried by
# the next run. Every other failure is permanent for the file's content under the same
# settings (a corrupt file, a scanned PDF, a bug): not retried until the content, an option or
# a version changes.
TRANSIENT = transient_codes()


def failure_class(codes: list[str]) -> FailureClass | None:
    """transient, permanent, or None when there is no failure."""
    if not codes:
        return None
    return (
        FailureClass.TRANSIENT
        if any(code in TRANSIENT for code in codes)
        else FailureClass.PERMANENT
    )
