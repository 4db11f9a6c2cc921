from datetime import date

from pipeline import ingest

PAGE = """Spring til indhold
Holbæk Kommune
Borger  Erhverv  Politik  Job

Vi bruger cookies for at give dig den bedste oplevelse. Læs mere om cookies  |  OK

Nyheder

Holbæk Kommune forlænger aftalen med Frivilligcenter Holbæk

Publiceret 7. maj 2025

Holbæk Kommune og Frivilligcenter Holbæk har forlænget deres samarbejdsaftale med to år. Aftalen blev godkendt af Kultur- og Fritidsudvalget, og den gælder nu til udgangen af 2027.

Frivilligcentret får et årligt tilskud på 600.000 kr.

Kontakt:
Jens Madsen, formand for Kultur- og Fritidsudvalget
Tlf. 72 36 36 36

Del på Facebook | Del på LinkedIn | Udskriv

Copyright © 2025 Holbæk Kommune
"""


def _read(tmp_path, text: str, name: str = "doc.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ingest.read(path)


def _kinds(tmp_path, text: str) -> dict[str, str]:
    """Block kind by the block's first line."""
    return {b.text.split("\n")[0]: b.kind for b in _read(tmp_path, text).blocks}


def test_scraped_page_text(tmp_path):
    path = tmp_path / "holbaek.txt"
    path.write_text(PAGE, encoding="utf-8")
    doc = ingest.read(path)
    assert doc.format == "text"
    assert doc.title == "Holbæk Kommune forlænger aftalen med Frivilligcenter Holbæk"
    assert doc.published == date(2025, 5, 7)
    assert doc.language == "da"
    kinds = {b.text.split("\n")[0]: b.kind for b in doc.blocks}
    assert kinds["Spring til indhold"] == "boilerplate"
    assert kinds["Vi bruger cookies for at give dig den bedste oplevelse. Læs mere om cookies | OK"] == "boilerplate"
    assert kinds["Del på Facebook | Del på LinkedIn | Udskriv"] == "boilerplate"
    assert kinds["Copyright © 2025 Holbæk Kommune"] == "boilerplate"
    assert kinds["Kontakt:"] == "contact"
    for b in doc.blocks:
        assert doc.content[b.start:b.end] == b.text


def test_windows_1252_text_without_declaration(tmp_path):
    path = tmp_path / "gammel.txt"
    path.write_bytes("Kvinnojouren i Växjö får bidrag\n\nSocialnämnden i Växjö kommun har beslutat att ge kvinnojouren ett bidrag på 250 000 kronor för år 2025, meddelar kommunen.".encode("cp1252"))
    doc = ingest.read(path)
    assert doc.title == "Kvinnojouren i Växjö får bidrag"
    assert doc.metadata["encoding"] == "cp1252"
    assert doc.language == "sv"


def test_text_without_a_date_has_no_published(tmp_path):
    path = tmp_path / "udateret.txt"
    path.write_text("Tilskud til foreninger\n\nKommunen fordeler i år tilskud til de frivillige sociale foreninger. Ansøgningsfristen er den 1. februar, og svar kommer i marts.")
    assert ingest.read(path).published is None


MINUTES = """Ludvika kommun
Socialnämnden
Protokollsutdrag 2026-02-12

§ 12 Verksamhetsbidrag till föreningar 2026
Dnr SN 2025/311

Beslut
Socialnämnden beviljar verksamhetsbidrag för 2026 till Kvinnojouren Vega med 45 000 kr.
"""


def test_minutes_letterhead_is_the_documents_own(tmp_path):
    # Three short lines like a menu, but a letterhead: its meeting date is the document's.
    doc = _read(tmp_path, MINUTES)
    assert doc.published == date(2026, 2, 12)
    assert doc.blocks[0].kind != "boilerplate"
    # the case number under the heading is not part of the title
    assert doc.title == "§ 12 Verksamhetsbidrag till föreningar 2026"


def test_a_labelled_title(tmp_path):
    text = ("LEEDS CITY COUNCIL\nRecord of Executive Decision\n\nDecision title: New grant agreement with "
            "Chapeltown Women's Aid\nDate of decision: 11 March 2025\n\n1. Background\n\n"
            "1.1 Chapeltown Women's Aid provides refuge services in the city and has done so for many years.\n")
    doc = _read(tmp_path, text)
    assert doc.title == "New grant agreement with Chapeltown Women's Aid"
    assert doc.published == date(2025, 3, 11)


def test_a_signature_of_short_lines_is_a_contact_not_a_menu(tmp_path):
    text = ("Roskilde Kommune og foreningen Nattevagten Roskilde har underskrevet en samarbejdsaftale om natteravne.\n\n"
            "Venlig hilsen\n\nAne Vestergaard\nSSP-koordinator, Roskilde Kommune\nTlf. 46 31 70 45 · anves@roskilde.dk\n\n"
            "Forside\nNyheder\nKontakt os\n")
    kinds = _kinds(tmp_path, text)
    assert kinds["Ane Vestergaard"] == "contact"
    assert kinds["Forside"] == "boilerplate"


def test_a_table_written_with_pipes_is_content(tmp_path):
    text = ("Lunds kommun beviljar följande föreningar verksamhetsbidrag:\n\n"
            "Förening | Belopp | Ändamål\nLunds Schacksällskap Springaren | 45 000 kr | Schackskola för barn\n\n"
            "Hem | Nyheter | Kontakt\n")
    kinds = _kinds(tmp_path, text)
    assert kinds["Förening | Belopp | Ändamål"] != "boilerplate"
    assert kinds["Hem | Nyheter | Kontakt"] == "boilerplate"


def test_a_site_label_above_the_headline_is_not_the_title(tmp_path):
    text = ("Stockport Council – News\n\nCouncil serves notice on sanctuary scheme contract\n\nPublished 12 August 2025\n\n"
            "Stockport Council has given notice to end its contract with Harbour Outreach Trust for the sanctuary scheme.\n")
    assert _read(tmp_path, text).title == "Council serves notice on sanctuary scheme contract"
