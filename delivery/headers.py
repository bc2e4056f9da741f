"""Header text from data (Pemda names, admin names, file names) that cannot add headers.

Python 3.11.7 (this project's interpreter) predates the fix for CVE-2024-6923: when
`EmailMessage` refolds a header, an RFC 2047 encoded word that *decodes* to a newline, e.g.
`=?UTF-8?Q?=0A?=Bcc: x@y` in a display name or subject, is written out as a real line break,
so the text after it becomes a real `Bcc:` header. Raw CR/LF are refused by `EmailMessage`
itself, but other control and line-separator characters are not worth the risk either.

So every data-derived header text goes through `clean_header_text`: control and separator
characters become spaces, and anything shaped like an encoded word (`=?…?=`) is removed
(a Pemda name never legitimately contains one); the result is one plain line.
"""

from __future__ import annotations

import re
import unicodedata

#: A header text longer than this is cut: subjects/display names are read at a glance and
#: a cap bounds what a hostile cell can do to folding.
MAX_HEADER_TEXT = 200

_ENCODED_WORD = re.compile(r"=\?[^?]*\?[^?]*\?[^?]*\?=")
_WS = re.compile(r"\s+")


def _is_unsafe_char(ch: str) -> bool:
    if ch in "\r\n\t\v\f\x85\u2028\u2029":
        return True
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")


def clean_header_text(value: object, limit: int = MAX_HEADER_TEXT) -> str:
    """One safe line of header text: no control characters, no encoded words, no `=?`."""
    if value is None:
        return ""
    s = str(value)
    s = "".join(" " if _is_unsafe_char(ch) else ch for ch in s)
    prev = None
    while prev != s:  # removing one encoded word may reveal another; loop until stable
        prev = s
        s = _ENCODED_WORD.sub(" ", s)
        s = s.replace("=?", "= ?").replace("?=", "? =")
    s = _WS.sub(" ", s).strip()
    if len(s) > limit:
        s = s[: limit - 1].rstrip() + "…"
    return s
