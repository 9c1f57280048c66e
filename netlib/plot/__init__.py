"""Figures: plotly drawings of netlib results.

Every function takes a result (a DataFrame, Series or graph netlib made) plus column names, returns a
``plotly.graph_objects.Figure`` and ends with the same keywords: ``title=None, template=None,
width=None, height=None``. None of them computes an analysis, calls ``show()`` or writes a file: the
notebook or the report decides what to do with the figure. Layouts are seeded (``seed=0`` by default):
the same call draws the same picture.

Text that comes from data (customer ids, community labels, item ids, event types) is escaped for
plotly's text markup, so ``<b>`` in a name shows as ``<b>`` and ``<script>`` never becomes markup.

Big graphs: :func:`network_map` draws WebGL traces (``Scattergl``) above :data:`WEBGL_NODES` customers;
above :data:`MAX_MAP_NODES` it draws the top customers by influence with their direct neighbours
instead of a hairball and says so in the title (:func:`community_meta_graph` draws the whole network
one node per community).

One module per subject: ``network`` (maps), ``rankings``, ``communities``, ``cascades``,
``behaviours`` and ``campaign``; the shared tail and helpers live in ``_base``.
"""

from __future__ import annotations

from netlib.patterns import BEHAVIOURS

#: Above this many drawn customers, :func:`network_map` switches to WebGL traces (looked up at call time,
#: so ``netlib.plot.WEBGL_NODES`` can be changed).
WEBGL_NODES = 3000
#: Above this many customers, :func:`network_map` draws the top customers and their neighbours only.
MAX_MAP_NODES = 5000

from netlib.plot.behaviours import behaviour_heatmap, behaviour_ladder, rogers_radar  # noqa: E402
from netlib.plot.campaign import reach_curves  # noqa: E402
from netlib.plot.cascades import adoption_curves, cascade_tree, virality_scatter  # noqa: E402
from netlib.plot.communities import coassignment, community_meta_graph, community_sizes, resolution_sweep  # noqa: E402
from netlib.plot.network import network_map  # noqa: E402
from netlib.plot.rankings import degree_distribution, influencer_bars, ranking_measures  # noqa: E402

__all__ = [
    "BEHAVIOURS",
    "MAX_MAP_NODES",
    "WEBGL_NODES",
    "adoption_curves",
    "behaviour_heatmap",
    "behaviour_ladder",
    "cascade_tree",
    "coassignment",
    "community_meta_graph",
    "community_sizes",
    "degree_distribution",
    "influencer_bars",
    "network_map",
    "ranking_measures",
    "reach_curves",
    "resolution_sweep",
    "rogers_radar",
    "virality_scatter",
]
