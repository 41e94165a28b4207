"""Work handed to a helper process on a spare core, while this one goes on.

Parsing and linking are spaCy, numpy and Python, which hold the interpreter
lock: threads would take turns. A helper is forked, so it starts at once with
everything this process holds (the spaCy model, a story's index, its links)
and nothing is sent to it; only its result comes back, whole (`in_helper`)
or item by item as it is made (`streamed`). Helpers never fork helpers of
their own. Where forking is not safe (macOS, Windows) or there is no spare
core, the work is simply done here when its result is asked for. A helper
prints nothing over the reader's screen, and one that fails leaves its work to
be done again here, where a failure is raised as usual.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from typing import TypeVar

Result = TypeVar("Result")
Item = TypeVar("Item")
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends
# How much a streaming helper may run ahead of its caller (Linux's largest pipe an
# unprivileged process may ask for): it keeps working while the caller does other things.
STREAM_AHEAD = 1 << 20


def spare_cores() -> int:
    """The cores this process may run on, less the one it runs on."""
    try:
        return len(os.sched_getaffinity(0)) - 1
    except AttributeError:  # not on Linux
        return (os.cpu_count() or 1) - 1


def can_help() -> bool:
    return (
        sys.platform.startswith("linux")
        and multiprocessing.parent_process() is None
        and spare_cores() > 0
    )


def in_helper(work: Callable[[], Result]) -> Callable[[], Result]:
    """Start work() in a helper now; the function returned waits for its result."""
    if not can_help():
        return work
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    helper = fork.Process(target=_serve, args=(work, send, receive, os.getpid()), daemon=True)
    try:
        helper.start()
    except OSError:  # no process to be had: done here
        receive.close()
        return work
    finally:
        send.close()

    def result() -> Result:
        try:
            done, value = receive.recv()
        except (EOFError, OSError):  # the helper died
            done, value = False, None
        finally:
            receive.close()
            helper.join()
        return value if done else work()

    return result


def streamed(work: Callable[[], Iterable[Item]]) -> Iterator[Item]:
    """work()'s items, made by a helper from now on, one by one as they are taken.

    The helper runs ahead of the caller by up to STREAM_AHEAD bytes. Should it
    fail, what it had not sent is made here (work() again, the items taken
    skipped); an iterator dropped before its end stops the helper.
    """
    if not can_help():
        return iter(work())
    items = _streamed(work)
    next(items)  # the helper starts now, not when the first item is asked for
    return items


def _streamed(work: Callable[[], Iterable[Item]]) -> Iterator[Item]:
    import fcntl  # (Unix only: imported where forking is)

    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    with contextlib.suppress(OSError):  # a smaller pipe only means less running ahead
        fcntl.fcntl(send.fileno(), fcntl.F_SETPIPE_SZ, STREAM_AHEAD)
    helper: multiprocessing.process.BaseProcess | None = None
    try:
        helper = fork.Process(target=_stream, args=(work, send, receive, os.getpid()), daemon=True)
        helper.start()
    except OSError:  # no process to be had: made here
        helper = None
    finally:
        send.close()
    taken = 0
    try:
        yield None  # type: ignore[misc]  # (the start: see streamed)
        while helper is not None:
            try:
                done, item = receive.recv()
            except (EOFError, OSError):  # the helper died
                break
            if done:
                return
            yield item
            taken += 1
    finally:  # also where the caller dropped the items: the helper is stopped
        receive.close()
        if helper is not None:
            helper.kill()
            helper.join()
    yield from itertools.islice(work(), taken, None)


def _stream(
    work: Callable[[], Iterable[object]], send: Connection, receive: Connection, caller: int
) -> None:
    receive.close()
    _end_with(caller)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (the helper's whole life)
    try:
        for item in work():
            send.send((False, item))
    except BaseException:  # the caller makes the rest, and raises the failure there
        return
    send.send((True, None))


def _serve(work: Callable[[], object], send: Connection, receive: Connection, caller: int) -> None:
    receive.close()  # the caller is the only reader: if it stops reading, sending fails
    _end_with(caller)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (the helper's whole life)
    try:
        send.send((True, work()))
    except BaseException:  # told as a failure: the work is done again, and raises, there
        send.send((False, None))


def _end_with(caller: int) -> None:
    """Die when the caller dies: a helper of a killed import would otherwise go on
    holding what it inherited, the library's write lock among them."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != caller:  # gone before that was asked for
        os._exit(1)
