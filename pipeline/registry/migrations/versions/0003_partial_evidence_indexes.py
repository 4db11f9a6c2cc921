"""Evidence: index each fact reference only where it is set (most rows leave four of five NULL).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = ("alias_id", "source_id", "amount_id", "contact_id", "date_id")


def upgrade() -> None:
    for column in COLUMNS:
        op.drop_index(f"ix_evidence_{column}", table_name="evidence")
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(f"ix_evidence_{column}", "evidence", [column], sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for column in COLUMNS:
        op.drop_index(f"ix_evidence_{column}", table_name="evidence")
        op.create_index(f"ix_evidence_{column}", "evidence", [column])
