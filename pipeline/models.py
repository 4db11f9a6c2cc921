"""Pydantic contracts between stages.

A `Document` holds one content string; every block (and later every fact's
evidence) points into it by character offsets, so `content[start:end]` is the
single truth a reviewer can check.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

Format = Literal["html", "email", "pdf", "text"]
BlockKind = Literal["title", "heading", "body", "contact", "table", "boilerplate"]

# Blocks that carry the document's own content (not site or mail chrome).
CONTENT_KINDS: frozenset[str] = frozenset({"title", "heading", "body", "contact", "table"})


class Block(BaseModel):
    kind: BlockKind
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    page: int | None = None  # 1-based PDF page
    part: str | None = None  # MIME part path inside an email, e.g. "1.2"
    rows: list[list[str]] | None = None  # table cells, row by row
    lang: str | None = None

    @property
    def is_content(self) -> bool:
        return self.kind in CONTENT_KINDS


class Source(BaseModel):
    path: str
    sha256: str
    size: int
    format: Format
    # Name given by the container (an attachment's file name); display only,
    # never used as a path.
    name: str | None = None
    part: str | None = None


class Document(BaseModel):
    id: str
    source: Source
    title: str | None = None
    published: date | None = None
    language: str | None = None
    languages: dict[str, float] = Field(default_factory=dict)
    metadata: dict[str, str] = Field(default_factory=dict)
    content: str = ""
    blocks: list[Block] = Field(default_factory=list)
    children: list[Document] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    # An mbox holding several messages is a container: its children are
    # independent documents, each written as its own result.
    container: bool = False

    # A field validator, not a model one: pydantic re-runs "after" model validators whenever a
    # built Document is passed into another model (twice per Result), this runs once.
    @field_validator("blocks")
    @classmethod
    def _blocks_point_into_content(cls, blocks: list[Block], info: ValidationInfo) -> list[Block]:
        content = info.data.get("content")
        if content is None:  # content itself failed: that error is reported
            return blocks
        n = len(content)
        for b in blocks:
            if not (0 <= b.start <= b.end <= n) or content[b.start:b.end] != b.text:
                raise ValueError(f"block {b.kind} [{b.start}:{b.end}] does not match content")
        return blocks

    @property
    def format(self) -> str:
        return self.source.format

    def content_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.is_content]

    def walk(self):
        """This document and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


class ErrorInfo(BaseModel):
    stage: str
    type: str
    message: str


# --- Extraction: the facts of one document, each with its evidence ---------


class Evidence(BaseModel):
    """Where a fact was read: the document (or attachment) id, a span of its content, the quote."""

    doc: str
    start: int
    end: int
    quote: str


class Party(BaseModel):
    name: str
    kind: Literal["municipality", "region", "state", "organisation", "company", "other"]
    evidence: list[Evidence] = Field(default_factory=list)


class Amount(BaseModel):
    value: float | int
    currency: str
    per: Literal["year", "month", "total"] | None = None
    approx: bool = False
    evidence: list[Evidence] = Field(default_factory=list)


class Terms(BaseModel):
    duration_months: int | None = None
    review_every_months: int | None = None
    notice_months: int | None = None
    auto_renew: bool | None = None


class Agreement(BaseModel):
    type: Literal["iop", "operating_agreement", "cooperation_agreement", "grant", "grant_application", "contract", "other"]
    status: Literal["proposed", "applied", "approved", "signed", "in_force", "ended"] | None = None
    parties: list[str]
    start: date | None = None
    end: date | None = None
    amounts: list[Amount] = Field(default_factory=list)
    terms: Terms = Field(default_factory=Terms)
    evidence: list[Evidence] = Field(default_factory=list)


class Contact(BaseModel):
    name: str
    role: str | None = None
    organisation: str | None = None
    phone: str | None = None
    email: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class DateFact(BaseModel):
    value: date
    evidence: list[Evidence] = Field(default_factory=list)


class Facts(BaseModel):
    parties: list[Party] = Field(default_factory=list)
    agreements: list[Agreement] = Field(default_factory=list)
    amounts: list[Amount] = Field(default_factory=list)
    dates: list[DateFact] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)


class Result(BaseModel):
    """What `agreements run` writes for one input (or one mbox message)."""

    id: str
    status: Literal["ok", "error"]
    format: Format | None = None
    language: str | None = None
    published: date | None = None
    title: str | None = None
    source: Source | None = None
    pipeline_version: str
    parties: list[Party] = Field(default_factory=list)
    agreements: list[Agreement] = Field(default_factory=list)
    amounts: list[Amount] = Field(default_factory=list)
    dates: list[date] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    # Evidence for each entry of `dates` (kept apart so `dates` stays plain ISO strings).
    date_evidence: list[DateFact] = Field(default_factory=list)
    document: Document | None = None
    warnings: list[str] = Field(default_factory=list)
    error: ErrorInfo | None = None
