"""Which failures the next run retries."""

from __future__ import annotations

# Failures that say nothing about the file itself: retried by the next run. Every other
# failure is permanent for the file's content under the same settings (a corrupt file,
# a scanned PDF, a bug): not retried until the content, an option or a version changes.
TRANSIENT = frozenset(
    {"timeout", "worker_crashed", "memory_limit", "changed_while_reading", "unreadable_file"}
)


def failure_class(codes: list[str]) -> str | None:
    """transient, permanent, or None when there is no failure."""
    if not codes:
        return None
    return "transient" if any(code in TRANSIENT for code in codes) else "permanent"
