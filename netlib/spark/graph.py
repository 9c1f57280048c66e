"""Graph steps that must run where the network is too big for one machine: Spark DataFrame iterations.

Every function takes the tie table of :func:`netlib.spark.tie_table` (``source``, ``target``,
``weight``) and, optionally, the customers table so customers without ties are nodes too (as in
:func:`netlib.build_network`). Iterative algorithms materialise each step (``localCheckpoint``) so
the query plan does not grow with the number of iterations; what decides whether to go on (how much
the ranks moved, how many labels changed) is observed while that step is materialised, so every
iteration is one Spark job.
"""

from __future__ import annotations

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from netlib.errors import NetlibError, ParameterError
from netlib.spark._session import materialise, require

__all__ = ["degrees", "pagerank", "connected_components", "label_propagation"]


def _arcs(ties: DataFrame, weight: str | None = "weight") -> DataFrame:
    """Arcs ``(src, dst, w)`` without self-loops (weight 1.0 where missing or when ``weight`` is None)."""
    require(ties, ("source", "target"), "ties")
    w = F.coalesce(F.col(weight).cast("double"), F.lit(1.0)) if weight and weight in ties.columns else F.lit(1.0)
    return (ties.where(F.col("source") != F.col("target"))
            .select(F.col("source").alias("src"), F.col("target").alias("dst"), w.alias("w")))


def _nodes(ties: DataFrame, customers: DataFrame | None) -> DataFrame:
    ids = ties.select(F.col("source").alias("id")).unionByName(ties.select(F.col("target").alias("id")))
    if customers is not None:
        require(customers, ("customer_id",), "customers")
        ids = ids.unionByName(customers.select(F.col("customer_id").alias("id")))
    return ids.where(F.col("id").isNotNull()).distinct()


def _renumber(labels: DataFrame, label: str, name: str) -> DataFrame:
    """Groups numbered 0..k-1 by decreasing size, then by their smallest member id."""
    groups = labels.groupBy(label).agg(F.count("*").alias("_size"), F.min("id").alias("_first"))
    numbered = groups.select(label, (F.row_number().over(Window.orderBy(F.col("_size").desc(), "_first")) - 1)
                             .alias(name))
    return (labels.join(numbered, label).select(F.col("id").alias("customer_id"), F.col(name).cast("long"))
            .orderBy("customer_id"))


def degrees(ties: DataFrame, *, customers: DataFrame | None = None, weight: str = "weight") -> DataFrame:
    """In-, out- and total degree and strength of every customer.

    Returns a DataFrame with ``customer_id``, ``in_degree``, ``out_degree``, ``degree``,
    ``in_strength``, ``out_strength``, ``strength`` (the columns of :func:`netlib.centrality`'s
    ``degree`` and ``strength`` measures, unnormalised), sorted by customer id.
    """
    arcs = _arcs(ties, weight)
    out_ = arcs.groupBy(F.col("src").alias("id")).agg(F.count("*").alias("out_degree"), F.sum("w").alias("out_strength"))
    in_ = arcs.groupBy(F.col("dst").alias("id")).agg(F.count("*").alias("in_degree"), F.sum("w").alias("in_strength"))
    table = (_nodes(ties, customers).join(in_, "id", "left").join(out_, "id", "left")
             .fillna(0, subset=["in_degree", "out_degree"]).fillna(0.0, subset=["in_strength", "out_strength"]))
    return table.select(
        F.col("id").alias("customer_id"), "in_degree", "out_degree",
        (F.col("in_degree") + F.col("out_degree")).alias("degree"), "in_strength", "out_strength",
        (F.col("in_strength") + F.col("out_strength")).alias("strength")).orderBy("customer_id")


def pagerank(ties: DataFrame, *, customers: DataFrame | None = None, alpha: float = 0.85,
             weight: str | None = "weight", tol: float = 1e-9, max_iter: int = 1000) -> DataFrame:
    """PageRank by power iteration on Spark, with netlib's conventions (weighted, dangling mass spread evenly).

    Parameters
    ----------
    ties : pyspark.sql.DataFrame
        A tie table (``source``, ``target``, ``weight``).
    customers : pyspark.sql.DataFrame, optional
        Customers without ties are nodes too (they only receive the teleport share).
    alpha : float
        Damping factor, in (0, 1).
    weight : str or None
        Arc weight column; None for unweighted.
    tol : float
        Stop when the L1 change of the rank vector falls below ``tol``. The ranks are then within
        ``tol * alpha / (1 - alpha)`` of the fixed point in L1 distance (so every rank is within that
        of its exact value). Each Spark iteration costs a job, and each factor of 10 in ``tol`` costs
        about 14 iterations at ``alpha = 0.85``.
    max_iter : int
        Give up after this many iterations.

    Returns
    -------
    pyspark.sql.DataFrame
        ``customer_id``, ``pagerank`` (summing to 1), sorted by customer id.

    Raises
    ------
    ParameterError
        ``alpha`` outside (0, 1), or ``tol``/``max_iter`` not positive.
    NetlibError
        No convergence within ``max_iter`` iterations.

    References
    ----------
    .. [1] Page, Brin, Motwani & Winograd (1999). The PageRank citation ranking: bringing order to the web.
    """
    if not 0 < alpha < 1:
        raise ParameterError(f"alpha (PageRank damping) must lie in (0, 1); got {alpha!r}")
    if tol <= 0 or max_iter < 1:
        raise ParameterError(f"tol must be > 0 and max_iter >= 1; got tol={tol!r}, max_iter={max_iter!r}")
    arcs = _arcs(ties, weight)
    out_w = arcs.groupBy("src").agg(F.sum("w").alias("_out"))
    probs = (arcs.join(out_w, "src").select("src", "dst", (F.col("w") / F.col("_out")).alias("p"))
             .localCheckpoint())
    nodes = (_nodes(ties, customers).join(out_w.select(F.col("src").alias("id"), "_out"), "id", "left")
             .select("id", (F.col("_out").isNull() | (F.col("_out") == 0)).alias("dangling")))
    n = nodes.count()
    if n == 0:
        return nodes.select(F.col("id").alias("customer_id"), F.lit(0.0).alias("pagerank"))
    state = nodes.withColumn("x", F.lit(1.0 / n)).localCheckpoint()
    for _ in range(max_iter):
        spread = state.where("dangling").agg(F.coalesce(F.sum("x"), F.lit(0.0)).alias("_d"))
        contrib = (probs.join(state.select(F.col("id").alias("src"), "x"), "src")
                   .groupBy("dst").agg(F.sum(F.col("p") * F.col("x")).alias("_c")))
        new = (state.join(contrib, state["id"] == contrib["dst"], "left").crossJoin(spread)
               .select("id", "dangling", F.col("x").alias("_old"),
                       (F.lit(alpha) * F.coalesce("_c", F.lit(0.0))
                        + (F.lit(alpha) * F.col("_d") + F.lit(1.0 - alpha)) / F.lit(float(n))).alias("x")))
        new, change = materialise(new, F.sum(F.abs(F.col("x") - F.col("_old"))))
        state = new.drop("_old")
        if change < tol:
            return state.select(F.col("id").alias("customer_id"), F.col("x").alias("pagerank")).orderBy("customer_id")
    raise NetlibError(f"pagerank did not converge in {max_iter} iterations")


def _undirected_arcs(ties: DataFrame, weight: str | None) -> DataFrame:
    arcs = _arcs(ties, weight)
    both = arcs.unionByName(arcs.select(F.col("dst").alias("src"), F.col("src").alias("dst"), "w"))
    return both.groupBy("src", "dst").agg(F.sum("w").alias("w"))


def connected_components(ties: DataFrame, *, customers: DataFrame | None = None, max_iter: int = 100) -> DataFrame:
    """Weakly connected components: smallest-id label propagation with pointer jumping.

    Each round every customer takes the smallest label among itself and its neighbours, then the
    label of its label (pointer jumping), so labels travel far in few rounds; at the fixed point every
    customer holds the smallest id of its component.

    Returns
    -------
    pyspark.sql.DataFrame
        ``customer_id``, ``component`` (0 = the largest; equal sizes ordered by their smallest id).
    """
    arcs = _undirected_arcs(ties, None).select("src", "dst").localCheckpoint()
    labels = _nodes(ties, customers).select("id", F.col("id").alias("label")).localCheckpoint()
    for _ in range(max_iter):
        low = (arcs.join(labels.select(F.col("id").alias("dst"), F.col("label").alias("_nl")), "dst")
               .groupBy("src").agg(F.min("_nl").alias("_low")))
        step = (labels.join(low, labels["id"] == low["src"], "left")
                .select("id", F.least("label", F.coalesce("_low", "label")).alias("label")))
        hop = step.select(F.col("id").alias("_lid"), F.col("label").alias("_ll"))
        new = (step.join(hop, step["label"] == hop["_lid"], "left")
               .select("id", F.least("label", F.coalesce("_ll", "label")).alias("label")))
        new = new.join(labels.select("id", F.col("label").alias("_old")), "id")
        new, changed = materialise(new, F.sum((F.col("label") != F.col("_old")).cast("long")))
        labels = new.drop("_old")
        if not changed:
            return _renumber(labels, "label", "component")
    raise NetlibError(f"connected_components did not converge in {max_iter} rounds")


def label_propagation(ties: DataFrame, *, customers: DataFrame | None = None, weight: str | None = "weight",
                      max_iter: int = 20) -> DataFrame:
    """Communities by synchronous label propagation (Raghavan, Albert & Kumara 2007) on Spark.

    Every round each customer takes the label with the largest total tie weight among its
    neighbours (both directions of every tie count); it keeps its own label when that is among the
    best, otherwise ties go to the smallest label. Deterministic: no random order, no seed. Stops
    when no label changes or after ``max_iter`` rounds (synchronous updates can oscillate on
    bipartite parts, so the cap matters).

    Returns
    -------
    pyspark.sql.DataFrame
        ``customer_id``, ``community`` (0 = the largest; equal sizes ordered by their smallest id).

    References
    ----------
    .. [1] Raghavan, Albert & Kumara (2007). Near linear time algorithm to detect community
       structures in large-scale networks. Phys. Rev. E 76, 036106.
    """
    if max_iter < 1:
        raise ParameterError(f"max_iter must be >= 1; got {max_iter!r}")
    arcs = _undirected_arcs(ties, weight).localCheckpoint()
    labels = _nodes(ties, customers).select("id", F.col("id").alias("label")).localCheckpoint()
    for _ in range(max_iter):
        scores = (arcs.join(labels.select(F.col("id").alias("dst"), F.col("label").alias("_nl")), "dst")
                  .groupBy("src", "_nl").agg(F.sum("w").alias("_score")))
        top = scores.groupBy("src").agg(F.max("_score").alias("_top"))
        best = scores.join(top, "src").where(F.col("_score") == F.col("_top"))
        mine = labels.select(F.col("id").alias("src"), F.col("label").alias("_own"))
        pick = (best.join(mine, "src")
                .groupBy("src").agg(F.max((F.col("_nl") == F.col("_own")).cast("int")).alias("_keep"),
                                    F.min("_nl").alias("_low")))
        new = (labels.join(pick, labels["id"] == pick["src"], "left")
               .select("id", F.col("label").alias("_old"),
                       F.when(F.col("_keep").isNull() | (F.col("_keep") == 1), F.col("label"))
                       .otherwise(F.col("_low")).alias("label")))
        new, changed = materialise(new, F.sum((F.col("label") != F.col("_old")).cast("long")))
        labels = new.drop("_old")
        if not changed:
            break
    return _renumber(labels, "label", "community")
