"""A hand-built, realistic Brief for the renderer's tests (used by conftest.py and the tests).

ALL NUMBERS BELOW ARE TEST DATA: Belarus-Russia-like orders of magnitude typed by hand for these
tests, not statistics. Nothing here is computed by tradecoop and nothing is read from disk.
"""

from __future__ import annotations

from tradecoop.reports.model import (
    Brief,
    EnterpriseRef,
    Figure,
    Idea,
    Opportunity,
    OpportunityGroup,
    Pair,
    Potential,
    ProvenanceItem,
    ReportedFigure,
    StructureRow,
    StructureTable,
    Table,
    TurnoverSeries,
)

TEST_SOURCE = "TEST DATA (hand-typed)"
PAIR = Pair("BLR", "RUS", "Belarus", "Беларусь", "Russia", "Россия")

YEARS = tuple(range(1998, 2017))
# RUS -> BLR not reported 2000-2008 (the known non-reports of the bundled totals)
MISSING_BA = tuple(2000 <= y <= 2008 for y in YEARS)
EXPORTS_AB = tuple(float(4e9 + 5e8 * i) for i in range(len(YEARS)))
EXPORTS_BA = tuple(None if m else float(6e9 + 7e8 * i) for i, m in enumerate(MISSING_BA))


def _sum(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a + b


def _diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def make_opportunities() -> tuple[OpportunityGroup, ...]:
    # contributions are binary fractions so that their sums are exact by hand:
    # 0.5 + 0.375 - 0.125 = 0.75 ; 0.25 + 0.25 + 0.125 = 0.625
    supply = OpportunityGroup("supply_ab", (
        Opportunity("supply_ab", "8701", "Tractors", "Тракторы", 0.75, 1,
                    {"rca": 0.5, "import_demand": 0.375, "reexport_risk": -0.125},
                    1.25e9, "untapped_potential", False, ("MTZ (Minsk Tractor Works)",)),
        Opportunity("supply_ab", "8433", "Harvesting machinery", "Уборочные машины", 0.625, 2,
                    {"rca": 0.25, "import_demand": 0.25, "market_share": 0.125},
                    4.0e8, "untapped_potential", True),
    ))
    supply_ba = OpportunityGroup("supply_ba", (
        Opportunity("supply_ba", "7208", "Flat-rolled iron or steel, hot-rolled",
                    "Прокат плоский из железа или нелегированной стали, горячекатаный", 0.5, 1,
                    {"rca": 0.375, "import_demand": 0.125}, 3.2e8, "untapped_potential", False,
                    ("Magnitogorsk Iron and Steel Works",)),
    ))
    jv = OpportunityGroup("localisation_jv", (
        Opportunity("localisation_jv", "8704", "Motor vehicles for the transport of goods",
                    "Моторные транспортные средства для перевозки грузов", 0.875, 1,
                    {"third_country_imports": 0.5, "rca": 0.25, "density": 0.125},
                    2.1e9, "third_country_imports", True),
    ))
    chain = OpportunityGroup("value_chain", (
        Opportunity("value_chain", "7210", "Flat-rolled steel, clad, plated or coated",
                    "Прокат плоский, плакированный или с покрытием", 0.5, 1,
                    {"io_link": 0.625, "distance": -0.125}, 5.5e8, "io_weighted_flow", True),
    ))
    joint = OpportunityGroup("joint_entry", (
        Opportunity("joint_entry", "8457", "Machining centres", "Центры обрабатывающие", 1.0, 1,
                    {"pci": 0.5, "density": 0.25, "cog": 0.375, "distance": -0.125},
                    9.9e9, "world_demand", False),
    ))
    coprod = OpportunityGroup("co_production", (), unavailable=(
        "needs product-level bilateral flows with unit values, which the bundled data lack"))
    return (supply, supply_ba, jv, chain, joint, coprod)


def make_ideas() -> tuple[Idea, ...]:
    makers = (EnterpriseRef("Magnitogorsk Iron and Steel Works", "Магнитогорский металлургический комбинат",
                            "RU-CHE", "Magnitogorsk", "maker", "https://mmk.ru", "https://example.org/test-source"),)
    buyers = (EnterpriseRef("Minsk Automobile Plant", "Минский автомобильный завод", "BLR", "Minsk", "buyer",
                            "https://maz.by", "https://example.org/test-source"),)
    return (Idea("registry_link", "7208", "Flat-rolled steel", "Прокат плоский", "RUS", "BLR", makers + buyers,
                 {"en": "test reason", "ru": "тестовое обоснование"},
                 {"en": "test next step", "ru": "тестовый следующий шаг"}, 3.2e8, 2016, "untapped_potential"),)


def make_reported() -> tuple[ReportedFigure, ...]:
    return (ReportedFigure("turnover", 5.0e10, "USD", "2024", ("BLR", "RUS"), "test reporter", "test publisher",
                           "https://example.org/test-figure", "2025-01-01", "TEST DATA"),)


def make_brief(lang: str = "en") -> Brief:
    series = TurnoverSeries(
        years=YEARS, exports_ab=EXPORTS_AB, exports_ba=EXPORTS_BA,
        turnover=tuple(_sum(a, b) for a, b in zip(EXPORTS_AB, EXPORTS_BA, strict=True)),
        balance=tuple(_diff(a, b) for a, b in zip(EXPORTS_AB, EXPORTS_BA, strict=True)),
        missing_ab=(False,) * len(YEARS), missing_ba=MISSING_BA, source=TEST_SOURCE,
    )
    structure = (
        StructureTable("ab", "hs_section", (
            StructureRow("XVI", "Machinery and mechanical appliances; electrical equipment",
                         "Машины, оборудование и механизмы; электротехническое оборудование",
                         3.0e9, 0.3),
            StructureRow("IV", "Prepared foodstuffs", "Готовые пищевые продукты", 2.5e9, 0.25),
            StructureRow("XVII", "Vehicles, aircraft, vessels", "Средства наземного транспорта",
                         2.0e9, 0.2),
        ), False, TEST_SOURCE, 2016),
        StructureTable("ba", "lall", (
            StructureRow("PP", "Primary products", "Сырьевые товары", 6.0e9, 0.6),
            StructureRow("RB", "Resource-based manufactures", "Ресурсоёмкие изделия", 2.0e9, 0.2),
        ), True, TEST_SOURCE, 2016),
    )
    return Brief(
        pair=PAIR, year=2016, lang=lang, generated_at="2026-11-29T09:40:00+00:00",
        headline=(
            Figure("figure.turnover", 2.61e10, "usd", False, TEST_SOURCE, 2016),
            Figure("figure.exports_ab", 1.09e10, "usd", False, TEST_SOURCE, 2016),
            Figure("figure.exports_ba", 1.52e10, "usd", False, TEST_SOURCE, 2016),
            Figure("figure.balance", -4.3e9, "usd", False, TEST_SOURCE, 2016),
            Figure("figure.share_in_a_trade", 0.49, "share", True, TEST_SOURCE, 2016,
                   "test note: estimated from mirror data"),
        ),
        series=series,
        structure=structure,
        indices=(
            Figure("figure.trade_complementarity_ab", 38.5, "index", False, TEST_SOURCE, 2016),
            Figure("figure.export_similarity", 31.25, "index", False, TEST_SOURCE, 2016),
            Figure("figure.grubel_lloyd", 0.27, "ratio", True, TEST_SOURCE, 2016),
        ),
        dependencies=Table(
            ("col.product", "col.importer", "col.supplier_share", "col.alternative_suppliers"),
            (({"en": "2709 Petroleum oils, crude", "ru": "2709 Нефть сырая"}, "BLR", 0.98, 14),
             ({"en": "8701 Tractors", "ru": "8701 Тракторы"}, "RUS", 0.41, 9)),
            ("text", "text", "share", "count"), True, TEST_SOURCE, 2016),
        opportunities=make_opportunities(),
        potential=(
            Potential("ab", 1.09e10, 6.1e9, 5.0e9, 7.4e9, (2012, 2016), "PPML (test)",
                      ("residuals_sum_to_zero", "structural_breaks")),
            Potential("ba", 1.52e10, 1.6e10, 1.3e10, 1.9e10, (2012, 2016), "PPML (test)"),
        ),
        agreements=Table(
            ("col.agreement", "col.type", "col.parties", "col.in_force"),
            (("Treaty on the Creation of a Union State", "union", "BLR; RUS", 2000),
             ("Treaty on the Eurasian Economic Union", "customs union",
              "ARM; BLR; KAZ; KGZ; RUS", 2015)),
            ("text", "text", "text", "text"), False, TEST_SOURCE),
        provenance=(
            ProvenanceItem("bilateral_totals", TEST_SOURCE, "1998-2016", "test licence", False),
            ProvenanceItem("brics_hs6", TEST_SOURCE, "2015-2024", "test licence", True,
                           "test: region split estimated"),
        ),
        notes=("merchandise_only", "a note the catalogue does not know"),
        ideas=make_ideas(), reported=make_reported(), data_year=2016,
    )
