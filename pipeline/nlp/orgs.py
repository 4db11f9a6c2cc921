"""Organisations: municipalities, regions, state bodies, associations, companies.

Adds doc.spans["org"]; each span's value is
    {"name": canonical nominative name, "kind": municipality|region|state|organisation|company|other,
     "country": "DK"|"SE"|"NO"|"GB"|"DE"|None, "source": how it was found}
and, for a committee or department that stands for its municipality or region
("Socialnämnden i Vallentuna", "kommunen", "Byrådet"), also "committee": the words
as written. The gazetteers and word lists (data/*.tsv, data/org_patterns.json)
are copied into the model directory by to_disk, so a loaded model needs no
source files.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from pipeline.nlp.extensions import doc_text, put_spans
from pipeline.nlp.org_data import OrgData, default_data
from pipeline.nlp.org_find import OrgFinder
from pipeline.nlp.org_names import canonical_org, same_org  # noqa: F401 - re-exported for later stages
from pipeline.nlp.org_resolve import resolve

SUBDIR = "gazetteer"


def find_orgs(text: str, lang: str | None = None, country: str | None = None, finder: OrgFinder | None = None):
    """Resolved candidates for a plain string (what the component puts into spans)."""
    finder = finder or _default_finder()
    return resolve(text, finder.find(text, lang, country), finder.data, country)


_FINDER: OrgFinder | None = None


def _default_finder() -> OrgFinder:
    global _FINDER
    if _FINDER is None:
        _FINDER = OrgFinder(default_data())
    return _FINDER


class OrgRecognizer:
    def __init__(self, lang: str, data: OrgData | None = None):
        self.lang = lang
        # Built lazily: a model loaded from disk reads its own copy of the data in from_disk.
        self.finder = OrgFinder(data) if data is not None else None

    def _finder(self) -> OrgFinder:
        if self.finder is None:
            self.finder = _default_finder()
        return self.finder

    def __call__(self, doc: Doc) -> Doc:
        ctx = doc._.context or {}
        lang = ctx.get("lang") or self.lang
        country = ctx.get("country")
        # The whole page where extraction gives it: its chrome names the publisher, which "the
        # council" or "Byrådet" in the text stands for; found names are kept where they fall in the doc.
        page, to_doc = ctx.get("page") or (doc_text(doc), None)
        found, named = [], []
        for c in find_orgs(page, lang, country, self._finder()):
            named.append((c.name, c.kind))
            where = (c.start, c.end) if to_doc is None else to_doc(c.start, c.end)
            if where is None:
                continue
            value = {"name": c.name, "kind": c.kind, "country": c.country, "source": c.source}
            if c.committee:
                value["committee"] = c.committee
            found.append((*where, value))
        put_spans(doc, "org", found)
        if to_doc is not None:
            ctx["page_orgs"] = named  # every org the page names, chrome included, in page order
        return doc

    def to_disk(self, path, exclude=tuple()):
        self._finder().data.to_dir(ensure_path(path) / SUBDIR)

    def from_disk(self, path, exclude=tuple()):
        self.finder = OrgFinder(OrgData.from_dir(ensure_path(path) / SUBDIR))
        return self


@Language.factory("agreements_orgs", default_config={"lang": "da"})
def make_orgs(nlp: Language, name: str, lang: str) -> OrgRecognizer:
    return OrgRecognizer(lang)
