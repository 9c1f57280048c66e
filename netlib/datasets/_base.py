"""Public datasets: the classic small graphs, readers for real customer-like networks, and a fetcher.

Three layers, all keyed by one dataset name (see :data:`DATASETS` or :func:`list_datasets`):

* :func:`load_frames` reads a dataset's files into typed DataFrames, one per table, as the files hold
  them (integer ids stay integers, times become ``datetime64[ns, UTC]``).
* :func:`load_graph` (and one named function per dataset: :func:`email_eu_core`, :func:`football`, ...)
  returns a networkx graph with the ground-truth labels, where the data has any, as node attributes;
  :func:`ground_truth` turns them into a partition. Graph node ids keep the integer ids of the files.
* :func:`load_customer_data` returns the interaction-log datasets as a validated
  :class:`~netlib.io.CustomerData` (ids become strings there, as everywhere in netlib).

The files are looked up in the data home (:func:`data_home`): an explicit ``data_home=`` argument, else
the ``NETLIB_DATA_HOME`` environment variable, else a per-user cache folder. Each dataset lives in its own
folder there, named as in :data:`DATASETS`. Nothing here touches the network except :func:`fetch`, which
downloads a dataset from its original public address into the data home, checking sha256 digests where
they are known.
"""

from __future__ import annotations

import gzip
import hashlib
import io as _stdio
import json
import numbers
import os
import re
import tarfile
import tempfile
import urllib.request
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from netlib._util import progress as _progress
from netlib._util import provenance, sha256_file
from netlib._sample import SAMPLE_DIR, load_sample
from netlib.errors import ChecksumError, DataError, DatasetNotFoundError, ParameterError

__all__ = [
    "DATASETS",
    "SAMPLE_DIR",
    "load_sample",
    "data_home",
    "list_datasets",
    "fetch",
    "load_frames",
    "load_graph",
    "load_customer_data",
    "ground_truth",
    "karate_club",
    "les_miserables",
    "florentine_families",
    "davis_southern_women",
    "email_eu_core",
    "college_msg",
    "football",
    "dolphins",
    "polbooks",
    "higgs_twitter",
    "twitter16_trees",
    "bitcoin_otc",
    "bitcoin_alpha",
    "ciaodvd",
    "filmtrust",
    "microfinance",
]

_SNAP = "https://snap.stanford.edu/data/"
_NEWMAN = "http://www-personal.umich.edu/~mejn/netdata/"
_GUO = "https://guoguibing.github.io/librec/datasets/"
_UNKNOWN = None  # sha256 of the original file not known from the dataset's README or MANIFEST.sha256

#: Every dataset netlib knows: name -> folder, files (each with its original URL and, where known, the
#: sha256 of the file as stored), citation and licence note. Plain Python data, shared by the readers
#: and :func:`fetch`.
#:
#: A file entry holds ``url`` and ``sha256`` (of the stored file; ``None`` when the original's digest is
#: not known) and, where the stored file is not the download itself: ``member`` (take this member of the
#: downloaded zip archive, matched by its path ending), ``decompress: "gzip"`` (the download is gzipped,
#: the stored file is not), ``compress: "gzip"`` (the stored file is a gzip of the download; then
#: ``content_sha256`` is the digest of the uncompressed content) or ``pack`` (several archive members,
#: selected by the regular expression ``members``, repacked into one tar.gz). ``note`` says where a
#: digest comes from or why it is missing.
DATASETS: dict[str, dict[str, Any]] = {
    "karate-club": {
        "title": "Zachary's karate club",
        "kind": "classic",
        "folder": None,
        "page": "https://networkx.org/documentation/stable/reference/generated/networkx.generators.social.karate_club_graph.html",
        "citation": "W. W. Zachary, 'An information flow model for conflict and fission in small groups', "
                    "Journal of Anthropological Research 33(4), 452-473 (1977).",
        "license": "ships with networkx (BSD-3-Clause); data published in the paper.",
        "files": {},
    },
    "les-miserables": {
        "title": "Les Miserables character co-appearances",
        "kind": "classic",
        "folder": None,
        "page": "https://networkx.org/documentation/stable/reference/generated/networkx.generators.social.les_miserables_graph.html",
        "citation": "D. E. Knuth, 'The Stanford GraphBase: A Platform for Combinatorial Computing', "
                    "Addison-Wesley (1993).",
        "license": "ships with networkx (BSD-3-Clause).",
        "files": {},
    },
    "florentine-families": {
        "title": "Florentine families marriage network",
        "kind": "classic",
        "folder": None,
        "page": "https://networkx.org/documentation/stable/reference/generated/networkx.generators.social.florentine_families_graph.html",
        "citation": "R. L. Breiger and P. E. Pattison, 'Cumulated social roles: The duality of persons and "
                    "their algebras', Social Networks 8(3), 215-256 (1986); J. F. Padgett and C. K. Ansell, "
                    "'Robust action and the rise of the Medici', American Journal of Sociology 98, 1259-1319 (1993).",
        "license": "ships with networkx (BSD-3-Clause).",
        "files": {},
    },
    "davis-southern-women": {
        "title": "Davis Southern women (women x social events, bipartite)",
        "kind": "classic",
        "folder": None,
        "page": "https://networkx.org/documentation/stable/reference/generated/networkx.generators.social.davis_southern_women_graph.html",
        "citation": "A. Davis, B. B. Gardner, M. R. Gardner, 'Deep South' (1941); "
                    "L. C. Freeman, 'Finding social groups: a meta-analysis of the southern women data' (2003).",
        "license": "ships with networkx (BSD-3-Clause).",
        "files": {},
    },
    "email-eu-core": {
        "title": "SNAP email-Eu-core with 42 department labels",
        "kind": "graph",
        "folder": "email-Eu-core",
        "page": "https://snap.stanford.edu/data/email-Eu-core.html",
        "citation": "H. Yin, A. R. Benson, J. Leskovec, D. F. Gleich, 'Local Higher-order Graph Clustering', "
                    "KDD 2017; J. Leskovec, J. Kleinberg, C. Faloutsos, 'Graph Evolution: Densification and "
                    "Shrinking Diameters', ACM TKDD 1(1) (2007).",
        "license": "no explicit licence on the SNAP page; research use with attribution.",
        "undated": "the static email-Eu-core file has no times",
        "files": {
            "email-Eu-core.txt": {
                "url": _SNAP + "email-Eu-core.txt.gz", "decompress": "gzip",
                "sha256": "23e0ca0bce21a053025e78f7e9691ac9210ae806a0689bd5edff3c3bac572d4c",
                "note": "README: byte-identical to SNAP's email-Eu-core.txt.gz decompressed",
            },
            "email-Eu-core-department-labels.txt": {
                "url": _SNAP + "email-Eu-core-department-labels.txt.gz", "decompress": "gzip",
                "sha256": _UNKNOWN,
                "note": "the shipped copy was rewritten from a TAB/CRLF copy; SNAP's bytes were not compared",
            },
        },
    },
    "collegemsg": {
        "title": "SNAP CollegeMsg (UC Irvine private messages)",
        "kind": "log",
        "folder": "CollegeMsg",
        "page": "https://snap.stanford.edu/data/CollegeMsg.html",
        "citation": "P. Panzarasa, T. Opsahl, K. M. Carley, 'Patterns and dynamics of users' behavior and "
                    "interaction: Network analysis of an online community', JASIST 60(5), 911-932 (2009).",
        "license": "no explicit licence on the SNAP page; research use with attribution.",
        "files": {
            "CollegeMsg.txt": {
                "url": _SNAP + "CollegeMsg.txt.gz", "decompress": "gzip", "sha256": _UNKNOWN,
                "note": "the shipped copy comes from a GitHub copy with its added header removed; "
                        "SNAP's bytes were not compared",
            },
        },
    },
    "football": {
        "title": "American college football 2000 (Girvan-Newman) with conferences and Evans' corrections",
        "kind": "graph",
        "folder": "football",
        "page": "http://www-personal.umich.edu/~mejn/netdata/",
        "citation": "M. Girvan, M. E. J. Newman, 'Community structure in social and biological networks', "
                    "PNAS 99, 7821-7826 (2002); corrected labels: T. S. Evans, 'Clique graphs and overlapping "
                    "communities', J. Stat. Mech. (2010) P12037.",
        "license": "none stated; research data.",
        "files": {
            "football.gml": {
                "url": _NEWMAN + "football.zip", "member": "football.gml", "sha256": _UNKNOWN,
                "note": "the shipped file is Newman's pre-2014 version (616 edge entries, 3 duplicated); "
                        "his current zip has the duplicates removed, so the bytes differ",
            },
            **{
                f"evans2010_corrected/{member}": {
                    "url": "https://raw.githubusercontent.com/aponom84/lpam-clustering/"
                           "9ac342a4ef77881810c6ef5d6b4d0d4a2624ea2c/datasets/football/footballTSEweb.zip",
                    "member": member, "sha256": digest,
                    "note": "README: member of Evans' footballTSEweb.zip kept unmodified",
                }
                for member, digest in [
                    ("footballTSEinput.gml", "29ad43071730eda5acef8b6603f7c736ae76f886f446bb4461a37fb5c393ae85"),
                    ("footballTSEReadMe.txt", "e9a77c3238366ebcf4ba9d2abb09ff4c425864bfa1fe1b4a46e5c10bbd70bfed"),
                    ("footballTSEConferenceList.dat",
                     "607b629a4db45ddebf9b5bb1bcef9141eb03a0cbf793b8ed288dddc89ff5f1a1"),
                    ("footballTSEvertexpropertiesTabSeparated.txt",
                     "f5f1a93eb8ff767a6bb2626bc6ccd35824ae74addb88ba5ed45a706f0e7782a5"),
                ]
            },
        },
    },
    "dolphins": {
        "title": "Doubtful Sound bottlenose dolphins (Lusseau et al.)",
        "kind": "graph",
        "folder": "dolphins",
        "page": "http://www-personal.umich.edu/~mejn/netdata/",
        "citation": "D. Lusseau, K. Schneider, O. J. Boisseau, P. Haase, E. Slooten, S. M. Dawson, 'The "
                    "bottlenose dolphin community of Doubtful Sound features a large proportion of "
                    "long-lasting associations', Behav. Ecol. Sociobiol. 54, 396-405 (2003).",
        "license": "none stated; widely redistributed for research.",
        "files": {
            "dolphins.gml": {
                "url": _NEWMAN + "dolphins.zip", "member": "dolphins.gml", "sha256": _UNKNOWN,
                "note": "shipped unmodified from a GitHub copy; not compared with Newman's zip",
            },
        },
    },
    "polbooks": {
        "title": "Books about US politics, Amazon co-purchases (Krebs) with l/n/c leaning",
        "kind": "graph",
        "folder": "polbooks",
        "page": "http://www-personal.umich.edu/~mejn/netdata/",
        "citation": "V. Krebs, unpublished (orgnet.com); labels by M. E. J. Newman.",
        "license": "none stated; research data.",
        "files": {
            "polbooks.gml": {
                "url": _NEWMAN + "polbooks.zip", "member": "polbooks.gml", "sha256": _UNKNOWN,
                "note": "shipped unmodified from a GitHub copy; not compared with Newman's zip",
            },
        },
    },
    "higgs-twitter": {
        "title": "SNAP Higgs Twitter activity (retweets, mentions, replies with times)",
        "kind": "log",
        "folder": "higgs-twitter",
        "page": "https://snap.stanford.edu/data/higgs-twitter.html",
        "citation": "M. De Domenico, A. Lima, P. Mougel, M. Musolesi, 'The Anatomy of a Scientific Rumor', "
                    "Scientific Reports 3, 2980 (2013).",
        "license": "no explicit licence on the SNAP page; research use with attribution.",
        "files": {
            name: {"url": _SNAP + name, "sha256": digest, "note": "README: SNAP's gzip file, unmodified"}
            for name, digest in [
                ("higgs-activity_time.txt.gz", "901b199716a23b0fc0371705e3ae9941b5c9493277aec65456abc4988674ad79"),
                ("higgs-retweet_network.edgelist.gz",
                 "4097edebd539043cfc62d9b4ba67676f79523f6dbe896d345fcc127dec3e936e"),
                ("higgs-reply_network.edgelist.gz",
                 "449f13a5d0eebd1dff9874db4db662e8a83f9b789e0c68faec871cf069c8dea6"),
                ("higgs-mention_network.edgelist.gz",
                 "df115f39619ec9736c460faa176810e12813a8c344e239ec53a439073f05173f"),
            ]
        },
    },
    "twitter16": {
        "title": "Twitter16 rumour propagation trees (Ma, Gao & Wong 2017) with veracity labels",
        "kind": "trees",
        "folder": "twitter16-propagation-trees",
        "page": "https://github.com/majingCUHK/Rumor_RvNN",
        "citation": "J. Ma, W. Gao, K.-F. Wong, 'Detect Rumors in Microblog Posts Using Propagation Structure "
                    "via Kernel Learning', ACL 2017; J. Ma et al., 'Detecting Rumors from Microblogs with "
                    "Recurrent Neural Networks', IJCAI 2016.",
        "license": "research release; Twitter's terms apply (only ids and delays are included).",
        "files": {
            "twitter16_trees.tar.gz": {
                "url": "https://www.dropbox.com/s/7ewzdrbelpmrnxu/rumdetect2017.zip?dl=1",
                "pack": "tar.gz", "members": r"(?:^|/)(?P<arc>twitter16/(?:tree/[^/]+\.txt|label\.txt))$",
                "sha256": _UNKNOWN,
                "note": "the shipped tar.gz was repacked from a GitHub copy of the release; the fetcher "
                        "repacks the release's twitter16/tree/*.txt and label.txt the same way",
            },
            "README_original.txt": {
                "url": "https://www.dropbox.com/s/7ewzdrbelpmrnxu/rumdetect2017.zip?dl=1",
                "member": "rumor_detection_acl2017/README.txt", "sha256": _UNKNOWN,
                "note": "copied from a GitHub copy of the release; not compared with the release zip",
            },
        },
    },
    "bitcoin-otc": {
        "title": "SNAP Bitcoin OTC signed, timestamped trust ratings",
        "kind": "log",
        "folder": "bitcoin-trust",
        "page": "https://snap.stanford.edu/data/soc-sign-bitcoin-otc.html",
        "citation": "S. Kumar, F. Spezzano, V. S. Subrahmanian, C. Faloutsos, 'Edge Weight Prediction in "
                    "Weighted Signed Networks', ICDM 2016.",
        "license": "no explicit licence on the SNAP page; research use with attribution.",
        "files": {
            "soc-sign-bitcoinotc.csv.gz": {
                "url": _SNAP + "soc-sign-bitcoinotc.csv.gz",
                "sha256": "4ac08248072f2d5a3f7f79c796fa4610d16249fa9ce55015f2a0c0fc06b5522d",
                "note": "README: SNAP's gzip file, unmodified",
            },
        },
    },
    "bitcoin-alpha": {
        "title": "SNAP Bitcoin Alpha signed, timestamped trust ratings",
        "kind": "log",
        "folder": "bitcoin-trust",
        "page": "https://snap.stanford.edu/data/soc-sign-bitcoin-alpha.html",
        "citation": "S. Kumar, F. Spezzano, V. S. Subrahmanian, C. Faloutsos, 'Edge Weight Prediction in "
                    "Weighted Signed Networks', ICDM 2016.",
        "license": "no explicit licence on the SNAP page; research use with attribution.",
        "files": {
            "soc-sign-bitcoinalpha.csv.gz": {
                "url": _SNAP + "soc-sign-bitcoinalpha.csv.gz", "sha256": _UNKNOWN,
                "note": "the shipped file is a re-gzip of a plain GitHub copy; SNAP's gzip bytes differ and "
                        "its content was not compared",
            },
        },
    },
    "ciaodvd": {
        "title": "CiaoDVD consumer trust network and dated movie ratings",
        "kind": "log",
        "folder": "ciaodvd",
        "page": "https://guoguibing.github.io/librec/datasets.html",
        "citation": "G. Guo, J. Zhang, D. Thalmann, N. Yorke-Smith, 'ETAF: An Extended Trust Antecedents "
                    "Framework for Trust Prediction', ASONAM 2014.",
        "license": "research dataset with anonymous ids; cite the paper.",
        "undated": "trust statements carry no times (the crawl ran 2013-11 to 2013-12, e.g. snapshot='2013-12-31')",
        "files": {
            "trusts.txt.gz": {
                "url": _GUO + "CiaoDVD.zip", "member": "trusts.txt", "compress": "gzip", "sha256": _UNKNOWN,
                "content_sha256": _UNKNOWN,
                "note": "shipped from a GitHub copy; not compared with the release zip",
            },
            "movie-ratings.txt.gz": {
                "url": _GUO + "CiaoDVD.zip", "member": "movie-ratings.txt", "compress": "gzip",
                "sha256": _UNKNOWN, "content_sha256": _UNKNOWN,
                "note": "shipped from a GitHub copy; not compared with the release zip",
            },
            "readme.txt": {
                "url": _GUO + "CiaoDVD.zip", "member": "readme.txt", "sha256": _UNKNOWN,
                "note": "shipped from a GitHub copy; not compared with the release zip",
            },
        },
    },
    "filmtrust": {
        "title": "FilmTrust trust statements and movie ratings",
        "kind": "log",
        "folder": "filmtrust",
        "page": "https://guoguibing.github.io/librec/datasets.html",
        "citation": "G. Guo, J. Zhang, N. Yorke-Smith, 'A Novel Bayesian Similarity Measure for Recommender "
                    "Systems', IJCAI 2013.",
        "license": "research dataset ('Copy Right 2013 Guibing Guo'); cite the paper.",
        "undated": "neither trust statements nor ratings carry times",
        "files": {
            name: {
                "url": _GUO + "filmtrust.zip", "member": name, "sha256": _UNKNOWN,
                "note": "shipped unmodified from a GitHub copy (1,806 trust lines); some sources quote "
                        "1,853 trust statements for the release, so the release may differ",
            }
            for name in ("trust.txt", "ratings.txt", "readme.txt")
        },
    },
    "microfinance": {
        "title": "Diffusion of microfinance, Karnataka villages (household extract)",
        "kind": "graph",
        "folder": "microfinance-india-villages",
        "page": "https://doi.org/10.7910/DVN/U3BIHX",
        "citation": "A. Banerjee, A. G. Chandrasekhar, E. Duflo, M. O. Jackson, 'The Diffusion of "
                    "Microfinance', Science 341(6144) (2013), doi:10.1126/science.1236498.",
        "license": "Harvard Dataverse terms for the original (hdl:1902.1/21538); this extract comes from a "
                   "public course repository.",
        "files": {
            "microfi_households.csv": {
                "url": "https://raw.githubusercontent.com/jgscott/STA380/"
                       "691d1b0d58b740467ebc4488a849fd4ae4de520d/data/microfi_households.csv",
                "sha256": "1d26386fb1e53083f9305ac702187cdc023f4a36456d8e7b67c50b3f77a54e38",
                "note": "README: unmodified from the course repository at this commit",
            },
            "microfi_edges.txt.gz": {
                "url": "https://raw.githubusercontent.com/jgscott/STA380/"
                       "691d1b0d58b740467ebc4488a849fd4ae4de520d/data/microfi_edges.txt",
                "compress": "gzip", "sha256": _UNKNOWN,
                "content_sha256": "50b354a118f78d7139d179b9b96174d3abb9dec62edb317d4841012c62adfd70",
                "note": "README: gzip of the course file, content unchanged; content_sha256 is the digest "
                        "of the shipped file decompressed",
            },
        },
    },
}

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

#: Conference names of the Girvan-Newman labels (Newman's football.txt) and of Evans' corrected labels.
GN_CONFERENCES = ("Atlantic Coast", "Big East", "Big Ten", "Big Twelve", "Conference USA", "Independents",
                  "Mid-American", "Mountain West", "Pacific Ten", "Southeastern", "Sun Belt",
                  "Western Athletic")
EVANS_CONFERENCES = ("Atlantic Coast", "Big East", "Big Ten", "Big Twelve", "Conference USA", "Big West",
                     "Mid-American", "Mountain West", "Pacific Ten", "Southeastern", "Western Athletic",
                     "Independent: Notre Dame", "Independent: Navy", "Independent: Connecticut",
                     "Independent: Central Florida", "Independent: Middle Tennessee State",
                     "Independent: Louisiana Tech", "Independent: Louisiana Monroe",
                     "Independent: Louisiana Lafayette")

_RECORD = ".netlib-fetch.json"



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


def data_home(path: str | os.PathLike | None = None) -> Path:
    """The folder holding the public datasets, one sub-folder per dataset.

    Parameters
    ----------
    path : str or path-like, optional
        Use this folder. When omitted: the ``NETLIB_DATA_HOME`` environment variable, else
        ``$XDG_CACHE_HOME/netlib``, else ``~/.cache/netlib``.

    Returns
    -------
    pathlib.Path
        The folder (not created here; :func:`fetch` creates it when it downloads).

    Examples
    --------
    >>> data_home("/tmp/my-data").as_posix()
    '/tmp/my-data'
    """
    return _home_and_origin(path)[0]


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


def list_datasets(data_home: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every dataset netlib knows, with its origin, citation, licence and whether it is on this machine.

    Returns
    -------
    pandas.DataFrame
        Indexed by dataset name; columns ``title``, ``kind`` (classic, graph, log, trees), ``folder``,
        ``present`` (all files found in the data home; always True for the graphs networkx ships),
        ``page``, ``citation``, ``license``.
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
# Fetching
# --------------------------------------------------------------------------------------------------

#: The opener :func:`fetch` uses (``urllib.request.urlopen``); tests replace it.
_urlopen: Callable[..., Any] = urllib.request.urlopen


def _download(url: str, folder: Path, show: bool | None) -> Path:
    """Stream ``url`` into a temporary file in ``folder`` and return its path."""
    fd, tmp = tempfile.mkstemp(prefix=".download.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                response = _urlopen(url, timeout=60)
            except OSError as exc:
                raise DataError(f"could not download {url}: {exc}") from exc
            with response:
                total = response.headers.get("Content-Length") if getattr(response, "headers", None) else None
                bar = _progress(progress=show, total=int(total) if total else None, desc=url.rsplit("/", 1)[-1],
                                unit="B")
                try:
                    for block in iter(lambda: response.read(1 << 16), b""):
                        out.write(block)
                        bar.update(len(block))
                except OSError as exc:
                    raise DataError(f"download of {url} broke off: {exc}; nothing was written") from exc
                finally:
                    bar.close()
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp)


def _member(archive: zipfile.ZipFile, wanted: str, url: str) -> bytes:
    names = [n for n in archive.namelist()
             if not n.startswith("__MACOSX/") and (n == wanted or n.endswith("/" + wanted))]
    if len(names) != 1:
        raise DataError(f"{url}: expected one member ending in {wanted!r}, found {names or 'none'}")
    return archive.read(names[0])


def _payload(spec: dict[str, Any], download: Path) -> bytes:
    """The bytes to store for one file entry, from the downloaded file."""
    url = spec["url"]
    if "pack" in spec:
        pattern = re.compile(spec["members"])
        buffer = _stdio.BytesIO()
        with zipfile.ZipFile(download) as archive:
            picked = sorted((m.group("arc"), n) for n in archive.namelist()
                            if not n.startswith("__MACOSX/") and (m := pattern.search(n)))
            if not picked:
                raise DataError(f"{url}: no archive member matches {spec['members']!r}")
            with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz, \
                    tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
                for arcname, member in picked:
                    data = archive.read(member)
                    info = tarfile.TarInfo(arcname)
                    info.size, info.mode = len(data), 0o644
                    tar.addfile(info, _stdio.BytesIO(data))
        return buffer.getvalue()
    if "member" in spec:
        with zipfile.ZipFile(download) as archive:
            data = _member(archive, spec["member"], url)
    else:
        data = download.read_bytes()
    if spec.get("decompress") == "gzip":
        data = gzip.decompress(data)
    if spec.get("compress") == "gzip":
        want = spec.get("content_sha256")
        if want and hashlib.sha256(data).hexdigest() != want:
            raise ChecksumError(f"{url}: content sha256 {hashlib.sha256(data).hexdigest()} does not match the "
                                f"expected {want}")
        data = gzip.compress(data, mtime=0)
    return data


def _check_existing(path: Path, spec: dict[str, Any], recorded: str | None) -> None:
    """Raise ChecksumError when a cached file differs from the known or recorded digest."""
    if spec.get("sha256"):
        want, got, what = spec["sha256"], sha256_file(path), "sha256"
    elif spec.get("content_sha256"):
        with gzip.open(path, "rb") as handle:
            got = hashlib.sha256(handle.read()).hexdigest()
        want, what = spec["content_sha256"], "content sha256"
    elif recorded:
        want, got, what = recorded, sha256_file(path), "sha256 recorded when it was downloaded"
    else:
        return
    if got != want:
        raise ChecksumError(f"{path}: {what} {got} does not match the expected {want}; the cached file is "
                            f"damaged or was replaced. Fetch it again with force=True.")


def fetch(name: str, *, data_home: str | os.PathLike | None = None, force: bool = False,
          progress: bool | None = None) -> Path:
    """Download a public dataset from its original address into the data home.

    Files already present are kept (after checking their digest where one is known) unless ``force``.
    Each file is written to a temporary file beside its final name, checked, then renamed into place,
    so a failed or corrupt download never leaves a partial file behind.

    Parameters
    ----------
    name : str
        A dataset name from :data:`DATASETS` (``"email-eu-core"``, ``"higgs-twitter"``, ...).
    data_home : str or path-like, optional
        Where to store it (see :func:`data_home`).
    force : bool
        Download again even when the files are present.
    progress : bool, optional
        Show a download progress bar; by default only in terminals and notebooks.

    Returns
    -------
    pathlib.Path
        The dataset's folder.

    Raises
    ------
    ChecksumError
        A downloaded or cached file does not have the sha256 recorded in :data:`DATASETS` (or, for files
        whose original digest is unknown, the one recorded in the folder's ``.netlib-fetch.json`` when
        it was first downloaded).
    DataError
        The download failed, or an archive lacks the expected member.
    ParameterError
        An unknown name, or a graph that ships with networkx (nothing to fetch).

    Notes
    -----
    Where the sha256 of the original file is not known (``sha256: None`` in :data:`DATASETS`; the entry's
    ``note`` says why), the digest of the first download is recorded and later checks compare with it.
    This needs network access; netlib's tests never call it against the network.
    """
    from netlib.io import atomic_write

    key = _canonical(name)
    entry = DATASETS[key]
    if entry["folder"] is None:
        raise ParameterError(f"{key} ships with networkx; there is nothing to fetch (use load_graph({key!r}))")
    folder = _home_and_origin(data_home)[0] / entry["folder"]
    folder.mkdir(parents=True, exist_ok=True)
    record_path = folder / _RECORD
    record = json.loads(record_path.read_text()) if record_path.is_file() else {}
    downloads: dict[str, Path] = {}
    try:
        for filename, spec in entry["files"].items():
            dest = folder / filename
            if dest.is_file() and not force:
                _check_existing(dest, spec, record.get(filename, {}).get("sha256"))
                continue
            if spec["url"] not in downloads:
                downloads[spec["url"]] = _download(spec["url"], folder, progress)
            data = _payload(spec, downloads[spec["url"]])
            got = hashlib.sha256(data).hexdigest()
            with atomic_write(dest, "wb") as handle:
                handle.write(data)
                if spec.get("sha256") and got != spec["sha256"]:
                    raise ChecksumError(f"{key}: {filename} from {spec['url']} has sha256 {got}; expected "
                                        f"{spec['sha256']}. Nothing was written.")
            record[filename] = {"url": spec["url"], "sha256": got, "verified": bool(spec.get("sha256")
                                                                                    or spec.get("content_sha256"))}
    finally:
        for tmp in downloads.values():
            tmp.unlink(missing_ok=True)
        if record:
            with atomic_write(record_path, "w", encoding="utf-8") as handle:
                json.dump(record, handle, indent=1, sort_keys=True)
    return folder


# --------------------------------------------------------------------------------------------------
# Classic graphs shipped by networkx
# --------------------------------------------------------------------------------------------------


def _stamp(G: nx.Graph, name: str, ground: str | None = None, **params: Any) -> nx.Graph:
    entry = DATASETS[name]
    G.graph.update({"name": entry["title"], "dataset": name, "citation": entry["citation"],
                    "provenance": provenance("datasets.load_graph", name=name, **params)})
    if ground is not None:
        G.graph["ground_truth"] = ground
    return G


def karate_club() -> nx.Graph:
    """Zachary's karate club: 34 members, 78 friendships, and the faction each joined after the split.

    Returns
    -------
    networkx.Graph
        Nodes 0..33 with attribute ``club`` (``"Mr. Hi"`` or ``"Officer"``, the ground truth:
        ``ground_truth(G)``); edges carry networkx's ``weight`` (number of contexts of interaction).

    References
    ----------
    W. W. Zachary, "An information flow model for conflict and fission in small groups",
    Journal of Anthropological Research 33(4), 452-473 (1977).

    Examples
    --------
    >>> G = karate_club()
    >>> G.number_of_nodes(), G.number_of_edges()
    (34, 78)
    >>> ground_truth(G).value_counts().to_dict()
    {0: 17, 1: 17}
    """
    return _stamp(nx.karate_club_graph(), "karate-club", "club")


def les_miserables() -> nx.Graph:
    """Co-appearances of the 77 characters of Victor Hugo's novel (Knuth 1993); edge ``weight`` counts scenes.

    Nodes are character names. No ground truth.
    """
    return _stamp(nx.les_miserables_graph(), "les-miserables")


def florentine_families() -> nx.Graph:
    """Marriage ties among 15 Renaissance Florentine families (Breiger & Pattison 1986; Padgett & Ansell 1993)."""
    return _stamp(nx.florentine_families_graph(), "florentine-families")


def davis_southern_women() -> nx.Graph:
    """18 women and the 14 social events they attended (Davis et al. 1941): a bipartite graph.

    Node attribute ``bipartite`` is 0 for women and 1 for events; ``G.graph["top"]`` lists the women.
    """
    return _stamp(nx.davis_southern_women_graph(), "davis-southern-women")


# --------------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------------


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


def _microfi_households(home):
    (path,) = _files("microfinance", home, "microfi_households.csv")
    return pd.read_csv(path, engine="pyarrow")


def _microfi_edges(home):
    (path,) = _files("microfinance", home, "microfi_edges.txt.gz")
    return _read(path, ["hh1", "hh2"], sep=r"\s+", fast=False)


def _read_gml(path: Path) -> tuple[nx.Graph, int]:
    """A GML file as a simple graph with integer ids; also the number of duplicated edge entries merged."""
    text = path.read_text(encoding="utf-8", errors="replace")
    text, found = re.subn(r"\bgraph\s*\[", "graph\n[\n  multigraph 1", text, count=1)
    if not found:
        raise DataError(f"{path}: not a GML file (no 'graph [' block)")
    try:
        multi = nx.parse_gml(text, label="id")
    except nx.NetworkXError as exc:
        raise DataError(f"{path}: cannot parse GML: {exc}") from exc
    G = nx.Graph(multi)
    return G, multi.number_of_edges() - G.number_of_edges()


def _gml_frames(name: str, filename: str, value: str | None):
    def nodes(home):
        (path,) = _files(name, home, filename)
        G, _ = _read_gml(path)
        cols = {"id": list(G.nodes), "label": [d.get("label") for _, d in G.nodes(data=True)]}
        if value:
            cols[value] = [d.get("value") for _, d in G.nodes(data=True)]
        return pd.DataFrame(cols)

    def edges(home):
        (path,) = _files(name, home, filename)
        G, _ = _read_gml(path)
        return pd.DataFrame(list(G.edges), columns=["u", "v"])
    return {"nodes": nodes, "edges": edges}


_T16_LINE = re.compile(r"\['([^']*)',\s*'([^']*)',\s*'([^']*)'\]\s*->\s*\['([^']*)',\s*'([^']*)',\s*'([^']*)'\]")
_T16_COLUMNS = ["parent_uid", "parent_tweet_id", "parent_delay", "child_uid", "child_tweet_id", "child_delay"]


def _twitter16_archive(home) -> tuple[pd.Series, list[tuple[str, str]]]:
    (path,) = _files("twitter16", home, "twitter16_trees.tar.gz")
    labels: dict[str, str] = {}
    trees: list[tuple[str, str]] = []
    with tarfile.open(path, "r:gz") as tar:
        for member in tar:
            if not member.isfile():
                continue
            text = tar.extractfile(member).read().decode("utf-8")
            if member.name.endswith("label.txt"):
                for lineno, line in enumerate(text.splitlines(), 1):
                    if line.strip():
                        label, sep, tree = line.strip().partition(":")
                        if not sep:
                            raise DataError(f"{path}:{member.name}: line {lineno}: expected 'label:tree_id', "
                                            f"found {line!r}")
                        labels[tree] = label
            elif "/tree/" in member.name and member.name.endswith(".txt"):
                trees.append((member.name.rsplit("/", 1)[-1][:-4], text))
    series = pd.Series(labels, name="label", dtype="str")
    series.index.name = "tree_id"
    return series.sort_index(), trees


def _twitter16_labels(home):
    return _twitter16_archive(home)[0].reset_index()


def _twitter16_lines(home):
    labels, trees = _twitter16_archive(home)
    parts = []
    for tree_id, text in sorted(trees):
        rows = _T16_LINE.findall(text)
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if len(rows) != len(lines):
            bad = next(i for i, ln in enumerate(lines, 1) if not _T16_LINE.fullmatch(ln.strip()))
            raise DataError(f"twitter16: tree/{tree_id}.txt line {bad}: expected "
                            f"\"['uid', 'tweet_id', 'delay']->['uid', 'tweet_id', 'delay']\", found {lines[bad - 1]!r}")
        frame = pd.DataFrame(rows, columns=_T16_COLUMNS)
        frame.insert(0, "line", range(1, len(rows) + 1))
        frame.insert(0, "tree_id", tree_id)
        parts.append(frame)
    df = pd.concat(parts, ignore_index=True)
    missing = sorted(set(df["tree_id"]) - set(labels.index))
    if missing:
        raise DataError(f"twitter16: {len(missing)} trees have no label in label.txt, e.g. {missing[:3]}")
    df.insert(1, "label", df["tree_id"].map(labels).astype(pd.CategoricalDtype(sorted(set(labels)))))
    for col in ("parent_delay", "child_delay"):
        df[col] = df[col].astype("float64")
    for col in ("tree_id", "parent_uid", "parent_tweet_id", "child_uid", "child_tweet_id"):
        df[col] = df[col].astype("str")
    return df


_TABLES: dict[str, dict[str, Callable[[Any], pd.DataFrame]]] = {
    "email-eu-core": {"edges": _email_edges, "departments": _email_departments},
    "collegemsg": {"messages": _collegemsg},
    "football": {
        **_gml_frames("football", "football.gml", "conference"),
        "evans_nodes": _gml_frames("football", "evans2010_corrected/footballTSEinput.gml", "conference")["nodes"],
    },
    "dolphins": _gml_frames("dolphins", "dolphins.gml", None),
    "polbooks": _gml_frames("polbooks", "polbooks.gml", "leaning"),
    "higgs-twitter": {"activity": _higgs_activity, **{layer: _higgs_layer(layer) for layer in _HIGGS_LAYERS}},
    "twitter16": {"trees": _twitter16_lines, "labels": _twitter16_labels},
    "bitcoin-otc": {"ratings": _bitcoin("bitcoin-otc")},
    "bitcoin-alpha": {"ratings": _bitcoin("bitcoin-alpha")},
    "ciaodvd": {"trust": _ciao_trust, "ratings": _ciao_ratings},
    "filmtrust": {"trust": _filmtrust_trust, "ratings": _filmtrust_ratings},
    "microfinance": {"households": _microfi_households, "edges": _microfi_edges},
}


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


# --------------------------------------------------------------------------------------------------
# Graphs
# --------------------------------------------------------------------------------------------------


def _edges_graph(df: pd.DataFrame, u: str, v: str, attrs: list[str] | None, directed: bool) -> nx.Graph:
    G = nx.DiGraph() if directed else nx.Graph()
    if attrs:
        cols = [df[c].tolist() for c in attrs]
        G.add_edges_from((a, b, dict(zip(attrs, vals))) for a, b, *vals in zip(df[u].tolist(), df[v].tolist(), *cols))
    else:
        G.add_edges_from(zip(df[u].tolist(), df[v].tolist()))
    return G


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


def _gml_graph(name: str, filename: str, value: str | None, home) -> tuple[nx.Graph, int]:
    (path,) = _files(name, home, filename)
    G, dupes = _read_gml(path)
    if value:
        for _, d in G.nodes(data=True):
            if "value" in d:
                d[value] = d.pop("value")
    return G, dupes


def football(*, labels: str = "gn", data_home: str | os.PathLike | None = None) -> nx.Graph:
    """Girvan and Newman's American college football network (Division I-A games, Fall 2000).

    Parameters
    ----------
    labels : {"gn", "evans"}
        Which conference labels :func:`ground_truth` uses: Girvan-Newman's 12 (``"gn"``, attribute
        ``conference``) or Evans' corrected 19 (``"evans"``, attribute ``conference_evans``; the GN labels
        are for the 2001 season, and each independent gets its own label). Both attributes are always set,
        with their names in ``conference_name`` and ``conference_evans_name``.
    data_home : str or path-like, optional

    Returns
    -------
    networkx.Graph
        115 teams (integer GML ids, ``label`` = team name), 613 games. Newman's original file lists three
        pairs twice (teams that met twice); they are merged, and ``G.graph["duplicate_edges"]`` says how
        many entries were.

    References
    ----------
    M. Girvan, M. E. J. Newman, "Community structure in social and biological networks", PNAS 99,
    7821-7826 (2002). T. S. Evans, "Clique graphs and overlapping communities", J. Stat. Mech. (2010) P12037.
    """
    if labels not in ("gn", "evans"):
        raise ParameterError(f"labels must be 'gn' or 'evans', got {labels!r}")
    G, dupes = _gml_graph("football", "football.gml", "conference", data_home)
    evans, _ = _gml_graph("football", "evans2010_corrected/footballTSEinput.gml", "conference", data_home)
    if set(evans) != set(G) or any(evans.nodes[n].get("label") != G.nodes[n].get("label") for n in G):
        raise DataError("football: footballTSEinput.gml does not list the same teams under the same ids "
                        "as football.gml")
    for n, d in G.nodes(data=True):
        d["conference_name"] = GN_CONFERENCES[d["conference"]]
        d["conference_evans"] = evans.nodes[n]["conference"]
        d["conference_evans_name"] = EVANS_CONFERENCES[d["conference_evans"]]
    G.graph["duplicate_edges"] = dupes
    return _stamp(G, "football", "conference" if labels == "gn" else "conference_evans", labels=labels)


def dolphins(*, data_home: str | os.PathLike | None = None) -> nx.Graph:
    """Lusseau's network of 62 bottlenose dolphins and their 159 frequent associations.

    Nodes are integer GML ids with ``label`` = the dolphin's name. No ground truth ships with the file.

    References
    ----------
    D. Lusseau et al., Behav. Ecol. Sociobiol. 54, 396-405 (2003).
    """
    G, _ = _gml_graph("dolphins", "dolphins.gml", None, data_home)
    return _stamp(G, "dolphins")


def polbooks(*, data_home: str | os.PathLike | None = None) -> nx.Graph:
    """Krebs' books about US politics (105 books, 441 Amazon co-purchase links) with their leaning.

    Nodes are integer GML ids with ``label`` = title and ``leaning`` = ``"l"``, ``"n"`` or ``"c"``
    (liberal, neutral, conservative; the ground truth).
    """
    G, _ = _gml_graph("polbooks", "polbooks.gml", "leaning", data_home)
    return _stamp(G, "polbooks", "leaning")


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


def twitter16_trees(*, data_home: str | os.PathLike | None = None) -> pd.DataFrame:
    """The raw Twitter16 propagation-tree lines: one row per ``parent -> child`` line of each tree file.

    Returns
    -------
    pandas.DataFrame
        Columns ``tree_id`` (source tweet id), ``label`` (true / false / unverified / non-rumor),
        ``line`` (1-based line number in the tree file), ``parent_uid``, ``parent_tweet_id``,
        ``parent_delay``, ``child_uid``, ``child_tweet_id``, ``child_delay`` (delays in minutes after the
        source tweet). Ids are strings; the root line's parent is ``('ROOT', 'ROOT', 0.0)``. The lines are
        as released: some children have several parent lines and some lines are self-loops. Cleaning them
        into trees is :mod:`netlib.cascades`' job. ``load_frames("twitter16", "labels")`` has the labels.

    References
    ----------
    J. Ma, W. Gao, K.-F. Wong, "Detect Rumors in Microblog Posts Using Propagation Structure via Kernel
    Learning", ACL 2017.
    """
    df = load_frames("twitter16", "trees", data_home=data_home)["trees"]
    df.attrs["provenance"] = provenance("datasets.twitter16_trees")
    return df


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


_GRAPHS: dict[str, Callable[..., nx.Graph]] = {
    "karate-club": karate_club,
    "les-miserables": les_miserables,
    "florentine-families": florentine_families,
    "davis-southern-women": davis_southern_women,
    "email-eu-core": email_eu_core,
    "collegemsg": college_msg,
    "football": football,
    "dolphins": dolphins,
    "polbooks": polbooks,
    "higgs-twitter": higgs_twitter,
    "bitcoin-otc": bitcoin_otc,
    "bitcoin-alpha": bitcoin_alpha,
    "ciaodvd": ciaodvd,
    "filmtrust": filmtrust,
    "microfinance": microfinance,
}


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

    Examples
    --------
    >>> G = load_graph("karate")
    >>> G.graph["ground_truth"]
    'club'
    """
    key = _canonical(name)
    if key not in _GRAPHS:
        raise ParameterError(f"{key} is a set of propagation trees, not one graph; use twitter16_trees()")
    if DATASETS[key]["folder"] is None:
        return _GRAPHS[key](**kwargs)
    return _GRAPHS[key](data_home=data_home, **kwargs)


def ground_truth(G: nx.Graph, attribute: str | None = None) -> pd.Series:
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
    >>> s = ground_truth(karate_club())
    >>> s.attrs["labels"]
    {0: 'Mr. Hi', 1: 'Officer'}
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


# --------------------------------------------------------------------------------------------------
# CustomerData
# --------------------------------------------------------------------------------------------------


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
