"""The reports' style sheet into `style=` attributes (what mail clients keep), written into
the templates as they load, not into each rendered report.

The sheet (`base.html.j2`'s `<style>`) is kept to what an email can rely on and what can be
applied exactly before any data is known: every selector is an element (`h2`) or one class
(`.td`), never a combination, a parent or a state, so an element's style follows from its
own tag alone. `StyleSheet` refuses any other selector. The cascade is CSS's: element
rules, then class rules in the sheet's order, then the element's own `style=`; a property
set again keeps only its last value, in its last place.

`inline_template` rewrites each start tag of a template's source once: a tag whose class
and style are plain text gets its style written in; one whose class or style holds a Jinja
expression (`class="badge b-{{ severity }}"`) gets `style="{{ inline_style(...) }}"`, which
looks its style up when rendered. The `<style>` element goes, and so does every `class=`
(it only costs bytes of the email budget). A general inliner (css-inline, which the reports
used before) parsed each rendered report into a tree and wrote it out again: 5-7 ms of a
report's 30.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: A start tag in a template's source: name, attributes (which may hold `{{ ... }}` and
#: `{% ... %}`), an optional self-closing slash.
_TEMPLATE_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:[^<>{]|\{\{.*?\}\}|\{%.*?%\})*?)(\s*/?)>", re.DOTALL)
_CLASS = re.compile(r'\sclass="([^"]*)"')
_STYLE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<style\b[^>]*>.*?</style>", re.DOTALL)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_ELEMENT_SELECTOR = re.compile(r"[a-zA-Z][a-zA-Z0-9]*")
_CLASS_SELECTOR = re.compile(r"\.[a-zA-Z_][\w-]*")
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def declarations(css: str) -> list[tuple[str, str]]:
    """`a:b;c:d` as [(a, b), (c, d)], property names lowercased, empties dropped."""
    out = []
    for part in css.split(";"):
        prop, colon, value = part.partition(":")
        if colon and prop.strip() and value.strip():
            out.append((prop.strip().lower(), value.strip()))
    return out


def cascade(*groups: list[tuple[str, str]]) -> str:
    """The declarations of `groups`, later ones winning, as one `style=` value: a property
    set again keeps only its last value, where it was last set (a shorthand after its
    longhand still resets it; a longhand after its shorthand still refines it)."""
    merged = [d for g in groups for d in g]
    last = {prop: i for i, (prop, _) in enumerate(merged)}
    return ";".join(f"{prop}:{value}" for i, (prop, value) in enumerate(merged) if last[prop] == i)


class StyleSheet:
    """A sheet of element and single-class rules, written into a template's start tags."""

    def __init__(self, css: str) -> None:
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
        self._elements: dict[str, list[tuple[str, str]]] = {}
        self._classes: dict[str, list[tuple[int, list[tuple[str, str]]]]] = {}
        rest = _RULE.sub("", css).strip()
        if rest:
            raise ValueError(f"not a plain rule in the report style sheet: {rest[:60]!r}")
        for order, m in enumerate(_RULE.finditer(css)):
            decls = declarations(m.group(2))
            for selector in (s.strip() for s in m.group(1).split(",")):
                if _ELEMENT_SELECTOR.fullmatch(selector):
                    self._elements.setdefault(selector.lower(), []).extend(decls)
                elif _CLASS_SELECTOR.fullmatch(selector):
                    self._classes.setdefault(selector[1:], []).append((order, decls))
                else:
                    raise ValueError(f"selector {selector!r} in the report style sheet: only an element "
                                     "or one class can be inlined exactly")
        self._remembered = lru_cache(maxsize=4096)(self._style)

    def style(self, name: str, classes: str = "", own: str = "") -> str:
        """The `style=` value of a `name` element with `class="{classes}"` and
        `style="{own}"` (remembered: a report's computed classes take a few dozen values)."""
        return self._remembered(name, classes, own)

    def _style(self, name: str, classes: str, own: str) -> str:
        rules = sorted((r for c in classes.split() for r in self._classes.get(c, ())), key=lambda r: r[0])
        return cascade(self._elements.get(name.lower(), []), *(d for _, d in rules), declarations(own))

    def inline_template(self, source: str) -> str:
        """A template's source with its start tags styled (see the module) and its `<style>`
        element removed."""
        return _TEMPLATE_TAG.sub(self._tag, _STYLE_ELEMENT.sub("", source))

    def _tag(self, m: re.Match) -> str:
        name, attrs, end = m.group(1), m.group(2), m.group(3)
        classes, own = _CLASS.search(attrs), _STYLE.search(attrs)
        classes, own = (classes.group(1) if classes else ""), (own.group(1) if own else "")
        attrs = _STYLE.sub("", _CLASS.sub("", attrs))
        if "{" in classes + own:
            style = f"{{{{ inline_style({name!r}, {_concatenation(classes)}, {_concatenation(own)}) }}}}"
        else:
            style = self.style(name, classes, own)
        return f'<{name}{attrs}{f" style={chr(34)}{style}{chr(34)}" if style else ""}{end}>'


def _concatenation(value: str) -> str:
    """An attribute value of a template (`b-{{ severity }}`) as one Jinja expression
    (`'b-' ~ (severity)`)."""
    parts, pos = [], 0
    for m in _EXPRESSION.finditer(value):
        if m.start() > pos:
            parts.append(repr(value[pos:m.start()]))
        parts.append(f"({m.group(1).strip()})")
        pos = m.end()
    if pos < len(value) or not parts:
        parts.append(repr(value[pos:]))
    if any("{%" in p for p in parts):
        raise ValueError(f"a statement in a class or style attribute cannot be inlined: {value!r}")
    return " ~ ".join(parts)


@lru_cache(maxsize=4)
def sheet(css: str) -> StyleSheet:
    """The `StyleSheet` of `css`, parsed once per process."""
    return StyleSheet(css)
