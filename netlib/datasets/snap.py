"""SNAP's networks: email-Eu-core, CollegeMsg, Higgs Twitter and the two Bitcoin trust networks.

Each has its table readers (for :func:`~netlib.datasets.load_frames`) and a graph function; the
interaction logs also become :class:`~netlib.io.CustomerData` through
:func:`~netlib.datasets.load_customer_data`.
"""

from __future__ import annotations

import os

import networkx as nx
import pandas as pd

from netlib.datasets._base import (
    DATASETS,
    _edges_graph,
    _files,
    _read,
    _register,
    _stamp,
    _utc_seconds,
    load_frames,
)
from netlib.errors import ParameterError

__all__ = ["email_eu_core", "college_msg", "higgs_twitter", "bitcoin_otc", "bitcoin_alpha"]


def _email_edges(home):
    (path,) = _files("email-eu-core", home, "email-Eu-core.txt")
    return _read(path, ["source", "target"])


def _email_departments(home):
    (path,) = _files("email-eu-core", home, "email-Eu-core-department-labels.txt")
    return _read(path, ["node", "department"])


def _collegemsg(home):
    (path,) = _files("collegemsg", home, "CollegeMsg.txt")
    df = _read(path, ["source", "target", "timestamp"])
    df["timestamp"] = _utc_seconds(df["timestamp"])
    return df



_HIGGS_KINDS = {"RT": "retweet", "MT": "mention", "RE": "reply"}
_HIGGS_LAYERS = {"retweet": "higgs-retweet_network.edgelist.gz", "reply": "higgs-reply_network.edgelist.gz",
                 "mention": "higgs-mention_network.edgelist.gz"}


def _higgs_activity(home):
    (path,) = _files("higgs-twitter", home, "higgs-activity_time.txt.gz")
    df = _read(path, ["user_a", "user_b", "timestamp", "type"])
    df["timestamp"] = _utc_seconds(df["timestamp"])
    df["type"] = df["type"].astype(pd.CategoricalDtype(list(_HIGGS_KINDS)))
    return df


def _higgs_layer(layer):
    def read(home):
        (path,) = _files("higgs-twitter", home, _HIGGS_LAYERS[layer])
        return _read(path, ["user_a", "user_b", "weight"])
    return read


def _bitcoin(name):
    filename = next(iter(DATASETS[name]["files"]))

    def read(home):
        (path,) = _files(name, home, filename)
        df = _read(path, ["source", "target", "rating", "timestamp"], sep=",")
        df["timestamp"] = _utc_seconds(df["timestamp"])
        return df
    return read




def email_eu_core(*, data_home: str | os.PathLike | None = None) -> nx.DiGraph:
    """The SNAP email-Eu-core network: who emailed whom in a European research institution.

    Returns
    -------
    networkx.DiGraph
        1,005 nodes (integer ids 0..1004, as in the file), 25,571 directed edges including 642
        self-loops; node attribute ``department`` (0..41), the ground truth.

    References
    ----------
    H. Yin, A. R. Benson, J. Leskovec, D. F. Gleich, "Local Higher-order Graph Clustering", KDD 2017.
    J. Leskovec, J. Kleinberg, C. Faloutsos, "Graph Evolution: Densification and Shrinking Diameters",
    ACM TKDD 1(1) (2007).
    """
    frames = load_frames("email-eu-core", data_home=data_home)
    dept = frames["departments"]
    G = nx.DiGraph()
    G.add_nodes_from((n, {"department": d}) for n, d in zip(dept["node"].tolist(), dept["department"].tolist()))
    G.add_edges_from(zip(frames["edges"]["source"].tolist(), frames["edges"]["target"].tolist()))
    return _stamp(G, "email-eu-core", "department")


def college_msg(*, data_home: str | os.PathLike | None = None) -> nx.DiGraph:
    """SNAP CollegeMsg, with the 59,835 timestamped messages aggregated per ordered pair.

    Returns
    -------
    networkx.DiGraph
        1,899 users (integer ids), 20,296 edges with ``count`` (messages sent), ``weight`` (the count as
        a float), ``first_ts`` and ``last_ts`` (UTC ``pandas.Timestamp``). For the message log itself see
        ``load_frames("collegemsg")`` or ``load_customer_data("collegemsg")``.

    References
    ----------
    P. Panzarasa, T. Opsahl, K. M. Carley, JASIST 60(5), 911-932 (2009).
    """
    msgs = load_frames("collegemsg", data_home=data_home)["messages"]
    agg = (msgs.groupby(["source", "target"], sort=True)["timestamp"]
           .agg(count="size", first_ts="min", last_ts="max").reset_index())
    agg["weight"] = agg["count"].astype("float64")
    G = _edges_graph(agg, "source", "target", ["weight", "count", "first_ts", "last_ts"], True)
    return _stamp(G, "collegemsg")


def higgs_twitter(layer: str = "retweet", *, data_home: str | os.PathLike | None = None) -> nx.DiGraph:
    """One layer of SNAP's Higgs Twitter networks, with edges pointing the way information flowed.

    Parameters
    ----------
    layer : {"retweet", "reply", "mention"}

    Returns
    -------
    networkx.DiGraph
        Integer user ids; edge ``weight`` = number of interactions. Edges point from the user whose
        content travelled to the user it reached: for retweets from the retweeted user to the retweeter
        (SNAP's file lists ``retweeter retweeted``, so these edges are **reversed** relative to the file);
        for mentions and replies from the author to the user mentioned or replied to (as in the file).

    References
    ----------
    M. De Domenico, A. Lima, P. Mougel, M. Musolesi, "The Anatomy of a Scientific Rumor", Scientific
    Reports 3, 2980 (2013).
    """
    if layer not in _HIGGS_LAYERS:
        raise ParameterError(f"layer must be one of {list(_HIGGS_LAYERS)}, got {layer!r}")
    df = load_frames("higgs-twitter", layer, data_home=data_home)[layer]
    u, v = ("user_b", "user_a") if layer == "retweet" else ("user_a", "user_b")
    G = _edges_graph(df, u, v, ["weight"], True)
    return _stamp(G, "higgs-twitter", layer=layer)


def _rating_graph(name: str, home) -> nx.DiGraph:
    df = load_frames(name, "ratings", data_home=home)["ratings"]
    return _stamp(_edges_graph(df, "source", "target", ["rating", "timestamp"], True), name)


def bitcoin_otc(*, data_home: str | os.PathLike | None = None) -> nx.DiGraph:
    """SNAP Bitcoin OTC: who rated whom (-10 distrust .. +10 trust) and when.

    Returns
    -------
    networkx.DiGraph
        5,881 users (integer ids), 35,592 edges rater -> rated with ``rating`` (int) and ``timestamp``
        (UTC ``pandas.Timestamp``).

    References
    ----------
    S. Kumar, F. Spezzano, V. S. Subrahmanian, C. Faloutsos, "Edge Weight Prediction in Weighted Signed
    Networks", ICDM 2016.
    """
    return _rating_graph("bitcoin-otc", data_home)


def bitcoin_alpha(*, data_home: str | os.PathLike | None = None) -> nx.DiGraph:
    """SNAP Bitcoin Alpha: 3,783 users, 24,186 signed, timestamped ratings; as :func:`bitcoin_otc`."""
    return _rating_graph("bitcoin-alpha", data_home)



_register("email-eu-core", tables={"edges": _email_edges, "departments": _email_departments}, graph=email_eu_core)
_register("collegemsg", tables={"messages": _collegemsg}, graph=college_msg)
_register("higgs-twitter", tables={"activity": _higgs_activity, **{layer: _higgs_layer(layer) for layer in _HIGGS_LAYERS}},
          graph=higgs_twitter)
_register("bitcoin-otc", tables={"ratings": _bitcoin("bitcoin-otc")}, graph=bitcoin_otc)
_register("bitcoin-alpha", tables={"ratings": _bitcoin("bitcoin-alpha")}, graph=bitcoin_alpha)
