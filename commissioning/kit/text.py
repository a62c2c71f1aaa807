"""One plain-text policy for everything people and files put in, and one rule for what the
document writers may put out.

On the way in (forms, API input, importers):
- a name, title or other single-line field holds no control characters and no line breaks:
  a tab or line break becomes one space;
- free text written over several lines keeps its tabs and line breaks (\\t \\n \\r) and loses
  every other C0 control character (and DEL).
Tags are refused, not stripped: in names and titles by every form and API schema, in free text
where it is saved (`has_markup`).

On the way out, Word and Excel files are XML, which cannot hold most C0 control characters,
lone surrogates or U+FFFE/U+FFFF: `for_xml` drops them, so that text stored before this policy
(or written by a path that skipped it) still exports.

Pure: no Django.
"""

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

# C0 controls other than tab, line feed and carriage return; DEL; lone surrogates.
_NOT_FREE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Anything that breaks or indents a line, in a single-line field.
_LINE_BREAKS = re.compile("[\t\n\r\x85\u2028\u2029]+")
# An HTML tag, comment or declaration begins so; "aged <65" and "3 < 4" do not.
_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]")
# What XML 1.0 cannot hold at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Free text over several lines: control characters removed, tabs and line breaks kept."""
    return _NOT_FREE_TEXT.sub("", value)


def clean_line(value: str) -> str:
    """A name, title or other one-line value: control characters removed, every run of tabs
    and line breaks one space."""
    return _LINE_BREAKS.sub(" ", clean_text(value))


def has_markup(text: str) -> bool:
    """Whether the text holds an HTML tag, comment or declaration."""
    return bool(_MARKUP.search(text or ""))


def for_xml(value: str) -> str:
    """Text a Word or Excel file can hold: what XML 1.0 cannot is dropped."""
    return _NOT_XML.sub("", value)


def _when_text(clean: Any) -> Any:
    return lambda value: clean(value) if isinstance(value, str) else value


def _no_markup(value: Any) -> Any:
    if isinstance(value, str) and has_markup(value):
        raise ValueError("a name or title is plain text: remove the HTML tags")
    return value


# The policy for API input schemas (pydantic): cleaned before the field's own checks.
PlainLine = Annotated[str, BeforeValidator(_when_text(clean_line)), AfterValidator(_no_markup)]
PlainText = Annotated[str, BeforeValidator(_when_text(clean_text))]
