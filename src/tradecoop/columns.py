"""Canonical column and table names: the public contract of every tidy frame.

Units are part of the contract: values are USD (not thousands), quantities are as reported
by the source (BACI: tonnes). Locations are ISO 3166-1 alpha-3 for countries, ISO 3166-2
for regions (``RU-CHE``) and ``WLD`` for the world. Products are zero-padded HS code strings
with the HS vintage recorded in ``hs_vintage`` (``HS12``, ``HS17``, ``HS22``...).
"""

from __future__ import annotations

from typing import Final

# --- keys -------------------------------------------------------------------------------
YEAR: Final = "year"
EXPORTER: Final = "exporter"
IMPORTER: Final = "importer"
LOCATION: Final = "location"
PARTNER: Final = "partner"
PRODUCT: Final = "product"
HS_VINTAGE: Final = "hs_vintage"
FLOW: Final = "flow"  # "X" (export) or "M" (import), for reporter-side sources

# --- measures ---------------------------------------------------------------------------
VALUE: Final = "value"  # generic value column of analysis inputs (complexity, backtest)
VALUE_USD: Final = "value_usd"
QUANTITY: Final = "quantity"

# --- provenance -------------------------------------------------------------------------
SOURCE: Final = "source"
ESTIMATED: Final = "estimated"
REPORTER: Final = "reporter"  # which side reported a flow (raw Comtrade / regional data)
MISSING_REPORT: Final = "missing_report"  # a zero that is a non-report (e.g. RUS->BLR 2000-2008)
SUSPECT_ZERO: Final = "suspect_zero"  # a zero flagged as a likely non-report by a rule

WORLD: Final = "WLD"

# --- canonical tables -------------------------------------------------------------------
#: bilateral flows: one row per (year, exporter, importer, product)
BILATERAL_FLOWS: Final = "bilateral_flows"
BILATERAL_FLOWS_COLUMNS: Final = (
    YEAR, EXPORTER, IMPORTER, PRODUCT, HS_VINTAGE, VALUE_USD, QUANTITY, SOURCE, ESTIMATED,
)
#: reporter-side flows (Comtrade, FCS regional): bilateral flows + which flow and which side reported
REPORTED_FLOWS: Final = "reported_flows"
REPORTED_FLOWS_COLUMNS: Final = (*BILATERAL_FLOWS_COLUMNS, FLOW, REPORTER)
#: exports to the world by location x product
WORLD_EXPORTS: Final = "world_exports"
WORLD_EXPORTS_COLUMNS: Final = (YEAR, EXPORTER, PRODUCT, HS_VINTAGE, VALUE_USD, SOURCE, ESTIMATED)
#: aggregate (all-products) bilateral totals
BILATERAL_TOTALS: Final = "bilateral_totals"
BILATERAL_TOTALS_COLUMNS: Final = (YEAR, EXPORTER, IMPORTER, VALUE_USD, SOURCE, ESTIMATED)
#: gravity covariates per (exporter, importer[, year])
GRAVITY_COVARIATES: Final = "gravity_covariates"
DISTANCE: Final = "dist"  # km, population-weighted where available
DISTANCE_CAPITALS: Final = "distcap"  # km between capitals
LN_DISTANCE: Final = "ln_dist"
CONTIGUITY: Final = "cntg"
COMMON_LANGUAGE: Final = "lang"
COLONY: Final = "clny"
RTA: Final = "rta"
PAIR_ID: Final = "pair_id"  # directional pair identifier of gravity panels (exporter_importer)
TRADE: Final = "trade"  # dependent variable of gravity panels (flows in levels)
GRAVITY_COVARIATES_COLUMNS: Final = (EXPORTER, IMPORTER, DISTANCE, CONTIGUITY, COMMON_LANGUAGE, COLONY)
#: agreements (treaties)
AGREEMENTS: Final = "agreements"
AGREEMENTS_COLUMNS: Final = (
    "agreement_id", "name", "type", "parties", "signed_year", "in_force_year", SOURCE,
)
#: input-output technical coefficients a_rs (input sector r per unit of output of sector s)
IO_COEFFICIENTS: Final = "io_coefficients"
IO_COEFFICIENTS_COLUMNS: Final = (YEAR, LOCATION, "input_sector", "output_sector", "coefficient", SOURCE)

#: population and GDP (bundled population_2017, WDI)
POPULATION_TABLE: Final = "population"
POPULATION: Final = "population"
GDP_USD: Final = "gdp_usd"
