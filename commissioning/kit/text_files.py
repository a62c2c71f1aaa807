"""What makes an uploaded "text" file not text, decided the same way by every reader of CSV
files: a NUL byte anywhere (no spreadsheet writes one in a CSV; it is a binary file, or a
UTF-16 file without its byte order mark), or a first chunk thick with other control characters;
and the encoding a text file is in (`detect_encoding`), or the line where it shows it is in none.

Pure: no Django.
"""

import codecs
import re
from typing import BinaryIO

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
CHUNK = 1 << 20


class NotText(Exception):
    """A file that is not text in any encoding read: `line` is where it shows, and `byte` the
    Windows-1252 byte with no character when that is why (None otherwise)."""

    def __init__(self, line: int, byte: int | None = None) -> None:
        super().__init__(line, byte)
        self.line = line
        self.byte = byte


def not_text_at(chunk: bytes, *, start: bool) -> int | None:
    """Where in `chunk`, read from an 8-bit (not UTF-16) file, the file shows itself not to be
    text: the offset of its first NUL byte, or 0 when `start` (it is the file's first chunk)
    and more than one byte in a hundred is another control character; None when it may be
    text."""
    nul = chunk.find(b"\x00")
    if nul >= 0:
        return nul
    if start and len(_CONTROL_BYTES.findall(chunk)) > max(8, len(chunk) // 100):
        return 0
    return None


def utf16_problem_line(stream: BinaryIO) -> int | None:
    """The line of the first NUL character of a UTF-16 file (read from its byte order mark
    on), or of the start of the megabyte that cannot be decoded; None when the whole file is
    good text."""
    decoder = codecs.getincrementaldecoder("utf-16")()
    lines = 0
    try:
        while chunk := stream.read(CHUNK):
            text = decoder.decode(chunk)
            nul = text.find("\x00")
            if nul >= 0:
                return lines + text.count("\n", 0, nul) + 1
            lines += text.count("\n")
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return lines + 1
    return None


def detect_encoding(stream: BinaryIO) -> str:
    """The encoding of the text file `stream` (read from its start): "utf-16" when it starts
    with a UTF-16 byte order mark (Excel's "Unicode text"), "utf-8-sig" or "utf-8" when it is
    UTF-8 with or without one, else "cp1252". The whole file is checked, a megabyte at a time,
    so that a stray byte on the last line is found before anything is read. Raises `NotText`
    for a NUL byte, many other control characters, or bytes no encoding here reads."""
    start = stream.read(4)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        stream.seek(0)
        bad_line = utf16_problem_line(stream)
        if bad_line is not None:
            raise NotText(bad_line)
        return "utf-16"
    encoding = "utf-8-sig" if start.startswith(codecs.BOM_UTF8) else "utf-8"
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, lines, first = True, 0, True
    while chunk := stream.read(CHUNK):
        binary = not_text_at(chunk, start=first)
        if binary is not None:
            raise NotText(lines + chunk.count(b"\n", 0, binary) + 1)
        first = False
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        lines += chunk.count(b"\n")
    if utf8:
        try:
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            pass
    stream.seek(0)
    lines = 0
    while chunk := stream.read(CHUNK):
        bad = _CP1252_UNDEFINED.search(chunk)
        if bad:
            raise NotText(lines + chunk.count(b"\n", 0, bad.start()) + 1, bad.group()[0])
        lines += chunk.count(b"\n")
    return "cp1252"
