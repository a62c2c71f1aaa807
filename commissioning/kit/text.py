"""One plain-text policy for everything people and files put in, and one rule for what the
document writers may put out.

On the way in (forms, API input, importers):
- a name, title or other single-line field holds no control characters and no line breaks:
  a tab or line break becomes one space;
- free text written over several lines keeps its tabs and line breaks (\\t \\n \\r) and loses
  every other C0 control character (and DEL).
Tags are refused where the text is saved (see `needs.text.has_markup`), not stripped here.

On the way out, Word and Excel files are XML, which cannot hold most C0 control characters,
lone surrogates or U+FFFE/U+FFFF: `for_xml` drops them, so that text stored before this policy
(or written by a path that skipped it) still exports.

Pure: no Django.
"""

import re
from typing import Annotated, Any

from pydantic import BeforeValidator

# C0 controls other than tab, line feed and carriage return; DEL; lone surrogates.
_NOT_FREE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Anything that breaks or indents a line, in a single-line field.
_LINE_BREAKS = re.compile("[\t\n\r\x85\u2028\u2029]+")
# What XML 1.0 cannot hold at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Free text over several lines: control characters removed, tabs and line breaks kept."""
    return _NOT_FREE_TEXT.sub("", value)


def clean_line(value: str) -> str:
    """A name, title or other one-line value: control characters removed, every run of tabs
    and line breaks one space."""
    return _LINE_BREAKS.sub(" ", clean_text(value))


def for_xml(value: str) -> str:
    """Text a Word or Excel file can hold: what XML 1.0 cannot is dropped."""
    return _NOT_XML.sub("", value)


def _when_text(clean: Any) -> Any:
    return lambda value: clean(value) if isinstance(value, str) else value


# The policy for API input schemas (pydantic): cleaned before the field's own checks.
PlainLine = Annotated[str, BeforeValidator(_when_text(clean_line))]
PlainText = Annotated[str, BeforeValidator(_when_text(clean_text))]
