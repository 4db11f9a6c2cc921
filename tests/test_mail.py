"""The email reader: bodies, charsets, footers, forwards, attachments, mbox."""

import base64
import io
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from conftest import dev_documents, gold_for, requires_dev
from pipeline import ingest
from pipeline.errors import IngestError
from pipeline.ingest.mail import read_email, similarity, split_mbox, strip_prefix

LEAD = (
    "Kommunalbestyrelsen har i dag godkendt en ny samarbejdsaftale med Frivilligcenter Nordby. "
    "Aftalen gælder fra 1. januar 2025 og løber i tre år, og centret får et årligt tilskud på 450.000 kr."
)
MORE = (
    "Formanden for Social- og Sundhedsudvalget glæder sig over aftalen, som sikrer faste rammer "
    "for de mange frivillige, der hver uge hjælper ældre og ensomme borgere i kommunen."
)


def _message(subject="Pressemeddelelse: Ny aftale med Frivilligcenter Nordby", when=None):
    msg = EmailMessage()
    msg["From"] = "Nordby Kommune <presse@nordby.example.dk>"
    msg["To"] = "redaktion@example.dk"
    msg["Subject"] = subject
    msg["Date"] = when or "Tue, 05 Mar 2024 10:15:00 +0100"
    msg["Message-ID"] = "<abc123@nordby.example.dk>"
    return msg


def _html(title="Ny aftale med Frivilligcenter Nordby", footer=""):
    return (
        f"<html><body><h1>{title}</h1><p>{LEAD}</p><p>{MORE}</p>"
        f"<p>Kontakt: Jens Hansen, tlf. 12 34 56 78</p>{footer}</body></html>"
    )


def _pdf(lines):
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    y = 780
    for line in lines:
        c.drawString(72, y, line)
        y -= 20
    c.showPage()
    c.save()
    return buf.getvalue()


def _read(msg, tmp_path, name="mail.eml"):
    path = tmp_path / name
    path.write_bytes(bytes(msg))
    return ingest.read(path)


def _offsets_hold(doc):
    for d in doc.walk():
        for b in d.blocks:
            assert d.content[b.start:b.end] == b.text


def test_html_only_quoted_printable_mail_with_pdf_attachment(tmp_path):
    msg = _message()
    msg.set_content(_html(), subtype="html", cte="quoted-printable")
    pdf = _pdf(["Samarbejdsaftale mellem Nordby Kommune og Frivilligcenter Nordby", "Aftalen gaelder 2025-2027."])
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename="samarbejdsaftale.pdf")
    raw = bytes(msg)
    assert b"quoted-printable" in raw

    doc = _read(msg, tmp_path)

    assert doc.format == "email"
    assert doc.title == "Ny aftale med Frivilligcenter Nordby"
    assert doc.published == date(2024, 3, 5)
    assert doc.metadata["subject"] == "Pressemeddelelse: Ny aftale med Frivilligcenter Nordby"
    assert doc.metadata["message_id"] == "<abc123@nordby.example.dk>"
    assert "450.000 kr." in doc.content
    assert [b.kind for b in doc.blocks if b.text == doc.title] == ["title"]
    assert {b.part for b in doc.blocks} == {"1"}
    assert len(doc.children) == 1
    child = doc.children[0]
    assert child.format == "pdf"
    assert child.id == "mail/1"
    assert child.source.name == "samarbejdsaftale.pdf"
    assert child.source.part == "2"
    assert "Samarbejdsaftale mellem Nordby Kommune" in child.content
    _offsets_hold(doc)


def test_base64_newsletter_footer_is_boilerplate(tmp_path):
    footer = (
        "<p>Du modtager dette nyhedsbrev, fordi du har tilmeldt dig på nordby.example.dk. "
        "<a href='https://nordby.example.dk/afmeld'>Afmeld nyhedsbrevet</a></p>"
    )
    msg = _message(subject="Nyhedsbrev: Ny aftale med Frivilligcenter Nordby")
    msg.set_content(_html(footer=footer), subtype="html", cte="base64")
    assert b"base64" in bytes(msg)

    doc = _read(msg, tmp_path)

    footers = [b for b in doc.blocks if "Afmeld" in b.text]
    assert footers and all(b.kind == "boilerplate" for b in footers)
    assert any(b.kind == "body" and "450.000 kr." in b.text for b in doc.blocks)
    _offsets_hold(doc)


def test_footer_after_dashed_rule_inside_one_paragraph_is_split_off(tmp_path):
    html = (
        f"<html><body><p>Extra funding for women's refuges in Westshire</p><p>{LEAD}</p>"
        "<p>Notes to editors: the fund opened in 2023. ------------------------------ "
        "You are subscribed to Westshire Council news. To unsubscribe visit "
        "https://westshire.example.org/news/subscriptions Westshire Council, High Street</p></body></html>"
    )
    msg = _message(subject="Extra funding for women's refuges in Westshire")
    msg.set_content(html, subtype="html", charset="iso-8859-1", cte="quoted-printable")

    doc = _read(msg, tmp_path)

    notes = next(b for b in doc.blocks if b.text.startswith("Notes to editors"))
    assert notes.kind == "body" and "subscribed" not in notes.text
    footer = next(b for b in doc.blocks if "unsubscribe" in b.text)
    assert footer.kind == "boilerplate" and footer.text.startswith("-----")
    assert doc.title == "Extra funding for women's refuges in Westshire"


def test_signature_marker_footer_in_plain_text(tmp_path):
    msg = _message(subject="Frivillignyt: Ny aftale med Frivilligcenter Nordby")
    msg.set_content(
        f"Ny aftale med Frivilligcenter Nordby\n\n{LEAD}\n\n{MORE}\n\n--\nNordby Kommune · Torvet 1 · 9999 Nordby\n"
    )
    doc = _read(msg, tmp_path)
    tail = doc.blocks[-1]
    assert tail.kind == "boilerplate" and "Torvet 1" in tail.text
    assert doc.title == "Ny aftale med Frivilligcenter Nordby"


def test_iso_8859_1_quoted_printable_plain_text(tmp_path):
    text = "Tilskud til Ærø Frivilligcenter\n\nKommunen støtter foreningens arbejde på Ærø med 75.000 kr. om året i fire år.\n"
    msg = _message(subject="Tilskud til Ærø Frivilligcenter")
    msg.set_content(text, charset="iso-8859-1", cte="quoted-printable")
    raw = bytes(msg)
    assert b"=E6" in raw or b"=F8" in raw  # really encoded as Latin-1 QP

    doc = _read(msg, tmp_path)

    assert "støtter foreningens arbejde på Ærø" in doc.content
    assert doc.title == "Tilskud til Ærø Frivilligcenter"


def test_windows_1252_bytes_labelled_latin_1_and_unknown_charset(tmp_path):
    body = "Bidraget \u2013 150 000 kronor \u2013 betalas ut i maj till Föreningen Gemenskap i Ödeby kommun.\n"
    raw = (
        b"From: kommun@odeby.example.se\r\nTo: a@example.se\r\nSubject: Bidrag till f\xf6reningen\r\n"
        b"Date: Mon, 06 May 2024 08:00:00 +0200\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ) + body.encode("cp1252")
    doc = read_email(raw, source=_source(raw), doc_id="x")
    assert "Bidraget \u2013 150 000 kronor" in doc.content  # 0x96 is an en dash, not a C1 control
    assert doc.metadata["subject"] == "Bidrag till föreningen"  # raw 8-bit header bytes recovered

    unknown = raw.replace(b"charset=iso-8859-1", b"charset=x-no-such-charset")
    doc = read_email(unknown, source=_source(unknown), doc_id="x")
    assert "Föreningen Gemenskap i Ödeby" in doc.content


def test_encoded_word_subject_split_across_folded_words(tmp_path):
    subject = "Nyhetsbrev: Tilskudd til frivilligsentralen på Østre Åsen i 2025"
    data = subject.encode()
    cut = data.index("Ø".encode()) + 1  # split inside a two-byte character
    words = [f"=?utf-8?b?{base64.b64encode(chunk).decode()}?=" for chunk in (data[:cut], data[cut:])]
    raw = (
        "From: post@kommune.example.no\nTo: lag@example.no\n"
        f"Subject: {words[0]}\n {words[1]}\n"
        "Date: Wed, 04 Dec 2024 09:00:00 +0100\nContent-Type: text/plain; charset=utf-8\n\n"
        "Kommunen lyser ut midler til drift av frivilligsentral for perioden 2025–2028. "
        "Søknadsfristen er 15. januar 2025, og søknaden sendes på kommunens skjema.\n"
    ).encode()
    doc = read_email(raw, source=_source(raw), doc_id="x")
    assert doc.metadata["subject"] == subject
    # nothing in the body resembles the subject: the subject without its label is the title
    assert doc.title == "Tilskudd til frivilligsentralen på Østre Åsen i 2025"


def test_multipart_alternative_prefers_html(tmp_path):
    msg = _message()
    msg.set_content(f"PLAINVERSION\n\n{LEAD}\n")
    msg.add_alternative(_html().replace("<p>", "<p>HTMLVERSION ", 1), subtype="html")
    doc = _read(msg, tmp_path)
    assert "HTMLVERSION" in doc.content and "PLAINVERSION" not in doc.content
    assert {b.part for b in doc.blocks} == {"2"}


def test_falls_back_to_plain_text_when_html_is_empty(tmp_path):
    msg = _message()
    msg.set_content(f"Ny aftale med Frivilligcenter Nordby\n\n{LEAD}\n\n{MORE}\n")
    msg.add_alternative("<html><body><img src='cid:logo'></body></html>", subtype="html")
    doc = _read(msg, tmp_path)
    assert "450.000 kr." in doc.content
    assert {b.part for b in doc.blocks} == {"1"}
    assert doc.title == "Ny aftale med Frivilligcenter Nordby"


def test_inline_forward_is_the_content(tmp_path):
    msg = _message(subject="Fwd: Ny aftale med Frivilligcenter Nordby", when="Fri, 08 Mar 2024 16:40:00 +0100")
    msg.replace_header("From", "Lise Madsen <lise@forening.example.dk>")
    msg.set_content(
        "Til orientering.\n\nHilsen Lise\n\n"
        "---------- Forwarded message ---------\n"
        "From: Nordby Kommune <presse@nordby.example.dk>\n"
        "Date: Tue, 5 Mar 2024 at 10:15\n"
        "Subject: Ny aftale med Frivilligcenter Nordby\n"
        "To: <lise@forening.example.dk>\n\n"
        f"Ny aftale med Frivilligcenter Nordby\n\n{LEAD}\n\n{MORE}\n"
    )
    doc = _read(msg, tmp_path)

    assert doc.published == date(2024, 3, 8)  # the outer Date
    assert doc.title == "Ny aftale med Frivilligcenter Nordby"
    assert doc.metadata["forwarded_from"] == "Nordby Kommune <presse@nordby.example.dk>"
    assert doc.metadata["forwarded_subject"] == "Ny aftale med Frivilligcenter Nordby"
    assert doc.metadata["forwarded_date"] == "Tue, 5 Mar 2024 at 10:15"
    header = next(b for b in doc.blocks if "Forwarded message" in b.text)
    assert header.kind == "boilerplate" and "Subject:" in header.text
    assert all(b.kind == "boilerplate" for b in doc.blocks if "Hilsen Lise" in b.text or "orientering" in b.text)
    assert any(b.kind == "body" and "450.000 kr." in b.text for b in doc.blocks)


def test_html_forward_in_a_quote_block(tmp_path):
    msg = _message(subject="Fwd: Ny aftale med Frivilligcenter Nordby", when="Fri, 08 Mar 2024 16:40:00 +0100")
    msg.set_content("plain", subtype="plain")
    msg.add_alternative(
        '<div>Til info<br><div class="gmail_quote">---------- Forwarded message ---------<br>'
        "From: <strong>Nordby Kommune</strong> &lt;presse@nordby.example.dk&gt;<br>Date: Tue, 5 Mar 2024<br>"
        "Subject: Ny aftale med Frivilligcenter Nordby<br>To: lise@forening.example.dk<br></div><br>"
        f"<div><h2>Ny aftale med Frivilligcenter Nordby</h2><p>{LEAD}</p><p>{MORE}</p></div></div>",
        subtype="html",
    )
    doc = _read(msg, tmp_path)
    assert doc.metadata["forwarded_from"] == "Nordby Kommune <presse@nordby.example.dk>"
    assert [b.kind for b in doc.blocks[:3]] == ["boilerplate", "boilerplate", "title"]
    assert doc.title == "Ny aftale med Frivilligcenter Nordby"
    assert doc.published == date(2024, 3, 8)


def test_outlook_style_forward_header_without_marker(tmp_path):
    msg = _message(subject="VS: Beslut om bidrag", when="Thu, 14 Nov 2024 08:05:00 +0100")
    msg.set_content(
        "Fr\u00e5n: Kultur- och fritidsf\u00f6rvaltningen\nSkickat: den 13 november 2024 15:12\n"
        "Till: F\u00f6reningen Gemenskap\n\u00c4mne: Beslut om bidrag\n\n"
        "Kultur- och fritidsn\u00e4mnden har beslutat att bevilja f\u00f6reningen 120 000 kronor i "
        "verksamhetsbidrag f\u00f6r 2025. Bidraget betalas ut i tv\u00e5 delar under v\u00e5ren.\n"
    )
    doc = _read(msg, tmp_path)
    assert doc.metadata["forwarded_subject"] == "Beslut om bidrag"
    assert doc.blocks[0].kind == "boilerplate" and doc.blocks[0].text.startswith("Fr\u00e5n:")
    assert doc.title == "Beslut om bidrag"
    assert doc.published == date(2024, 11, 14)


def test_attached_message_is_the_content_when_the_outer_body_is_a_note(tmp_path):
    inner = _message(subject="Ny aftale med Frivilligcenter Nordby", when="Mon, 04 Mar 2024 12:00:00 +0100")
    inner.set_content(_html(), subtype="html")
    outer = _message(subject="Fwd: Ny aftale med Frivilligcenter Nordby", when="Wed, 06 Mar 2024 09:00:00 +0100")
    outer.set_content("Se vedhæftede.\n")
    outer.add_attachment(inner)
    doc = _read(outer, tmp_path)

    assert doc.published == date(2024, 3, 6)
    assert doc.title == "Ny aftale med Frivilligcenter Nordby"
    assert doc.metadata["forwarded_subject"] == "Ny aftale med Frivilligcenter Nordby"
    assert any(b.kind == "body" and "450.000 kr." in b.text and b.part == "2.1" for b in doc.blocks)
    assert not doc.children


def test_attached_message_is_a_child_when_the_outer_body_has_content(tmp_path):
    inner = _message(subject="Referat fra mødet", when="Mon, 04 Mar 2024 12:00:00 +0100")
    inner.set_content(f"Referat fra mødet\n\n{MORE}\n")
    outer = _message()
    outer.set_content(f"Ny aftale med Frivilligcenter Nordby\n\n{LEAD}\n\n{MORE}\n")
    outer.add_attachment(inner)
    doc = _read(outer, tmp_path)

    assert "450.000 kr." in doc.content
    assert len(doc.children) == 1
    child = doc.children[0]
    assert child.format == "email" and child.source.part == "2" and child.id == "mail/1"
    assert child.published == date(2024, 3, 4)
    assert child.title == "Referat fra mødet"


def test_attachment_name_is_never_used_as_a_path(tmp_path, monkeypatch):
    msg = _message()
    msg.set_content(f"Ny aftale med Frivilligcenter Nordby\n\n{LEAD}\n")
    msg.add_attachment(f"Bilag til aftalen\n\n{MORE}\n", filename="../../etc/passwd")
    raw = bytes(msg)
    ingest.read_bytes(raw, path="warmup.eml", doc_id="w", detect_language=False)  # load readers first

    def refuse(*args, **kwargs):
        raise AssertionError(f"the file system was touched: {args}")

    monkeypatch.setattr("builtins.open", refuse)
    monkeypatch.setattr("pathlib.Path.read_bytes", refuse)
    monkeypatch.setattr("pathlib.Path.open", refuse)
    doc = ingest.read_bytes(raw, path=str(tmp_path / "mail.eml"), doc_id="mail", detect_language=False)

    child = doc.children[0]
    assert child.source.name == "../../etc/passwd"
    assert child.source.path == str(tmp_path / "mail.eml")
    assert "frivillige" in child.content


def test_broken_attachment_adds_a_warning_and_the_mail_survives(tmp_path):
    msg = _message()
    msg.set_content(f"Ny aftale med Frivilligcenter Nordby\n\n{LEAD}\n")
    msg.add_attachment(b"%PDF-1.4\nthis is not really a pdf\n", maintype="application", subtype="pdf", filename="aftale.pdf")
    msg.add_attachment(b"\x89PNG\r\n\x1a\nxxxx", maintype="image", subtype="png", filename="logo.png")
    doc = _read(msg, tmp_path)

    assert "450.000 kr." in doc.content
    assert doc.children == []
    assert any("aftale.pdf" in w and str(tmp_path / "mail.eml") in w for w in doc.warnings)
    assert not any("logo.png" in w for w in doc.warnings)  # images are skipped quietly
    assert "logo.png" in doc.metadata["skipped_attachments"]


def test_mime_defects_become_warnings():
    raw = (
        "From: a@example.org\nTo: b@example.org\nSubject: Tilskud\nDate: Tue, 05 Mar 2024 10:00:00 +0100\n"
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="XYZ"\n\n--XYZ\n'
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        + base64.b64encode(f"Tilskud til foreningen\n\n{LEAD}\n".encode()).decode()[:-3]  # truncated base64
        + "\n"  # and no closing boundary
    ).encode()
    doc = read_email(raw, source=_source(raw, path="defekt.eml"), doc_id="x")
    assert "Kommunalbestyrelsen" in doc.content
    assert any("defekt.eml" in w and "InvalidBase64LengthDefect" in w for w in doc.warnings)
    assert any("CloseBoundaryNotFoundDefect" in w for w in doc.warnings)


def test_date_is_the_senders_own_day():
    raw = (
        "From: a@example.org\nTo: b@example.org\nSubject: Late news\n"
        "Date: Tue, 05 Mar 2024 23:30:00 -0500\n\nThe council approved the grant of 20,000 dollars tonight.\n"
    ).encode()
    assert read_email(raw, source=_source(raw), doc_id="x").published == date(2024, 3, 5)


def test_message_without_text_or_attachments_is_an_ingest_error():
    raw = b"From: a@example.org\nTo: b@example.org\nSubject: Tomt\nDate: Tue, 05 Mar 2024 10:00:00 +0100\n\n\n"
    with pytest.raises(IngestError) as err:
        read_email(raw, source=_source(raw, path="tom.eml"), doc_id="x")
    assert "tom.eml" in str(err.value)


def _mbox_message(n, body):
    when = datetime(2024, 3, n, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    msg = _message(subject=f"Nyhedsbrev nr. {n}: Frivilligcenter Nordby", when=format_datetime(when))
    msg.set_content(body)
    quoted = bytes(msg).replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From ")  # mboxrd quoting
    return f"From presse@nordby.example.dk {when:%a %b %d %H:%M:%S %Y}\n".encode() + quoted


def test_mbox_with_three_messages_is_a_container(tmp_path):
    mbox = b"\n".join(_mbox_message(n, f"Meddelelse {n}\n\n{LEAD}\n\nFrom the minutes: {MORE}\n") for n in (1, 2, 3))
    assert mbox.count(b"\n>From the minutes") == 3
    path = tmp_path / "arkiv.mbox"
    path.write_bytes(mbox)

    doc = ingest.read(path)

    assert doc.container and doc.content == "" and doc.format == "email"
    assert [c.id for c in doc.children] == ["arkiv-0001", "arkiv-0002", "arkiv-0003"]
    assert [c.published for c in doc.children] == [date(2024, 3, n) for n in (1, 2, 3)]
    assert all("From the minutes" in c.content and ">From" not in c.content for c in doc.children)
    assert all(c.language == "da" for c in doc.children)


def test_mbox_bad_message_is_a_warning_and_single_message_is_the_document(tmp_path):
    good = _mbox_message(1, f"Meddelelse\n\n{LEAD}\n")
    empty = b"From x@example.org Sat Mar  2 09:00:00 2024\nFrom: x@example.org\nSubject: Tom\n\n\n"
    data = good + b"\n" + empty
    assert len(split_mbox(data)) == 2
    doc = ingest.read_bytes(data, path="arkiv.mbox", doc_id="arkiv", detect_language=False)
    assert doc.container and len(doc.children) == 1
    assert any("message 2" in w and "arkiv.mbox" in w for w in doc.warnings)

    single = ingest.read_bytes(good, path="en.mbox", doc_id="en", detect_language=False)
    assert not single.container and single.id == "en" and "450.000 kr." in single.content


def test_subject_prefixes_and_similarity():
    assert strip_prefix("Fwd: SV: Nyhetsbrev: Samarbeid med idrettskretsen") == "Samarbeid med idrettskretsen"
    assert strip_prefix("Re: Tilskud") == "Tilskud"
    assert strip_prefix("Møde kl. 10:30 om tilskud") == "Møde kl. 10:30 om tilskud"
    assert strip_prefix("Kulturnyt:") == "Kulturnyt:"  # nothing after the label: keep it
    subject = "Oslo and Turku become twin cities"
    assert similarity("Agreement: Oslo and Turku twin cities", subject) > 0.7
    assert similarity("Oslo now has a twin city: Turku.", subject) < similarity("Agreement: Oslo and Turku twin cities", subject)
    assert similarity("Kulturhusene får nye driftsaftaler", "Driftsaftaler for kulturhuse") >= 0.5  # inflections
    assert similarity("Budget for vejvedligehold", "Driftsaftaler for kulturhuse") < 0.3


def _source(raw, path="mail.eml"):
    from pipeline.ingest.blocks import sha256
    from pipeline.models import Source

    return Source(path=path, sha256=sha256(raw), size=len(raw), format="email")


DEV_MAILS = dev_documents(".eml")


@requires_dev
@pytest.mark.parametrize("path", DEV_MAILS, ids=[p.name for p in DEV_MAILS])
def test_dev_mail_title_and_published_match_gold(path):
    gold = gold_for(path)
    doc = ingest.read(path)
    assert doc.format == "email"
    assert (doc.published.isoformat() if doc.published else None) == gold["published"]
    assert " ".join(doc.title.casefold().split()) == " ".join(gold["title"].casefold().split())
    _offsets_hold(doc)
