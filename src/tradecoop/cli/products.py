"""CLI commands for the `products` feature: find HS codes and describe one code."""

from __future__ import annotations

from typing import Annotated

import typer

from tradecoop.cli.common import FormatOpt, OutOpt, OutputFormat, emit

products_app = typer.Typer(
    help=(
        "HS product codes: search by words in English or Russian, and show one code with its "
        "names, section, ISIC/NACE division, BEC end use and Lall technology class.\n\n"
        "Example: [bold]tradecoop products search трактор[/bold]"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
)


@products_app.command("search")
def search(
    text: Annotated[str, typer.Argument(help="Words (English or Russian) or a code prefix.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most rows to show.")] = 20,
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
) -> None:
    """Find HS codes whose English or Russian name contains the words (any word form).

    Every word must start a word of the name ('tractor', 'tractors', 'трактор', 'тракторы' all find 8701); headings come before subheadings. A code prefix ('8701', '87.01') lists the code and its subheadings. Misspellings are tried only when nothing matches ([italic]match = fuzzy[/italic]). Russian names exist for chapters and most headings (TN VED EAEU); ru_fallback = True means the English text is shown instead.

    Examples:

        tradecoop products search tractor

        tradecoop products search "калийные удобрения" --format json

        tradecoop products search 8701 --limit 5 --format csv --out tractors.csv
    """
    from tradecoop.data.nomenclature.hs import search_products

    result = search_products(text, limit=limit)
    if result.empty and fmt is OutputFormat.table and out is None:
        typer.echo(f"no HS code matches {text!r}", err=True)
        return
    emit(result, fmt, out, title=f"HS codes matching {text!r}")


@products_app.command("show")
def show(
    code: Annotated[str, typer.Argument(help="HS code: 2, 4 or 6 digits, or a section (XVII).")],
    vintage: Annotated[
        str, typer.Option("--vintage", help="HS vintage of the code: HS92 ... HS17, HS22.")
    ] = "HS22",
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
) -> None:
    """Show one HS code: English and Russian names, HS section, ISIC Rev.4 (= NACE Rev.2) division, BEC end-use class (capital / intermediate / consumption) and Lall (2000) technology class. Where a code maps to several divisions or BEC categories, the primary one is shown with all shares listed (equal split over the concordance links).

    Examples:

        tradecoop products show 8701

        tradecoop products show 870190 --vintage HS12 --format json
    """
    from tradecoop.data.nomenclature.concordances import describe_product

    result = describe_product(code, vintage)
    if fmt is OutputFormat.json:
        emit(result, fmt, out)
        return
    rows = [{"field": k, "value": "-" if v is None else str(v)} for k, v in result.items()]
    emit(rows, fmt, out, title=f"HS {result['code']}")


def register(app: typer.Typer) -> None:
    """Attach ``tradecoop products search|show`` to the root app."""
    app.add_typer(products_app, name="products")
