"""Errors the CLI and reader turn into one-line messages."""


class TreatyError(Exception):
    """A failure the user can act on; str() is the one-line message."""


class StoreDamaged(TreatyError):
    """A store file does not parse. It is kept as it is and never overwritten."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"store file {path} is damaged ({reason}); it was left untouched - "
            "run `treaty-tui doctor` to set it aside and rebuild what can be rebuilt"
        )


class ImportFailed(TreatyError):
    """One source could not be imported; the message says why."""


class NotFound(TreatyError):
    """No article (or note) matches the id the user gave."""


def reason(exc: BaseException) -> str:
    """The one line a user is told for a failure: our own message, or the OS's with its file."""
    if isinstance(exc, TreatyError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror or exc.__class__.__name__}{where}"
    return f"unexpected error: {exc.__class__.__name__}: {exc}"


def by_prefix(records, prefix: str, what: str):
    """The one record whose `.id` starts with `prefix`; NotFound if none or several."""
    prefix = prefix.strip()
    matches = [r for r in records if r.id.startswith(prefix)] if prefix else []
    if not matches:
        raise NotFound(f"no {what} with id {prefix!r}")
    if len(matches) > 1:
        raise NotFound(f"{what} id {prefix!r} is ambiguous: {', '.join(r.id for r in matches[:5])}")
    return matches[0]
