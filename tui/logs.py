"""The log file: what the command did (imports, refreshes, doctor runs, errors and their
causes), never article text, so a user can say what happened in a bug report.

One file under the platform's log folder (`treaty-tui paths` names it), rotated at
LOG_BYTES with LOG_KEPT old files. `--verbose` also writes the records to stderr.
The file is opened at the first record, so a command that logs nothing costs nothing.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

LOG_NAME = "treaty-tui.log"
LOG_BYTES = 1_000_000
LOG_KEPT = 3
LOG_ENV = "TREATY_TUI_LOG_DIR"
log = logging.getLogger("treaty-tui")


def log_dir() -> Path:
    if os.environ.get(LOG_ENV):
        return Path(os.environ[LOG_ENV]).expanduser()
    from platformdirs import user_log_dir

    return Path(user_log_dir("treaty-tui"))


def setup(verbose: bool = False, command: str = "") -> None:
    """Send records to the rotating log file (and to stderr with `verbose`)."""
    from logging.handlers import RotatingFileHandler

    for old in list(log.handlers):  # a second call (tests run many commands) starts afresh
        log.removeHandler(old)
        old.close()
    log.setLevel(logging.INFO)
    log.propagate = False
    logging.raiseExceptions = False  # a full disk under the log never stops a command
    form = logging.Formatter(
        f"%(asctime)s %(levelname)s {command or 'reader'} [%(process)d] %(message)s"
    )
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = RotatingFileHandler(
            folder / LOG_NAME, maxBytes=LOG_BYTES, backupCount=LOG_KEPT, delay=True
        )
        handler.setFormatter(form)
        log.addHandler(handler)
    except OSError:
        pass  # no log folder (read-only home, say): the command still runs
    if verbose:
        loud = logging.StreamHandler()
        loud.setFormatter(logging.Formatter("treaty-tui: %(message)s"))
        log.addHandler(loud)
