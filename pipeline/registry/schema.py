"""The registry's tables (SQLAlchemy 2 declarative models).

Two layers:
- what each document said, replaced whole when the document changes:
  `documents`, `document_dates`, `organisation_aliases`, `agreement_sources`
  (one row per agreement a document reports, with its own reading of the
  period, status, terms and amounts), `person_contacts`, and `evidence`
  (document, character span and quote) for each of those facts;
- the merged registry derived from them, what users query: `organisations`,
  `agreements`, `agreement_parties`, `amounts`, `persons`; review `corrections`
  are applied while deriving, so they win over extraction and survive reloads.

Merged rows also keep a `merge_state` (JSON, not part of what they say): what
merge.py needs to update them from one more document without reading all the
others; NULL (as after the migration that added it) makes it read them once.

Migrations in `migrations/versions/` create exactly these tables; a test
checks that the two agree.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# --- What documents said ----------------------------------------------------


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("doc_key", "path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_key: Mapped[str] = mapped_column(String(300))  # the result id (input file stem)
    path: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int | None] = mapped_column(Integer)
    format: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str | None] = mapped_column(String(8))
    published: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str | None] = mapped_column(Text)
    pipeline_version: Mapped[str | None] = mapped_column(String(40))
    facts_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime)

    dates: Mapped[list[DocumentDate]] = relationship(back_populates="document", cascade="all, delete-orphan")


class DocumentDate(Base):
    __tablename__ = "document_dates"
    __table_args__ = (UniqueConstraint("document_id", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    value: Mapped[date] = mapped_column(Date)

    document: Mapped[Document] = relationship(back_populates="dates")


class OrganisationAlias(Base):
    """A spelling of an organisation as one document wrote it."""

    __tablename__ = "organisation_aliases"
    __table_args__ = (UniqueConstraint("organisation_id", "document_id", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str | None] = mapped_column(String(20))  # as the document classified it
    party: Mapped[bool] = mapped_column(Boolean, default=False)  # named as a party (not only a contact's employer)

    organisation: Mapped[Organisation] = relationship(back_populates="aliases")
    document: Mapped[Document] = relationship()


class AgreementSource(Base):
    """One agreement as one document reported it; linked to the merged agreement it became."""

    __tablename__ = "agreement_sources"
    __table_args__ = (UniqueConstraint("document_id", "claim_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id", ondelete="SET NULL"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    claim_index: Mapped[int] = mapped_column(Integer)
    group_key: Mapped[str] = mapped_column(String(1000), index=True)
    type: Mapped[str] = mapped_column(String(30))
    status: Mapped[str | None] = mapped_column(String(20))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    claim: Mapped[dict] = mapped_column(JSON)  # the agreement as extracted (parties as written, amounts, terms)

    agreement: Mapped[Agreement | None] = relationship(back_populates="sources")
    document: Mapped[Document] = relationship()


class PersonContact(Base):
    """A person, role and contact details as one document gave them."""

    __tablename__ = "person_contacts"
    __table_args__ = (UniqueConstraint("document_id", "claim_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    claim_index: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str | None] = mapped_column(Text)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(300))

    person: Mapped[Person] = relationship(back_populates="contacts")
    document: Mapped[Document] = relationship()


EVIDENCE_REFS = ("alias_id", "source_id", "amount_id", "contact_id", "date_id")


class Evidence(Base):
    """Where a stored fact was read: document, span of its content, quote."""

    __tablename__ = "evidence"
    # A row refers to one fact, so each reference is mostly NULL: index only the rows that have it
    # (an insert updates two indexes instead of six).
    __table_args__ = tuple(
        Index(f"ix_evidence_{c}", c, sqlite_where=text(f"{c} IS NOT NULL"), postgresql_where=text(f"{c} IS NOT NULL"))
        for c in EVIDENCE_REFS
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    fact: Mapped[str] = mapped_column(String(12))  # party | agreement | amount | contact | date
    alias_id: Mapped[int | None] = mapped_column(ForeignKey("organisation_aliases.id", ondelete="CASCADE"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("agreement_sources.id", ondelete="CASCADE"))
    amount_id: Mapped[int | None] = mapped_column(ForeignKey("amounts.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("person_contacts.id", ondelete="CASCADE"))
    date_id: Mapped[int | None] = mapped_column(ForeignKey("document_dates.id", ondelete="CASCADE"))
    doc: Mapped[str] = mapped_column(String(300))  # the (sub-)document id the span indexes
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)

    document: Mapped[Document] = relationship()


# --- The merged registry ----------------------------------------------------


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(20), unique=True)  # org-<hash of norm>
    norm: Mapped[str] = mapped_column(String(400), unique=True)  # names.org_norm
    name: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    corrected: Mapped[list] = mapped_column(JSON, default=list)  # fields set by review
    merge_state: Mapped[list | None] = mapped_column(JSON(none_as_null=True), deferred=True)  # alias counts

    aliases: Mapped[list[OrganisationAlias]] = relationship(back_populates="organisation")


class Agreement(Base):
    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)  # ag-<hash of group>[-n]
    group_key: Mapped[str] = mapped_column(String(1000), index=True)
    type: Mapped[str] = mapped_column(String(30))
    status: Mapped[str | None] = mapped_column(String(20))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    duration_months: Mapped[int | None] = mapped_column(Integer)
    review_every_months: Mapped[int | None] = mapped_column(Integer)
    notice_months: Mapped[int | None] = mapped_column(Integer)
    auto_renew: Mapped[bool | None] = mapped_column(Boolean)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)  # a reviewer said: not an agreement
    corrected: Mapped[list] = mapped_column(JSON, default=list)
    merge_state: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), deferred=True)

    parties: Mapped[list[AgreementParty]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementParty.position"
    )
    amounts: Mapped[list[Amount]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="Amount.slot"
    )
    sources: Mapped[list[AgreementSource]] = relationship(back_populates="agreement")


class AgreementParty(Base):
    __tablename__ = "agreement_parties"

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)

    agreement: Mapped[Agreement] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship()


class Amount(Base):
    __tablename__ = "amounts"
    __table_args__ = (UniqueConstraint("agreement_id", "slot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    slot: Mapped[str] = mapped_column(String(120))  # "currency|value|per|year": one row per distinct amount
    value: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    per: Mapped[str | None] = mapped_column(String(5))
    year: Mapped[int | None] = mapped_column(Integer)
    approx: Mapped[bool] = mapped_column(Boolean, default=False)

    agreement: Mapped[Agreement] = relationship(back_populates="amounts")


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(20), unique=True)  # p-<hash of name and organisation>
    name: Mapped[str] = mapped_column(String(300))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(300))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    corrected: Mapped[list] = mapped_column(JSON, default=list)
    merge_state: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), deferred=True)

    organisation: Mapped[Organisation | None] = relationship()
    contacts: Mapped[list[PersonContact]] = relationship(back_populates="person")


class Correction(Base):
    """A reviewer's change, keyed by the public id of what it corrects."""

    __tablename__ = "corrections"
    __table_args__ = (UniqueConstraint("target", "target_key", "field"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target: Mapped[str] = mapped_column(String(12))  # agreement | organisation | contact
    target_key: Mapped[str] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(40))  # a field name, "delete" or "add"
    value: Mapped[object] = mapped_column(JSON)
    source: Mapped[str | None] = mapped_column(String(1000))  # the review file
    applied_at: Mapped[datetime] = mapped_column(DateTime)

