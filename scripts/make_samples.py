"""Rebuild the binary samples (PDFs and emails) in samples/ from the texts here.

Run with the test extras installed (reportlab):  .venv/bin/python scripts/make_samples.py
"""

from __future__ import annotations

import io
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
W, H = A4


def _wrap(c: canvas.Canvas, text: str, x: float, y: float, width: float, size: float = 10, leading: float = 13) -> float:
    """Draw `text` wrapped to `width`; return the y below it."""
    c.setFont("Helvetica", size)
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}".strip()
            if c.stringWidth(trial, "Helvetica", size) > width:
                c.drawString(x, y, line)
                y -= leading
                line = word
            else:
                line = trial
        if line:
            c.drawString(x, y, line)
            y -= leading
        y -= leading * 0.6
    return y


def _running(c: canvas.Canvas, header: str, footer: str, page: int, pages: int, label: str) -> None:
    c.setFont("Helvetica", 8)
    c.drawString(50, H - 30, header)
    c.drawString(50, 30, footer)
    c.drawRightString(W - 50, 30, f"{label} {page} av {pages}")


def orebro_iop_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle("Överenskommelse om idéburet offentligt partnerskap")
    c.setAuthor("Örebro kommun")
    header, footer = "ÖREBRO KOMMUN  Dnr SN 2025/311", "Örebro kommun · 701 35 Örebro · orebro.se"
    _running(c, header, footer, 1, 2, "Sida")
    c.setFont("Helvetica-Bold", 16)
    c.drawString(50, H - 80, "Överenskommelse om idéburet offentligt partnerskap")
    c.drawString(50, H - 100, "mellan Örebro kommun och Brottsofferjouren Örebro län")
    y = H - 135
    sections = [
        ("§ 1 Parter", "Örebro kommun, genom socialnämnden, och Brottsofferjouren Örebro län, ideell förening, nedan kallade parterna."),
        ("§ 2 Syfte", "Partnerskapet ska ge personer som utsatts för brott, vittnen och anhöriga ett kvalificerat stöd. Brottsofferjouren erbjuder stödsamtal, följeslagning till rättegång och information om rättsprocessen."),
        ("§ 3 Avtalstid", "Överenskommelsen gäller från och med den 1 januari 2026 till och med den 31 december 2027. Den förlängs inte automatiskt."),
        ("§ 4 Ersättning", "Kommunen bidrar med 450 000 kronor per år, totalt 900 000 kronor under avtalstiden. Beloppet betalas ut kvartalsvis."),
    ]
    for head, body in sections:
        c.setFont("Helvetica-Bold", 11)
        c.drawString(50, y, head)
        y = _wrap(c, body, 50, y - 15, W - 100)
    c.showPage()
    _running(c, header, footer, 2, 2, "Sida")
    y = H - 80
    for head, body in [
        ("§ 5 Uppföljning", "Parterna håller uppföljningsmöten två gånger per år. Överenskommelsen utvärderas årligen."),
        ("§ 6 Uppsägning", "Vardera parten kan säga upp överenskommelsen med sex månaders uppsägningstid."),
        ("§ 7 Underskrifter", "Örebro den 2 december 2025"),
    ]:
        c.setFont("Helvetica-Bold", 11)
        c.drawString(50, y, head)
        y = _wrap(c, body, 50, y - 15, W - 100)
    c.setFont("Helvetica", 10)
    c.drawString(50, y - 30, "För Örebro kommun")
    c.drawString(300, y - 30, "För Brottsofferjouren Örebro län")
    c.drawString(50, y - 60, "Lena Ek, ordförande i socialnämnden")
    c.drawString(300, y - 60, "Per Nyström, ordförande")
    c.showPage()
    c.save()
    return buf.getvalue()


def bodo_two_column_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle("Saksframlegg")
    c.setAuthor("Bodø kommune")
    left = (
        "Bodø kommune har i mange år samarbeidet med Stiftelsen Bodø Krisesenter om et krisesentertilbud for kvinner, "
        "menn og barn som er utsatt for vold i nære relasjoner. Dagens avtale løper ut 31.12.2025.\n"
        "Kommunedirektøren foreslår en ny driftsavtale for perioden 2026–2029. Stiftelsen får et årlig driftstilskudd "
        "på 4,2 millioner kroner, som justeres med kommunal deflator hvert år."
    )
    right = (
        "Avtalen revideres hvert annet år. Partene kan si opp avtalen med tolv måneders varsel.\n"
        "Kommunedirektørens innstilling: Bystyret godkjenner driftsavtalen mellom Bodø kommune og Stiftelsen Bodø "
        "Krisesenter for perioden 1. januar 2026 til 31. desember 2029.\n"
        "Saksbehandler: Silje Hansen, rådgiver, tlf. 75 55 50 00, e-post silje.hansen@bodo.kommune.no"
    )
    for page, (l_text, r_text) in enumerate([(left, right), (right, left)], start=1):
        c.setFont("Helvetica", 8)
        c.drawString(50, H - 30, "Bodø kommune  Saksframlegg  Arkivsak 25/4411")
        c.drawRightString(W - 50, 30, f"Side {page} av 2")
        top = H - 70
        if page == 1:
            c.setFont("Helvetica", 10)
            c.drawString(50, H - 60, "Dato: 14.10.2025")
            c.setFont("Helvetica-Bold", 16)
            c.drawString(50, H - 90, "Ny driftsavtale med Stiftelsen Bodø Krisesenter")
            top = H - 120
        _wrap(c, l_text, 50, top, 230)
        _wrap(c, r_text, 315, top, 230)
        c.showPage()
        if page == 1:
            break
    c.save()
    return buf.getvalue()


def aalborg_email() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Aalborg Kommune – Frivillignyt <frivillignyt@aalborg.dk>"
    msg["To"] = "modtager@example.dk"
    msg["Subject"] = "Frivillignyt: Ny samarbejdsaftale med Frivilligcenter Aalborg"
    msg["Date"] = format_datetime(datetime(2025, 10, 6, 8, 30, tzinfo=timezone(timedelta(hours=2))))
    msg["Message-ID"] = "<frivillignyt-2025-10@aalborg.dk>"
    html = """<html><head><meta charset="utf-8"><title>Frivillignyt oktober 2025</title></head><body>
<div style="background:#00558c;color:#fff;padding:10px">AALBORG KOMMUNE · FRIVILLIGNYT · OKTOBER 2025 · <a href="https://www.aalborg.dk/frivillignyt">Vis nyhedsbrevet i din browser</a></div>
<h1>Ny samarbejdsaftale med Frivilligcenter Aalborg</h1>
<p><b>Aalborg Kommune og Frivilligcenter Aalborg har underskrevet en ny samarbejdsaftale, der gælder fra 1. januar 2026 og løber i tre år.</b></p>
<p>Frivilligcentret får et årligt tilskud på 1.150.000 kr. til at understøtte de frivillige foreninger i kommunen, rekruttere nye frivillige og drive Frivillighedens Hus.</p>
<p>Aftalen revideres hvert år i forbindelse med budgetlægningen. Den underskrevne aftale er vedhæftet.</p>
<p>– Frivilligcentret er bindeleddet mellem kommunen og de mange foreninger, siger rådmand Lasse Frimand Jensen.</p>
<p><b>Kontakt:</b> Lasse Frimand Jensen, rådmand, tlf. 99 31 31 31, e-mail lasse.frimand@aalborg.dk</p>
<p style="font-size:11px;color:#777">Du modtager Frivillignyt, fordi du er tilmeldt Aalborg Kommunes nyhedsbrev. <a href="https://www.aalborg.dk/afmeld">Afmeld nyhedsbrevet</a><br>Aalborg Kommune · Boulevarden 13 · 9000 Aalborg</p>
</body></html>"""
    msg.set_content(html, subtype="html", charset="utf-8", cte="quoted-printable")
    msg.add_attachment(
        aalborg_agreement_pdf(), maintype="application", subtype="pdf", filename="Samarbejdsaftale_Frivilligcenter_Aalborg.pdf"
    )
    return msg.as_bytes(policy=SMTP)


def aalborg_agreement_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle("Samarbejdsaftale mellem Aalborg Kommune og Frivilligcenter Aalborg")
    c.setFont("Helvetica-Bold", 15)
    c.drawString(50, H - 70, "Samarbejdsaftale mellem Aalborg Kommune og Frivilligcenter Aalborg")
    _wrap(
        c,
        "Aftalen gælder for perioden 1. januar 2026 til 31. december 2028.\n"
        "Aalborg Kommune yder et årligt tilskud på 1.150.000 kr. Aftalen kan opsiges med tre måneders varsel til udgangen af et kalenderår.\n"
        "Aalborg, den 29. september 2025",
        50, H - 110, W - 100,
    )
    c.showPage()
    c.save()
    return buf.getvalue()


def bristol_email() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Bristol City Council News <news@bristol.example.org>"
    msg["To"] = "subscribers@bristol.example.org"
    msg["Subject"] = "News release: Refuge funding secured for three more years"
    msg["Date"] = format_datetime(datetime(2025, 4, 2, 11, 0, tzinfo=timezone(timedelta(hours=1))))
    text = (
        "NEWS RELEASE\n\nRefuge funding secured for three more years\n\n"
        "Bristol City Council has agreed a grant of £640,000 a year to Next Link Women's Aid to run refuge "
        "accommodation for women and children fleeing domestic abuse. The grant runs from 1 April 2025 to "
        "31 March 2028.\n\n"
        "Councillor Maria Owens, cabinet member for communities, said: \"Refuges save lives. This agreement "
        "gives the service the certainty it needs.\"\n\n"
        "Media enquiries: Tom Hale, press officer, 0117 922 2650, tom.hale@bristol.example.org\n\n"
        "--\nYou are receiving this email because you subscribed to council news. Unsubscribe: "
        "https://bristol.example.org/unsubscribe\n"
    )
    msg.set_content(text, charset="iso-8859-1", cte="quoted-printable")
    html = "<html><body>" + "".join(
        f"<p>{p}</p>" for p in text.replace("--\n", "").split("\n\n") if p.strip()
    ).replace("<p>Refuge funding", "<h1>Refuge funding").replace("three more years</p>", "three more years</h1>", 1) + "</body></html>"
    msg.add_alternative(html, subtype="html", charset="iso-8859-1", cte="quoted-printable")
    return msg.as_bytes(policy=SMTP)


def main() -> None:
    (SAMPLES / "sv-orebro-iop-overenskommelse.pdf").write_bytes(orebro_iop_pdf())
    (SAMPLES / "nb-bodo-krisesenter-saksframlegg.pdf").write_bytes(bodo_two_column_pdf())
    (SAMPLES / "da-aalborg-frivillignyt.eml").write_bytes(aalborg_email())
    (SAMPLES / "en-bristol-refuge-funding.eml").write_bytes(bristol_email())


if __name__ == "__main__":
    main()
