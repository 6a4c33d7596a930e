"""Sessions on the configured registry database, created, migrated and seeded on first use.

Above :mod:`tradecoop.registry.db` (engines, migrations) and the seed loader
(:mod:`tradecoop.registry.seed`, which writes through the service), so that none of those
imports this module back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from tradecoop.registry import db

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tradecoop.registry.settings import Settings


def init_database(settings: Settings, *, seed: bool = True) -> dict[str, int]:
    """Create or migrate the database named by ``settings`` and load the seed idempotently.

    Returns the counts of seed records added (zero on a second run).
    """
    from tradecoop.registry.seed import load_seed

    db.migrate(settings.database_url)
    if not seed:
        return {}
    engine = db.make_engine(settings.database_url)
    try:
        with db.session_factory(engine)() as session:
            return load_seed(session)
    finally:
        engine.dispose()


def ensure_database(settings: Settings) -> None:
    """Initialise (migrate and seed) the database on first use; migrate one that is behind; leave
    one at :data:`HEAD_REVISION` as it is (without loading Alembic)."""
    current = db.current_revision(settings.database_url)
    if current == db.HEAD_REVISION:
        return
    if current is None:
        init_database(settings)
    else:
        db.migrate(settings.database_url)


@contextmanager
def open_session(*, ensure: bool = True) -> Iterator[Session]:
    """A session on the database named by the settings, initialised (and seeded) on first use."""
    from tradecoop.registry.settings import get_settings

    settings = get_settings()
    if ensure:
        ensure_database(settings)
    engine = db.make_engine(settings.database_url)
    try:
        with db.session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()
