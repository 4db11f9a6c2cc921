"""What the registry answers: pydantic contracts for queries, exports and review files."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from pipeline.models import Terms


class EvidenceView(BaseModel):
    document: str  # the source document's id (result id)
    doc: str  # the (sub-)document whose content the span indexes
    start: int
    end: int
    quote: str


class SourceView(BaseModel):
    document: str
    path: str
    sha256: str
    format: str | None = None
    language: str | None = None
    published: date | None = None
    title: str | None = None


class PartyView(BaseModel):
    id: str
    name: str
    kind: str | None = None
    country: str | None = None


class AmountView(BaseModel):
    value: float | int
    currency: str
    per: str | None = None
    year: int | None = None
    approx: bool = False
    evidence: list[EvidenceView] = Field(default_factory=list)


class AgreementView(BaseModel):
    id: str
    type: str
    status: str | None = None
    start: date | None = None
    end: date | None = None
    terms: Terms = Field(default_factory=Terms)
    parties: list[PartyView] = Field(default_factory=list)
    amounts: list[AmountView] = Field(default_factory=list)
    sources: list[SourceView] = Field(default_factory=list)
    evidence: list[EvidenceView] = Field(default_factory=list)
    corrected: list[str] = Field(default_factory=list)  # fields a reviewer set


class PersonView(BaseModel):
    id: str
    name: str
    organisation: str | None = None
    organisation_id: str | None = None
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    sources: list[str] = Field(default_factory=list)
    evidence: list[EvidenceView] = Field(default_factory=list)
    corrected: list[str] = Field(default_factory=list)


class OrganisationView(BaseModel):
    id: str
    name: str
    kind: str | None = None
    country: str | None = None
    aliases: list[str] = Field(default_factory=list)
    agreements: list[str] = Field(default_factory=list)  # agreement ids
    persons: list[PersonView] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    evidence: list[EvidenceView] = Field(default_factory=list)
    corrected: list[str] = Field(default_factory=list)


class AgreementFilter(BaseModel):
    party: str | None = None  # a party's name, any spelling seen, or part of it
    kind: str | None = None  # some party is of this kind
    year: int | None = None  # the period touches this calendar year
    type: str | None = None
    status: str | None = None
    currency: str | None = None  # some amount is in this currency


class OrganisationFilter(BaseModel):
    party: str | None = None  # name or alias contains
    kind: str | None = None
    country: str | None = None
    year: int | None = None  # party to an agreement touching this year
    type: str | None = None  # party to an agreement of this type
    status: str | None = None  # party to an agreement with this status
    currency: str | None = None  # party to an agreement with an amount in this currency
