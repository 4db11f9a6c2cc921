"""Language of a document's content blocks (not its chrome), per block and overall.

langdetect is seeded so a run is repeatable. It cannot tell Bokmål from
Nynorsk (it says `no`) and sometimes confuses Danish with Norwegian, so among
those three we decide by function words that only one of them uses.

langdetect costs a few milliseconds a call, so a document gets one call on a
sample of its longest content blocks (at most `_DOC_SAMPLE` characters), and
each block then takes the document's language unless its function words say
it is written in another one; only such blocks get a langdetect call of their
own (at most `_MAX_CHECKS` per document).
"""

from __future__ import annotations

import math
import random
import re
from array import array
from collections import Counter

import numpy as np
from langdetect import DetectorFactory, detector_factory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram
from langdetect.utils.unicode_block import unicode_block

from pipeline import WORD_CACHE_ENTRIES
from pipeline.models import CONTENT_KINDS, Document

DetectorFactory.seed = 0

_SAMPLE = 400  # characters per block given to langdetect
_DOC_SAMPLE = 1500  # characters of the longest content blocks that decide the document language
_MAX_CHECKS = 8  # blocks per document that get a langdetect call of their own
_CHECK_LETTERS = 120  # a block this long without a word of the document's language is checked
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
# The words that are evidence (used by fewer than all three).
_TELLING = {w: tuple(langs) for w, langs in _LEXICON.items() if len(langs) < 3}
_WORD = re.compile(r"[a-zæøåäöéèòü]+")

# Frequent function words that (among these) only one family of languages
# uses: the cheap test that tells a block in another language from one in the
# document's. Danish and Norwegian are one family here; the lexicon above
# tells them apart.
_FAMILY_WORDS = {
    "en": "the and of is are was were be been will would with that this from has have which it its their they we "
    "our on who said",
    "dano-norwegian": "og af til er ikke ikkje fra frå også blev ble vart være vere etter hvor kvar mellem mellom ved "
    "skal bliver jeg eg hun ho meget mykje noen nokon nogle",
    "sv": "och att är för inte ett från också ska skall mellan vid deras enligt än när till jag hon mycket några",
    "de": "und die das ist zu von für auf nicht ein eine sich des im auch wird werden bei oder nach aus wir sind",
    "nl": "het een van dat voor zijn niet aan ook door bij wordt worden naar uit maar wij",
    "fr": "le les des est une pour que qui dans sur par pas au avec sont aux ont",
    "es": "el los las del y es una por para con su lo como más",
    "it": "il gli della delle è che non si sono nel alla",
    "fi": "on ei että oli ovat kun tai myös mutta kanssa",
    "pl": "w na się nie jest że przez dla",
}
# Words both Scandinavian families use: they count for the document's own
# language (a block full of them is not foreign), never against it.
_SHARED_WORDS = {
    ("dano-norwegian", "sv"): "som med på det den de har kan om så men eller alle andre",
}
_FAMILIES_OF_WORD: dict[str, set[str]] = {}
for _family, _words in _FAMILY_WORDS.items():
    for _w in _words.split():
        _FAMILIES_OF_WORD.setdefault(_w, set()).add(_family)
for _families, _words in _SHARED_WORDS.items():
    for _w in _words.split():
        _FAMILIES_OF_WORD.setdefault(_w, set()).update(_families)
_FAMILY_OF_LANG = {"en": "en", "da": "dano-norwegian", "no": "dano-norwegian", "nb": "dano-norwegian",
                   "nn": "dano-norwegian", "sv": "sv", "de": "de", "nl": "nl", "fr": "fr", "es": "es", "it": "it",
                   "fi": "fi", "pl": "pl"}
_TOKEN = re.compile(r"[^\W\d_]+")


def _detect(text: str) -> list[tuple[str, float]]:
    try:
        return [(r.lang, r.prob) for r in detect_langs(text)]
    except LangDetectException:
        return []


# langdetect's detect_langs, computed the same way (the same seeded random
# draws, the same floating-point operations in the same order, so the same
# result to the last bit; tests/test_language.py compares the two) but with
# the per-language arithmetic in numpy and the n-gram scan without its
# per-character method calls: about four times faster.
_NORMALISED: dict[int, str] = {}  # NGram.normalize by code point, filled as characters turn up
# A word (with its trailing space) to the profile rows of the n-grams it
# yields, compactly (an array of ints: a few hundred bytes a word), bounded.
_WORD_ROWS: dict[str, array] = {}


def _scan(text: str, row_of: dict[str, int]) -> list[int]:
    """Detector._extract_ngrams over normalised text (NGram.add_char inlined),
    as profile rows."""
    out: list[int] = []
    grams, capital = " ", False
    for c in text:
        last = grams[-1]
        if last == " ":
            grams, capital = " ", False
            if c == " ":
                continue
        elif len(grams) >= 3:
            grams = grams[1:]
        grams += c
        if c.isupper():
            if last.isupper():
                capital = True
        else:
            capital = False
        if capital:
            continue
        for n in (1, 2, 3):
            if len(grams) < n:
                break
            w = grams[-n:]
            if w != " ":
                row = row_of.get(w)
                if row is not None:
                    out.append(row)
    return out


def _ngram_rows(text: str, row_of: dict[str, int]) -> np.ndarray:
    """Detector._extract_ngrams(text), as profile rows. The n-gram buffer
    starts afresh after every space, so a word yields the same n-grams
    wherever it stands: they are computed once per word."""
    fresh = {ord(ch) for ch in set(text)} - _NORMALISED.keys()
    for code in fresh:
        _NORMALISED[code] = NGram.normalize(chr(code))
    words = text.translate(_NORMALISED).split(" ")
    if len(_WORD_ROWS) > WORD_CACHE_ENTRIES:
        _WORD_ROWS.clear()
    out: list[array] = []
    last = len(words) - 1
    for i, word in enumerate(words):
        if not word:
            continue
        if i == last:  # no space after it
            out.append(array("i", _scan(word, row_of)))
            continue
        found = _WORD_ROWS.get(word)
        if found is None:
            found = _WORD_ROWS[word] = array("i", _scan(word + " ", row_of))
        out.append(found)
    return np.frombuffer(b"".join(out), dtype=np.intc)  # the arrays' bytes, without an int object each


_MATRIX: tuple | None = None


def _profile_matrix(known) -> tuple[np.ndarray, dict[str, int]]:
    """langdetect's n-gram profiles as one array (about 40 MB, built once), and each n-gram's row."""
    global _MATRIX
    if _MATRIX is None or _MATRIX[2] is not known:
        _MATRIX = (np.array(list(known.values()), dtype=np.float64), {w: i for i, w in enumerate(known)}, known)
    return _MATRIX[0], _MATRIX[1]


def detect_langs(text: str):
    """langdetect.detect_langs(text), the same list of Language(lang, prob)."""
    detector_factory.init_factory()
    detector = detector_factory._factory.create()
    detector.text += _detector_text(detector, text)
    matrix, row_of = _profile_matrix(detector.word_lang_prob_map)
    rows = _ngram_rows(detector.text, row_of)
    if not len(rows):
        raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
    # The distinct n-grams' profile rows, and each occurrence's index among them.
    distinct, picks = np.unique(rows, return_inverse=True)
    table = matrix[distinct]
    count = len(detector.langlist)
    langprob = np.zeros(count)
    walk = _walk if _reproducible(detector.seed) else _walk_with_random
    for prob in walk(detector, table, picks, count):
        langprob += prob / detector.n_trial
    return detector._sort_probability(langprob.tolist())


_SPACE_RUN = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")  # langdetect's 'A' <= ch <= 'z'
_PAST_LATIN = re.compile("[\u0300-\U0010ffff]")


def _detector_text(detector, text: str) -> str:
    """What Detector.append(text) then Detector.cleaning_text() leave in a new
    detector's text, without their loops over every character."""
    text = detector.URL_RE.sub(" ", text)
    if "@" in text:  # no mail address without one
        text = detector.MAIL_RE.sub(" ", text)
    if any(mark in text for mark in NGram.DMARK_CLASS):  # no Vietnamese letter to normalise without one
        text = NGram.normalize_vi(text)
    text = _SPACE_RUN.sub(" ", text[: detector.max_text_length])  # append keeps one space of a run
    latin = len(_LATIN.findall(text))
    non_latin = sum(1 for ch in _PAST_LATIN.findall(text) if unicode_block(ch) != "Latin Extended Additional")
    if latin * 2 < non_latin:
        text = _LATIN.sub("", text)
    return text


# langdetect draws from random.Random(seed): a Gaussian per trial, then one
# n-gram occurrence per step until the walk converges. Here the draws come
# from the same Mersenne Twister words (made in bulk by numpy from the seeded
# state; checked once against random.Random), and the steps between two
# normalisations are multiplied in one numpy call: the same products in the
# same order, so the same bits.
_WORDS: dict[int, np.ndarray] = {}
_REPRODUCIBLE: list[bool] = []
_TWOPI = 2.0 * math.pi


def _reproducible(seed) -> bool:
    if not _REPRODUCIBLE:
        _REPRODUCIBLE.append(_draws_match())
    return isinstance(seed, int) and _REPRODUCIBLE[0]


def _mt_words(seed: int, n: int) -> np.ndarray:
    """The first `n` 32-bit outputs of random.Random(seed)."""
    state = random.Random(seed).getstate()[1]
    bits = np.random.MT19937()
    bits.state = {"bit_generator": "MT19937", "state": {"key": np.array(state[:624], dtype=np.uint32), "pos": state[624]}}
    return bits.random_raw(n).astype(np.int64)


def _words(seed: int, n: int) -> np.ndarray:
    words = _WORDS.get(seed)
    if words is None or len(words) < n:
        words = _WORDS[seed] = _mt_words(seed, max(n, 1 << 16, 2 * len(words) if words is not None else 0))
    return words


def _uniform(words: np.ndarray, at: int) -> float:
    """random.Random.random() from the two words at `at`."""
    a, b = int(words[at]) >> 5, int(words[at + 1]) >> 6
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)


def _gauss(words: np.ndarray, at: int) -> tuple[float, float]:
    """The pair of values random.Random.gauss makes from the four words at `at`."""
    x2pi = _uniform(words, at) * _TWOPI
    g2rad = math.sqrt(-2.0 * math.log(1.0 - _uniform(words, at + 2)))
    return math.cos(x2pi) * g2rad, math.sin(x2pi) * g2rad


def _choices(seed: int, at: int, n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """k draws of random.Random.choice over n items from word `at` on (getrandbits
    with rejection): the indices, and the position after each draw."""
    bits = n.bit_length()
    span = 2 * k + 64
    while True:
        candidates = _words(seed, at + span)[at: at + span] >> (32 - bits)
        taken = np.flatnonzero(candidates < n)[:k]
        if len(taken) == k:
            return candidates[taken], at + taken + 1
        span *= 2


def _draws_match() -> bool:
    """Do _gauss and _choices give what random.Random gives on this Python?"""
    rng, seed = random.Random(7), 7
    words = _words(seed, 1 << 16)
    at, spare = 0, None
    for n in (1, 2, 3, 5, 64, 100, 1000, 4097, 70000):
        for _ in range(2):
            if spare is None:
                z, spare = _gauss(words, at)
                at += 4
            else:
                z, spare = spare, None
            if rng.gauss(0.0, 1.0) != 0.0 + z * 1.0:
                return False
        drawn, ends = _choices(seed, at, n, 50)
        if drawn.tolist() != [rng.choice(range(n)) for _ in range(50)]:
            return False
        at = int(ends[-1])
    return True


_SEQUENTIAL_REDUCE: list[bool] = []


def _multiply_down():
    """Rows multiplied first to last, per column: numpy's reduce along the rows
    does that (one call, cheaper than accumulate) unless this numpy reorders."""
    if not _SEQUENTIAL_REDUCE:
        sample = np.exp(np.random.default_rng(0).normal(0.0, 20.0, size=(64, 6, 55)))
        _SEQUENTIAL_REDUCE.append(
            all(np.array_equal(np.multiply.reduce(a, axis=0), np.multiply.accumulate(a, axis=0)[-1]) for a in sample)
        )
    if _SEQUENTIAL_REDUCE[0]:
        return lambda rows: np.multiply.reduce(rows, axis=0)
    return lambda rows: np.multiply.accumulate(rows, axis=0)[-1]


def _walk(detector, table: np.ndarray, picks: np.ndarray, count: int):
    """Each trial's final probabilities, as langdetect's _detect_block computes them."""
    seed, limit, threshold = detector.seed, detector.ITERATION_LIMIT, detector.CONV_THRESHOLD
    multiply_down = _multiply_down()
    at = 0  # position in the random words
    spare = None  # random.Random keeps the second value of each Gaussian pair
    for _ in range(detector.n_trial):
        if spare is None:
            z, spare = _gauss(_words(seed, at + 4), at)
            at += 4
        else:
            z, spare = spare, None
        weight = (detector.alpha + (0.0 + z * 1.0) * detector.ALPHA_WIDTH) / detector.BASE_FREQ
        # Row 0 holds the start probabilities, row j + 1 the factors of step j
        # (weight + lang_prob_map[i] of its n-gram); multiplying down the rows
        # is the walk, and a normalised row is where the next steps start from.
        drawn, ends = _choices(seed, at, len(picks), min(128, limit + 1))
        rows = np.empty((len(drawn) + 1, count))
        rows[0] = 1.0 / count
        np.add(weight, table[picks[drawn]], out=rows[1:])
        step = 0  # langdetect's i
        while True:
            last = step if step == 0 else step + 4  # normalised after step 0, then every fifth
            if last >= len(drawn):
                drawn, ends = _choices(seed, at, len(picks), min(4 * len(drawn), limit + 1))
                more = np.empty((len(drawn) + 1, count))
                more[step] = rows[step]
                np.add(weight, table[picks[drawn[step:]]], out=more[step + 1:])
                rows = more
            prob = multiply_down(rows[step: last + 2])
            values = prob.tolist()
            total = sum(values)  # Python's left-to-right sum, as langdetect's
            prob = np.divide(prob, total, out=rows[last + 1])  # where the next steps start from
            # Division by a positive number keeps the order: the largest stays the largest.
            top = max(values) / total if total > 0 else prob.max()
            if top > threshold or last >= limit:
                break
            step = last + 1
        at = int(ends[last])
        yield prob


def _walk_with_random(detector, table: np.ndarray, picks: np.ndarray, count: int):
    """_walk drawing from random.Random itself (an unseeded detector, or another Python)."""
    picks = picks.tolist()
    rng = detector.random
    rng.seed(detector.seed)
    choose = rng.choice
    for _ in range(detector.n_trial):
        prob = np.full(count, 1.0 / count)
        alpha = detector.alpha + rng.gauss(0.0, 1.0) * detector.ALPHA_WIDTH
        factors = (alpha / detector.BASE_FREQ) + table  # weight + lang_prob_map[i], per n-gram
        i = 0
        while True:
            prob *= factors[choose(picks)]
            if i % 5 == 0:
                prob /= sum(prob.tolist())  # Python's left-to-right sum, as langdetect's
                if prob.max() > detector.CONV_THRESHOLD or i >= detector.ITERATION_LIMIT:
                    break
            i += 1
        yield prob


def _nordic_counts(text: str) -> Counter[str]:
    return Counter(lang for word in _WORD.findall(text.lower()) for lang in _TELLING.get(word, ()))


def _nordic_variety(text: str, fallback: str, counts: Counter[str] | None = None) -> str:
    """Pick da, nb or nn by unique function words (`counts`: _nordic_counts(text), if known;
    then `text` is not read)."""
    if counts is None:
        counts = _nordic_counts(text)
    if not counts:
        return fallback
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return fallback
    return ranked[0][0]


def _normalise(lang: str, text: str, counts: dict | None = None) -> str:
    """`counts` keeps the _nordic_counts of the texts it looks at, by id."""
    if lang in ("no", "da", "nn", "nb"):
        if counts is None:
            return _nordic_variety(text, "nb" if lang == "no" else lang)
        counted = counts[id(text)] = _nordic_counts(text)
        return _nordic_variety(text, "nb" if lang == "no" else lang, counted)
    return lang.split("-")[0]


def detect_text(text: str) -> str | None:
    """Language of one piece of text as an ISO 639-1 code, or None."""
    if not _has_letters(text, _MIN_LETTERS):
        return None
    ranked = _detect(text[: _SAMPLE * 3])
    return _normalise(ranked[0][0], text) if ranked else None


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def _has_letters(text: str, n: int) -> bool:
    """_letters(text) >= n, mostly decided by the text's start."""
    return sum(map(str.isalpha, text[: 2 * n])) >= n or (len(text) > 2 * n and _letters(text) >= n)


def _doc_sample(blocks) -> str:
    """The longest blocks (their first `_SAMPLE` characters), in document order, up to `_DOC_SAMPLE`."""
    chosen, total = set(), 0
    for i in sorted(range(len(blocks)), key=lambda i: -len(blocks[i].text)):
        if total >= _DOC_SAMPLE:
            break
        chosen.add(i)
        total += min(len(blocks[i].text), _SAMPLE) + 1
    return " ".join(blocks[i].text[:_SAMPLE] for i in sorted(chosen))[:_DOC_SAMPLE]


def _foreign(block, family: str | None) -> bool:
    """Do the block's function words say it is not in the document's language family?"""
    own = 0
    other: Counter[str] = Counter()
    for word in _TOKEN.findall(block.text.lower()):
        families = _FAMILIES_OF_WORD.get(word)
        if not families:
            continue
        if family in families:
            own += 1
        elif len(families) == 1:
            other.update(families)
    if other:
        n = other.most_common(1)[0][1]
        if n >= 3 and n > 2 * own:
            return True
    # A long paragraph without one function word of a language whose words we know.
    return family is not None and own == 0 and block.kind != "table" and _has_letters(block.text, _CHECK_LETTERS)


def detect(doc: Document) -> Document:
    """Set `language`, `languages` (share of content characters) and each block's `lang`."""
    weights: Counter[str] = Counter()
    # doc.content_blocks(), without a property call per block (tests/test_language.py checks they agree)
    blocks = [b for b in doc.blocks if b.kind in CONTENT_KINDS and _has_letters(b.text, _MIN_LETTERS)]
    counted: dict[int, Counter[str]] = {}
    ranked = _detect(_doc_sample(blocks)) if blocks else []
    if ranked:
        main = ranked[0][0]
        family = _FAMILY_OF_LANG.get(main)
        checks = 0
        for block in blocks:
            lang = main
            if checks < _MAX_CHECKS and _foreign(block, family):
                checks += 1
                own = _detect(block.text[:_SAMPLE])
                lang = own[0][0] if own else main
            block.lang = _normalise(lang, block.text, counted)
            weights[block.lang] += len(block.text)
    total = sum(weights.values())
    if total:
        # Norwegian blocks are short; decide the variety on all Norwegian text together.
        nordic = [b for b in blocks if b.lang in ("da", "nb", "nn")]
        if nordic:
            majority_nordic = max(("da", "nb", "nn"), key=lambda lang: weights.get(lang, 0))
            # The counts of their text joined with spaces: the sum of each block's
            # (a word never spans a join).
            counts: Counter[str] = Counter()
            for b in nordic:
                found = counted.get(id(b.text))
                counts.update(found if found is not None else _nordic_counts(b.text))
            variety = _nordic_variety("", majority_nordic, counts)
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
