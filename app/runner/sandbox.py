"""One sandboxed process (bubblewrap): candidate code never runs in the server process.

The child sees a read-only file system holding only the interpreters (/usr, /lib...), the harness scripts
at /harness and an empty tmpfs /tmp: no /etc/passwd, no repository, no data directory. It has no network
(--unshare-all), its own pid namespace (--die-with-parent: when we kill bwrap everything inside dies), runs
as an unprivileged user (as `nobody` when the server runs as root: root ignores RLIMIT_NPROC), and has
rlimits on CPU seconds, address space, file size and open files, and on processes inside its own user
namespace (so the server's threads and other runs do not count). A wall-clock limit kills the process
group; stdout and stderr are read with a cap. Where bwrap is missing nothing runs: `SandboxUnavailable`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HARNESS_DIR = Path(__file__).resolve().parent / "harness"
NOBODY = 65534
_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC_FILES = ("/etc/ld.so.cache", "/etc/localtime")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or does not work here: code is refused, never run unsandboxed."""


@dataclass(frozen=True)
class Limits:
    wall_s: float = 6.0
    cpu_s: int = 5
    memory_mb: int = 256  # address space (RLIMIT_AS); node gets `node_memory_mb` (V8 reserves more)
    node_memory_mb: int = 1024
    node_heap_mb: int = 96
    processes: int = 16
    node_processes: int = 64  # node's threads count too (libuv pool, V8 workers, one per vm timeout)
    file_mb: int = 1
    open_files: int = 64
    output_bytes: int = 256 * 1024


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Outcome:
    stdout: bytes
    stderr: bytes
    returncode: int | None
    timed_out: bool
    output_cut: bool
    elapsed_ms: float

    @property
    def killed_by(self) -> str | None:
        """The signal that ended the child (bwrap reports a child killed by signal N as exit 128 + N)."""
        code = self.returncode
        number = -code if code is not None and code < 0 else code - 128 if code is not None and 128 < code < 160 \
            else None
        try:
            return signal.Signals(number).name if number else None
        except ValueError:
            return None


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def node_path() -> str | None:
    return shutil.which("node")


def python_path() -> str:
    """The system interpreter (not a venv's: the sandbox has no site-packages and needs none)."""
    for candidate in (Path("/usr/bin/python3"), Path(sys.base_prefix) / "bin" / "python3"):
        if candidate.exists():
            return str(candidate)
    return sys.executable


def _binds() -> list[str]:
    args: list[str] = []
    prefix = str(Path(python_path()).resolve().parent.parent)
    dirs = list(_SYSTEM_DIRS)
    if not any(prefix == d or prefix.startswith(d + "/") for d in dirs):
        dirs.append(prefix)  # /usr/local (the python image) is under /usr; a pyenv prefix is not
    for d in dirs:
        if os.path.lexists(d):
            args += ["--ro-bind", d, d] if not os.path.islink(d) else ["--symlink", os.readlink(d), d]
    for f in _ETC_FILES:
        if os.path.exists(f):
            args += ["--ro-bind", f, f]
    return args


def command(argv: list[str], processes: int = DEFAULT_LIMITS.processes) -> list[str]:
    """The bwrap command line. The process limit is set inside the sandbox (prlimit, after bwrap made the
    user namespace), so it counts only this sandbox's processes, not the server's threads or other runs."""
    bwrap = bwrap_path()
    if bwrap is None:
        raise SandboxUnavailable("code runs need bubblewrap (`bwrap`, Debian package `bubblewrap`); "
                                 "it is not installed on this server, so nothing is run")
    return [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            *_binds(), "--dir", "/etc", "--ro-bind", str(HARNESS_DIR), "/harness",
            "--tmpfs", "/tmp", "--dev", "/dev", "--proc", "/proc", "--chdir", "/tmp",
            "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp",
            "--setenv", "LANG", "C.UTF-8", _util("prlimit"), f"--nproc={processes}", "--", *argv]


def _outer(limits: Limits, memory_mb: int) -> list[str]:
    """What runs before bwrap: rlimits (prlimit), and as root a switch to nobody (setpriv; root ignores
    RLIMIT_NPROC). Done by small programs rather than a preexec function, so spawning needs no fork of
    the server (a fork of a big process held the event loop ~40 ms under concurrent runs). The CPU hard
    limit sits a second above the soft one: at the soft limit the run gets SIGXCPU (reported as the time
    limit); with both equal the kernel sends SIGKILL instead, which reads as an unexplained crash."""
    limits_argv = [_util("prlimit"), f"--cpu={limits.cpu_s}:{limits.cpu_s + 1}", f"--as={memory_mb * 1024 * 1024}",
                   f"--fsize={limits.file_mb * 1024 * 1024}", f"--nofile={limits.open_files}", "--core=0", "--"]
    if os.geteuid() != 0:
        return limits_argv
    return [*limits_argv, _util("setpriv"), f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def _util(name: str) -> str:
    found = shutil.which(name, path="/usr/bin:/bin")
    if found is None:
        raise SandboxUnavailable(f"code runs need {name} (util-linux) to set limits; nothing is run")
    return found


async def _read_capped(stream: asyncio.StreamReader, cap: int, cut: list[bool]) -> bytes:
    chunks, size = [], 0
    while True:
        data = await stream.read(65536)
        if not data:
            return b"".join(chunks)
        if size < cap:
            chunks.append(data[:cap - size])
        size += len(data)
        if size > cap:
            cut[0] = True  # keep draining (so the child is not blocked), keep nothing more


def _kill(proc: asyncio.subprocess.Process) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


async def run(argv: list[str], stdin: bytes, limits: Limits = DEFAULT_LIMITS, *, memory_mb: int | None = None,
              processes: int | None = None) -> Outcome:
    """Run `argv` (paths as seen inside the sandbox) with `stdin`; never raises for what the child does."""
    cmd = [*_outer(limits, memory_mb or limits.memory_mb), *command(argv, processes or limits.processes)]
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        *cmd, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        start_new_session=True, close_fds=True)  # its own process group: killed as one
    cut = [False]
    out = asyncio.ensure_future(_read_capped(proc.stdout, limits.output_bytes, cut))
    err = asyncio.ensure_future(_read_capped(proc.stderr, 16 * 1024, [False]))
    timed_out = False
    try:
        try:
            proc.stdin.write(stdin)
            await proc.stdin.drain()
            proc.stdin.close()
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            await asyncio.wait_for(proc.wait(), limits.wall_s)
        except TimeoutError:
            timed_out = True
            _kill(proc)
            await proc.wait()
    finally:
        if proc.returncode is None:
            _kill(proc)
            await proc.wait()
    _kill(proc)  # anything left in its group
    stdout, stderr = await out, await err
    return Outcome(stdout, stderr, proc.returncode, timed_out, cut[0], (time.perf_counter() - started) * 1000)


@lru_cache(maxsize=1)
def self_test() -> str | None:
    """None when the sandbox works here, else why not (checked once per process)."""
    import subprocess

    try:
        cmd = [*_outer(DEFAULT_LIMITS, 256), *command([python_path(), "-I", "-S", "-c", "print(6 * 7)"])]
    except SandboxUnavailable as exc:
        return str(exc)
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=20, start_new_session=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap did not start: {type(exc).__name__}"
    if done.stdout.strip() != b"42":
        return f"bubblewrap does not work here: {done.stderr.decode(errors='replace')[:200].strip()}"
    return None
