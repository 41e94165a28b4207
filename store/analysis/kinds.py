"""Which sentences state a claim, and what the others are: datelines, bylines, captions, ...

A report carries lines that state nothing about the event: the dateline,
the byline, photo captions and credits, time stamps, "Also read" links,
embedded posts, ad markers and fragments cut from a page. They are shown
in the reader but never linked, and never counted as "only in this source".
The rules look at the line's shape (and the parser's verbs), never at a
particular outlet's wording.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from store.models import SentenceKind

if TYPE_CHECKING:
    from spacy.tokens import Span

    from store.models import ParagraphKind

AGENCIES = (
    r"AP|AFP|Reuters|Xinhua|EPA|Getty(?: Images)?|AAP|ANI|PTI|IANS|TASS|Yonhap|Kyodo|UPI|DPA|"
    r"Bloomberg|Anadolu|Sputnik|RIA Novosti|Associated Press|Agence France-Presse"
)
BYLINE = re.compile(r"^\s*by\s+\S", re.IGNORECASE)
PHOTO_LEAD = re.compile(
    r"^\s*[(\[]?\s*(?:photo|photograph|image|picture|video|credit|source|editor|file photo|"
    r"caption|illustration|graphic|pictured|watch)s?\b\s*(?:[:/|\-\u2013\u2014]|via|by|courtesy)",
    re.IGNORECASE,
)
PHOTO_CREDIT = re.compile(
    rf"\((?:[^()]*\b(?:photo|via|courtesy|credit|file)\b[^()]*|{AGENCIES})\)\s*$"
    rf"|\b(?:{AGENCIES})\s*(?:photo|/\s*\w[\w ]*)\s*\)?\s*$"
    rf"|[.!?]\s*(?:\(?(?:{AGENCIES})\)?)\s*$",
    re.IGNORECASE,
)
CAPTION_LEAD = re.compile(
    r"^\s*(?:in this (?:image|photo|picture|handout|video|file photo|screen ?grab)|"
    r"this (?:image|photo|picture|handout|video|screen ?grab)|(?:an? )?(?:aerial )?view of)\b",
    re.IGNORECASE,
)
BOILERPLATE = re.compile(
    r"^\s*(?:also read|read more|read also|related|recommended|see also|more on this|"
    r"skip to (?:main )?content|advertisement|sponsored|subscribe|sign up|follow us|"
    r"share (?:this|on)|click here|download (?:the|our) app|copyright|all rights reserved|"
    r"\[?ad_?\d*\]?$|\(?\s*(?:this|the) (?:story|article|report) (?:has been|was) "
    r"(?:updated|edited))",
    re.IGNORECASE,
)
EMBED = re.compile(
    r"pic\.twitter\.com/|https?://|www\.\w|\(@\w+\)|^\s*@\w+|twitter\.com/|instagram\.com/|"
    r"t\.co/|youtu\.?be",
    re.IGNORECASE,
)
TIME_OR_DATE = re.compile(
    r"\b(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?|[ap]\.?m\.?|UTC[+-]?\d*|GMT|"
    r"[A-Z]{2,4}T|\d{4}-\d{2}-\d{2}|\d{1,4}|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|"
    r"june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"mon(?:day)?|tue(?:sday)?|wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|"
    r"sun(?:day)?|published|updated|posted|last|modified|on|at|am|pm|ist|et|bst)\b",
    re.IGNORECASE,
)
# A word no time or date is written with, or one longer than any TIME_OR_DATE reads: a
# line with one is no timestamp, and most lines are told so without TIME_OR_DATE.
NOT_TIME = re.compile(
    r"\b(?:the|a|an|and|of|to|in|is|was|said|for|with|by|from|it|has|have|will|after)\b"
    r"|[^\W\d_]{10}",
    re.IGNORECASE,
)
BULLET = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u2023\u2043\u25e6*\-\u2013]|\d+[.)])\s+")
VERB_POS = {"VERB", "AUX"}
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
MIN_CONTENT_WORDS = 3  # below this, a body line without a verb tells no claim


def sentence_kind(text: str, paragraph: ParagraphKind, sent: Span | None = None) -> SentenceKind:
    """What one sentence is; `sent` (the parsed sentence) lets verbs and content words count."""
    if paragraph == "dateline":
        return "dateline"
    if paragraph == "credit":
        return "credit"
    line = text.strip()
    if not line:
        return "fragment"
    if BOILERPLATE.search(line):
        return "boilerplate"
    lower = line.lower()
    if ("/" in line or "@" in line or "www" in lower or "youtu" in lower) and EMBED.search(line):
        return "embed"  # (EMBED finds nothing without one of these: most lines skip it)
    words = re.findall(r"[^\W\d_][\w'\u2019.-]*", line)
    if len(words) <= 8 and BYLINE.match(line):
        return "byline"
    if not NOT_TIME.search(line) and not TIME_OR_DATE.sub(
        " ", re.sub(r"[^\w:+-]", " ", line)
    ).strip(" :+-|,"):
        return "timestamp"
    if PHOTO_LEAD.match(line) or CAPTION_LEAD.match(line):
        return "caption"
    credit_end = line[-1] == ")" or line[-1].isalnum() or line[-1] == "_"  # as PHOTO_CREDIT's
    if re.fullmatch(r"\(.*\)", line) or (
        credit_end and paragraph == "body" and PHOTO_CREDIT.search(line)
    ):
        return "caption"
    if paragraph == "title":
        return "claim"
    if paragraph in ("deck", "heading"):  # a headline-like line needs no verb, unless a mere name
        short_name = len(words) <= 4 and (sent is None or not any(t.pos_ in VERB_POS for t in sent))
        return "fragment" if short_name else "claim"
    if sent is not None:
        if any(t.pos_ in VERB_POS for t in sent):
            return "claim"
        content = sum(t.pos_ in CONTENT_POS for t in sent)
        if BULLET.match(line) or content < MIN_CONTENT_WORDS or len(words) <= 4:
            return "fragment"
    elif len(words) < MIN_CONTENT_WORDS:
        return "fragment"
    return "claim"
