"""Starting a process that outlives the command that starts it: the background jobs
(a release's old files deleted, a search index copied ahead, a store's merge finished)."""

from __future__ import annotations

import subprocess
import sys


def spawn_detached(*args: str) -> subprocess.Popen[bytes]:
    """Run this interpreter with ``args`` in a session of its own (a Ctrl-C of the command
    does not stop it), without the command's standard streams or file descriptors."""
    return subprocess.Popen(  # noqa: S603 - this interpreter, with our own arguments
        [sys.executable, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )
