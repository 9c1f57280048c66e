"""Spread paths: cascades reconstructed from share logs, their shape, and the routes ideas travel.

A share log says who passed which item to whom, and when. :func:`reconstruct_cascades` turns it
into one tree per idea and seed (a *cascade*): every customer the item reached gets one parent, the
customer it came from. :func:`cascades_from_trees` and :func:`read_propagation_trees` load trees
that were recorded as parent → child edge lists into the same table. :func:`cascade_metrics`
measures each cascade (size, depth, breadth, speed and structural virality),
:func:`adoption_curves` and :func:`cascade_influencers` summarise them.

On the network itself, with a pass-on probability on every tie (resolved once, by the shared
spread engine ``netlib._spread``), :func:`most_probable_path`, :func:`k_most_probable_paths`,
:func:`reachable_within` and :func:`territories` trace the routes an idea is most likely to take;
:func:`earliest_arrival` and :func:`temporal_reach` follow chains of timestamped messages in time
order.

Modules: ``reconstruct`` (share logs and recorded trees → the cascade table), ``metrics`` (shape,
curves, influencers), ``routes`` (paths on the network), ``temporal`` (time-respecting paths),
``_forest`` (forest arrays shared by the others). The Twitter15/16 tree reader
:func:`read_propagation_trees` lives with its dataset, in :mod:`netlib.datasets.twitter16`.

The cascade table
-----------------
One row per adoption, indexed by a RangeIndex named ``adoption``, columns ``item_id``, ``customer``,
``parent`` (missing for the root of a cascade), ``time``, ``depth`` (0 at the root) and ``root``. A
cascade is identified by ``(item_id, root)``: one item may have several independent seeds.
``df.attrs["report"]`` counts what each cleaning and attribution rule did to the input, and
``df.attrs["provenance"]`` records the call.
"""

from netlib.datasets.twitter16 import read_propagation_trees
from netlib.cascades.metrics import adoption_curves, cascade_influencers, cascade_metrics, structural_virality
from netlib.cascades.reconstruct import RULES, reconstruct_cascades
from netlib.cascades.trees import cascades_from_trees
from netlib.cascades.routes import (
    SpreadPath,
    k_most_probable_paths,
    most_probable_path,
    reachable_within,
    territories,
)
from netlib.cascades.temporal import earliest_arrival, temporal_reach

__all__ = [
    "RULES",
    "SpreadPath",
    "adoption_curves",
    "cascade_influencers",
    "cascade_metrics",
    "cascades_from_trees",
    "earliest_arrival",
    "k_most_probable_paths",
    "most_probable_path",
    "reachable_within",
    "read_propagation_trees",
    "reconstruct_cascades",
    "structural_virality",
    "temporal_reach",
    "territories",
]
