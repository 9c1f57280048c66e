"""The dataset registry and the shared readers: names, the data home, tables and graphs by name. Private.

:data:`DATASETS` is read once from ``registry.toml`` beside this file; every module of the package
shares that one dict. The dataset families (``classic``, ``snap``, ``gml``, ``trust``, ``twitter16``,
``microfinance``) register their table readers and graph builders here with :func:`_register`, so
:func:`load_frames` and :func:`load_graph` dispatch by name.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from importlib.resources import files as _resource
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from netlib._util import provenance
from netlib.errors import DataError, DatasetMissing, DatasetNotFoundError, ParameterError

__all__ = ["DATASETS", "data_home", "list_datasets", "load_frames", "load_graph", "ground_truth"]


def _load_registry() -> dict[str, dict[str, Any]]:
    """``registry.toml`` as plain dicts, with the keys TOML cannot hold as None filled in."""
    with _resource("netlib.datasets").joinpath("registry.toml").open("rb") as handle:
        registry = tomllib.load(handle)
    for entry in registry.values():
        entry.setdefault("folder", None)  # the graphs networkx ships live in no folder
        entry.setdefault("files", {})
        for spec in entry["files"].values():
            spec.setdefault("sha256", None)  # the original's digest is not known (the note says why)
    return registry


#: Every dataset netlib knows: name -> folder, files (each with its original URL and, where known, the
#: sha256 of the file as stored), citation and licence note. Read from ``registry.toml`` (whose header
#: describes the fields); one dict shared by the readers and :func:`~netlib.datasets.fetch`.
DATASETS: dict[str, dict[str, Any]] = _load_registry()

_ALIASES = {
    "karate": "karate-club",
    "les-mis": "les-miserables",
    "lesmis": "les-miserables",
    "florentine": "florentine-families",
    "davis": "davis-southern-women",
    "email": "email-eu-core",
    "college-msg": "collegemsg",
    "higgs": "higgs-twitter",
    "twitter16-propagation-trees": "twitter16",
    "microfinance-india-villages": "microfinance",
}

#: name -> {table: reader(data_home) -> DataFrame}; filled by the family modules.
_TABLES: dict[str, dict[str, Callable[[Any], pd.DataFrame]]] = {}
#: name -> graph builder (keyword ``data_home`` unless the graph ships with networkx); filled likewise.
_GRAPHS: dict[str, Callable[..., nx.Graph]] = {}


def _register(name: str, *, tables: dict[str, Callable[[Any], pd.DataFrame]] | None = None,
              graph: Callable[..., nx.Graph] | None = None) -> None:
    """Make a family's readers reachable by dataset name (called once, when the family is imported)."""
    if name not in DATASETS:
        raise DataError(f"{name!r} is not in registry.toml")
    if tables:
        _TABLES[name] = tables
    if graph is not None:
        _GRAPHS[name] = graph


# --------------------------------------------------------------------------------------------------
# Names and places
# --------------------------------------------------------------------------------------------------


def _canonical(name: str) -> str:
    if not isinstance(name, str):
        raise ParameterError(f"dataset name must be a string, got {type(name).__name__}")
    key = re.sub(r"[\s_]+", "-", name.strip().lower())
    key = _ALIASES.get(key, key)
    if key not in DATASETS:
        raise ParameterError(f"unknown dataset {name!r}; known: {sorted(DATASETS)}")
    return key


def _home_and_origin(path: str | os.PathLike | None) -> tuple[Path, str]:
    if path is not None:
        return Path(path).expanduser(), "the data_home argument"
    env = os.environ.get("NETLIB_DATA_HOME")
    if env:
        return Path(env).expanduser(), "NETLIB_DATA_HOME"
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join("~", ".cache")
    return Path(cache).expanduser() / "netlib", "the default cache folder"


def _folder_of(need: str) -> tuple[str, str]:
    """``(folder, dataset name)`` for a needed dataset given by folder name, name or alias."""
    for key, entry in DATASETS.items():
        if entry["folder"] is not None and entry["folder"] == need:
            return need, key
    key = _canonical(need)
    if DATASETS[key]["folder"] is None:
        raise ParameterError(f"{key} ships with networkx; it needs no folder")
    return DATASETS[key]["folder"], key


def data_home(path: str | os.PathLike | None = None, *, needs: Sequence[str] = ()) -> Path:
    """The folder holding the public datasets, one sub-folder per dataset.

    Parameters
    ----------
    path : str or path-like, optional
        Use this folder. When omitted: the ``NETLIB_DATA_HOME`` environment variable, else
        ``$XDG_CACHE_HOME/netlib``, else ``~/.cache/netlib``.
    needs : sequence of str
        Datasets that must be present, by folder (``"email-Eu-core"``) or dataset name
        (``"email-eu-core"``, ``"karate"``...): each one's folder must exist in the data home.
        A notebook names what it reads here, so it stops at once with a message saying where to
        get the files.

    Returns
    -------
    pathlib.Path
        The folder (not created here; :func:`~netlib.datasets.fetch` creates it when it downloads).

    Raises
    ------
    DatasetMissing
        Some of ``needs`` are absent (or the folder itself is); the message names the folder looked
        in, where its path came from, and for each missing dataset the ``fetch`` call and the
        original page.
    ParameterError
        A name in ``needs`` is neither a dataset nor a dataset folder.

    Examples
    --------
    >>> import netlib as nl
    >>> nl.datasets.data_home("/tmp/my-data").as_posix()
    '/tmp/my-data'
    >>> nl.datasets.data_home("/nowhere", needs=["football"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netlib.errors.DatasetMissing: Looked in /nowhere (from the data_home argument); missing: football. ...
    """
    home, origin = _home_and_origin(path)
    if isinstance(needs, str):
        needs = [needs]
    wanted = [_folder_of(need) for need in needs]
    missing = [(folder, key) for folder, key in wanted if not (home / folder).is_dir()]
    if missing:
        where = "; ".join(f"{folder}: netlib.datasets.fetch({key!r}) or {DATASETS[key]['page']}"
                          for folder, key in missing)
        raise DatasetMissing(
            f"Looked in {home} (from {origin}); missing: {', '.join(f for f, _ in missing)}. Get the files "
            f"({where}), then pass the folder holding them (a notebook's data_dir parameter) or set "
            f"NETLIB_DATA_HOME to it.")
    return home


def _files(name: str, data_home: str | os.PathLike | None, *filenames: str) -> list[Path]:
    """Paths of ``filenames`` of dataset ``name``; DatasetNotFoundError naming what is missing and where to get it."""
    entry = DATASETS[name]
    home, origin = _home_and_origin(data_home)
    folder = home / entry["folder"]
    out = []
    for filename in filenames:
        path = folder / filename
        if not path.is_file():
            where = (f"folder {entry['folder']!r} not found in {home}" if not folder.is_dir()
                     else f"file {filename!r} not found in {folder}")
            url = entry["files"][filename]["url"]
            raise DatasetNotFoundError(
                f"{name}: {where} (data home from {origin}). Download it from {url} with "
                f"netlib.datasets.fetch({name!r}), or copy the {entry['folder']!r} folder into {home} "
                f"(or point NETLIB_DATA_HOME at a folder holding it)."
            )
        out.append(path)
    return out


def list_datasets(*, data_home: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every dataset netlib knows, with its origin, citation, licence and whether it is on this machine.

    Parameters
    ----------
    data_home : str or path-like, optional
        Where to look for the files (see :func:`data_home`).

    Returns
    -------
    pandas.DataFrame
        Indexed by dataset name; columns ``title``, ``kind`` (classic, graph, log, trees), ``folder``,
        ``present`` (all files found in the data home; always True for the graphs networkx ships),
        ``page``, ``citation``, ``license``.

    Examples
    --------
    >>> import netlib as nl
    >>> df = nl.datasets.list_datasets(data_home="/nowhere")
    >>> df.loc[["karate-club", "football"], ["kind", "present"]]  # doctest: +NORMALIZE_WHITESPACE
                    kind  present
    name
    karate-club  classic     True
    football       graph    False
    >>> df.loc["football", "folder"], df.loc["football", "page"]
    ('football', 'http://www-personal.umich.edu/~mejn/netdata/')
    """
    home = _home_and_origin(data_home)[0]
    rows = []
    for name, entry in DATASETS.items():
        folder = entry["folder"]
        present = folder is None or all((home / folder / f).is_file() for f in entry["files"])
        rows.append({"name": name, "title": entry["title"], "kind": entry["kind"], "folder": folder,
                     "present": present, "page": entry["page"], "citation": entry["citation"],
                     "license": entry["license"]})
    return pd.DataFrame(rows).set_index("name")


# --------------------------------------------------------------------------------------------------
# Helpers the families share
# --------------------------------------------------------------------------------------------------


def _stamp(G: nx.Graph, name: str, ground: str | None = None, **params: Any) -> nx.Graph:
    entry = DATASETS[name]
    G.graph.update({"name": entry["title"], "dataset": name, "citation": entry["citation"],
                    "provenance": provenance("datasets.load_graph", name=name, **params)})
    if ground is not None:
        G.graph["ground_truth"] = ground
    return G


def _read(path: Path, names: list[str], *, sep: str = " ", fast: bool = True) -> pd.DataFrame:
    """A headerless delimited file (plain or .gz) as a DataFrame; pyarrow's parser where it applies."""
    try:
        if fast:
            return pd.read_csv(path, sep=sep, header=None, names=names, engine="pyarrow")
        return pd.read_csv(path, sep=sep, header=None, names=names)
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        if fast and not isinstance(exc, OSError):
            return _read(path, names, sep=sep, fast=False)
        raise DataError(f"{path}: cannot read as {len(names)} columns {names}: {exc}") from exc


def _utc_seconds(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, unit="s", utc=True).astype("datetime64[ns, UTC]")


def _edges_graph(df: pd.DataFrame, u: str, v: str, attrs: list[str] | None, directed: bool) -> nx.Graph:
    G = nx.DiGraph() if directed else nx.Graph()
    if attrs:
        cols = [df[c].tolist() for c in attrs]
        G.add_edges_from((a, b, dict(zip(attrs, vals))) for a, b, *vals in zip(df[u].tolist(), df[v].tolist(), *cols))
    else:
        G.add_edges_from(zip(df[u].tolist(), df[v].tolist()))
    return G


# --------------------------------------------------------------------------------------------------
# By name
# --------------------------------------------------------------------------------------------------


def load_frames(name: str, tables: str | Iterable[str] | None = None, *,
                data_home: str | os.PathLike | None = None) -> dict[str, pd.DataFrame]:
    """Read a dataset's files into DataFrames, one per table, as the files hold them.

    Parameters
    ----------
    name : str
        Dataset name (see :data:`DATASETS`).
    tables : str or list of str, optional
        Which tables to read; all by default. Tables per dataset:

        ============= ==========================================================================
        email-eu-core ``edges`` (source, target), ``departments`` (node, department)
        collegemsg    ``messages`` (source, target, timestamp)
        football      ``nodes`` (id, label, conference), ``edges`` (u, v), ``evans_nodes``
        dolphins      ``nodes`` (id, label), ``edges``
        polbooks      ``nodes`` (id, label, leaning), ``edges``
        higgs-twitter ``activity`` (user_a, user_b, timestamp, type RT/MT/RE), ``retweet``,
                      ``reply``, ``mention`` (user_a, user_b, weight)
        twitter16     ``trees`` (one row per tree line, see :func:`twitter16_trees`), ``labels``
        bitcoin-otc   ``ratings`` (source, target, rating -10..10, timestamp); same for bitcoin-alpha
        ciaodvd       ``trust`` (trustor, trustee, value), ``ratings`` (user, movie, genre, review,
                      rating, date)
        filmtrust     ``trust`` (trustor, trustee, value), ``ratings`` (user, item, rating)
        microfinance  ``households`` (loan, hh, village, ..., leader), ``edges`` (hh1, hh2; both
                      directions listed)
        ============= ==========================================================================

    data_home : str or path-like, optional
        See :func:`data_home`.

    Returns
    -------
    dict of str to pandas.DataFrame
        Integer ids stay integers (Twitter16 ids, which include ``"ROOT"``, are strings); times are
        ``datetime64[ns, UTC]``.

    Raises
    ------
    DatasetNotFoundError
        A file is missing; the message names the folder, the file and where to get it.
    ParameterError
        An unknown dataset or table, or a graph that ships with networkx (it has no files).
    """
    key = _canonical(name)
    if key not in _TABLES:
        raise ParameterError(f"{key} ships with networkx and has no files; use load_graph({key!r})")
    available = _TABLES[key]
    wanted = list(available) if tables is None else [tables] if isinstance(tables, str) else list(tables)
    unknown = [t for t in wanted if t not in available]
    if unknown:
        raise ParameterError(f"{key}: unknown tables {unknown}; available: {list(available)}")
    return {t: available[t](data_home) for t in wanted}


def load_graph(name: str, *, data_home: str | os.PathLike | None = None, **kwargs: Any) -> nx.Graph:
    """A dataset as a networkx graph, by name; the named functions (:func:`football`, ...) document each.

    Parameters
    ----------
    name : str
        A name from :data:`DATASETS` (aliases such as ``"karate"`` work too).
    data_home : str or path-like, optional
        See :func:`data_home`; ignored for the graphs networkx ships.
    **kwargs
        Passed to the dataset's function (``labels=`` for football, ``layer=`` for higgs-twitter,
        ``village=`` for microfinance).

    Returns
    -------
    networkx.Graph or networkx.DiGraph
        Node ids as in the files (integers where the files have integers); ground-truth labels as node
        attributes, named in ``G.graph["ground_truth"]``; citation and provenance in ``G.graph``.

    Raises
    ------
    ParameterError
        An unknown name, or Twitter16 (a set of trees, not one graph).
    DatasetNotFoundError
        A file is missing.

    Examples
    --------
    >>> import netlib as nl
    >>> G = nl.datasets.load_graph("karate")
    >>> G.graph["ground_truth"], G.number_of_nodes()
    ('club', 34)
    """
    key = _canonical(name)
    if key not in _GRAPHS:
        raise ParameterError(f"{key} is a set of propagation trees, not one graph; use twitter16_trees()")
    if DATASETS[key]["folder"] is None:
        return _GRAPHS[key](**kwargs)
    return _GRAPHS[key](data_home=data_home, **kwargs)


def ground_truth(G: nx.Graph, *, attribute: str | None = None) -> pd.Series:
    """The ground-truth partition stored on a graph's nodes, as community ids 0..k-1 by decreasing size.

    Parameters
    ----------
    G : networkx.Graph
        A graph from this module (or any graph whose nodes carry a label attribute).
    attribute : str, optional
        The node attribute holding the labels; by default ``G.graph["ground_truth"]``.

    Returns
    -------
    pandas.Series
        Indexed by node (index name ``"customer_id"``, nodes in sorted order), named after the attribute;
        ties in size are ordered by label. ``s.attrs["labels"]`` maps each id back to the original label.

    Raises
    ------
    ParameterError
        The graph names no ground truth, or some nodes lack the attribute.

    Examples
    --------
    >>> import netlib as nl
    >>> s = nl.datasets.ground_truth(nl.datasets.karate_club())
    >>> s.attrs["labels"], s.value_counts().to_dict()
    ({0: 'Mr. Hi', 1: 'Officer'}, {0: 17, 1: 17})
    """
    from netlib._csr import node_order

    attr = attribute or G.graph.get("ground_truth")
    if attr is None:
        raise ParameterError("this graph names no ground truth (G.graph['ground_truth']); pass attribute=")
    nodes = node_order(G)
    missing = [n for n in nodes if attr not in G.nodes[n]]
    if missing:
        raise ParameterError(f"{len(missing)} of {len(nodes)} nodes lack attribute {attr!r}, e.g. {missing[:3]}")
    labels = [G.nodes[n][attr] for n in nodes]
    sizes = Counter(labels)
    order = sorted(sizes, key=lambda lab: (-sizes[lab], str(lab)))
    code = {lab: i for i, lab in enumerate(order)}
    out = pd.Series([code[lab] for lab in labels], index=pd.Index(nodes, name="customer_id"), name=attr,
                    dtype="int64")
    out.attrs["labels"] = {i: lab for lab, i in code.items()}
    out.attrs["provenance"] = provenance("datasets.ground_truth", attribute=attr)
    return out
