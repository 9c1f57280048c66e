"""The ``netlib`` command line."""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def _summary(args: argparse.Namespace) -> int:
    import pandas as pd

    from netlib.network import build_network, network_summary, tie_strength

    from netlib._sample import data_or_sample

    data = data_or_sample(_read_options(args.data, args))
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


def _read_options(folder: str | None, args: argparse.Namespace):
    """The folder itself, or its CustomerData read with the options given on the command line."""
    options = {"dayfirst": args.dayfirst, "date_format": args.date_format, "time_unit": args.time_unit,
               "encoding": args.encoding, "delimiter": args.delimiter, "decimal": args.decimal,
               "na_values": args.na_values.split(",") if args.na_values else None}
    options = {k: v for k, v in options.items() if v is not None}
    if folder is None or not options:
        return folder
    from netlib.io import read_data

    return read_data(folder, **options)


def _read_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("reading the data (see the README's 'Your own data')")
    order = g.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True, default=None,
                       help="numeric dates are day/month/year")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="numeric dates are month/day/year")
    g.add_argument("--date-format", default=None, help="strftime format of every text timestamp, e.g. %%d.%%m.%%Y")
    g.add_argument("--time-unit", choices=("s", "ms", "us", "ns", "excel"), default=None,
                   help="unit of numeric timestamps (default: told apart by magnitude)")
    g.add_argument("--encoding", default=None, help="text encoding of csv files (default: detected)")
    g.add_argument("--delimiter", default=None, help="field separator of csv files (default: detected)")
    g.add_argument("--decimal", choices=(".", ","), default=None, help="decimal mark (default: detected)")
    g.add_argument("--na-values", default=None, help="comma-separated cell texts read as missing, e.g. NA,n/a")


def _parameters(pairs: list[str]) -> dict:
    import yaml

    from netlib.errors import ParameterError

    out = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.isidentifier():
            raise ParameterError(f"-p expects NAME=VALUE (e.g. -p resolution=2.0); got {pair!r}")
        out[name] = yaml.safe_load(value)
    return out


def _notebooks(text: str | None):
    return None if not text else [t.strip() for t in text.split(",") if t.strip()]


def _report(args: argparse.Namespace) -> int:
    from netlib.report import build_report

    result = build_report(args.data, args.out, notebooks=_notebooks(args.notebooks), parameters=_parameters(args.param),
                          seed=args.seed, k=args.k, show_code=args.show_code, pseudonymize=args.pseudonymize,
                          salt=args.salt, self_contained=args.self_contained, keep_notebooks=args.keep_notebooks,
                          jobs=args.jobs)
    total = sum(result.seconds.values())
    print(f"netlib report: wrote {result.index} and {len(result.pages)} pages ({total:.0f} s of notebooks)")
    if args.pseudonymize and not result.salt_was_given:
        print("netlib report: customer ids were hashed with a one-off salt; pass --salt (or set NETLIB_SALT) "
              "to get the same pseudonyms in later reports", file=sys.stderr)
    return 0


def _figures(args: argparse.Namespace) -> int:
    from netlib.report import build_figures

    result = build_figures(args.data, args.out, format=args.format, notebooks=_notebooks(args.notebooks),
                           parameters=_parameters(args.param), seed=args.seed, k=args.k,
                           pseudonymize=args.pseudonymize, salt=args.salt, width=args.width, height=args.height,
                           scale=args.scale, jobs=args.jobs)
    print(f"netlib figures: wrote {len(result.files)} {args.format} files to {result.out} ({result.seconds:.0f} s)")
    return 0


def _suite_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", nargs="?", default=None,
                   help="folder with customers/interactions/events files (default: the shipped sample)")
    p.add_argument("--notebooks", default=None, help="comma-separated subset, e.g. 01,03 (default: all six)")
    p.add_argument("--seed", type=int, default=42, help="seed of every stochastic step (default 42)")
    p.add_argument("-k", "--k", type=int, default=10, help="seeds / top customers per list (default 10)")
    p.add_argument("-p", "--param", action="append", metavar="NAME=VALUE",
                   help="extra notebook parameter (repeatable), e.g. -p resolution=2.0")
    p.add_argument("--pseudonymize", action="store_true",
                   help="replace customer ids by salted hashes (and drop name/email/... columns) everywhere")
    p.add_argument("--salt", default=None, help="salt for --pseudonymize (default: $NETLIB_SALT, else one-off)")
    p.add_argument("--jobs", type=int, default=1, help="notebooks to run at once, one kernel each (default 1)")


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
    _read_flags(p)
    p.set_defaults(func=_summary)
    p = sub.add_parser("report", help="run the notebook suite and write offline HTML reports plus an index page")
    _suite_options(p)
    p.add_argument("--out", default="report", help="output folder (default ./report)")
    p.add_argument("--show-code", action="store_true", help="keep the code cells in the pages")
    p.add_argument("--self-contained", action="store_true",
                   help="embed plotly.js in every page instead of shipping plotly.min.js beside them")
    p.add_argument("--keep-notebooks", action="store_true", help="also write the executed notebooks")
    p.set_defaults(func=_report)
    p = sub.add_parser("figures", help="write every figure of the suite as png, svg or pdf (needs Chrome/Chromium)")
    _suite_options(p)
    p.add_argument("--out", default="figures", help="output folder (default ./figures)")
    p.add_argument("--format", choices=("png", "svg", "pdf"), default="svg", help="file format (default svg)")
    p.add_argument("--width", type=int, default=900, help="width in layout pixels (default 900)")
    p.add_argument("--height", type=int, default=560, help="height in layout pixels (default 560)")
    p.add_argument("--scale", type=float, default=2.0, help="pixel scale for png (default 2)")
    p.set_defaults(func=_figures)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except NetlibError as exc:
        print(f"netlib: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
