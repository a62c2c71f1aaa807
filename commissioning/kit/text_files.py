"""What makes an uploaded "text" file not text, decided the same way by every reader of CSV
files: a NUL byte anywhere (no spreadsheet writes one in a CSV; it is a binary file, or a
UTF-16 file without its byte order mark), or a first chunk thick with other control characters.

Pure: no Django.
"""

import codecs
import re
from typing import BinaryIO

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
CHUNK = 1 << 20


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
