"""Bytes to text: refuse binary, honour byte-order marks, detect legacy encodings."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from store.errors import ImportFailed

WESTERN = ("cp1252", "latin_1", "iso8859_15")
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, and what the user should be told about how (or "")."""

    text: str
    notice: str = ""


_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
PRESCAN_BYTES = 2048  # where HTML declares its encoding (browsers look at the first 1,024)


def meta_charset(raw: bytes) -> str | None:
    """The encoding an HTML page declares in <meta charset> or its http-equiv form."""
    m = _META_CHARSET.search(raw[:PRESCAN_BYTES])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def repair_mojibake(text: str) -> str:
    """Text decoded twice the wrong way ("itâ€™s", "cafÃ©") put right, with ftfy's
    encoding fixes only: quotes, widths and control characters are left as written."""
    if not _MOJIBAKE_HINT.search(text):
        return text  # nearly every text: no ftfy import, no cost
    import ftfy

    return ftfy.fix_encoding(text)


_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00c3\u00e2\u00d0\u00d1\u00c5][\u0080-\u02ff\u2010-\u203a\u20ac\u2122]"
)


def decode_text(raw: bytes, declared: str | None = None) -> Decoded:
    """Decode article bytes, or fail with a reason a user understands.

    `declared` is the HTTP header's charset; an HTML page without one may name its
    encoding in a <meta> tag, which is honoured before any guessing.
    """
    declared = declared or meta_charset(raw)
    if not raw.strip():
        raise ImportFailed("empty file (whitespace only)" if raw else "empty file")
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return Decoded(_checked(raw.decode(encoding, errors="replace")))
    if b"\x00" in raw:
        utf16 = _utf16_without_bom(raw)
        if utf16 is None:
            raise ImportFailed("binary content (NUL bytes), not text")
        return Decoded(_checked(utf16))
    for encoding in filter(None, (declared, "utf-8")):
        try:
            return Decoded(_checked(raw.decode(encoding)))
        except (UnicodeError, LookupError):  # a wrong or bogus charset ("undefined")
            continue
    from charset_normalizer import from_bytes

    results = list(from_bytes(raw))
    if not results:
        return _nearly_utf8(raw)
    best = results[0]
    # Short texts fit several code pages equally well; news is most often Western European.
    tied = [m for m in results if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    preferred = next((m for m in tied if m.encoding in WESTERN), best)
    return Decoded(_checked(str(preferred)))


def _nearly_utf8(raw: bytes) -> Decoded:
    """UTF-8 (or ASCII) text with a few stray bytes: kept, each stray byte shown as U+FFFD."""
    text = raw.decode("utf-8", errors="replace")
    stray = text.count("\ufffd") - raw.decode("utf-8", errors="ignore").count("\ufffd")
    if stray > max(3, len(raw) // 100):
        raise ImportFailed("not text in any encoding that could be detected")
    return Decoded(_checked(text), f"{stray} stray byte{'s' if stray > 1 else ''} shown as \ufffd")


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark: NUL in nearly every other byte."""
    even, odd = raw[0::2], raw[1::2]
    for nuls, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if len(raw) % 2 == 0 and nuls.count(0) >= 0.9 * len(nuls):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _checked(text: str) -> str:
    """Reject decoded text that is mostly control characters (a binary file in disguise)."""
    sample = text[:4096]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if sample and controls / len(sample) > 0.05:
        raise ImportFailed("binary content (control bytes), not text")
    if not text.strip():
        raise ImportFailed("empty file (whitespace only)")
    return text
