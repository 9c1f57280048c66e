"""Influencers and influence maximisation.

Two questions an analyst asks: "who is influential here, and why?" (:func:`influencers`, a ranked
table with its evidence) and "which k customers should we seed so an idea reaches the most people?"
(:func:`maximize_influence`, with a (1 − 1/e − ε) approximation guarantee by default). Models, the
pass-on probability and seeding come from the shared spread engine ``netlib._spread``.

Modules: ``maximize`` (:func:`maximize_influence`, :class:`InfluenceResult`), ``ranking``
(:func:`influencers`), ``_ris`` (reverse influence sampling: IMM, OPIM-C, HIST), ``_heuristics``
(CELF, degree discount, top degree). The compiled kernels (``netlib._kernels``,
``netlib._ris_kernels``) load on first use.
"""

from __future__ import annotations

from netlib.influence._ris import RRCollection as _RRCollection, imm as _imm, opim_hist as _opim_hist
from netlib.influence.maximize import DEFAULT_METHOD, METHODS, InfluenceResult, maximize_influence
from netlib.influence.ranking import influencers

__all__ = ["InfluenceResult", "maximize_influence", "influencers", "METHODS", "DEFAULT_METHOD"]
