"""netlib_cases.communities: the community benchmark against the best known modularity and the ground
truth of karate, football and email-Eu-core (skipped without the datasets)."""

from __future__ import annotations

import networkx as nx
import pytest

from netlib_cases import BEST_KNOWN_MODULARITY, community_benchmark


def test_community_benchmark_against_known_values(datasets_dir):
    from netlib.datasets import email_eu_core, football, ground_truth, karate_club

    K, F, E = karate_club(), football(data_home=datasets_dir), email_eu_core(data_home=datasets_dir)
    Eu = nx.Graph(E.to_undirected())
    Eu.remove_edges_from(list(nx.selfloop_edges(Eu)))
    nets = {"karate": (K, ground_truth(K)), "football": (F, ground_truth(F)), "email-Eu-core": (Eu, ground_truth(E))}
    b = community_benchmark(nets, methods=("leiden",), seed=42)
    assert b.loc[("karate", "leiden"), "modularity"] == pytest.approx(BEST_KNOWN_MODULARITY["karate"]["modularity"], abs=1e-9)
    assert b.loc[("football", "leiden"), "modularity"] == pytest.approx(0.6046, abs=2e-4)
    # modularity of the real groups: REFERENCE_VALUES.md [C] values
    assert b.loc[("karate", "ground truth"), "modularity"] == pytest.approx(0.3582, abs=1e-4)
    assert b.loc[("football", "ground truth"), "modularity"] == pytest.approx(0.5540, abs=1e-4)
    assert b.loc[("email-Eu-core", "ground truth"), "modularity"] == pytest.approx(0.2880, abs=1e-4)
    assert b.loc[("email-Eu-core", "ground truth"), "communities"] == 42
    # agreement with the truth for seed 42 (tolerance for library versions)
    assert b.loc[("football", "leiden"), "nmi"] == pytest.approx(0.890, abs=0.02)
    assert b.loc[("email-Eu-core", "leiden"), "nmi"] == pytest.approx(0.587, abs=0.03)
    assert b.loc[("karate", "leiden"), "nmi"] == pytest.approx(0.588, abs=0.02)
