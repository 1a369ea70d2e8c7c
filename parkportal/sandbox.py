"""Run a function in a forked child process whose address space is capped.

Reading a spreadsheet is the one place where a small upload can make a worker allocate a lot
(a decompression bomb that lies about its sizes, a sheet with millions of styled cells). The
reader runs in a child: its address space may grow by at most `memory_bytes` beyond what the
parent already mapped (RLIMIT_AS), so a runaway parse fails in the child — MemoryError, or an
abort in native code — and the worker itself never grows. The result comes back pickled.

The child must not use the parent's database connection: callers fetch what they need first.
"""

import os
import pickle
import resource


class MemoryLimitExceeded(Exception):
    """The function needed more memory than allowed (or its process died)."""


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(func, args, kwargs, memory_bytes: int, out_fd: int) -> None:
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + memory_bytes
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        try:
            result = ("ok", func(*args, **kwargs))
        except MemoryError:
            result = ("memory", None)
        except Exception as exc:  # handed to the parent, which raises it again
            result = ("error", exc)
            try:
                pickle.dumps(result)
            except Exception as problem:
                result = ("error", RuntimeError(f"unpicklable result: {problem!r}"))
        # Pickled straight into the pipe: the bytes of a large result (≈ 30 MB for a
        # 100,000-row list) are never held whole here. A result that cannot be pickled (or
        # runs out of memory doing so) arrives truncated: the parent reports the child died.
        with os.fdopen(out_fd, "wb", buffering=1 << 20) as pipe:
            pickle.dump(result, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(0)  # no atexit handlers, no database clean-up in the child


def run_capped(func, *args, memory_bytes: int, **kwargs):
    """func(*args, **kwargs) in a child process limited to `memory_bytes` more address space.

    Returns its result or raises its exception; raises MemoryLimitExceeded when the child ran
    out of memory or died. Without fork (not on Linux) the function runs here, uncapped.
    """
    if not memory_bytes or not hasattr(os, "fork"):
        return func(*args, **kwargs)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(func, args, kwargs, memory_bytes, write_fd)
    os.close(write_fd)
    # Unpickled from the pipe as it arrives: the pickled bytes (≈ 30 MB for a 100,000-row
    # list) are never held whole beside the objects they make (docs/performance.md).
    with os.fdopen(read_fd, "rb") as pipe:
        try:
            kind, value = pickle.load(pipe)
        except (EOFError, pickle.UnpicklingError):
            kind = "died"
        pipe.read()  # whatever follows a truncated result, so the child can exit
    os.waitpid(pid, 0)
    if kind == "died":
        raise MemoryLimitExceeded("the child process died")
    if kind == "ok":
        return value
    if kind == "memory":
        raise MemoryLimitExceeded("the child process ran out of memory")
    raise value
