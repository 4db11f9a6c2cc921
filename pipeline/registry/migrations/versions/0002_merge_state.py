"""merge_state on organisations, agreements and persons: what a load needs to update them alone.

NULL to begin with: the first load that touches a row derives it from all its sources once
and fills it in.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("organisations", "agreements", "persons")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("merge_state", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "merge_state")  # SQLite 3.35+ drops a column in place
