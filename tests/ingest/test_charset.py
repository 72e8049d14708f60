import pytest

from nvo_nlp.ingest.charset import decode_body

TEXT = "<p>Šiaulių rajone vyko „Žiemos šventė“ – dalyvavo Liepājas ļaudis, ąčęėįšųūž ĄČĘĖĮŠŲŪŽ.</p>"


@pytest.mark.parametrize("encoding", ["windows-1257", "iso-8859-13", "iso-8859-4"])
@pytest.mark.parametrize(
    "content_type",
    [None, "text/html", "text/html; charset=iso-8859-1", "text/html; charset=utf-8", "text/html; charset={enc}"],
)
def test_charset_baltic_encodings_decoded_whatever_the_header_says(encoding, content_type):
    expected = TEXT.encode(encoding, errors="replace").decode(encoding)
    body = expected.encode(encoding)
    text, _used = decode_body(body, content_type.format(enc=encoding) if content_type else None)
    assert text == expected


def test_charset_meta_declaration_used_when_header_missing():
    body = ('<meta charset="windows-1257">' + TEXT).encode("windows-1257")
    assert decode_body(body)[1] == "cp1257"


@pytest.mark.parametrize("content_type", [None, "text/html; charset=windows-1257"])
def test_charset_valid_utf8_wins(content_type):
    assert decode_body(TEXT.encode("utf-8"), content_type) == (TEXT, "utf-8")
