"""The interaction-log datasets as validated :class:`~netlib.io.CustomerData` (string ids, UTC times)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pandas as pd

from netlib.datasets._base import DATASETS, _canonical, load_frames
from netlib.datasets.snap import _HIGGS_KINDS
from netlib.errors import ParameterError

__all__ = ["load_customer_data"]


def _snapshot(name: str, snapshot: Any) -> pd.Timestamp | None:
    undated = DATASETS[name].get("undated")
    if undated is None:
        if snapshot is not None:
            raise ParameterError(f"{name}: every interaction has its own time; snapshot= is not used")
        return None
    if snapshot is None:
        raise ParameterError(f"{name}: {undated}, and CustomerData needs a time on every row; pass "
                             f"snapshot='YYYY-MM-DD', the date to stamp on the undated rows")
    try:
        stamp = pd.Timestamp(snapshot)
    except (ValueError, TypeError) as exc:
        raise ParameterError(f"snapshot must be a date or time, got {snapshot!r}") from exc
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _interactions(source, target, timestamp, kind: str, **extra) -> pd.DataFrame:
    df = pd.DataFrame({"source": source, "target": target, "timestamp": timestamp, "kind": kind})
    for col, values in extra.items():
        df[col] = values
    return df


def _cd_email(home, when):
    f = load_frames("email-eu-core", data_home=home)
    e, dept = f["edges"], f["departments"]
    return {"customers": pd.DataFrame({"customer_id": dept["node"], "department": dept["department"]}),
            "interactions": _interactions(e["source"], e["target"], when, "email")}


def _cd_collegemsg(home, when):
    m = load_frames("collegemsg", data_home=home)["messages"]
    return {"interactions": _interactions(m["source"], m["target"], m["timestamp"], "message")}


def _cd_higgs(home, when):
    a = load_frames("higgs-twitter", "activity", data_home=home)["activity"]
    rt = (a["type"] == "RT").to_numpy()
    return {"interactions": _interactions(
        a["user_a"].where(~rt, a["user_b"]), a["user_b"].where(~rt, a["user_a"]), a["timestamp"],
        "", channel="twitter").assign(kind=a["type"].map(_HIGGS_KINDS).astype("str"))}


def _cd_bitcoin(name):
    def build(home, when):
        r = load_frames(name, "ratings", data_home=home)["ratings"]
        return {"interactions": _interactions(r["source"], r["target"], r["timestamp"], "rating",
                                              rating=r["rating"])}
    return build


def _cd_ciaodvd(home, when):
    f = load_frames("ciaodvd", data_home=home)
    t, r = f["trust"], f["ratings"]
    events = pd.DataFrame({"customer_id": r["user"], "timestamp": r["date"], "event_type": "review",
                           "item_id": r["movie"], "rating": r["rating"], "genre": r["genre"],
                           "review_id": r["review"]})
    return {"interactions": _interactions(t["trustor"], t["trustee"], when, "trust"), "events": events}


def _cd_filmtrust(home, when):
    f = load_frames("filmtrust", data_home=home)
    t, r = f["trust"], f["ratings"]
    events = pd.DataFrame({"customer_id": r["user"], "timestamp": when, "event_type": "rate",
                           "item_id": r["item"], "rating": r["rating"]})
    return {"interactions": _interactions(t["trustor"], t["trustee"], when, "trust"), "events": events}


_CUSTOMER_DATA: dict[str, Callable[[Any, Any], dict[str, pd.DataFrame]]] = {
    "email-eu-core": _cd_email,
    "collegemsg": _cd_collegemsg,
    "higgs-twitter": _cd_higgs,
    "bitcoin-otc": _cd_bitcoin("bitcoin-otc"),
    "bitcoin-alpha": _cd_bitcoin("bitcoin-alpha"),
    "ciaodvd": _cd_ciaodvd,
    "filmtrust": _cd_filmtrust,
}


def load_customer_data(name: str, *, snapshot: Any = None, data_home: str | os.PathLike | None = None):
    """An interaction-log dataset as validated :class:`~netlib.io.CustomerData` (string ids, UTC times).

    ============= ============================================================================================
    dataset       interactions (``source`` -> ``target``) and events
    ============= ============================================================================================
    collegemsg    each message, ``kind="message"``
    higgs-twitter each retweet, mention and reply (``kind``), ``channel="twitter"``, pointing the way
                  information flowed: **retweeted user -> retweeter** (the reverse of SNAP's columns),
                  author -> mentioned or replied-to user
    bitcoin-otc,  each rating, rater -> rated, ``kind="rating"``, with the signed ``rating`` (-10..10) kept
    bitcoin-alpha as an extra column (``weight`` stays 1: netlib weights are non-negative)
    email-eu-core each sender -> recipient pair, ``kind="email"``; customers carry ``department``; needs
                  ``snapshot`` (the file has no times)
    ciaodvd       trust statements trustor -> trustee, ``kind="trust"``, stamped ``snapshot``; the dated
                  movie ratings become events ``event_type="review"`` (each is part of a written review)
                  with ``item_id`` = movie, ``rating``, ``genre``, ``review_id``
    filmtrust     trust statements as for ciaodvd; ratings become events ``event_type="rate"`` with
                  ``item_id`` and ``rating``; both stamped ``snapshot`` (the files have no times)
    ============= ============================================================================================

    Parameters
    ----------
    name : str
    snapshot : str or pandas.Timestamp, optional
        Required exactly for the datasets whose rows carry no time (email-eu-core, ciaodvd trust,
        filmtrust): the time stamped on those rows, say the date the data were collected. netlib invents
        no times; the error message says what is known about the collection date.
    data_home : str or path-like, optional

    Returns
    -------
    CustomerData
        Via :func:`netlib.read_data`, so ``.report`` accounts for every row.

    Raises
    ------
    ParameterError
        An unknown name, a graph-only dataset, or ``snapshot`` missing where needed (or given where not).
    DatasetNotFoundError
        A file is missing.
    """
    from netlib.io import read_data

    key = _canonical(name)
    if key not in _CUSTOMER_DATA:
        raise ParameterError(f"{key} is not an interaction log; use load_graph({key!r}) (logs: "
                             f"{sorted(_CUSTOMER_DATA)})")
    when = _snapshot(key, snapshot)
    return read_data(_CUSTOMER_DATA[key](data_home, when))
