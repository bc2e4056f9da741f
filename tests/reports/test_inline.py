"""The style sheet written into the templates' tags: CSS's cascade, exactly, or a refusal."""

from __future__ import annotations

import pytest
from jinja2 import Environment
from reports_test_builders import Page

from reports import render_pemda
from reports.inline import StyleSheet, declarations
from reports.render import _report_css

SHEET = """
p{margin:6px 0}
td{padding:2px}
.num{text-align:right;white-space:nowrap}
.td{border-bottom:1px solid #e5e7eb;padding:4px}
.badge{padding:1px 5px;font-weight:bold}
.b-error{background:#b91c1c;color:#ffffff}
.f{border-left:4px solid #64748b;margin:10px 0}
.f-error{border-left-color:#b91c1c}
"""


def styled(source: str, **context) -> str:
    env = Environment(autoescape=True)
    sheet = StyleSheet(SHEET)
    env.globals["inline_style"] = sheet.style
    return env.from_string(sheet.inline_template(source)).render(context)


def test_element_rules_then_classes_in_the_sheets_order_then_the_tags_own_style():
    sheet = StyleSheet(SHEET)
    # .td's padding wins over td's; .num comes first in the sheet, whatever the class attribute's order
    assert sheet.style("td", "num td") == sheet.style("td", "td num") == \
        "text-align:right;white-space:nowrap;border-bottom:1px solid #e5e7eb;padding:4px"
    assert sheet.style("td", "td", "padding:0") == "border-bottom:1px solid #e5e7eb;padding:0"
    # a longhand after its shorthand refines it (the error colour stays)
    assert sheet.style("div", "f f-error") == "border-left:4px solid #64748b;margin:10px 0;border-left-color:#b91c1c"
    assert sheet.style("span", "unknown") == ""


@pytest.mark.parametrize("css", ["td a{color:red}", "a:hover{color:red}", "tr > td{padding:0}", ".a.b{margin:0}",
                                 "*{margin:0}", "@media (max-width:600px){.pad{padding:8px}}", "p{margin:0"])
def test_a_rule_that_depends_on_more_than_the_tag_is_refused(css):
    with pytest.raises(ValueError):
        StyleSheet(css)


def test_plain_tags_are_styled_when_the_template_loads():
    sheet = StyleSheet(SHEET)
    source = '<head><style>\n.td{padding:4px}\n</style></head><p>a</p><td class="td num" width="9">b</td><br>'
    assert sheet.inline_template(source) == (
        '<head></head><p style="margin:6px 0">a</p><td width="9" style="text-align:right;white-space:nowrap;'
        'border-bottom:1px solid #e5e7eb;padding:4px">b</td><br>')


def test_a_computed_class_is_looked_up_as_the_report_renders():
    html = styled('<span class="badge b-{{ severity }}" title="{{ title }}">{{ text }}</span>',
                  severity="error", title='"x"', text="<b>")
    page = Page(html)
    (tag, attrs), = page.tags
    assert tag == "span" and "class" not in attrs and attrs["title"] == '"x"'
    assert declarations(attrs["style"]) == [("padding", "1px 5px"), ("font-weight", "bold"),
                                            ("background", "#b91c1c"), ("color", "#ffffff")]
    assert "&lt;b&gt;" in html  # the data still escaped
    assert 'style="width:7px"' in styled('<i style="width:{{ w }}px">', w=7)


def test_a_statement_inside_a_class_cannot_be_inlined():
    with pytest.raises(ValueError):
        StyleSheet(SHEET).inline_template('<p class="{% if x %}num{% endif %}">')


def test_a_report_carries_every_style_in_its_tags_and_no_class(tulungagung, tmp_path):
    """What mail clients keep: no `<style>` element, no class left unstyled, and each element
    the sheet styles by name (h2, p, a, ...) styled."""
    html = render_pemda(tulungagung.build(tmp_path), "35.04", tmp_path).html.read_text(encoding="utf-8")
    sheet = StyleSheet(_report_css())
    tags = Page(html).tags
    assert "<style" not in html and all("class" not in attrs for _, attrs in tags)
    by_name = {name for name, _ in tags}
    for name in ("body", "h1", "h2", "p", "a", "small"):
        assert name in by_name, name  # the report has each, so each is checked
        for tag, attrs in tags:
            if tag == name:
                mine = dict(declarations(attrs.get("style", "")))  # (a class may change a value)
                assert dict(declarations(sheet.style(name))).keys() <= mine.keys(), (name, attrs)
