"""Initial schema: documents and what they said, the merged registry, review corrections.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("agreements",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("key", sa.String(length=40), nullable=False),
    sa.Column("group_key", sa.String(length=1000), nullable=False),
    sa.Column("type", sa.String(length=30), nullable=False),
    sa.Column("status", sa.String(length=20), nullable=True),
    sa.Column("start_date", sa.Date(), nullable=True),
    sa.Column("end_date", sa.Date(), nullable=True),
    sa.Column("duration_months", sa.Integer(), nullable=True),
    sa.Column("review_every_months", sa.Integer(), nullable=True),
    sa.Column("notice_months", sa.Integer(), nullable=True),
    sa.Column("auto_renew", sa.Boolean(), nullable=True),
    sa.Column("deleted", sa.Boolean(), nullable=False),
    sa.Column("corrected", sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
    sa.UniqueConstraint("key", name=op.f("uq_agreements_key"))
    )
    op.create_index(op.f("ix_agreements_group_key"), "agreements", ["group_key"])

    op.create_table("corrections",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("target", sa.String(length=12), nullable=False),
    sa.Column("target_key", sa.String(length=40), nullable=False),
    sa.Column("field", sa.String(length=40), nullable=False),
    sa.Column("value", sa.JSON(), nullable=False),
    sa.Column("source", sa.String(length=1000), nullable=True),
    sa.Column("applied_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    sa.UniqueConstraint("target", "target_key", "field", name=op.f("uq_corrections_target_target_key_field"))
    )
    op.create_table("documents",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("doc_key", sa.String(length=300), nullable=False),
    sa.Column("path", sa.String(length=1000), nullable=False),
    sa.Column("sha256", sa.String(length=64), nullable=False),
    sa.Column("size", sa.Integer(), nullable=True),
    sa.Column("format", sa.String(length=10), nullable=True),
    sa.Column("language", sa.String(length=8), nullable=True),
    sa.Column("published", sa.Date(), nullable=True),
    sa.Column("title", sa.Text(), nullable=True),
    sa.Column("pipeline_version", sa.String(length=40), nullable=True),
    sa.Column("facts_hash", sa.String(length=64), nullable=False),
    sa.Column("loaded_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    sa.UniqueConstraint("doc_key", "path", name=op.f("uq_documents_doc_key_path"))
    )
    op.create_index(op.f("ix_documents_sha256"), "documents", ["sha256"])

    op.create_table("organisations",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("key", sa.String(length=20), nullable=False),
    sa.Column("norm", sa.String(length=400), nullable=False),
    sa.Column("name", sa.String(length=400), nullable=False),
    sa.Column("kind", sa.String(length=20), nullable=True),
    sa.Column("country", sa.String(length=2), nullable=True),
    sa.Column("corrected", sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
    sa.UniqueConstraint("key", name=op.f("uq_organisations_key")),
    sa.UniqueConstraint("norm", name=op.f("uq_organisations_norm"))
    )
    op.create_table("agreement_parties",
    sa.Column("agreement_id", sa.Integer(), nullable=False),
    sa.Column("organisation_id", sa.Integer(), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], name=op.f("fk_agreement_parties_agreement_id_agreements"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], name=op.f("fk_agreement_parties_organisation_id_organisations")),
    sa.PrimaryKeyConstraint("agreement_id", "organisation_id", name=op.f("pk_agreement_parties"))
    )
    op.create_index(op.f("ix_agreement_parties_organisation_id"), "agreement_parties", ["organisation_id"])

    op.create_table("agreement_sources",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("agreement_id", sa.Integer(), nullable=True),
    sa.Column("document_id", sa.Integer(), nullable=False),
    sa.Column("claim_index", sa.Integer(), nullable=False),
    sa.Column("group_key", sa.String(length=1000), nullable=False),
    sa.Column("type", sa.String(length=30), nullable=False),
    sa.Column("status", sa.String(length=20), nullable=True),
    sa.Column("start_date", sa.Date(), nullable=True),
    sa.Column("end_date", sa.Date(), nullable=True),
    sa.Column("claim", sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], name=op.f("fk_agreement_sources_agreement_id_agreements"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_agreement_sources_document_id_documents"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_sources")),
    sa.UniqueConstraint("document_id", "claim_index", name=op.f("uq_agreement_sources_document_id_claim_index"))
    )
    op.create_index(op.f("ix_agreement_sources_agreement_id"), "agreement_sources", ["agreement_id"])
    op.create_index(op.f("ix_agreement_sources_document_id"), "agreement_sources", ["document_id"])
    op.create_index(op.f("ix_agreement_sources_group_key"), "agreement_sources", ["group_key"])

    op.create_table("amounts",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("agreement_id", sa.Integer(), nullable=False),
    sa.Column("slot", sa.String(length=120), nullable=False),
    sa.Column("value", sa.Float(), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("per", sa.String(length=5), nullable=True),
    sa.Column("year", sa.Integer(), nullable=True),
    sa.Column("approx", sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], name=op.f("fk_amounts_agreement_id_agreements"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_amounts")),
    sa.UniqueConstraint("agreement_id", "slot", name=op.f("uq_amounts_agreement_id_slot"))
    )
    op.create_index(op.f("ix_amounts_agreement_id"), "amounts", ["agreement_id"])

    op.create_table("document_dates",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("document_id", sa.Integer(), nullable=False),
    sa.Column("value", sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_document_dates_document_id_documents"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_document_dates")),
    sa.UniqueConstraint("document_id", "value", name=op.f("uq_document_dates_document_id_value"))
    )
    op.create_index(op.f("ix_document_dates_document_id"), "document_dates", ["document_id"])

    op.create_table("organisation_aliases",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("organisation_id", sa.Integer(), nullable=False),
    sa.Column("document_id", sa.Integer(), nullable=False),
    sa.Column("alias", sa.String(length=400), nullable=False),
    sa.Column("kind", sa.String(length=20), nullable=True),
    sa.Column("party", sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_organisation_aliases_document_id_documents"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], name=op.f("fk_organisation_aliases_organisation_id_organisations")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_aliases")),
    sa.UniqueConstraint("organisation_id", "document_id", "alias", name=op.f("uq_organisation_aliases_organisation_id_document_id_alias"))
    )
    op.create_index(op.f("ix_organisation_aliases_document_id"), "organisation_aliases", ["document_id"])
    op.create_index(op.f("ix_organisation_aliases_organisation_id"), "organisation_aliases", ["organisation_id"])

    op.create_table("persons",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("key", sa.String(length=20), nullable=False),
    sa.Column("name", sa.String(length=300), nullable=False),
    sa.Column("organisation_id", sa.Integer(), nullable=True),
    sa.Column("role", sa.Text(), nullable=True),
    sa.Column("phone", sa.String(length=40), nullable=True),
    sa.Column("email", sa.String(length=300), nullable=True),
    sa.Column("deleted", sa.Boolean(), nullable=False),
    sa.Column("corrected", sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], name=op.f("fk_persons_organisation_id_organisations")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
    sa.UniqueConstraint("key", name=op.f("uq_persons_key"))
    )
    op.create_index(op.f("ix_persons_organisation_id"), "persons", ["organisation_id"])

    op.create_table("person_contacts",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("document_id", sa.Integer(), nullable=False),
    sa.Column("claim_index", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=300), nullable=False),
    sa.Column("role", sa.Text(), nullable=True),
    sa.Column("organisation_id", sa.Integer(), nullable=True),
    sa.Column("phone", sa.String(length=40), nullable=True),
    sa.Column("email", sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_person_contacts_document_id_documents"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], name=op.f("fk_person_contacts_organisation_id_organisations")),
    sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_person_contacts_person_id_persons"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_person_contacts")),
    sa.UniqueConstraint("document_id", "claim_index", name=op.f("uq_person_contacts_document_id_claim_index"))
    )
    op.create_index(op.f("ix_person_contacts_document_id"), "person_contacts", ["document_id"])
    op.create_index(op.f("ix_person_contacts_organisation_id"), "person_contacts", ["organisation_id"])
    op.create_index(op.f("ix_person_contacts_person_id"), "person_contacts", ["person_id"])

    op.create_table("evidence",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("document_id", sa.Integer(), nullable=False),
    sa.Column("fact", sa.String(length=12), nullable=False),
    sa.Column("alias_id", sa.Integer(), nullable=True),
    sa.Column("source_id", sa.Integer(), nullable=True),
    sa.Column("amount_id", sa.Integer(), nullable=True),
    sa.Column("contact_id", sa.Integer(), nullable=True),
    sa.Column("date_id", sa.Integer(), nullable=True),
    sa.Column("doc", sa.String(length=300), nullable=False),
    sa.Column("span_start", sa.Integer(), nullable=False),
    sa.Column("span_end", sa.Integer(), nullable=False),
    sa.Column("quote", sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(["alias_id"], ["organisation_aliases.id"], name=op.f("fk_evidence_alias_id_organisation_aliases"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["amount_id"], ["amounts.id"], name=op.f("fk_evidence_amount_id_amounts"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["contact_id"], ["person_contacts.id"], name=op.f("fk_evidence_contact_id_person_contacts"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["date_id"], ["document_dates.id"], name=op.f("fk_evidence_date_id_document_dates"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_evidence_document_id_documents"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["source_id"], ["agreement_sources.id"], name=op.f("fk_evidence_source_id_agreement_sources"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence"))
    )
    op.create_index(op.f("ix_evidence_alias_id"), "evidence", ["alias_id"])
    op.create_index(op.f("ix_evidence_amount_id"), "evidence", ["amount_id"])
    op.create_index(op.f("ix_evidence_contact_id"), "evidence", ["contact_id"])
    op.create_index(op.f("ix_evidence_date_id"), "evidence", ["date_id"])
    op.create_index(op.f("ix_evidence_document_id"), "evidence", ["document_id"])
    op.create_index(op.f("ix_evidence_source_id"), "evidence", ["source_id"])



def downgrade() -> None:
    op.drop_index(op.f("ix_evidence_source_id"), table_name="evidence")
    op.drop_index(op.f("ix_evidence_document_id"), table_name="evidence")
    op.drop_index(op.f("ix_evidence_date_id"), table_name="evidence")
    op.drop_index(op.f("ix_evidence_contact_id"), table_name="evidence")
    op.drop_index(op.f("ix_evidence_amount_id"), table_name="evidence")
    op.drop_index(op.f("ix_evidence_alias_id"), table_name="evidence")

    op.drop_table("evidence")
    op.drop_index(op.f("ix_person_contacts_person_id"), table_name="person_contacts")
    op.drop_index(op.f("ix_person_contacts_organisation_id"), table_name="person_contacts")
    op.drop_index(op.f("ix_person_contacts_document_id"), table_name="person_contacts")

    op.drop_table("person_contacts")
    op.drop_index(op.f("ix_persons_organisation_id"), table_name="persons")

    op.drop_table("persons")
    op.drop_index(op.f("ix_organisation_aliases_organisation_id"), table_name="organisation_aliases")
    op.drop_index(op.f("ix_organisation_aliases_document_id"), table_name="organisation_aliases")

    op.drop_table("organisation_aliases")
    op.drop_index(op.f("ix_document_dates_document_id"), table_name="document_dates")

    op.drop_table("document_dates")
    op.drop_index(op.f("ix_amounts_agreement_id"), table_name="amounts")

    op.drop_table("amounts")
    op.drop_index(op.f("ix_agreement_sources_group_key"), table_name="agreement_sources")
    op.drop_index(op.f("ix_agreement_sources_document_id"), table_name="agreement_sources")
    op.drop_index(op.f("ix_agreement_sources_agreement_id"), table_name="agreement_sources")

    op.drop_table("agreement_sources")
    op.drop_index(op.f("ix_agreement_parties_organisation_id"), table_name="agreement_parties")

    op.drop_table("agreement_parties")
    op.drop_table("organisations")
    op.drop_index(op.f("ix_documents_sha256"), table_name="documents")

    op.drop_table("documents")
    op.drop_table("corrections")
    op.drop_index(op.f("ix_agreements_group_key"), table_name="agreements")

    op.drop_table("agreements")
