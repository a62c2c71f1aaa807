"""The encoding of an uploaded text file, decided the same way by every reader of CSV files,
or the line where the file shows it is not text."""

import codecs
import io

import pytest

from commissioning.kit.text_files import NotText, detect_encoding


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"code,name\nE06000001,Hartlepool\n", "utf-8"),
        (codecs.BOM_UTF8 + "a,b\nYnys M\u00f4n,1\n".encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "a\tb\nM\u00f4n\t1\n".encode("utf-16-le"), "utf-16"),
        ("a,b\nCaf\u00e9,1\n".encode("cp1252") + b"x" * (1 << 20), "cp1252"),
    ],
)
def test_text_files_are_read_in_their_encoding(data, encoding):
    assert detect_encoding(io.BytesIO(data)) == encoding


@pytest.mark.parametrize(
    ("data", "line", "byte"),
    [
        (b"a,b\n1,2\n3,\x004\n", 3, None),
        (b"a\n" * (1 << 20) + b"b\x00\n", (1 << 20) + 1, None),  # past the first megabyte
        (b"a,b\n1,2\n\x81,3\n", 3, 0x81),  # a byte Windows-1252 has no character for
        (codecs.BOM_UTF16_LE + "a\nb\x00\n".encode("utf-16-le"), 2, None),
    ],
)
def test_what_is_not_text_is_refused_at_its_line(data, line, byte):
    with pytest.raises(NotText) as refused:
        detect_encoding(io.BytesIO(data))
    assert (refused.value.line, refused.value.byte) == (line, byte)
