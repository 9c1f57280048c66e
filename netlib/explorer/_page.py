"""Assemble the explorer page: vendored JavaScript, styles and the packed data in one HTML file. Private."""

from __future__ import annotations

import base64
import gzip
import html
import json
from functools import lru_cache
from importlib import resources

#: Scripts run inline only; nothing may be fetched, framed or posted (the page works with no network).
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
       "font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'")

#: The vendored bundles, in load order (see static/README.md for versions and licences).
VENDORED = ("graphology.umd.min.js", "sigma.min.js")


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    return resources.files("netlib.explorer").joinpath("static", name).read_text(encoding="utf-8")


def _inline_script(source: str) -> str:
    # "</script" would end the element early; "<\/script" means the same inside JavaScript strings
    return "<script>" + source.replace("</script", "<\\/script") + "</script>"


def encode(payload: dict) -> str:
    """JSON → gzip → base64: the page inflates it with the browser's DecompressionStream."""
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")


def page(payload: dict, *, title: str, pseudonymized: bool) -> str:
    t = html.escape(title)
    hint = "Find a customer by id" if pseudonymized else "Find a customer by id or name"
    parts = [
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="netlib explorer">',
        f"<title>{t}</title><style>{asset('explorer.css')}</style></head>\n<body>",
        f'<header><h1>{t}</h1><p class="summary" id="summary">Loading the network…</p>',
        f'<div class="searchbox"><input id="search" type="search" placeholder="{hint}" autocomplete="off" '
        f'aria-label="{hint}"><ul id="search-results"></ul></div></header>',
        '<nav id="filters" aria-label="Filters">',
        '<h2>Communities</h2><div class="tools"><button type="button" id="community-all">show all</button> '
        '<button type="button" id="community-none">hide all</button></div>'
        '<div id="filter-community" class="checklist"></div>',
        '<div id="segment-box"><h2>Behaviour segment</h2><div id="filter-segment" class="checklist"></div></div>',
        '<div id="attr-box"><h2>Attribute</h2><select id="attr-key" aria-label="Attribute to filter by"></select>'
        '<div id="filter-attr" class="checklist"></div></div>',
        '<div id="measure-box"><h2>Measure</h2><select id="measure-key" aria-label="Measure"></select>'
        '<input type="range" id="measure-min" min="0" max="99" value="0" aria-label="Minimum percentile">'
        '<div id="measure-value"></div></div>',
        "</nav>",
        '<main id="mapwrap"><div id="map"></div><div id="community-labels"></div>'
        '<button type="button" id="reset">Reset view</button><div id="status" role="status"></div></main>',
        '<aside id="card" hidden aria-label="Customer card"></aside>',
        f'<script id="netlib-data" type="application/octet-stream">{encode(payload)}</script>',
        *(_inline_script(asset(name)) for name in VENDORED),
        _inline_script(asset("explorer.js")),
        "</body></html>\n",
    ]
    return "\n".join(parts)
