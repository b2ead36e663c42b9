"""SIGINT and SIGTERM during a batch: stop at once, but never in the middle of storing a result.

Inside ``StopSignals`` a signal raises :class:`Interrupted` in the main thread right away —
while waiting for workers, walking folders or combining tables — except within
``critical()`` sections (writing one result and its manifest row, one report line), where it
is raised as soon as the section ends. A second signal during the clean-up is ignored.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """A stop signal arrived (a BaseException, like KeyboardInterrupt: no ``except
    Exception`` turns it into a failed file)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


class StopSignals:
    def __init__(self) -> None:
        self.signum: int | None = None
        self._depth = 0
        self._raised = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for number in SIGNALS:
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous.clear()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is not None:
            return  # already stopping
        self.signum = signum
        if self._depth == 0:
            self._raised = True
            raise Interrupted(signum)

    @contextmanager
    def critical(self) -> Iterator[None]:
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
        if self._depth == 0 and self.signum is not None and not self._raised:
            self._raised = True
            raise Interrupted(self.signum)


def reset_in_worker() -> None:
    """Worker processes forked from the batch: SIGINT (Ctrl-C reaches the whole process
    group) is the main process's to handle; SIGTERM ends the worker, as pebble expects."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
