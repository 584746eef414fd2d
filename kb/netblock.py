"""Cut a process off the network: no IPv4 or IPv6 socket can be made after ``block_network()``.

The SPARQL guard (kb.sparql_guard) refuses SERVICE on the parsed query; this is the
second wall, in the engine's own process. srkb's query processes read an on-disk store
and talk to their worker over a pipe, so on the embedded store they never need the
network: a seccomp filter (libseccomp, through pyseccomp) makes ``socket(AF_INET, ...)``,
``socket(AF_INET6, ...)`` and io_uring (which can open sockets without that call) fail
with EACCES. A SERVICE call that got past the guard then fails inside Oxigraph with an
error instead of reaching a host. The filter is inherited by children and cannot be
lifted. Name resolution fails too (it needs a socket), which is what we want.

Without seccomp (not Linux, or libseccomp missing) ``block_network`` says so and the
guard stands alone; ``srkb serve`` logs that at start.
"""

from __future__ import annotations

import errno
import logging
import socket

logger = logging.getLogger(__name__)


class NetworkBlockUnavailableError(RuntimeError):
    """This platform cannot cut a process off the network."""


def block_network() -> None:
    """Make every later IPv4/IPv6 socket in this process (and its children) fail.

    Raises:
        NetworkBlockUnavailableError: seccomp or libseccomp is not available here.
    """
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as exc:  # OSError: libseccomp.so.2 is missing
        raise NetworkBlockUnavailableError(f"seccomp is not available: {exc}") from exc
    refuse = seccomp.ERRNO(errno.EACCES)
    try:
        rules = seccomp.SyscallFilter(seccomp.ALLOW)
        for family in (socket.AF_INET, socket.AF_INET6):
            rules.add_rule(refuse, "socket", seccomp.Arg(0, seccomp.EQ, family))
        rules.add_rule(refuse, "io_uring_setup")
        rules.load()
    except (OSError, RuntimeError, ValueError) as exc:
        raise NetworkBlockUnavailableError(
            f"the seccomp filter could not be loaded: {exc}"
        ) from exc


def network_blocked() -> bool:
    """Whether this process can no longer open an IPv4 socket (for status and tests)."""
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except PermissionError:
        return True
    sock.close()
    return False
