"""Everything that is not UI: the store, import, analysis, notes and evaluation.

The reader and the CLI use one facade, `store.Library`. This package never
imports textual; `Library` is loaded on first use so that `import store`
stays cheap.
"""

from typing import Any

__all__ = ["Library"]


def __getattr__(name: str) -> Any:
    if name == "Library":
        from store.library import Library

        return Library
    raise AttributeError(name)
