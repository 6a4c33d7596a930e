"""The briefing pack: a plain-data model of a brief, rendered to self-contained HTML and PDF.

:func:`tradecoop.services.brief.build_brief` computes the parts once and
:func:`tradecoop.reports.sections.assemble_brief` fills the model from them; this package's
:func:`render_html`, :func:`write_html` and :func:`write_pdf` turn it into files. Importing the
package is cheap: Jinja2 and WeasyPrint are imported inside the functions that use them.
"""

from tradecoop.reports.model import (
    OPPORTUNITY_TYPES,
    SECTIONS,
    Brief,
    Figure,
    Opportunity,
    OpportunityGroup,
    Pair,
    Potential,
    ProvenanceItem,
    StructureRow,
    StructureTable,
    Table,
    TurnoverSeries,
)
from tradecoop.reports.render import render_html, write_html, write_pdf

__all__ = [
    "OPPORTUNITY_TYPES",
    "SECTIONS",
    "Brief",
    "Figure",
    "Opportunity",
    "OpportunityGroup",
    "Pair",
    "Potential",
    "ProvenanceItem",
    "StructureRow",
    "StructureTable",
    "Table",
    "TurnoverSeries",
    "render_html",
    "write_html",
    "write_pdf",
]
