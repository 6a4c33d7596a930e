"""The registry, users and match commands through Typer's runner (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tradecoop.cli.main import app


@pytest.fixture
def cli(database_url, monkeypatch):
    monkeypatch.setenv("TRADECOOP_DATABASE_URL", database_url)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args))

    assert run("registry", "init").exit_code == 0
    return run


def test_init_is_idempotent(cli):
    r = cli("registry", "init")
    assert r.exit_code == 0 and "enterprises 0, agreements 0" in r.output


def test_search_show_match(cli):
    r = cli("registry", "search", "Homselmash", "--format", "json")
    assert r.exit_code == 0, r.output
    hits = json.loads(r.stdout)
    assert hits[0]["name_en"] == "Gomselmash"
    r = cli("registry", "show", str(hits[0]["id"]), "--format", "json")
    assert json.loads(r.stdout)["name_ru"] == "Гомсельмаш"
    r = cli("match", "Gomselmash", "--top", "3", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert len(rows) == 3 and all(row["location"] == "RU-CHE" for row in rows)


def test_users_create_prints_token_once(cli):
    r = cli("users", "create", "alice", "--role", "editor", "--format", "json")
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    assert body["role"] == "editor" and body["token"].startswith("tc_")
    r = cli("users", "create", "alice", "--role", "viewer")
    assert r.exit_code == 1 and "already exists" in r.output


def test_errors_are_one_line(cli):
    r = cli("registry", "show", "99999")
    assert r.exit_code == 1 and "no enterprise with id 99999" in r.output
    r = cli("match", "Qwertyuiop")
    assert r.exit_code == 1 and "no enterprise clearly named" in r.output
    r = cli("users", "create", "bob", "--role", "root")
    assert r.exit_code == 1 and "role" in r.output


def test_export_then_import_into_another_database(cli, tmp_path, monkeypatch):
    out = tmp_path / "reg.json"
    assert cli("registry", "export", str(out)).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["enterprises"]) >= 40 and len(data["agreements"]) == 11
    monkeypatch.setenv("TRADECOOP_DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite3'}")
    runner = CliRunner()
    assert runner.invoke(app, ["registry", "init", "--no-seed"]).exit_code == 0
    r = runner.invoke(app, ["registry", "import", str(out)])
    assert r.exit_code == 0, r.output
    assert "41 enterprises" in r.output


#: a terminal narrower than the token (59 characters), as in `COLUMNS=40 tradecoop users create`
NARROW_COLUMNS = "40"


def test_users_create_prints_the_whole_token_on_its_own_line(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", NARROW_COLUMNS)
    r = cli("users", "create", "carol", "--role", "editor")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    token = lines[-1]
    assert token.startswith("tc_") and len(token) > int(NARROW_COLUMNS)
    assert token.count("_") >= 2 and " " not in token
    # the printed token is the real one: it authenticates
    from tradecoop.registry.service import authenticate
    from tradecoop.registry.session import open_session
    from tradecoop.registry.settings import get_settings

    with open_session() as s:
        assert authenticate(s, token, get_settings().secret_key).name == "carol"


def test_users_list_deactivate_reactivate_reissue_delete(cli):
    from tradecoop.errors import AuthError
    from tradecoop.registry.service import authenticate
    from tradecoop.registry.session import open_session
    from tradecoop.registry.settings import get_settings

    secret = get_settings().secret_key
    token = json.loads(cli("users", "create", "dave", "--format", "json").stdout)["token"]
    users = json.loads(cli("users", "list", "--format", "json").stdout)
    assert [u["name"] for u in users] == ["dave"] and "token" not in users[0]
    assert cli("users", "deactivate", "dave").exit_code == 0
    with open_session() as s, pytest.raises(AuthError):
        authenticate(s, token, secret)
    assert cli("users", "reactivate", str(users[0]["id"])).exit_code == 0
    with open_session() as s:
        assert authenticate(s, token, secret).name == "dave"
    r = cli("users", "reissue-token", "dave", "--expires-in-days", "30", "--format", "json")
    assert r.exit_code == 0, r.output
    new = json.loads(r.stdout)
    assert new["token"] != token and new["token_expires_at"] is not None
    with open_session() as s:
        with pytest.raises(AuthError):
            authenticate(s, token, secret)
        assert authenticate(s, new["token"], secret).name == "dave"
    assert cli("users", "delete", "dave").exit_code == 0
    with open_session() as s, pytest.raises(AuthError):
        authenticate(s, new["token"], secret)
    r = cli("users", "delete", "dave")
    assert r.exit_code == 1 and "no user named 'dave'" in r.output
    # the name is free again
    assert cli("users", "create", "dave").exit_code == 0


def test_registry_audit_shows_the_writes(cli):
    cli("users", "create", "erin")
    r = cli("registry", "audit", "--entity", "user", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows[0]["action"] == "create" and rows[0]["after"]["name"] == "erin" and rows[0]["actor"] == "cli"
    seeded = json.loads(cli("registry", "audit", "--actor", "seed", "--limit", "5", "--format", "json").stdout)
    assert len(seeded) == 5 and {r["actor"] for r in seeded} == {"seed"}


def test_registry_figures_lists_the_seeded_reports(cli):
    from tradecoop.registry.seed import figure_rows

    r = cli("registry", "figures", "BLR", "RU-CHE", "--metric", "turnover", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    expected = [f for f in figure_rows() if f["metric"] == "turnover" and set(f["parties"].split(";")) == {"BLR", "RU-CHE"}]
    assert len(rows) == len(expected) > 0 and all(row["source_url"] for row in rows)
    r = cli("registry", "figures", "Belarus")
    assert r.exit_code == 1 and "ISO 3166" in r.output
