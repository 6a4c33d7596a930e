"""CLI of the enterprise registry: ``tradecoop registry ...``, ``tradecoop users ...`` and
``tradecoop match``.

The database is the one named by ``TRADECOOP_DATABASE_URL`` (default: an SQLite file in the
per-user data directory, created and seeded on first use). SQLAlchemy is imported inside the
commands so ``tradecoop --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tradecoop.cli.common import FormatOpt, OutOpt, OutputFormat, emit
from tradecoop.registry.session import open_session

registry_app = typer.Typer(
    name="registry", no_args_is_help=True, rich_markup_mode="rich",
    help=(
        "Enterprise registry: enterprises, agreements, projects, events and reported figures in SQLite or PostgreSQL "
        "(TRADECOOP_DATABASE_URL).\n\nExample: [bold]tradecoop registry search Гомсельмаш[/bold]"
    ),
)
users_app = typer.Typer(
    name="users", no_args_is_help=True, rich_markup_mode="rich",
    help="API users and their tokens.\n\nExample: [bold]tradecoop users create alice --role editor[/bold]",
)


def _enterprise_row(e: Any, score: float | None = None) -> dict[str, Any]:
    row = {"id": e.id, "name_en": e.name_en, "name_ru": e.name_ru, "location": e.location, "city": e.city,
           "nace": e.nace, "products": ";".join(p.hs_code for p in e.products if p.role == "product")}
    if score is not None:
        row["score"] = score
    return row


@registry_app.command("init")
def init_cmd(
    no_seed: Annotated[bool, typer.Option("--no-seed", help="Only create or migrate the schema.")] = False,
) -> None:
    """Create or migrate the registry database and load the seed (idempotent).

    Example: [bold]TRADECOOP_DATABASE_URL=postgresql+psycopg://me@localhost/tc tradecoop registry init[/bold]
    """
    from tradecoop.registry.session import init_database
    from tradecoop.registry.settings import get_settings

    settings = get_settings()
    added = init_database(settings, seed=not no_seed)
    from sqlalchemy.engine import make_url

    where = make_url(settings.database_url).render_as_string(hide_password=True)
    typer.echo(f"registry at {where} is at the latest schema; seed records added: "
               + (", ".join(f"{k}s {v}" for k, v in added.items()) or "none (--no-seed)"))


@registry_app.command("search")
def search_cmd(
    text: Annotated[str, typer.Argument(help="Any spelling of a name: Cyrillic or Latin, abbreviated, misspelt.")],
    top: Annotated[int, typer.Option("--top", min=1, max=500, help="How many hits.")] = 10,
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
) -> None:
    """Find enterprises by any spelling of their name.

    Example: [bold]tradecoop registry search Homselmash[/bold] finds Gomselmash (Гомсельмаш).
    """
    from tradecoop.registry.repository import search_enterprises

    with open_session() as s:
        rows = [_enterprise_row(e, sc) for e, sc in search_enterprises(s, text, limit=top)]
    if not rows:
        from tradecoop.errors import NotFoundError

        raise NotFoundError(f"no enterprise matches {text!r}; try another spelling or `tradecoop registry export`")
    emit(rows, fmt, out, title=f"enterprises matching {text!r}")


@registry_app.command("show")
def show_cmd(
    record_id: Annotated[int, typer.Argument(help="Record id (see `registry search`).")],
    entity: Annotated[str, typer.Option("--entity", help="enterprise, agreement, project, event or figure.")] = "enterprise",
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
) -> None:
    """Show one record with every field.

    Example: [bold]tradecoop registry show 5 --format json[/bold]
    """
    from tradecoop.errors import DataValidationError
    from tradecoop.registry.records import to_dict
    from tradecoop.registry.repository import MODELS, get

    if entity not in MODELS:
        raise DataValidationError(f"--entity must be one of {', '.join(MODELS)}; found {entity!r}")
    with open_session() as s:
        rec = to_dict(get(s, entity, record_id))
    if fmt is OutputFormat.table and out is None:
        emit([{"field": k, "value": _flat(v)} for k, v in rec.items()], fmt, title=f"{entity} {record_id}")
    else:
        emit(rec if fmt is OutputFormat.json else {k: _flat(v) for k, v in rec.items()}, fmt, out)


def _flat(v: Any) -> Any:
    if isinstance(v, list):
        return "; ".join(str(x if not isinstance(x, dict) else ", ".join(f"{a}={b}" for a, b in x.items() if b is not None)) for x in v)
    return v


@registry_app.command("figures")
def figures_cmd(
    locations: Annotated[list[str] | None, typer.Argument(help="ISO codes the figures are about, e.g. BLR RU-CHE.")] = None,
    metric: Annotated[list[str] | None, typer.Option("--metric", help="Only this metric (repeatable).")] = None,
    any_of: Annotated[bool, typer.Option("--any", help="Figures about any of the locations (default: all of them).")] = False,
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
) -> None:
    """Reported figures (turnover, targets, ...) with their sources, newest report first.

    Example: [bold]tradecoop registry figures BLR RU-CHE --metric turnover[/bold]
    """
    from tradecoop.registry.service import reported_figures

    with open_session() as s:
        rows = reported_figures(s, locations or (), metrics=metric, match="any" if any_of else "all")
    if fmt is not OutputFormat.json:  # the table keeps what fits 80 columns; CSV has the reporter and URL too
        wide = fmt is OutputFormat.csv or out is not None
        rows = [{"id": r["id"], "metric": r["metric"], "value": r["value"], "unit": r["unit"], "period": r["period"],
                 "parties": ";".join(r["locations"]), "source": r["source_publisher"], "date": r["source_date"],
                 **({"reporter": r["reporter"], "url": r["source_url"]} if wide else {})} for r in rows]
    emit(rows, fmt, out, title="reported figures, newest report first")


@registry_app.command("export")
def export_cmd(file: Annotated[Path, typer.Argument(help="Target file ending in .json or .csv.")]) -> None:
    """Export every enterprise, agreement, project, event and reported figure to JSON or CSV.

    Example: [bold]tradecoop registry export registry.json[/bold]
    """
    from tradecoop.registry.io import export_file

    with open_session() as s:
        counts = export_file(s, file)
    typer.echo(f"wrote {file}: " + ", ".join(f"{v} {k}" for k, v in counts.items()), err=True)


@registry_app.command("import")
def import_cmd(file: Annotated[Path, typer.Argument(help="A .json or .csv file in the export format.")]) -> None:
    """Import records from JSON or CSV, all or nothing; bad rows are listed with line numbers.

    Example: [bold]tradecoop registry import partners.csv[/bold]
    """
    from tradecoop.registry.io import import_file

    with open_session() as s:
        counts = import_file(s, file, actor="cli-import")
    typer.echo(f"imported {file}: " + ", ".join(f"{v} {k}" for k, v in counts.items()), err=True)


ExpiresOpt = Annotated[int | None, typer.Option(
    "--expires-in-days", min=1, max=36_500, help="The token fails after this many days (default: no expiry).")]
UserArg = Annotated[str, typer.Argument(help="User name or id (see `tradecoop users list`).")]


def _expiry(days: int | None) -> Any:
    import datetime as dt

    return None if days is None else dt.datetime.now(dt.UTC) + dt.timedelta(days=days)


def _print_token(record: dict[str, Any], token: str, fmt: OutputFormat) -> None:
    """The user's fields, then the token alone on its own line (never wrapped or cut, whatever
    the terminal's width: ``... | tail -n 1`` gives the token)."""
    if fmt is not OutputFormat.table:
        emit({**record, "token": token}, fmt)
        return
    emit(record, fmt)
    typer.echo("Token (shown only now; store it safely):", err=True)
    typer.echo(token)


@users_app.command("create")
def users_create_cmd(
    name: Annotated[str, typer.Argument(help="User name (unique, regardless of case).")],
    role: Annotated[str, typer.Option("--role", help="viewer (read), editor (write) or admin (manage users).")] = "viewer",
    expires_in_days: ExpiresOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Create an API user and print its token once (only a keyed hash is stored).

    Example: [bold]tradecoop users create alice --role editor --format json[/bold] -> {"token": ...}
    """
    from tradecoop.registry.service import RegistryService, user_public
    from tradecoop.registry.settings import get_settings

    settings = get_settings()
    with open_session() as s:
        user, token = RegistryService(s, actor="cli").create_user(
            name, role, settings.secret_key, expires_at=_expiry(expires_in_days))
        record = user_public(user)
    _print_token(record, token, fmt)


@users_app.command("list")
def users_list_cmd(fmt: FormatOpt = OutputFormat.table, out: OutOpt = None) -> None:
    """List the API users (never their tokens).

    Example: [bold]tradecoop users list[/bold]
    """
    from tradecoop.registry.service import list_users

    with open_session() as s:
        rows = list_users(s)
    emit(rows, fmt, out, title="API users")


def _set_active(user: str, active: bool) -> None:
    from tradecoop.registry.service import RegistryService

    with open_session() as s:
        record = RegistryService(s, actor="cli").update_user(user, active=active)
        name = record.name
    typer.echo(f"user {name!r} is {'active again' if active else 'deactivated: its token fails from now on'}")


@users_app.command("deactivate")
def users_deactivate_cmd(user: UserArg) -> None:
    """Deactivate a user: its token fails at once (undo with `reactivate`).

    Example: [bold]tradecoop users deactivate alice[/bold]
    """
    _set_active(user, False)


@users_app.command("reactivate")
def users_reactivate_cmd(user: UserArg) -> None:
    """Reactivate a deactivated user (its token works again unless it expired).

    Example: [bold]tradecoop users reactivate alice[/bold]
    """
    _set_active(user, True)


@users_app.command("reissue-token")
def users_reissue_cmd(user: UserArg, expires_in_days: ExpiresOpt = None, fmt: FormatOpt = OutputFormat.table) -> None:
    """Give a user a new token and print it once; the old token fails at once.

    Example: [bold]tradecoop users reissue-token alice --expires-in-days 90[/bold]
    """
    from tradecoop.registry.service import RegistryService, user_public
    from tradecoop.registry.settings import get_settings

    settings = get_settings()
    with open_session() as s:
        record, token = RegistryService(s, actor="cli").reissue_token(user, settings.secret_key,
                                                                      expires_at=_expiry(expires_in_days))
        public = user_public(record)
    _print_token(public, token, fmt)


@users_app.command("delete")
def users_delete_cmd(user: UserArg) -> None:
    """Delete a user: its token fails at once; the audit log keeps its name.

    Example: [bold]tradecoop users delete alice[/bold]
    """
    from tradecoop.registry.service import RegistryService

    with open_session() as s:
        RegistryService(s, actor="cli").delete_user(user)
    typer.echo(f"user {user!r} deleted")


@registry_app.command("audit")
def audit_cmd(
    entity: Annotated[str | None, typer.Option("--entity", help="enterprise, agreement, project, event, figure or user.")] = None,
    record_id: Annotated[int | None, typer.Option("--id", help="Only this record's rows.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only this actor's writes.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100_000, help="How many rows, newest first.")] = 50,
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
) -> None:
    """Show the audit log: who wrote what and when (JSON also has the state before and after).

    Example: [bold]tradecoop registry audit --entity enterprise --id 5 --format json[/bold]
    """
    from tradecoop.registry.repository import audit_dict, audit_entries

    with open_session() as s:
        rows = [audit_dict(a) for a in audit_entries(s, entity=entity, entity_id=record_id, actor=actor, limit=limit)]
    if fmt is not OutputFormat.json:
        rows = [{k: v for k, v in r.items() if k not in ("before", "after")} for r in rows]
    emit(rows, fmt, out, title="audit log, newest first")


def match_cmd(
    enterprise: Annotated[str, typer.Argument(help="Enterprise id or any spelling of its name.")],
    across: Annotated[bool, typer.Option("--across", help="Also consider enterprises in the same location.")] = False,
    top: Annotated[int, typer.Option("--top", min=1, max=500, help="How many partners.")] = 10,
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
) -> None:
    """Rank partner enterprises for ENTERPRISE, with reasons that add up to the score.

    By default partners come from the other location of the pair (Belarus <-> Chelyabinsk region).
    Example: [bold]tradecoop match Gomselmash --top 5[/bold]
    """
    from tradecoop.registry.matching import match_enterprise, resolve_enterprise

    with open_session() as s:
        target = resolve_enterprise(s, enterprise)
        frame = match_enterprise(s, target.id, across=across, top=top)
    for note in frame.attrs.get("notes", []):
        typer.echo(f"note: {note}", err=True)
    emit(frame, fmt, out, title=f"partners for {target.name_en} ({target.location})")


def register(app: typer.Typer) -> None:
    """Attach ``registry``, ``users`` and ``match`` to the root app."""
    app.add_typer(registry_app, name="registry")
    app.add_typer(users_app, name="users")
    app.command("match")(match_cmd)
