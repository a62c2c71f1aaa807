"""Commissioners' narrative findings: Markdown in, sanitised HTML out. Pure (no Django)."""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "a",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]")


def has_markup(text: str) -> bool:
    """Whether the text holds an HTML tag, comment or declaration. "aged <65" and "3 < 4" are
    not markup."""
    return bool(_MARKUP.search(text or ""))


def findings_html(source: str) -> str:
    html = markdown.markdown(source or "", extensions=["tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener noreferrer",
    )
