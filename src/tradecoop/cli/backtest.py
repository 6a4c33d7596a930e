"""CLI: ``tradecoop backtest`` — predictive validity of the feasibility score (docs/backtest.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tradecoop.cli.common import FormatOpt, OutOpt, OutputFormat, emit

#: bundled datasets that are not the whole world, and the world totals that are their RCA denominator
DEFAULT_WORLD_TOTALS = {"brics_hs6": "world_totals_hs6"}
#: where weights come from when the input panel has no earlier transition to learn from
DEFAULT_WEIGHTS_FROM = "brics_hs6"
#: canonical column names of bundled world_exports tables -> analysis input names
_RENAME = {"exporter": "location", "value_usd": "value"}


def _read_table(source: str | Path):
    """Read a dataset of the store (by name: bundled or imported) or a CSV/Parquet file."""
    import pandas as pd

    from tradecoop.data.store import open_store
    from tradecoop.errors import DataValidationError, NotFoundError

    path = Path(source)
    if not path.exists():
        handle = open_store()
        try:
            handle.info(str(source))
        except NotFoundError as exc:
            raise NotFoundError(f"{source!r} is neither an existing file nor a dataset in the store; {exc}") from exc
        # year, location, product, value (USD); one HS vintage per dataset is enforced at import.
        # The store's whole-dataset read: a bundled world_exports table is read as it is, without
        # a DuckDB query (same frame, cell for cell)
        return handle.read_location_product_values(str(source))
    if path.suffix.lower() in {".parquet", ".pq"}:
        frame = pd.read_parquet(path)
    elif path.suffix.lower() in {".csv", ".txt"}:
        frame = pd.read_csv(path, dtype={"product": str, "location": str, "exporter": str})
    else:
        raise DataValidationError(f"{path}: expected a .csv or .parquet file; found suffix {path.suffix!r}")
    frame = frame.rename(columns={k: v for k, v in _RENAME.items() if k in frame.columns})
    if "hs_vintage" in frame.columns and frame["hs_vintage"].nunique() > 1:
        raise DataValidationError(
            f"{path}: a backtest needs one HS vintage across the window; found "
            f"{sorted(frame['hs_vintage'].dropna().unique().tolist())} (convert first)"
        )
    return frame


def load_backtest_input(
    dataset: str | None, input_file: Path | None, world_totals: str | None, digits: int | None
):
    """Return ``(panel frame, world totals frame or None)`` with columns year, location, product, value.

    ``--dataset brics_hs6`` uses the bundled ``world_totals_hs6`` as RCA denominator unless
    ``--world-totals`` names another. ``digits`` aggregates products to their first N digits.
    """
    frame = _read_table(dataset if dataset is not None else input_file)
    if world_totals is None and dataset in DEFAULT_WORLD_TOTALS:
        world_totals = DEFAULT_WORLD_TOTALS[dataset]
    world = None if world_totals is None else _read_table(world_totals)
    if world is not None and "location" in world.columns:
        world = world.drop(columns="location")
    if digits is not None:
        frame = _aggregate(frame, digits, ["year", "location"])
        world = None if world is None else _aggregate(world, digits, ["year"])
    return frame, world


def _aggregate(frame, digits: int, keys: list[str]):
    out = frame.assign(product=frame["product"].astype(str).str[:digits])
    return out.groupby([*keys, "product"], as_index=False)["value"].sum()


def _summary(result) -> list[dict]:
    """One row per scorer (engine and baselines) for table/CSV output."""
    d = result.to_dict()
    rows = []
    for label, suffix in (("engine (feasibility)", ""), ("density", "_density"),
                          ("density (continuous)", "_density_cont"), ("rca", "_rca")):
        ci = d["ci"].get(f"auc{suffix}", [None, None])
        rows.append({
            "score": label,
            "auc": d[f"auc{suffix}"],
            "auc_ci_low": ci[0],
            "auc_ci_high": ci[1],
            "mean_location_auc": d[f"mean_location_auc{suffix}"],
            "precision_at_10": d[f"precision_at_10{suffix}"],
            "precision_at_25": d[f"precision_at_25{suffix}"],
            "best_f1_optimistic": d[f"best_f1{suffix}"],
        })
    rows.append({"score": "base rate", "auc": 0.5, "precision_at_10": d["base_rate"],
                 "precision_at_25": d["base_rate"]})
    return rows


def backtest(
    dataset: Annotated[str | None, typer.Option("--dataset", "-d", help="Bundled dataset name, e.g. brics_hs6.")] = None,
    input_file: Annotated[Path | None, typer.Option("--input", "-i", help="CSV/Parquet with year,location,product,value (USD).")] = None,
    start: Annotated[int, typer.Option("--start", help="Y0: first year of the start window.")] = ...,
    end: Annotated[int, typer.Option("--end", help="Y1: last year of the end window.")] = ...,
    window: Annotated[int, typer.Option("--window", help="Years per window (RCA from their average).")] = 3,
    world_totals: Annotated[str | None, typer.Option("--world-totals", help="Bundled name or file with year,product,value world exports (the RCA denominator).")] = None,
    digits: Annotated[int | None, typer.Option("--digits", help="Aggregate products to their first N digits (e.g. 4 for HS4).")] = None,
    external: Annotated[list[str] | None, typer.Option("--external", help="Location kept out of proximity (a region of a country in the panel); repeatable.")] = None,
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Bootstrap resamples over locations for CIs (0 = none).")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap RNG.")] = 0,
    weights_from: Annotated[str | None, typer.Option(
        "--weights-from",
        help="Score with weights learned elsewhere: a dataset name (learned on its transition ending by the start "
             "window, products cut to this panel's digits) or a JSON file written by --weights-out. Default when "
             "this panel has no earlier transition (e.g. only two snapshots): the bundled brics_hs6 panel.")] = None,
    weights_out: Annotated[Path | None, typer.Option("--weights-out", help="Write the model used (JSON) for a later --weights-from.")] = None,
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
) -> None:
    """Backtest the feasibility score: does it predict which products a location becomes competitive in?

    Candidates are (location, product) cells with RCA < 0.5 in the start window (Y0..Y0+w-1);
    an appearance is RCA >= 1 in the end window (Y1-w+1..Y1). The score's weights are learned
    on a transition that ends by the start window's last year, never later. Reports pooled
    AUC, mean within-location AUC, precision@10/@25, F1, bootstrap CIs over locations, beside
    density-only, RCA-only and the base rate (docs/backtest.md).

    Example: [bold]tradecoop backtest --dataset brics_hs6 --start 2015 --end 2024 --format json[/bold]
    (2015-17 -> 2022-24, RCA against world totals from world_totals_hs6).
    """
    from tradecoop.opportunities.backtest import run_backtest

    if (dataset is None) == (input_file is None):
        raise typer.BadParameter("give exactly one of --dataset NAME or --input FILE")
    from tradecoop.errors import DataValidationError

    frame, world = load_backtest_input(dataset, input_file, world_totals, digits)
    model, source = (None, None) if weights_from is None else _weights(weights_from, frame, start + window - 1, window)
    try:
        result = run_backtest(frame, start, end, window, world, external=external or (), n_boot=bootstrap, seed=seed,
                              model=model, weights_source=source)
    except DataValidationError as exc:
        if weights_from is not None or "--weights-from" not in str(exc):
            raise
        model, source = _weights(DEFAULT_WEIGHTS_FROM, frame, start + window - 1, window)
        source = f"the input has no earlier transition to learn from, so by default: {source}"
        result = run_backtest(frame, start, end, window, world, external=external or (), n_boot=bootstrap, seed=seed,
                              model=model, weights_source=source)
    if weights_out is not None:
        import json

        weights_out.write_text(json.dumps(result.model.to_dict(), indent=2) + "\n", encoding="utf-8")
        typer.echo(f"wrote {weights_out}", err=True)
    if fmt is OutputFormat.json:
        emit(result.to_dict(), fmt, out)
    else:
        d = result.to_dict()
        title = (f"Backtest {d['start_window'][0]}-{d['start_window'][-1]} -> "
                 f"{d['end_window'][0]}-{d['end_window'][-1]}: {d['candidates']} candidates, "
                 f"{d['appearances']} appearances (base rate {d['base_rate']:.4f})")
        emit(_summary(result), fmt, out, title=title)
        if out is None:
            ci = d["ci"].get("auc_minus_best_baseline", [float("nan")] * 2)
            typer.echo(f"  engine AUC - best baseline ({d['best_baseline']}): {d['auc_minus_best_baseline']:+.3f} "
                       f"[{ci[0]:+.3f}, {ci[1]:+.3f}]")
            typer.echo(f"  weights: {d['weights_source']}")


def _weights(source: str, target, last_year: int, window: int):
    """(model, description) learned on dataset ``source`` or read from a JSON file."""
    import json

    from tradecoop.opportunities.feasibility import FeasibilityModel, fit_feasibility, prepare_panel

    path = Path(source)
    if path.suffix.lower() == ".json" and path.exists():
        return FeasibilityModel.from_dict(json.loads(path.read_text(encoding="utf-8"))), f"read from {path}"
    digits = int(target["product"].astype(str).str.len().max())
    frame, world = load_backtest_input(source, None, None, digits)
    panel = prepare_panel(frame, world)
    years = [int(y) for y in panel.years]
    clean = [y for y in years if y <= last_year]
    if len(clean) >= 2:
        model = fit_feasibility(panel, last_year, window)
        return model, f"learned on {source} (HS{digits}), transition {model.train_windows}, ending by the start window"
    model = fit_feasibility(panel, years[-1], window)
    return model, (f"learned on {source} (HS{digits}), transition {model.train_windows}: it does NOT end by the "
                   f"start window ({last_year}), so the test is across panels but not out of time")


def register(app: typer.Typer) -> None:
    """Attach ``tradecoop backtest`` to the root app."""
    app.command("backtest", no_args_is_help=True)(backtest)
