"""Recognising site and mail chrome in plain text paragraphs.

HTML has structure to go by (see html.py); scraped text and mail bodies only
have their words, so these rules look at one paragraph at a time.
"""

from __future__ import annotations

import re

# Phrases that mark a paragraph as chrome wherever it stands.
_CHROME = re.compile(
    r"""
    \b(unsubscribe|afmeld|avmeld|avregistrera|avsluta\ prenumeration|abonnement\ opsig)
    |this\ email\ was\ sent\ to|you\ (are\ )?(receive|receiving|subscribed)|why\ did\ i\ get\ this
    |update\ subscription|manage\ (your\ )?(subscription|preferences)|view\ (this\ email\ )?in\ (your\ )?browser
    |vis\ nyhedsbrevet|visa\ i\ webbläsaren|vis\ i\ nettleser|du\ (modtager|får|mottar|mottek)\ (dette|denne|det|nyhed|nyhet|kulturnyt|frivillignyt)
    |(we|vi)\ (use|bruger|bruker|använder|nyttar)\ (cookies|kakor|informasjonskapslar|informasjonskapsler)
    |\bcookies?\b.{0,40}\b(accept|godkänn|godkend|tillad|ok\b)
    |\b(accept|godkänn|godkend|tillad)\w*\b.{0,40}\bcookies?\b
    |^(skip\ to\ (main\ )?content|hoppa\ till\ (huvud)?innehåll(et)?|spring\ til\ (hoved)?indhold(et)?
       |gå\ til\ (hoved)?innhold(et)?|hopp\ til\ (hoved)?innhald(et)?|til\ toppen|till\ toppen|to\ top)$
    |^(del|dela|share|deel|del\ på|dela\ på|share\ on|del\ artiklen|dela\ artikeln)\b.{0,20}(facebook|twitter|linkedin|e-?post|e-?mail)
    |^(facebook|twitter|linkedin|instagram|youtube)(\s*[|·•]?\s*(facebook|twitter|linkedin|instagram|youtube|e-?post|e-?mail))+$
    |^(copyright\ )?©|\ball\ rights\ reserved\b|alle\ rettigheder\ forbeholdes
    |^(læs\ også|läs\ också|les\ også|les\ òg|read\ more|relaterede\ nyheder|relaterte\ saker|fler\ nyheter|meir\ frå|mer\ fra|more\ stories|recent\ posts)\b
    |^(logga\ in|log\ ind|logg\ inn|log\ in|sign\ in)\b
    |^(kommentarer|comments|lägg\ till\ kommentar|kommentera|leave\ a\ reply)\b
    |^du\ er\ her:|^du\ är\ här:|^you\ are\ here:
    |^(personvernerklæring|privatlivspolitik|integritetspolicy|privacy\ policy|tillgänglighetsredogörelse)
    |^(ansvarlig|ansvarleg|ansvarig)\ (redaktør|utgivare|utgiver)
    |by\ submitting\ the\ comment
    """,
    re.IGNORECASE | re.VERBOSE | re.MULTILINE,
)

# Every match of _CHROME holds one of these (lower-cased) anywhere, or begins
# a line with one of the second lot (the patterns anchored with ^). Most
# paragraphs hold none, and looking costs a fraction of the pattern's search.
_CHROME_WORDS = (
    "unsubscribe", "afmeld", "avmeld", "avregistrera", "avsluta prenumeration", "abonnement opsig",
    "this email was sent to", "you receiv", "you are receiv", "you subscribed", "you are subscribed",
    "why did i get this", "update subscription", "manage ", "browser", "vis nyhedsbrevet",
    "visa i webbläsaren", "vis i nettleser", "du modtager ", "du får ", "du mottar ", "du mottek ",
    "cookie", "kakor", "informasjonskapsl", "all rights reserved", "alle rettigheder forbeholdes",
    "by submitting the comment",
)
_CHROME_LINE_STARTS = (
    "skip to ", "hoppa till ", "spring til ", "gå til ", "hopp til ", "til toppen", "till toppen", "to top",
    "del", "share", "deel", "facebook", "twitter", "linkedin", "instagram", "youtube", "copyright ", "©",
    "læs også", "läs också", "les også", "les òg", "read more", "relaterede nyheder", "relaterte saker",
    "fler nyheter", "meir frå", "mer fra", "more stories", "recent posts", "logga in", "log ind", "logg inn",
    "log in", "sign in", "komment", "comments", "lägg till kommentar", "leave a reply", "du er her:",
    "du är här:", "you are here:", "personvernerklæring", "privatlivspolitik", "integritetspolicy",
    "privacy policy", "tillgänglighetsredogörelse", "ansvar",
)
# Letters that IGNORECASE matches to a letter of those words but lower()
# does not turn into it (tests/test_html.py checks every code point).
_FOLD_RISK = "\u0130\u0131\u017f"  # İ ı ſ

_NAV_SEPARATORS = re.compile(r"\s[|»›>/·•]\s|\s{2,}")


# The letterhead of minutes and case papers: short lines too, but the document's own.
_DOC_HEADER = re.compile(
    r"^(protokoll\w*|sammanträde\w*|mødeprotokol\w*|møteprotokoll\w*|beslutningsprotokol\w*|møtebok|"
    r"saksframlegg|saksfremlegg|sagsfremstilling|tjänsteskrivelse|dagsorden|dagordning|kallelse|"
    r"mødedato|møtedato|møtedag|minutes of|diarienr\w*|dnr|saksnr|sagsnr|arkivsak\w*|journalnr"
    # and the signatures under an agreement: "Signed on 17 March 2025", "For Esbjerg Kommune: Helle Bjerregaard"
    r"|signed|underskrevet|undertegnet|undertecknat|signert|underteikna)\b"
    r"|^(?:for|för|på vegne av|on behalf of) [^\n:]{2,60}:",
    re.IGNORECASE | re.MULTILINE,
)


def _pipe_table(lines: list[str]) -> bool:
    """Rows of a table written with pipes ("Förening | Belopp | Ändamål"): cells line up, and figures stand in them."""
    counts = {line.count(" | ") for line in lines}
    return len(lines) >= 2 and len(counts) == 1 and counts.pop() >= 1 and any(c.isdigit() for c in "".join(lines))


def looks_like_navigation(paragraph: str) -> bool:
    """Menus and breadcrumbs: many short items on one line or many short lines."""
    if _DOC_HEADER.search(paragraph):
        return False
    lines = paragraph.split("\n")
    if _pipe_table(lines):
        return False
    if len(lines) >= 3 and all(len(line) <= 40 for line in lines) and not any(
        line.rstrip().endswith((".", ":", "!", "?")) for line in lines
    ):
        return True
    for line in lines:
        items = [i for i in _NAV_SEPARATORS.split(line) if i.strip()]
        if len(items) >= 3 and all(len(i.split()) <= 4 for i in items):
            return True
    return False


def has_chrome_phrase(paragraph: str) -> bool:
    """A cookie, subscription, sharing or copyright phrase (not layout)."""
    low = paragraph.lower()
    if (
        not any(word in low for word in _CHROME_WORDS)
        and not any(line.startswith(_CHROME_LINE_STARTS) for line in low.split("\n"))  # ^ of re.MULTILINE
        and not any(c in paragraph for c in _FOLD_RISK)
    ):
        return False
    return bool(_CHROME.search(paragraph))


def is_chrome(paragraph: str) -> bool:
    return has_chrome_phrase(paragraph) or looks_like_navigation(paragraph)
