"""Language of a document's content blocks (not its chrome), per block and overall.

langdetect is seeded so a run is repeatable. It cannot tell Bokmål from
Nynorsk (it says `no`) and sometimes confuses Danish with Norwegian, so among
those three we decide by function words that only one of them uses.
"""

from __future__ import annotations

import re
from collections import Counter

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from pipeline.models import Document

DetectorFactory.seed = 0

_SAMPLE = 400  # characters per block given to langdetect
_MAX_BLOCKS = 40
_MIN_LETTERS = 20

# Function words and spellings that tell the three apart; each group names
# the varieties that use them (a word shared by two is evidence against the third).
_LEXICON_GROUPS = {
    ("da",): "af blev bliver efter mellem siger sagde tilskud tilskuddet aftale aftalen aftaler udvalg udvalget "
    "gennem meget nu ud udvikling arbejde arbejder samarbejde samarbejdet samarbejdsaftale vores hende uden "
    "hjælp hjælpe hvad nogle nogen noget havde mere ansøgning ansøgninger selvejende købe gælder gældende indgået "
    "indgår indgik giver tager laver vej nej løbende løber fortæller tæt sammenhæng udgangen skabe parterne "
    "borgerne årligt igennem således hvordan",
    ("nb",): "ble tilskudd tilskuddet utvalg utvalget mye nå uten hva noen noe ikke jeg hvert bare hele ønsker "
    "gjelder innbyggere gir tar vei forteller utgangen være flere mer fra sammen kommer disse mulig hver "
    "skrev partene sier etter hvordan",
    ("nn",): "tilskot utval mykje no utan kva nokon noko ikkje eg korleis kvart berre heile ønskjer gjeld "
    "innbyggjarar gjev tek veg fortel vere fleire meir ein eit dei frå vart vert skreiv sjå sidan difor mogleg "
    "desse då kvar underteikna løyving partane saman kjem seier etter dette",
    ("nb", "nn"): "av avtale avtalen avtaler mellom gjennom utvikling arbeid samarbeid samarbeidet søknad "
    "inngått inngår skape hjelpe kommunestyret fylkeskommune fylkeskommunen løpende vår våre",
    ("da", "nb"): "ikke jeg bare hele flere sammen kommer disse mulig hver skrev fra være en et de",
}
_LEXICON: dict[str, set[str]] = {}
for _langs, _words in _LEXICON_GROUPS.items():
    for _w in _words.split():
        _LEXICON.setdefault(_w, set()).update(_langs)
_WORD = re.compile(r"[a-zæøåäöéèòü]+")


def _detect(text: str) -> list[tuple[str, float]]:
    try:
        return [(r.lang, r.prob) for r in detect_langs(text)]
    except LangDetectException:
        return []


def _nordic_variety(text: str, fallback: str) -> str:
    """Pick da, nb or nn by unique function words."""
    counts: Counter[str] = Counter()
    for word in _WORD.findall(text.lower()):
        for lang in _LEXICON.get(word, ()):
            if len(_LEXICON[word]) < 3:
                counts[lang] += 1
    if not counts:
        return fallback
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return fallback
    return ranked[0][0]


def _normalise(lang: str, text: str) -> str:
    if lang in ("no", "da", "nn", "nb"):
        return _nordic_variety(text, "nb" if lang == "no" else lang)
    return lang.split("-")[0]


def detect_text(text: str) -> str | None:
    """Language of one piece of text as an ISO 639-1 code, or None."""
    if sum(c.isalpha() for c in text) < _MIN_LETTERS:
        return None
    ranked = _detect(text[: _SAMPLE * 3])
    return _normalise(ranked[0][0], text) if ranked else None


def detect(doc: Document) -> Document:
    """Set `language`, `languages` (share of content characters) and each block's `lang`."""
    weights: Counter[str] = Counter()
    blocks = [b for b in doc.content_blocks() if sum(c.isalpha() for c in b.text) >= _MIN_LETTERS]
    for block in blocks[:_MAX_BLOCKS]:
        ranked = _detect(block.text[:_SAMPLE])
        if ranked:
            block.lang = _normalise(ranked[0][0], block.text)
            weights[block.lang] += len(block.text)
    total = sum(weights.values())
    if total:
        # Norwegian blocks are short; decide the variety on all Norwegian text together.
        nordic = [b for b in blocks if b.lang in ("da", "nb", "nn")]
        if nordic:
            joined = " ".join(b.text for b in nordic)
            majority_nordic = max(("da", "nb", "nn"), key=lambda lang: weights.get(lang, 0))
            variety = _nordic_variety(joined, majority_nordic)
            if variety != majority_nordic and weights[majority_nordic] > 0:
                for b in nordic:
                    if b.lang == majority_nordic:
                        b.lang = variety
                weights[variety] += weights.pop(majority_nordic)
        doc.languages = {lang: round(w / total, 3) for lang, w in weights.most_common()}
        doc.language = weights.most_common(1)[0][0]
    else:
        doc.language = detect_text(doc.content) if doc.content else None
        doc.languages = {doc.language: 1.0} if doc.language else {}
    return doc
