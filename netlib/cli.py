"""The ``netlib`` command line."""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def _summary(args: argparse.Namespace) -> int:
    import pandas as pd

    from netlib.network import build_network, network_summary, tie_strength
    from netlib.report import load

    data = load(args.data, columns=_columns(args), read_options=_read_options(args))
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
    out += _behaviour_lines(data, args)
    out.append("")
    out.append(data.report.to_text())
    print("\n".join(out))
    return 0


def _behaviour_lines(data, args) -> list[str]:
    """How the event types map to behaviours, and what stays unmapped."""
    if not len(data.events):
        return []
    from netlib.report.findings import UNMAPPED_WARN, behaviour_profiles, find_taxonomy

    taxonomy = args.taxonomy or find_taxonomy(args.data)
    _, mapping, unmapped = behaviour_profiles(data, taxonomy)
    out = ["", f"Behaviours (taxonomy: {taxonomy or 'netlib default'})",
           f"  {'events left unmapped':<32} {unmapped:.1%}" + ("  <- check the mapping (--taxonomy FILE)"
                                                            if unmapped > UNMAPPED_WARN else "")]
    if mapping is not None and "source" in mapping.columns:
        for source in ("rule", "unmapped"):
            rows = mapping[mapping["source"] == source]
            for event_type, row in rows.iterrows():
                target = row.get("behaviour") if source == "rule" else "(unmapped)"
                out.append(f"  {str(event_type):<32} -> {target}  ({int(row['count']):,} events, {source})")
    return out


def _columns(args: argparse.Namespace) -> dict | None:
    """``--column interactions.src=source`` (repeatable) and ``--columns FILE`` as read_data's ``columns``."""
    import yaml

    from netlib.errors import ParameterError

    out: dict[str, dict[str, str]] = {}
    if getattr(args, "columns_file", None):
        loaded = yaml.safe_load(open(args.columns_file, encoding="utf-8")) or {}
        if not isinstance(loaded, dict) or not all(isinstance(v, dict) for v in loaded.values()):
            raise ParameterError(f"{args.columns_file}: expected a mapping of table to {{old name: new name}}, e.g. "
                                 "interactions: {src: source}")
        for table, renames in loaded.items():
            out.setdefault(str(table), {}).update({str(k): str(v) for k, v in renames.items()})
    for item in getattr(args, "column", None) or []:
        left, sep, new = item.partition("=")
        table, dot, old = left.partition(".")
        if not sep or not dot or not table or not old or not new:
            raise ParameterError(f"--column expects TABLE.OLD=NEW (e.g. --column interactions.src=source); got {item!r}")
        out.setdefault(table, {})[old] = new
    return out or None


def _read_options(args: argparse.Namespace) -> dict:
    """The reading options given on the command line, named as read_data's keywords."""
    opts = {}
    for name in ("dayfirst", "date_format", "time_unit", "encoding", "delimiter", "decimal"):
        value = getattr(args, name, None)
        if value is not None:
            opts[name] = value
    if getattr(args, "na_values", None) is not None:
        opts["na_values"] = [v for v in args.na_values.split(",")]
    return opts


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
                          seed=args.seed, k=args.k, p=args.pass_on, runs=args.runs, taxonomy=args.taxonomy,
                          columns=_columns(args), read_options=_read_options(args), show_code=args.show_code,
                          pseudonymize=args.pseudonymize, salt=args.salt, self_contained=args.self_contained,
                          keep_notebooks=args.keep_notebooks, exports=not args.no_exports, jobs=args.jobs)
    total = sum(result.seconds.values())
    print(f"netlib report: wrote {result.index} and {len(result.pages)} pages ({total:.0f} s of notebooks)")
    for name, why in result.skipped.items():
        print(f"netlib report: {name}: {why}", file=sys.stderr)
    if args.pseudonymize and not result.salt_was_given:
        print("netlib report: customer ids were hashed with a one-off salt; pass --salt (or set NETLIB_SALT) "
              "to get the same pseudonyms in later reports", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    from netlib.report import export, load

    salt = args.salt
    if args.pseudonymize and not salt:
        import os

        salt = os.environ.get("NETLIB_SALT")
        if not salt:
            from netlib.errors import ParameterError

            raise ParameterError("--pseudonymize needs --salt (or NETLIB_SALT): keep it to map pseudonyms back")
    data = load(args.data, columns=_columns(args), read_options=_read_options(args))
    result = export(data, args.out, pseudonymize=args.pseudonymize, salt=salt, k=args.k, seed=args.seed,
                    p=args.pass_on, runs=args.runs, taxonomy=args.taxonomy)
    print(f"netlib export: wrote {len(result.csv)} tables to {result.out} "
          f"({', '.join(f'{n} {r:,} rows' for n, r in result.rows.items())}) and {result.workbook.name}")
    return 0


def _data_options(p: argparse.ArgumentParser) -> None:
    """Options that say how to read a data folder (passed to netlib.read_data under the same names)."""
    g = p.add_argument_group("reading the data")
    g.add_argument("--taxonomy", default=None, metavar="FILE",
                   help="event-type -> behaviour file (yaml or csv); default: taxonomy.yaml in the data folder, "
                        "else netlib's default with its matching rules")
    g.add_argument("--column", action="append", metavar="TABLE.OLD=NEW",
                   help="rename a column before reading, e.g. --column interactions.src=source (repeatable)")
    g.add_argument("--columns", dest="columns_file", metavar="FILE",
                   help="column renames as yaml: {interactions: {src: source}, events: {type: event_type}}")
    g.add_argument("--dayfirst", dest="dayfirst", action="store_true", default=None,
                   help="dates are day first (02/03/2024 = 2 March)")
    g.add_argument("--no-dayfirst", "--monthfirst", dest="dayfirst", action="store_false", help="dates are month first")
    g.add_argument("--date-format", default=None, help="strftime format of the timestamps, e.g. %%d.%%m.%%Y %%H:%%M")
    g.add_argument("--time-unit", default=None, help="unit of numeric timestamps: s, ms, us, ns (or excel)")
    g.add_argument("--encoding", default=None, help="text encoding of the files, e.g. cp1252")
    g.add_argument("--delimiter", default=None, help="field delimiter, e.g. ';'")
    g.add_argument("--decimal", default=None, help="decimal mark, e.g. ','")
    g.add_argument("--na-values", default=None, metavar="A,B", help="extra cell values that mean missing, e.g. NULL,-")


def _analysis_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pass-on", type=float, default=None, metavar="P",
                   help="pass-on probability of a tie for every reach figure (default: estimated from the share log)")
    p.add_argument("--runs", type=int, default=1000, help="Monte-Carlo runs per reach estimate (default 1000)")


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
    _data_options(p)
    p.set_defaults(func=_summary)
    p = sub.add_parser("report", help="run the notebook suite and write offline HTML reports plus an index page")
    _suite_options(p)
    p.add_argument("--out", default="report", help="output folder (default ./report)")
    p.add_argument("--show-code", action="store_true", help="keep the code cells in the pages")
    p.add_argument("--self-contained", action="store_true",
                   help="embed plotly.js in every page instead of shipping plotly.min.js beside them")
    p.add_argument("--keep-notebooks", action="store_true", help="also write the executed notebooks")
    p.add_argument("--no-exports", action="store_true", help="leave out the CSV/Excel exports")
    _analysis_options(p)
    _data_options(p)
    p.set_defaults(func=_report)
    p = sub.add_parser("export", help="write the report's tables (customers, communities, seeds, cascades, routes) "
                                      "as CSV and one Excel workbook with a data dictionary")
    p.add_argument("data", nargs="?", default=None,
                   help="folder with customers/interactions/events files (default: the shipped sample)")
    p.add_argument("--out", default="export", help="output folder (default ./export)")
    p.add_argument("--seed", type=int, default=42, help="seed of every stochastic step (default 42)")
    p.add_argument("-k", "--k", type=int, default=10, help="campaign seeds (default 10)")
    p.add_argument("--pseudonymize", action="store_true", help="export salted pseudonyms instead of customer ids")
    p.add_argument("--salt", default=None, help="salt for --pseudonymize (default: $NETLIB_SALT); keep it")
    _analysis_options(p)
    _data_options(p)
    p.set_defaults(func=_export)
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
