"""Opening the registry: a database at the newest migration is opened without Alembic."""

from __future__ import annotations

import pytest

from tradecoop.registry import db, session
from tradecoop.registry.settings import get_settings


def test_head_revision_is_alembics_head():
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(db.alembic_config("sqlite://")).get_current_head() == db.HEAD_REVISION


def test_ensure_database_initialises_migrates_and_then_leaves_alone(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    settings = get_settings(database_url=url)
    assert db.current_revision(url) is None and not db.is_initialised(url)
    session.ensure_database(settings)  # created, migrated and seeded
    assert db.current_revision(url) == db.HEAD_REVISION

    def no_migration(*_args, **_kwargs):
        raise AssertionError("a database at head must not be migrated again")

    with monkeypatch.context() as patch:
        patch.setattr(db, "migrate", no_migration)
        session.ensure_database(settings)

    from alembic import command

    command.downgrade(db.alembic_config(url), "0003")  # one behind: opening it migrates it
    assert db.current_revision(url) == "0003"
    session.ensure_database(settings)
    assert db.current_revision(url) == db.HEAD_REVISION


@pytest.mark.parametrize("url", ["not a url"])
def test_bad_url_is_a_configuration_error(url):
    from tradecoop.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="SQLAlchemy URL"):
        db.current_revision(url)
