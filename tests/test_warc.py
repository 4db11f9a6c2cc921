"""WARC archives as scrapers write them: every HTTP 200 HTML or PDF response is one document.

The archives are written here with warcio's own writer: a request, an HTML
page, a PDF, a 404 page, a PNG, a JSON response, an HTML page served as
application/octet-stream (found by sniffing) and a revisit record.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from pdfgen import make_pdf
from pipeline import ingest
from pipeline.errors import UnsupportedFormat
from pipeline.ingest.sniff import sniff
from pipeline.ingest.warc import iter_warc, warc_stem
from pipeline.run import run

HTML = """<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Ny driftsaftale med krisecentret</title></head>
<body><article><h1>Ny driftsaftale med krisecentret</h1><p>Publiceret 3. marts 2025</p>
<p>Horsens Kommune har indgået en driftsaftale med Krisecenter Horsens. Aftalen gælder fra 1. april 2025
til 31. marts 2029, og kommunen betaler 2,1 mio. kr. om året.</p></article></body></html>"""

SNIFFED = """<html><head><title>Tilskud til foreningen</title></head><body><h1>Tilskud til foreningen</h1>
<p>Kommunen giver Frivilligcenter Horsens et tilskud på 150.000 kr. i 2025 til arbejdet med frivillige.</p></body></html>"""


def _pdf_bytes(tmp_path: Path) -> bytes:
    path = make_pdf(tmp_path / "aftale.pdf", [[
        ("title", "Samarbejdsaftale mellem Horsens Kommune og Frivilligcenter Horsens"),
        "Aftalen gælder fra 1. januar 2026 til 31. december 2028.",
        "Horsens Kommune yder et årligt tilskud på 900.000 kr. til Frivilligcenter Horsens.",
    ]])
    return path.read_bytes()


def write_warc(path: Path, pdf: bytes, gz: bool = True) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def response(writer, uri, status, ctype, body, date="2025-03-04T10:00:00Z"):  # noqa: ANN001, ANN202
        http = StatusAndHeaders(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                                protocol="HTTP/1.1")
        record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http,
                                           warc_headers_dict={"WARC-Date": date})
        writer.write_record(record)

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test-scraper"}))
        req = StatusAndHeaders("GET /nyheder/driftsaftale HTTP/1.1", [("Host", "horsens.example.dk")], is_http_request=True)
        writer.write_record(writer.create_warc_record("https://horsens.example.dk/nyheder/driftsaftale", "request",
                                                      payload=io.BytesIO(b""), http_headers=req))
        response(writer, "https://horsens.example.dk/nyheder/driftsaftale", "200 OK", "text/html; charset=utf-8",
                 HTML.encode("utf-8"))                                                    # response 1
        response(writer, "https://horsens.example.dk/logo.png", "200 OK", "image/png",
                 b"\x89PNG\r\n\x1a\n" + bytes(200))                                       # 2: not a document
        response(writer, "https://horsens.example.dk/gammel", "404 Not Found", "text/html",
                 b"<html><body><h1>Siden findes ikke</h1></body></html>")                 # 3: not 200
        response(writer, "https://horsens.example.dk/filer/aftale.pdf", "200 OK", "application/pdf", pdf,
                 date="2025-03-05T08:30:00Z")                                             # 4
        response(writer, "https://horsens.example.dk/api/nyheder.json", "200 OK", "application/json",
                 json.dumps({"nyheder": []}).encode())                                    # 5: not a document
        response(writer, "https://horsens.example.dk/download?id=7", "200 OK", "application/octet-stream",
                 SNIFFED.encode("utf-8"))                                                 # 6: sniffed as HTML
    return path


@pytest.fixture
def warc(tmp_path) -> Path:
    return write_warc(tmp_path / "crawl-2025.warc.gz", _pdf_bytes(tmp_path))


def test_sniff_knows_plain_and_gzipped_warc(tmp_path, warc):
    assert sniff(warc.read_bytes()) == "warc"
    plain = write_warc(tmp_path / "plain.warc", _pdf_bytes(tmp_path), gz=False)
    assert sniff(plain.read_bytes()) == "warc"
    with pytest.raises(UnsupportedFormat):  # gzip that is not a WARC stays binary junk
        sniff(gzip.compress(b"hello, not a warc " * 20))
    assert warc_stem("crawl-2025.warc.gz") == "crawl-2025" and warc_stem("x.warc") == "x"


def test_only_200_html_and_pdf_responses_are_documents(warc):
    with warc.open("rb") as fh:
        found = list(iter_warc(fh))
    assert [(r.n, r.uri) for r in found] == [
        (1, "https://horsens.example.dk/nyheder/driftsaftale"),
        (4, "https://horsens.example.dk/filer/aftale.pdf"),
        (6, "https://horsens.example.dk/download?id=7"),
    ]
    assert found[0].date == "2025-03-04T10:00:00Z" and found[1].body.startswith(b"%PDF-")
    with warc.open("rb") as fh:
        small = list(iter_warc(fh, max_bytes=1000))
    assert [r.body is None for r in small] == [False, True, False]  # the PDF is larger than 1000 bytes


def test_ingest_reads_a_warc_as_a_container(warc):
    doc = ingest.read(warc)
    assert doc.container and [c.id for c in doc.children] == ["crawl-2025-00001", "crawl-2025-00004", "crawl-2025-00006"]
    page, pdf, sniffed = doc.children
    assert page.format == "html" and pdf.format == "pdf" and sniffed.format == "html"
    assert page.metadata["url"] == "https://horsens.example.dk/nyheder/driftsaftale"
    assert page.metadata["warc_date"] == "2025-03-04T10:00:00Z"
    assert page.source.name == "https://horsens.example.dk/nyheder/driftsaftale" and page.source.part == "1"
    assert page.language == "da"


def test_run_writes_one_result_per_document_with_url_and_date(tmp_path, warc):
    out = tmp_path / "out"
    summary = run([warc], out, db=f"sqlite:///{tmp_path / 'reg.sqlite'}")
    assert summary.documents == 3 and summary.failed == 0, summary.errors
    names = sorted(p.name for p in out.glob("*.json"))
    assert names == ["crawl-2025-00001.json", "crawl-2025-00004.json", "crawl-2025-00006.json"]
    page = json.loads((out / "crawl-2025-00001.json").read_text(encoding="utf-8"))
    assert page["status"] == "ok" and page["format"] == "html" and page["title"] == "Ny driftsaftale med krisecentret"
    assert page["document"]["metadata"]["url"] == "https://horsens.example.dk/nyheder/driftsaftale"
    assert page["document"]["metadata"]["warc_date"] == "2025-03-04T10:00:00Z"
    assert page["source"]["path"] == str(warc)
    assert page["published"] == "2025-03-03"  # what the page says, not the crawl date
    pdf = json.loads((out / "crawl-2025-00004.json").read_text(encoding="utf-8"))
    assert pdf["format"] == "pdf" and pdf["document"]["metadata"]["url"].endswith("/aftale.pdf")
    assert summary.loaded == {"inserted": 3}
    again = run([warc], out, db=f"sqlite:///{tmp_path / 'reg.sqlite'}")
    assert again.skipped == 3 and again.processed == 0


def test_a_record_over_the_byte_limit_is_its_own_failure(tmp_path, warc):
    from pipeline.batch.limits import Limits

    out = tmp_path / "out"
    summary = run([warc], out, limits=Limits(max_bytes=1000))
    assert summary.documents == 3 and summary.failed == 1
    err = json.loads((out / "crawl-2025-00004.json").read_text(encoding="utf-8"))
    assert err["status"] == "error" and err["error"]["type"] == "FileTooLarge" and err["error"]["stage"] == "limits"
    assert "aftale.pdf" in err["error"]["message"] and "--max-bytes" in err["error"]["message"]
