"""Alembic environment: runs on the connection `pipeline.registry.db.upgrade` passes in.

Used programmatically (there is no alembic.ini): `alembic_config(conn)` sets
`script_location` to this folder and `attributes["connection"]`.
"""

from __future__ import annotations

from alembic import context

from pipeline.registry.schema import Base


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("the registry migrations run online only (pipeline.registry.db.upgrade)")

_connection = context.config.attributes.get("connection")
if _connection is not None:
    _run(_connection)
else:  # `alembic -x url=...` style use by a developer: make our own engine
    from pipeline.registry.db import make_engine

    _engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
    with _engine.begin() as _conn:
        _run(_conn)
