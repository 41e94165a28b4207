"""Make untrusted text safe to print: control characters become visible symbols.

Article text comes from anywhere. An ESC byte passed to a terminal can clear
the screen, retitle the window or worse, so every C0/C1 control character
except newline and tab is shown as a visible stand-in instead. Rich markup
is never parsed from such text: callers wrap it in rich.text.Text.
Bidirectional controls (U+202A-202E, U+2066-2069, U+200E/200F, U+061C) are
shown too: passed raw, "Invoice \u202egnp.exe" reads as "Invoice exe.png".
"""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ESC -> U+241B
    if code == 0x7F:
        return "\u2421"
    if code > 0xFF:
        return f"<U+{code:04X}>"
    return f"<{code:02X}>"


def visible(text: str) -> str:
    """`text` with control characters (not newline or tab) replaced by visible symbols."""
    return _CONTROLS.sub(_picture, text)


def visible_line(text: str) -> str:
    """Like visible(), for one-line fields such as titles: line breaks become spaces."""
    return visible(text.replace("\r", " ").replace("\n", " ").replace("\t", " "))


def visible_chars(text: str) -> str:
    """Like visible(), but one character for one, so offsets into `text` stay valid.

    C1 and bidirectional controls become U+2426; tabs and line breaks become spaces.
    """
    return _CONTROLS.sub(_one_char_picture, text).translate(_WHITESPACE)


def _one_char_picture(match: re.Match[str]) -> str:
    picture = _picture(match)
    return picture if len(picture) == 1 else "\u2426"


_WHITESPACE = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def counted(count: int, noun: str, plural: str = "") -> str:
    """ "1 note", "2 notes", "1,204 articles": a number with its noun agreeing."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
