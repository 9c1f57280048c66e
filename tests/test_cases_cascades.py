"""netlib_cases.cascades: the largest-broadcast share and Goel et al.'s checks on hand-made cascades, and
the case study's key numbers on Twitter16 and Higgs (skipped without the datasets)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netlib.errors import ParameterError
from netlib_cases import broadcast_share, compare_groups, higgs_cascades, twitter16_cascades, virality_check


def test_broadcast_share_star_and_path():
    star = pd.DataFrame({"item_id": "s", "customer": list("abcde"), "parent": [None, "a", "a", "a", "a"], "root": "a"})
    path = pd.DataFrame({"item_id": "p", "customer": list("vwxyz"), "parent": [None, "v", "w", "x", "y"], "root": "v"})
    out = broadcast_share(pd.concat([star, path])).set_index("item_id")
    assert out.loc["s", "broadcast_share"] == 1.0 and out.loc["s", "largest_broadcast"] == 4
    assert out.loc["p", "broadcast_share"] == pytest.approx(0.25)
    with pytest.raises(ParameterError, match="root"):
        broadcast_share(star.drop(columns="root"))


def test_virality_check_on_stars_and_paths():
    sizes = np.arange(100, 140)
    stars = pd.DataFrame({"size": sizes, "structural_virality": 2 * (sizes - 1) / sizes, "depth": 1,
                          "broadcast_share": 1.0})
    small = pd.DataFrame({"size": [5], "structural_virality": [2.0], "depth": [4], "broadcast_share": [0.25]})
    check = virality_check(pd.concat([stars, small]), min_size=100)
    assert check["large"] == 40
    assert check["spearman_size_sv"] == pytest.approx(1.0)   # star virality rises with size
    assert check["share_broadcast_majority"] == 1.0
    assert check["depth_median"] == 1
    with pytest.raises(ParameterError, match="broadcast_share"):
        virality_check(stars.drop(columns="broadcast_share"))


@pytest.mark.slow
def test_twitter16_cascades_and_goel(datasets_dir):
    _, m = twitter16_cascades(datasets_dir)
    assert len(m) == 818 and m["size"].sum() == 347828
    assert m.attrs["report"]["self_loops"] == 953 and m.attrs["report"]["duplicate_lines"] == 10046
    assert m["label"].value_counts().to_dict() == {"true": 207, "false": 205, "non-rumor": 205, "unverified": 201}
    c = virality_check(m)
    assert c["large"] == 792
    assert c["sv_median"] == pytest.approx(2.400, abs=0.005)
    assert c["spearman_size_sv"] == pytest.approx(0.167, abs=0.01)   # weak, as Goel et al. report
    assert c["broadcast_share_median"] == pytest.approx(0.822, abs=0.005)
    g = compare_groups(m, "rumour", ["size"])
    assert g.loc["size", "False"] == 479 and g.loc["size", "True"] == 201 and g.loc["size", "p"] < 1e-20


def test_higgs_first_three_days(datasets_dir):
    cascades, m = higgs_cascades(datasets_dir, hours=72)
    assert len(cascades) == 27708 and len(m) == 3788 and m["size"].max() == 1218
    c = virality_check(m, min_size=50)
    assert c["large"] == 76
    assert c["sv_median"] == pytest.approx(2.015, abs=0.005)
    assert c["share_broadcast_majority"] == pytest.approx(0.974, abs=0.005)
