"""The schema's revision: a one-query check for every command, Alembic for `db upgrade`.

Alembic (about a fifth of a second to import) is imported only where migrations run:
`upgrade`, and `ensure_current` when the store is not at `HEAD_REVISION`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import OperationalError, ProgrammingError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

__all__ = [
    "HEAD_REVISION",
    "current_revision",
    "ensure_current",
    "head_revision",
    "schema_is_current",
    "upgrade",
]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions; tests/storage/test_migrations.py asserts that
# it is Alembic's head, so a new migration cannot forget it.
HEAD_REVISION = "0008"
_VERSIONS = text("SELECT version_num FROM alembic_version")


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision with Alembic; a no-op when it is there."""
    from alembic import command

    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def schema_is_current(engine: Engine) -> bool:
    """Whether the store is at `HEAD_REVISION`: one query, no Alembic."""
    with engine.connect() as connection:
        try:
            versions = connection.execute(_VERSIONS).scalars().all()
        except (OperationalError, ProgrammingError):  # no alembic_version table: never migrated
            return False
    return versions == [HEAD_REVISION]


def ensure_current(engine: Engine) -> None:
    """Upgrade the schema only when it is not at the head revision."""
    if not schema_is_current(engine):
        upgrade(engine)


def current_revision(engine: Engine) -> str | None:
    """The store's revision as Alembic reads it."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision as Alembic reads it from migrations/versions."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()
