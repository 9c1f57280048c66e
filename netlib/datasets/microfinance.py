"""The household networks of the Karnataka villages where microfinance spread (Banerjee et al. 2013)."""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable

import networkx as nx
import pandas as pd

from netlib.datasets._base import _files, _read, _register, _stamp, load_frames
from netlib.errors import DataError

__all__ = ["microfinance"]


def _microfi_households(home):
    (path,) = _files("microfinance", home, "microfi_households.csv")
    try:
        return pd.read_csv(path, engine="pyarrow")
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise DataError(f"{path}: cannot read the household table: {exc}") from exc


def _microfi_edges(home):
    (path,) = _files("microfinance", home, "microfi_edges.txt.gz")
    return _read(path, ["hh1", "hh2"], sep=r"\s+", fast=False)


def microfinance(*, village: int | Iterable[int] | None = None,
                 data_home: str | os.PathLike | None = None) -> nx.Graph:
    """Household networks of the Karnataka villages of Banerjee et al. (2013), with seeds and adoption.

    Parameters
    ----------
    village : int or list of int, optional
        Keep only these villages (1..77 numbering of the study; 38 are present).

    Returns
    -------
    networkx.Graph
        One node per household (integer ``hh`` = village * 1000 + index) with the household table's
        columns as attributes: ``loan`` (1 = took up microfinance), ``leader`` (1 = informed first by the
        lender, the seed), ``village``, ``religion``, ``roof``, ``rooms``, ``beds``, ``electricity``,
        ``ownership``. Households without ties are kept as isolated nodes. Edges naming a household absent
        from the table (9 ids in this extract) are dropped; ``G.graph["unknown_households"]`` lists them.

    References
    ----------
    A. Banerjee, A. G. Chandrasekhar, E. Duflo, M. O. Jackson, "The Diffusion of Microfinance",
    Science 341(6144) (2013).
    """
    frames = load_frames("microfinance", data_home=data_home)
    hh, edges = frames["households"], frames["edges"]
    if village is not None:
        keep = [int(village)] if isinstance(village, numbers.Integral) else [int(v) for v in village]
        hh = hh[hh["village"].isin(keep)]
    known = set(hh["hh"].tolist())
    mask = edges["hh1"].isin(known) & edges["hh2"].isin(known)
    all_known = set(frames["households"]["hh"].tolist())
    unknown = sorted(set(edges["hh1"]).union(edges["hh2"]) - all_known)
    G = nx.Graph()
    attrs = [c for c in hh.columns if c != "hh"]
    G.add_nodes_from((row[0], dict(zip(attrs, row[1:]))) for row in
                     zip(hh["hh"].tolist(), *(hh[c].tolist() for c in attrs)))
    G.add_edges_from(zip(edges.loc[mask, "hh1"].tolist(), edges.loc[mask, "hh2"].tolist()))
    G.graph["unknown_households"] = unknown
    return _stamp(G, "microfinance", village=village)



_register("microfinance", tables={"households": _microfi_households, "edges": _microfi_edges}, graph=microfinance)
