"""spaCy pipelines: one blank pipeline per language plus our own components.

`build_all()` assembles them from the pattern and gazetteer sources beside the
components and writes them to `models/<lang>`; `load(lang)` reads them back
with `spacy.load`. Nothing is downloaded.
"""

from __future__ import annotations

import os
from pathlib import Path

import spacy
from spacy.language import Language

from pipeline.nlp import extensions  # noqa: F401 - registers Span/Doc extensions
from pipeline.nlp import registry
from pipeline.nlp.tokenize import PrimedTokenizer

LANGS = ("da", "sv", "nb", "nn", "en")
MODELS_DIR = Path(os.environ.get("AGREEMENTS_MODELS", Path(__file__).resolve().parents[2] / "models"))


def model_lang(lang: str | None) -> str:
    """The pipeline to use for a document language (others fall back to English rules)."""
    if lang in LANGS:
        return lang
    if lang == "no":
        return "nb"
    return "en"


def build(lang: str) -> Language:
    registry.import_components()
    nlp = spacy.blank(lang)
    from pipeline.nlp.temporal import split_number_ranges

    split_number_ranges(nlp)  # "01.01.2024–31.12.2027" as three tokens: two dates, two values
    for name, config in registry.components(lang):
        nlp.add_pipe(name, config=config)
    return nlp


def build_all(out_dir: str | Path = MODELS_DIR) -> list[Path]:
    written = []
    for lang in LANGS:
        path = Path(out_dir) / lang
        path.parent.mkdir(parents=True, exist_ok=True)
        build(lang).to_disk(path)
        written.append(path)
    return written


# A pipeline's vocabulary keeps every string it has ever seen (each new
# number, name and address adds one), so over a long run it only grows. A
# pipeline whose string store has grown by RENEW_AFTER strings since it was
# loaded is loaded afresh (a quarter of a second); results do not depend on
# the vocabulary's history.
RENEW_AFTER = 20_000
_loaded: dict[str, tuple[Language, int]] = {}


def load(lang: str) -> Language:
    lang = model_lang(lang)
    entry = _loaded.get(lang)
    if entry is not None and len(entry[0].vocab.strings) - entry[1] <= RENEW_AFTER:
        return entry[0]
    pipe = _load(lang)
    _loaded[lang] = (pipe, len(pipe.vocab.strings))
    return pipe


def _load(lang: str) -> Language:
    path = MODELS_DIR / lang
    registry.import_components()
    nlp = spacy.load(path) if (path / "config.cfg").exists() else build(lang)  # else: from sources
    # spaCy's length guard protects parser and NER memory; our rule components
    # need none, and the per-document size limit is the batch runner's.
    nlp.max_length = 10**9
    nlp.tokenizer = PrimedTokenizer(nlp.tokenizer)
    return nlp
