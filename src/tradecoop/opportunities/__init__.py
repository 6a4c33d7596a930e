"""Opportunity engine: ranked, explained cooperation opportunities for a pair of locations.

Public API: :func:`rank_opportunities`, :class:`Opportunity`, :class:`OpportunityRanking`,
:data:`OPPORTUNITY_TYPES`, :func:`preset_weights`, :func:`register_criterion`.
"""

from tradecoop.opportunities.criteria import register_criterion
from tradecoop.opportunities.engine import Opportunity, OpportunityRanking, rank_opportunities
from tradecoop.opportunities.types import OPPORTUNITY_TYPES
from tradecoop.opportunities.weights import DIVERSIFICATION_PRESETS, preset_weights

__all__ = [
    "DIVERSIFICATION_PRESETS",
    "OPPORTUNITY_TYPES",
    "Opportunity",
    "OpportunityRanking",
    "preset_weights",
    "rank_opportunities",
    "register_criterion",
]
