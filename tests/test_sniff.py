import os

import pytest

from pipeline.errors import EmptyDocument, UnsupportedFormat
from pipeline.ingest.sniff import sniff

MAIL = b"From: Kommunen <info@example.dk>\r\nTo: a@example.dk\r\nSubject: Hej\r\nDate: Mon, 3 Feb 2025 10:00:00 +0100\r\n\r\nBroedtekst.\r\n"


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
        (b"\n\n  %PDF-1.4\n", "pdf"),
        (b"<!DOCTYPE html><html><body><p>Hej</p></body></html>", "html"),
        (b"\xef\xbb\xbf<html lang='da'><p>Hej</p></html>", "html"),
        (b"<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'><body/></html>", "html"),
        (b"Overskrift\n\nTekst med <b>fed</b> skrift og <div>blokke</div> ... </div> </p>", "html"),
        (MAIL, "email"),
        (b"Received: from mx.example.org\n by mx2; Mon, 3 Feb 2025\nFrom: a@b.dk\nSubject: x\n\nbody", "email"),
        (b"From MAILER-DAEMON Mon Feb  3 10:00:00 2025\n" + MAIL + b"\nFrom MAILER-DAEMON Mon Feb  3 11:00:00 2025\n" + MAIL, "mbox"),
        ("Kommunen giver tilskud på 3 mio. kr. til krisecentret.\n".encode("utf-8"), "text"),
        ("Subject matter: this is prose, not a header.\n\nMore prose.".encode(), "text"),
        ("Kvinnojouren får bidrag från kommunen.".encode("utf-16"), "text"),
    ],
)
def test_sniff_decides_from_content(data, expected):
    assert sniff(data) == expected


def test_a_txt_name_does_not_matter(tmp_path):
    from pipeline import ingest

    page = tmp_path / "nyhed.txt"
    page.write_text("<html><head><title>Nyhed</title></head><body><h1>Nyhed om aftalen</h1><p>Kommunen har indgået en aftale med foreningen om drift af huset.</p></body></html>")
    assert ingest.read(page).format == "html"


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_empty_input_is_a_clear_error(data):
    with pytest.raises(EmptyDocument, match="empty"):
        sniff(data, "tom.txt")


def test_random_bytes_are_rejected_with_the_file_name():
    junk = bytes(range(256)) * 8 + os.urandom(2048)
    with pytest.raises(UnsupportedFormat) as err:
        sniff(junk, "junk.bin")
    assert "junk.bin" in str(err.value) and "binary" in str(err.value)
