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
folder there, named as in :data:`DATASETS` (read from ``registry.toml`` in this package). Nothing here
touches the network except :func:`fetch`, which downloads a dataset from its original public address
into the data home, checking sha256 digests where they are known.

:func:`load_sample` (the shipped synthetic sample, ``netlib.load_sample``) is re-exported here as an
alias, as the notebooks import it from this package.

Modules: ``_base`` (registry, data home, dispatch by name), ``_fetch`` (downloads), ``classic``,
``snap``, ``gml``, ``trust``, ``twitter16``, ``microfinance`` (one per dataset family) and
``_customer`` (CustomerData builders).
"""

from netlib._sample import SAMPLE_DIR, load_sample
from netlib.datasets._base import DATASETS, data_home, ground_truth, list_datasets, load_frames, load_graph
from netlib.datasets._customer import load_customer_data
from netlib.datasets._fetch import fetch
from netlib.datasets.classic import davis_southern_women, florentine_families, karate_club, les_miserables
from netlib.datasets.gml import EVANS_CONFERENCES, GN_CONFERENCES, dolphins, football, polbooks
from netlib.datasets.microfinance import microfinance
from netlib.datasets.snap import bitcoin_alpha, bitcoin_otc, college_msg, email_eu_core, higgs_twitter
from netlib.datasets.trust import ciaodvd, filmtrust
from netlib.datasets.twitter16 import twitter16_cascades, twitter16_trees

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
    "GN_CONFERENCES",
    "EVANS_CONFERENCES",
    "higgs_twitter",
    "twitter16_trees",
    "twitter16_cascades",
    "bitcoin_otc",
    "bitcoin_alpha",
    "ciaodvd",
    "filmtrust",
    "microfinance",
]
