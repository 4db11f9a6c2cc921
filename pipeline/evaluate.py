"""Score pipeline results against gold files (see shared/eval/GOLD_FORMAT.md, "How it is scored").

Every gold file `NAME.gold.json` in the gold folder is one document. Its prediction is
`<pred>/<id>.json`, or else any result in the prediction folder whose `"id"` is the gold id.
Scores are counted per document and summed over the corpus (micro-average):

* set fields (`parties`, `amounts`, `dates`, `contacts`, `agreements`, `agreement_amounts`)
  sum true positives, predicted and gold counts, then compute precision, recall and F1;
* accuracy fields sum correct answers and gold items; an item the prediction does not have
  (a party, contact or agreement that was not found) is wrong in each of its fields.

`fact_f1` is the mean of every figure (F1 of a set field, accuracy of an accuracy field) that
has at least one gold item. A document whose prediction is missing, unreadable or has status
"error" counts every gold fact as missed (and its language, published and title as wrong).
A key missing from a prediction reads as an empty list (or null).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Field, computed_field

# ---------------------------------------------------------------------------
# Scores


class SetScore(BaseModel):
    """Set precision/recall/F1 from summed counts."""

    kind: Literal["set"] = "set"
    tp: int = 0
    pred: int = 0
    gold: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float | None:
        return self.tp / self.pred if self.pred else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        return self.tp / self.gold if self.gold else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float | None:
        total = self.pred + self.gold
        return 2 * self.tp / total if total else None

    @property
    def support(self) -> int:
        return self.gold

    @property
    def value(self) -> float | None:
        return self.f1

    def add(self, other: SetScore) -> None:
        self.tp += other.tp
        self.pred += other.pred
        self.gold += other.gold


class AccuracyScore(BaseModel):
    """Accuracy over gold items."""

    kind: Literal["accuracy"] = "accuracy"
    correct: int = 0
    total: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    @property
    def support(self) -> int:
        return self.total

    @property
    def value(self) -> float | None:
        return self.accuracy

    def add(self, other: AccuracyScore) -> None:
        self.correct += other.correct
        self.total += other.total

    def judge(self, ok: bool) -> None:
        self.total += 1
        self.correct += bool(ok)


Score = Annotated[Union[SetScore, AccuracyScore], Field(discriminator="kind")]

SET_FIELDS = ("parties", "amounts", "dates", "contacts", "agreements", "agreement_amounts")
ACCURACY_FIELDS = (
    "language", "published", "title", "party_kind",
    "contact_phone", "contact_email", "contact_org",
    "agreement_type", "agreement_status", "agreement_start", "agreement_end",
    "duration_months", "review_every_months",
)
# Report order.
FIELDS = (
    "language", "published", "title",
    "parties", "party_kind",
    "amounts", "dates",
    "contacts", "contact_phone", "contact_email", "contact_org",
    "agreements", "agreement_amounts", "agreement_type", "agreement_status",
    "agreement_start", "agreement_end", "duration_months", "review_every_months",
)


def empty_scores() -> dict[str, SetScore | AccuracyScore]:
    return {f: SetScore() if f in SET_FIELDS else AccuracyScore() for f in FIELDS}


def mean_of_supported(fields: dict[str, SetScore | AccuracyScore]) -> float | None:
    """Mean of the figures that have at least one gold item."""
    values = [s.value for s in fields.values() if s.support > 0 and s.value is not None]
    return sum(values) / len(values) if values else None


PredStatus = Literal["ok", "missing", "unreadable", "error"]


class DocumentScore(BaseModel):
    id: str
    status: PredStatus
    prediction: str | None = None  # path of the prediction file used
    reason: str | None = None  # why the document counts as failed
    fields: dict[str, Score] = Field(default_factory=dict)
    # Human-readable differences per field: "missed: ...", "spurious: ...", "gold X, predicted Y".
    details: dict[str, list[str]] = Field(default_factory=dict)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def fact_f1(self) -> float | None:
        return mean_of_supported(self.fields)

    @property
    def failed(self) -> bool:
        return self.status != "ok"


class Report(BaseModel):
    gold_dir: str
    pred_dir: str
    documents: int = 0
    fields: dict[str, Score] = Field(default_factory=dict)
    per_document: list[DocumentScore] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failed(self) -> int:
        return sum(1 for d in self.per_document if d.failed)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def fact_f1(self) -> float | None:
        return mean_of_supported(self.fields)


# ---------------------------------------------------------------------------
# Normalisation

_WS = re.compile(r"\s+")
_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2212]")
_AROUND_JOINERS = re.compile(r"\s*([-&])\s*")
_OFFICE_OF_THE = re.compile(r"^(?:the\s+)?office\s+of\s+the\s+")
# Trailing legal forms (matched on the case-folded name; a final "." is optional everywhere,
# so "ltd" also covers "Ltd." and "inc" "Inc.").
_LEGAL_FORMS = (
    # Danish / Norwegian / Swedish / Finnish / Icelandic
    "a/s", "as", "asa", "aps", "ivs", "i/s", "k/s", "p/s", "a.m.b.a", "amba", "f.m.b.a", "fmba",
    "s.m.b.a", "smba", "iks", "sa", "ans", "nuf", "ab", "ab (publ)", "hb", "kb", "ek. för", "ek för",
    "oy", "oyj", "ab oy", "rf", "r.f", "ry", "r.y", "ehf", "hf",
    # English
    "ltd", "limited", "plc", "inc", "llc", "llp", "cic",
    # German
    "gmbh", "ggmbh", "e.v", "ag",
)
_LEGAL_FORM = re.compile(
    r"(?:\s*,)?\s+(?:" + "|".join(re.escape(f).replace(r"\ ", r"\s*") for f in
                                  sorted(_LEGAL_FORMS, key=len, reverse=True)) + r")\.?$"
)
_EDGE_PUNCT = "\"'“”‘’«»„,;:. "


def norm_text(value: Any) -> str | None:
    """Titles and contact names: case-folded, whitespace collapsed (Unicode NFKC first)."""
    if value is None:
        return None
    text = _WS.sub(" ", unicodedata.normalize("NFKC", str(value))).strip().casefold()
    return text or None


def norm_party(value: Any) -> str | None:
    """Party and organisation names.

    Case-folded; whitespace collapsed; the spacing around hyphens (any dash) and `&` removed;
    a trailing legal form (AS, A/S, AB, rf, ry, IKS, Ltd, ApS, plc, Inc., ...) and a leading
    "Office of the" dropped.
    """
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value))
    text = _DASHES.sub("-", text)
    text = _WS.sub(" ", text).casefold().strip()
    text = _AROUND_JOINERS.sub(r"\1", text)
    text = text.strip(_EDGE_PUNCT)
    text = _OFFICE_OF_THE.sub("", text)
    stripped = _LEGAL_FORM.sub("", text).strip(_EDGE_PUNCT)
    if stripped:  # a name that is nothing but a legal form stays as it is
        text = stripped
    return text or None


def norm_code(value: Any) -> str | None:
    """Codes (language, agreement type and status): trimmed and case-folded."""
    if value is None:
        return None
    text = str(value).strip().casefold()
    return text or None


def language_ok(gold: Any, pred: Any) -> bool:
    g, p = norm_code(gold), norm_code(pred)
    if g == p:
        return True
    norwegian = {"nb", "nn"}
    return (g == "no" and p in norwegian) or (p == "no" and g in norwegian)


def norm_date(value: Any) -> str | None:
    """ISO date string; a datetime string is cut to its day."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("value", value.get("date", value.get("iso")))
        if value is None:
            return None
    text = str(value).strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}(?:[T ].*)?$", text):
        return text[:10]
    return text or None


def norm_number(value: Any) -> Any:
    """Numbers compare numerically (24 == 24.0); other values as they are."""
    if value is None or isinstance(value, bool):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value).strip()
    number = round(number, 2)
    return int(number) if number.is_integer() else number  # 24 == 24.0 either way; shown as 24


def norm_amount(item: Any) -> tuple[Any, str | None] | None:
    """(value rounded to cents, ISO currency upper-cased); `per` is not scored."""
    if not isinstance(item, dict):
        return None
    value = norm_number(item.get("value"))
    if value is None:
        return None
    currency = item.get("currency")
    currency = (str(currency).strip().upper() or None) if currency is not None else None
    return (value, currency)


def norm_phone(value: Any) -> str | None:
    if value is None:
        return None
    text = re.sub(r"^tel:", "", str(value).strip(), flags=re.I)
    text = re.sub(r"[\s\-./()\u00a0]", "", text)
    return text or None


def norm_email(value: Any) -> str | None:
    if value is None:
        return None
    text = re.sub(r"^mailto:", "", str(value).strip(), flags=re.I).casefold()
    return text or None


def _fmt(value: Any) -> str:
    if isinstance(value, tuple):
        return " ".join(_fmt(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------------------
# Reading facts (gold or prediction) into normalised form


def _list(data: dict, key: str) -> list:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _name_of(item: Any) -> Any:
    if isinstance(item, dict):
        return item.get("name")
    return item if isinstance(item, str) else None


def party_names(items: Iterable[Any]) -> set[str]:
    return {n for n in (norm_party(_name_of(i)) for i in items) if n}


def amount_set(items: Iterable[Any]) -> set[tuple]:
    return {a for a in (norm_amount(i) for i in items) if a is not None}


def _first_by_name(items: Iterable[Any], norm) -> dict[str, dict]:
    """Name -> first item with that (normalised) name."""
    out: dict[str, dict] = {}
    for item in items:
        record = item if isinstance(item, dict) else {"name": item}
        name = norm(_name_of(record))
        if name and name not in out:
            out[name] = record
    return out


class _Agreement:
    def __init__(self, data: Any):
        data = data if isinstance(data, dict) else {}
        terms = data.get("terms") if isinstance(data.get("terms"), dict) else {}
        self.parties = party_names(_list(data, "parties"))
        self.type = norm_code(data.get("type"))
        self.status = norm_code(data.get("status"))
        self.start = norm_date(data.get("start"))
        self.end = norm_date(data.get("end"))
        self.amounts = amount_set(_list(data, "amounts"))
        self.duration_months = norm_number(terms.get("duration_months"))
        self.review_every_months = norm_number(terms.get("review_every_months"))

    def label(self) -> str:
        return f"{self.type} [{', '.join(sorted(self.parties))}]"


def party_overlap(a: set[str], b: set[str]) -> float:
    """F1 of two party sets (two empty sets do not overlap)."""
    total = len(a) + len(b)
    return 2 * len(a & b) / total if total else 0.0


def match_agreements(gold: list[_Agreement], pred: list[_Agreement]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs whose party sets overlap with F1 >= 0.5.

    Best overlap first; among equal overlaps the pair agreeing on more of type, start, end
    and amounts wins; then document order.
    """
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = party_overlap(g.parties, p.parties)
            if overlap >= 0.5:
                same = (g.type == p.type) + (g.start == p.start) + (g.end == p.end) + (g.amounts == p.amounts)
                candidates.append((-overlap, -same, gi, pi))
    candidates.sort()
    pairs, used_g, used_p = [], set(), set()
    for _, _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


# ---------------------------------------------------------------------------
# Scoring one document


def _set_score(gold: set, pred: set, details: list[str]) -> SetScore:
    for item in sorted(gold - pred, key=_fmt):
        details.append(f"missed: {_fmt(item)}")
    for item in sorted(pred - gold, key=_fmt):
        details.append(f"spurious: {_fmt(item)}")
    return SetScore(tp=len(gold & pred), pred=len(pred), gold=len(gold))


def _judge(score: AccuracyScore, details: list[str], what: str, gold: Any, pred: Any, ok: bool) -> None:
    score.judge(ok)
    if not ok:
        details.append(f"{what}: gold {gold!r}, predicted {pred!r}")


def score_document(gold: dict, pred: dict | None) -> tuple[dict[str, SetScore | AccuracyScore], dict[str, list[str]]]:
    """Scores of one document; `pred` None means the extraction failed."""
    scores = empty_scores()
    details: dict[str, list[str]] = {f: [] for f in FIELDS}
    failed = pred is None
    pred = pred or {}

    # language, published, title: one judgement per document (wrong when the extraction failed)
    _judge(scores["language"], details["language"], "language", gold.get("language"), pred.get("language"),
           not failed and language_ok(gold.get("language"), pred.get("language")))
    g_pub, p_pub = norm_date(gold.get("published")), norm_date(pred.get("published"))
    _judge(scores["published"], details["published"], "published", g_pub, p_pub, not failed and g_pub == p_pub)
    g_title, p_title = norm_text(gold.get("title")), norm_text(pred.get("title"))
    _judge(scores["title"], details["title"], "title", gold.get("title"), pred.get("title"),
           not failed and g_title == p_title)

    # parties and their kinds
    g_parties = _first_by_name(_list(gold, "parties"), norm_party)
    p_parties = _first_by_name(_list(pred, "parties"), norm_party)
    scores["parties"] = _set_score(set(g_parties), set(p_parties), details["parties"])
    for name, g in g_parties.items():
        p = p_parties.get(name)
        p_kind = p.get("kind") if p else None
        _judge(scores["party_kind"], details["party_kind"], f"kind of {name}", g.get("kind"),
               p_kind if p else "(party not found)", p is not None and p_kind == g.get("kind"))

    # amounts, dates
    scores["amounts"] = _set_score(amount_set(_list(gold, "amounts")), amount_set(_list(pred, "amounts")),
                                   details["amounts"])
    g_dates = {d for d in map(norm_date, _list(gold, "dates")) if d}
    p_dates = {d for d in map(norm_date, _list(pred, "dates")) if d}
    scores["dates"] = _set_score(g_dates, p_dates, details["dates"])

    # contacts: names as a set; phone, email, organisation over gold contacts having them
    g_contacts = _first_by_name(_list(gold, "contacts"), norm_text)
    p_contacts = _first_by_name(_list(pred, "contacts"), norm_text)
    scores["contacts"] = _set_score(set(g_contacts), set(p_contacts), details["contacts"])
    contact_fields = (("contact_phone", "phone", norm_phone), ("contact_email", "email", norm_email),
                      ("contact_org", "organisation", norm_party))
    for name, g in g_contacts.items():
        p = p_contacts.get(name)
        for field, key, norm in contact_fields:
            g_value = norm(g.get(key))
            if g_value is None:
                continue
            p_value = norm(p.get(key)) if p else None
            _judge(scores[field], details[field], f"{key} of {name}", g.get(key),
                   p.get(key) if p else "(contact not found)", p_value == g_value)

    # agreements
    g_agr = [_Agreement(a) for a in _list(gold, "agreements")]
    p_agr = [_Agreement(a) for a in _list(pred, "agreements")]
    pairs = match_agreements(g_agr, p_agr)
    scores["agreements"] = SetScore(tp=len(pairs), pred=len(p_agr), gold=len(g_agr))
    matched = dict(pairs)
    matched_pred = set(matched.values())
    for gi, g in enumerate(g_agr):
        if gi not in matched:
            details["agreements"].append(f"missed: {g.label()}")
    for pi, p in enumerate(p_agr):
        if pi not in matched_pred:
            details["agreements"].append(f"spurious: {p.label()}")

    # agreement_amounts: summed over gold agreements. Matched pairs compare their sets;
    # the amounts of an unmatched gold agreement are all missed, and (our choice) the
    # amounts of an unmatched predicted agreement all count as false positives.
    amounts = scores["agreement_amounts"]
    for gi, g in enumerate(g_agr):
        p_amounts = p_agr[matched[gi]].amounts if gi in matched else set()
        amounts.add(_set_score(g.amounts, p_amounts, details["agreement_amounts"]))
    for pi, p in enumerate(p_agr):
        if pi not in matched_pred:
            amounts.add(_set_score(set(), p.amounts, details["agreement_amounts"]))

    for gi, g in enumerate(g_agr):
        p = p_agr[matched[gi]] if gi in matched else None
        label = g.label()
        for field, attr, always in (
            ("agreement_type", "type", True), ("agreement_status", "status", True),
            ("agreement_start", "start", False), ("agreement_end", "end", False),
            ("duration_months", "duration_months", False), ("review_every_months", "review_every_months", False),
        ):
            g_value = getattr(g, attr)
            if g_value is None and not always:
                continue
            p_value = getattr(p, attr) if p else "(agreement not found)"
            _judge(scores[field], details[field], f"{attr} of {label}", g_value, p_value,
                   p is not None and p_value == g_value)

    return scores, {k: v for k, v in details.items() if v}


# ---------------------------------------------------------------------------
# Files


def _gold_files(gold_dir: Path) -> list[Path]:
    return sorted(gold_dir.glob("*.gold.json"))


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


class _Predictions:
    """Finds the prediction of a gold id: `<dir>/<id>.json`, else a result whose "id" matches."""

    def __init__(self, pred_dir: Path):
        self.dir = pred_dir
        self._by_id: dict[str, Path] | None = None

    def _index(self) -> dict[str, Path]:
        if self._by_id is None:
            self._by_id = {}
            files = sorted(self.dir.glob("*.json")) if self.dir.is_dir() else []
            for path in files:
                if path.name.endswith(".gold.json"):
                    continue
                try:
                    data = _read_json(path)
                except (OSError, ValueError):
                    continue
                if isinstance(data, dict) and isinstance(data.get("id"), str):
                    self._by_id.setdefault(data["id"], path)
        return self._by_id

    def find(self, doc_id: str) -> Path | None:
        path = self.dir / f"{doc_id}.json"
        if path.is_file():
            return path
        return self._index().get(doc_id)


def load_prediction(path: Path | None) -> tuple[PredStatus, dict | None, str | None]:
    """(status, prediction or None when failed, reason)."""
    if path is None:
        return "missing", None, "no prediction file"
    try:
        data = _read_json(path)
    except (OSError, ValueError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return "unreadable", None, f"{type(exc).__name__}: {exc}"
    if not isinstance(data, dict):
        return "unreadable", None, "prediction is not a JSON object"
    if data.get("status") == "error":
        error = data.get("error") if isinstance(data.get("error"), dict) else {}
        reason = f"{error.get('type', 'error')}: {error.get('message', '')}".rstrip(": ")
        return "error", None, reason
    return "ok", data, None


def evaluate(gold_dir: str | Path, pred_dir: str | Path) -> Report:
    """Score every `*.gold.json` in `gold_dir` against the results in `pred_dir`."""
    gold_dir, pred_dir = Path(gold_dir), Path(pred_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold folder not found: {gold_dir}")
    predictions = _Predictions(pred_dir)
    report = Report(gold_dir=str(gold_dir), pred_dir=str(pred_dir), fields=empty_scores())
    for gold_path in _gold_files(gold_dir):
        try:
            gold = _read_json(gold_path)
        except (OSError, ValueError) as exc:
            raise ValueError(f"unreadable gold file {gold_path}: {exc}") from exc
        if not isinstance(gold, dict):
            raise ValueError(f"gold file {gold_path} is not a JSON object")
        doc_id = gold.get("id") or gold_path.name[: -len(".gold.json")]
        pred_path = predictions.find(doc_id)
        status, pred, reason = load_prediction(pred_path)
        scores, details = score_document(gold, pred)
        for name, score in scores.items():
            report.fields[name].add(score)
        report.per_document.append(DocumentScore(
            id=doc_id, status=status, prediction=str(pred_path) if pred_path else None,
            reason=reason, fields=scores, details=details,
        ))
    report.documents = len(report.per_document)
    return report


# ---------------------------------------------------------------------------
# Text report


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


_PER_DOC_COLUMNS = (
    ("lang", "language"), ("pub", "published"), ("title", "title"), ("parties", "parties"),
    ("kind", "party_kind"), ("amounts", "amounts"), ("dates", "dates"), ("contacts", "contacts"),
    ("agreem", "agreements"), ("agr_amt", "agreement_amounts"), ("agr_type", "agreement_type"),
)


def format_per_document(report: Report) -> str:
    """One line per document: its fact_f1 and the main figures ("-" where it has no gold item)."""
    width = max([len("document")] + [len(d.id) for d in report.per_document])
    head = f"{'document':<{width}}  {'status':<10} {'fact_f1':>7}" + "".join(
        f" {label:>8}" for label, _ in _PER_DOC_COLUMNS)
    lines = [head, "-" * len(head)]
    for doc in report.per_document:
        cells = []
        for _, field in _PER_DOC_COLUMNS:
            score = doc.fields[field]
            cells.append(f" {_num(score.value if score.support else None):>8}")
        line = f"{doc.id:<{width}}  {doc.status:<10} {_num(doc.fact_f1):>7}" + "".join(cells)
        if doc.reason:
            line += f"  ({doc.reason[:100]})"
        lines.append(line)
    return "\n".join(lines)


def format_report(report: Report, per_document: bool = False) -> str:
    """A readable table, one line per field, ending with the `fact_f1` line."""
    lines = []
    if per_document:
        lines += [format_per_document(report), ""]
    failed = [d for d in report.per_document if d.failed]
    summary = f"{report.documents} documents, {len(failed)} failed"
    if failed:
        kinds: dict[str, int] = {}
        for d in failed:
            kinds[d.status] = kinds.get(d.status, 0) + 1
        summary += " (" + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + ")"
    lines.append(summary)
    head = f"{'field':<20} {'P':>6} {'R':>6} {'F1/acc':>7} {'match':>6} {'pred':>6} {'gold':>6}"
    lines += [head, "-" * len(head)]
    for name, score in report.fields.items():
        if isinstance(score, SetScore):
            lines.append(f"{name:<20} {_num(score.precision):>6} {_num(score.recall):>6} {_num(score.f1):>7}"
                         f" {score.tp:>6} {score.pred:>6} {score.gold:>6}")
        else:
            lines.append(f"{name:<20} {'':>6} {'':>6} {_num(score.accuracy):>7}"
                         f" {score.correct:>6} {'':>6} {score.total:>6}")
    lines.append("-" * len(head))
    lines.append(f"fact_f1 {_num(report.fact_f1)}")
    return "\n".join(lines)
