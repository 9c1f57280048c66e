"""The ``netlib`` command line."""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def _load(path: str | None):
    if path is None:
        from netlib._sample import load_sample

        return load_sample()
    from netlib.io import read_data

    return read_data(path)


def _summary(args: argparse.Namespace) -> int:
    import pandas as pd

    from netlib.network import build_network, network_summary, tie_strength

    data = _load(args.data)
    G = build_network(data)
    s = network_summary(G, top=args.top)
    out = [f"netlib summary of {data.source}", ""]
    out.append(repr(data))
    out.append("")
    out.append("Network")
    for key, value in s["counts"].items():
        shown = f"{value:,.4f}" if isinstance(value, float) else f"{value:,}"
        out.append(f"  {key.replace('_', ' '):<32} {shown}")
    if G.graph.get("self_loops_dropped"):
        out.append(f"  {'self-loops left out':<32} {G.graph['self_loops_dropped']:,}")
    ties = tie_strength(G)
    if len(ties):
        counts = ties["strength"].value_counts().reindex(["core", "significant", "weak"])
        per = ties.attrs["per_customer"]
        out.append(f"  {'tie strength (core/signif./weak)':<32} {counts['core']:,} / {counts['significant']:,} / "
                   f"{counts['weak']:,}  (median per customer: {per['median_core']:g} core, "
                   f"{per['median_significant']:g} significant)")
    out.append("")
    out.append("Degree distribution")
    with pd.option_context("display.float_format", "{:,.2f}".format, "display.width", 120):
        out.append(s["degrees"].to_string())
        out.append("")
        out.append(f"Top {len(s['top'])} customers by degree")
        out.append(s["top"].to_string())
    out.append("")
    out.append(data.report.to_text())
    print("\n".join(out))
    return 0


def main(argv: list[str] | None = None) -> int:
    from netlib import __version__
    from netlib.errors import NetlibError

    parser = argparse.ArgumentParser(prog="netlib", description="Customer-network analysis.")
    parser.add_argument("--version", action="version", version=f"netlib {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("summary", help="print the network at a glance and the load report")
    p.add_argument("data", nargs="?", default=None,
                   help="folder with customers/interactions/events files (default: the shipped sample)")
    p.add_argument("--top", type=int, default=10, help="how many top customers to list (default 10)")
    p.set_defaults(func=_summary)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except NetlibError as exc:
        print(f"netlib: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
