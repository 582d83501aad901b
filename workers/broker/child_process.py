"""Broker processes that end with the process that started them, also when that one is killed with SIGKILL.

A broker runs in a session of its own (so a terminal's Ctrl-C reaches only newsflow, which stops its clients
first); nothing then ends it when its parent dies without running its clean-up. On Linux the child asks the
kernel for a signal on its parent's death (prctl PR_SET_PDEATHSIG, prctl(2)) between fork and exec, and keeps
it across the exec of the broker binary. Elsewhere nothing is asked and the old behaviour stays.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def end_with_parent(signum: int = signal.SIGTERM) -> Callable[[], None] | None:
    """A `preexec_fn` for subprocess.Popen that has the child sent `signum` when its parent dies (Linux only).

    The death signal goes with the thread that forked the child (prctl(2)), so start the child from a thread
    that lives as long as the process: the main thread, as every caller here does.
    """
    if not sys.platform.startswith("linux"):
        return None
    # Looked up before the fork: the child should run as little Python as possible between fork and exec.
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def ask_for_the_signal() -> None:
        if prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        if os.getppid() != parent:  # the parent died before the request took effect
            os.kill(os.getpid(), signum)

    return ask_for_the_signal


def start_broker_process(command: Sequence[str]) -> subprocess.Popen[bytes]:
    """A broker process, silenced, in a session of its own, that ends with this process (see the module)."""
    return subprocess.Popen(
        list(command),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=end_with_parent(),
    )
