"""`tradecoop products search|show` end to end on the bundled nomenclature."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from tradecoop.cli.main import app

runner = CliRunner()


def test_search_json_english_and_russian() -> None:
    for query in ("tractor", "трактор", "тракторы"):
        result = runner.invoke(app, ["products", "search", query, "--format", "json", "-n", "5"])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)
        assert rows[0]["code"] == "8701"
        assert rows[0]["name_ru"].startswith("Тракторы")
        assert len(rows) <= 5


def test_search_csv_to_file(tmp_path: Path) -> None:
    out = tmp_path / "hits.csv"
    result = runner.invoke(app, ["products", "search", "87.01", "-f", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["code"] == "8701"
    assert all(r["code"].startswith("8701") for r in rows)


def test_search_table_output() -> None:
    result = runner.invoke(app, ["products", "search", "cheese", "-n", "3"])
    assert result.exit_code == 0
    assert "0406" in result.output


def test_show_json() -> None:
    result = runner.invoke(app, ["products", "show", "8701", "--format", "json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["section"] == "XVII"
    assert info["name_ru"].startswith("Тракторы")
    assert info["bec_class"] == "capital"
    assert info["isic4_division"] == "28"  # ISIC Rev.4 28: machinery and equipment n.e.c.
    assert info["lall_code"] == "LDC08"


def test_show_table_and_older_vintage() -> None:
    result = runner.invoke(app, ["products", "show", "870190", "--vintage", "HS12"])
    assert result.exit_code == 0, result.output
    assert "Tractors" in result.output and "ru_fallback" in result.output


def test_show_errors_are_one_line_exit_1() -> None:
    result = runner.invoke(app, ["products", "show", "123456"])
    assert result.exit_code == 1
    assert "123456" in result.output
    result = runner.invoke(app, ["products", "show", "87x"])
    assert result.exit_code == 1
    result = runner.invoke(app, ["products", "show", "8701", "--vintage", "HS2099"])
    assert result.exit_code == 1
    assert "HS vintage" in result.output


def test_help_teaches_with_examples() -> None:
    for cmd in (
        ["products", "--help"],
        ["products", "search", "--help"],
        ["products", "show", "--help"],
    ):
        result = runner.invoke(app, cmd)
        assert result.exit_code == 0
        assert "tradecoop products" in result.output
