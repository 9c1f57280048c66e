"""Consumer trust networks from Guo et al.: CiaoDVD (trust and dated movie ratings) and FilmTrust."""

from __future__ import annotations

import os

import networkx as nx
import pandas as pd

from netlib.datasets._base import _edges_graph, _files, _read, _register, _stamp, load_frames

__all__ = ["ciaodvd", "filmtrust"]


def _ciao_trust(home):
    (path,) = _files("ciaodvd", home, "trusts.txt.gz")
    return _read(path, ["trustor", "trustee", "value"], sep=",")


def _ciao_ratings(home):
    (path,) = _files("ciaodvd", home, "movie-ratings.txt.gz")
    df = _read(path, ["user", "movie", "genre", "review", "rating", "date"], sep=",")
    df["date"] = pd.to_datetime(df["date"], format="%Y-%m-%d", utc=True).astype("datetime64[ns, UTC]")
    return df


def _filmtrust_trust(home):
    (path,) = _files("filmtrust", home, "trust.txt")
    return _read(path, ["trustor", "trustee", "value"])


def _filmtrust_ratings(home):
    (path,) = _files("filmtrust", home, "ratings.txt")
    df = _read(path, ["user", "item", "rating"])
    df["rating"] = df["rating"].astype("float64")
    return df



def ciaodvd(*, data_home: str | os.PathLike | None = None) -> nx.DiGraph:
    """The CiaoDVD trust network: 4,658 reviewers, 40,133 directed trust statements (trustor -> trustee).

    Integer ids. The dated movie ratings are in ``load_frames("ciaodvd", "ratings")``.

    References
    ----------
    G. Guo, J. Zhang, D. Thalmann, N. Yorke-Smith, "ETAF: An Extended Trust Antecedents Framework for Trust
    Prediction", ASONAM 2014.
    """
    df = load_frames("ciaodvd", "trust", data_home=data_home)["trust"]
    return _stamp(_edges_graph(df, "trustor", "trustee", None, True), "ciaodvd")


def filmtrust(*, data_home: str | os.PathLike | None = None) -> nx.DiGraph:
    """The FilmTrust trust network: 861 users, 1,806 directed trust statements in the shipped copy.

    Integer ids. Ratings are in ``load_frames("filmtrust", "ratings")``.

    References
    ----------
    G. Guo, J. Zhang, N. Yorke-Smith, "A Novel Bayesian Similarity Measure for Recommender Systems",
    IJCAI 2013.
    """
    df = load_frames("filmtrust", "trust", data_home=data_home)["trust"]
    return _stamp(_edges_graph(df, "trustor", "trustee", None, True), "filmtrust")



_register("ciaodvd", tables={"trust": _ciao_trust, "ratings": _ciao_ratings}, graph=ciaodvd)
_register("filmtrust", tables={"trust": _filmtrust_trust, "ratings": _filmtrust_ratings}, graph=filmtrust)
