"""Writing a generated world to a folder and reading its truth back (the shipped sample in ``data/sample``)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from netlib._util import provenance, sha256_file
from netlib.synth._vocab import _ARC_KINDS, SAMPLE_PARAMS
from netlib.synth.world import SyntheticTruth, generate

__all__ = ["write_sample", "read_truth", "main"]

_TABLE_FILES = ("customers.csv", "interactions.csv", "events.csv")
_TRUTH_FILES = ("truth_customers.csv", "truth_cascades.csv", "truth_projects.csv", "truth_ties.csv",
                "truth_params.json")


def _csv_text(df: pd.DataFrame, *, index: bool = False, times: Sequence[str] = (), dates: Sequence[str] = ()) -> str:
    """Deterministic csv: ISO 8601 UTC times in whole seconds, dates as YYYY-MM-DD, missing as empty."""
    out = df.copy()
    for col in times:
        out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    for col in dates:
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=index, lineterminator="\n")


def _card(data, params: dict) -> str:
    t = data.truth
    c = t.customers
    kinds = data.interactions["kind"].value_counts()
    rows = "\n".join(f"| `{k}` | {v!r} |" for k, v in params.items())
    mix = (c["community"].reindex(t.ties["source"]).to_numpy() != c["community"].reindex(t.ties["target"]).to_numpy())
    friend = (t.ties["kind"] == "friend").to_numpy()
    return f"""# The netlib sample: a synthetic customer network with known ground truth

Made by `netlib.synth.generate` (see its docstring for the model) and loaded by `netlib.load_sample()`.
Every customer, tie, share and event here is invented; nothing describes a real person. Public domain (CC0).

## Regenerate

    python -m netlib.synth --write-sample data/sample

writes the same bytes again (the test suite checks this against `SHA256SUMS`). In Python:
`netlib.synth.write_sample("data/sample")`, or `netlib.synth.generate(**netlib.synth.SAMPLE_PARAMS)` for the
tables in memory.

## At a glance

- {len(data.customers):,} customers in {c['community'].nunique()} planted communities; {int(c['influencer'].sum())} planted influencers
- {len(data.interactions):,} interactions: {kinds.get('share', 0):,} shares of {t.cascades['item_id'].nunique():,} items, {kinds.get('message', 0):,} messages, {kinds.get('referral', 0):,} referrals
- {len(data.events):,} behavioural events; {t.projects['project_id'].nunique()} collaboration projects with {len(t.projects):,} memberships
- {int(friend.sum() // 2):,} friendship ties ({mix[friend].mean():.3f} of them between communities; the generator's mu is {params['mu']}) and {int((~friend).sum()):,} influencer-to-follower arcs
- observation window: {params['days']} days from {params['start']} (UTC)

## Files

The three input tables (read them with `netlib.read_data("data/sample")`):

| file | one row per | columns |
|---|---|---|
| `customers.csv` | customer | `customer_id` (C0000…), `name` (invented), `region`, `segment` (occasional / regular / loyal, by activity), `age_band`, `signup_date` (YYYY-MM-DD) |
| `interactions.csv` | customer-to-customer interaction | `source`, `target`, `timestamp` (ISO 8601 UTC), `kind` (share, message, referral), `channel` (in_person, app, social, email), `item_id` (shares only), `weight` (1.0) |
| `events.csv` | behavioural event | `customer_id`, `timestamp`, `event_type` (below), `item_id` (share events), `project_id` (join_project, co_create and some idea_vote events), `target` (share and refer events), `channel` (app, web, email, social, in_person) |

Event types by Rogers behaviour: access — login, app_open, search, page_view; engage — view, like, comment,
watch; customize — save_preference, wishlist, configure, subscribe; connect — share, refer, review, message,
follow; collaborate — co_create, forum_answer, idea_vote, join_project.

The ground truth (what analyses should find):

| file | one row per | columns |
|---|---|---|
| `truth_customers.csv` | customer | `customer_id`, `community` (0 = largest), `influencer` (True/False), latent shares `access`, `engage`, `customize`, `connect`, `collaborate` (sum to 1), `activity` (expected events), `degree` (friendship ties) |
| `truth_cascades.csv` | adoption of an item | `item_id`, `customer`, `parent` (empty for the root), `time`, `depth` (0 = root), `root` |
| `truth_projects.csv` | project membership | `project_id`, `customer_id`, `joined` (time of the join_project event), `community` (the project's home community) |
| `truth_ties.csv` | directed arc of the planted network | `source`, `target`, `kind` (friend, both directions; follow, influencer to follower), `strength`, `p` (independent-cascade probability) |
| `truth_params.json` | — | the generator parameters below |

## How the tables fit together

- **Share rule.** For each item, a customer's adoption time is the timestamp of the earliest share of that
  item they received and their parent is its sender; the root shares before receiving and adopts at its
  first share. `truth_cascades.csv` is exactly what this rule reconstructs from the share interactions.
- **Reconciliation rule.** Events with a `target` are exactly the share and referral interactions, one to one
  (`share` ↔ kind share with the same item; `refer` ↔ referral; same customer, target, timestamp, channel).
  Message interactions have no event; review, follow and message events have no target.

## Generator parameters

| parameter | value |
|---|---|
{rows}

`SHA256SUMS` lists the sha256 of every other file here.
"""


def write_sample(folder: str | Path, **params) -> list[Path]:
    """Generate a world and write it to ``folder`` as the shipped sample is written.

    Parameters
    ----------
    folder : str or Path
        Destination (created if needed); files already there with the same names are replaced,
        each atomically.
    **params
        Arguments of :func:`generate`; default :data:`SAMPLE_PARAMS` (the shipped sample).

    Returns
    -------
    list of Path
        The files written: the three tables, the truth files, ``README.md`` (the data card) and
        ``SHA256SUMS``.

    Notes
    -----
    The output is byte-for-byte reproducible from the parameters: csv with ISO 8601 UTC times in
    whole seconds, floats as Python writes them (shortest round-trip form), ``\\n`` line ends.
    """
    from netlib.io import atomic_write

    params = dict(params) or dict(SAMPLE_PARAMS)
    params.setdefault("progress", False)
    data = generate(**params)
    truth = data.truth
    folder = Path(folder)
    texts = {
        "customers.csv": _csv_text(data.customers, dates=("signup_date",)),
        "interactions.csv": _csv_text(data.interactions, times=("timestamp",)),
        "events.csv": _csv_text(data.events, times=("timestamp",)),
        "truth_customers.csv": _csv_text(truth.customers, index=True),
        "truth_cascades.csv": _csv_text(truth.cascades, times=("time",)),
        "truth_projects.csv": _csv_text(truth.projects, times=("joined",)),
        "truth_ties.csv": _csv_text(truth.ties),
        "truth_params.json": json.dumps(truth.params, indent=2, sort_keys=False) + "\n",
        "README.md": _card(data, truth.params),
    }
    written = []
    for name, text in texts.items():
        path = folder / name
        with atomic_write(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        path.chmod(0o644)
        written.append(path)
    sums = "".join(f"{sha256_file(p)}  {p.name}\n" for p in sorted(written, key=lambda p: p.name))
    with atomic_write(folder / "SHA256SUMS", "w", encoding="utf-8", newline="") as handle:
        handle.write(sums)
    (folder / "SHA256SUMS").chmod(0o644)
    return [*written, folder / "SHA256SUMS"]


def read_truth(folder: str | Path) -> SyntheticTruth:
    """Read the truth files :func:`write_sample` wrote back into a :class:`SyntheticTruth`.

    Raises
    ------
    netlib.errors.DataError
        A truth file is missing (the message names it).
    """
    from netlib.errors import DataError

    folder = Path(folder)
    for name in _TRUTH_FILES:
        if not (folder / name).is_file():
            raise DataError(f"{folder / name}: truth file not found; regenerate with "
                            f"`python -m netlib.synth --write-sample {folder}`")

    def utc(s: pd.Series) -> pd.Series:
        return pd.to_datetime(s, format="%Y-%m-%dT%H:%M:%SZ", utc=True).astype("datetime64[ns, UTC]")

    ids = {"customer_id": "str", "item_id": "str", "customer": "str", "parent": "str", "root": "str",
           "project_id": "str", "source": "str", "target": "str", "kind": "str"}
    customers = pd.read_csv(folder / "truth_customers.csv", dtype={**ids, "community": "int64", "degree": "int64",
                                                                   "influencer": "bool"}).set_index("customer_id")
    cascades = pd.read_csv(folder / "truth_cascades.csv", dtype={**ids, "depth": "int64"})
    cascades["time"] = utc(cascades["time"])
    projects = pd.read_csv(folder / "truth_projects.csv", dtype={**ids, "community": "int64"})
    projects["joined"] = utc(projects["joined"])
    ties = pd.read_csv(folder / "truth_ties.csv", dtype={**ids, "strength": "float64", "p": "float64"})
    id_dtype = pd.CategoricalDtype(customers.index)
    ties = ties.astype({"source": id_dtype, "target": id_dtype, "kind": _ARC_KINDS})
    params = json.loads((folder / "truth_params.json").read_text(encoding="utf-8"))
    prov = provenance("synth.generate", **params)
    for frame in (customers, cascades, projects, ties):
        frame.attrs["provenance"] = prov
    return SyntheticTruth(customers, cascades, projects, ties, params)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m netlib.synth --write-sample FOLDER [--n-customers N] [--seed S]``."""
    parser = argparse.ArgumentParser(prog="python -m netlib.synth",
                                     description="Write a synthetic customer world (default: the shipped sample).")
    parser.add_argument("--write-sample", metavar="FOLDER", required=True,
                        help="folder to write the tables, truth files, data card and SHA256SUMS to")
    parser.add_argument("--n-customers", type=int, default=None, help="number of customers (default: the sample's)")
    parser.add_argument("--seed", type=int, default=None, help="seed (default: the sample's)")
    args = parser.parse_args(argv)
    params = dict(SAMPLE_PARAMS)
    if args.n_customers is not None:
        params["n_customers"] = args.n_customers
    if args.seed is not None:
        params["seed"] = args.seed
    params["progress"] = None
    for path in write_sample(args.write_sample, **params):
        print(path)
    return 0

