"""Assemble the explorer page: vendored JavaScript, styles and the packed data in one HTML file. Private."""

from __future__ import annotations

import base64
import gzip
import html
import json
from functools import lru_cache
from importlib import resources

import numpy as np

from netlib.errors import DataError

#: Scripts run inline only; nothing may be fetched, framed or posted (the page works with no network).
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
       "font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'")

_JS_TYPES = {"float32": "Float32Array", "float64": "Float64Array", "int32": "Int32Array", "uint8": "Uint8Array",
             "int8": "Int8Array", "int16": "Int16Array", "uint16": "Uint16Array", "uint32": "Uint32Array"}

#: The vendored bundles, in load order (see static/README.md for versions and licences).
VENDORED = ("graphology.umd.min.js", "sigma.min.js")


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    return resources.files("netlib.explorer").joinpath("static", name).read_text(encoding="utf-8")


def _inline_script(source: str) -> str:
    # "</script" would end the element early; "<\/script" means the same inside JavaScript strings
    return "<script>" + source.replace("</script", "<\\/script") + "</script>"


class StringTable(list):
    """A list of strings (``None`` for missing) that travels as one UTF-8 text plus offsets.

    In the page it becomes one JavaScript string and an ``Int32Array`` of UTF-16 offsets: entry
    ``i`` is ``text.slice(off[i], off[i + 1])``, and search scans the one string instead of a
    million small ones (``{"$s": [text, offsets, missing or null]}`` in the JSON).
    """


def _utf16_offsets(values: list) -> tuple[bytes, np.ndarray, np.ndarray | None]:
    texts = ["" if v is None else v for v in values]
    joined = "".join(texts)
    if joined.isascii():
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    else:  # characters beyond the BMP take two UTF-16 units in JavaScript
        lengths = np.fromiter((len(t.encode("utf-16-le")) // 2 for t in texts), dtype=np.int64, count=len(texts))
    off = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=off[1:])
    if off[-1] >= 2**31:
        raise DataError(f"explorer payload: {off[-1]:,} characters of text are more than one page can index")
    missing = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
    return joined.encode("utf-8"), off.astype(np.int32), missing.astype(np.uint8) if missing.any() else None


def encode(payload: dict, *, level: int = 1) -> str:
    """The payload as base64 of gzip of: a little-endian uint32 length, that much JSON, then the arrays.

    Every numpy array in ``payload`` travels as raw little-endian bytes (8-byte aligned) and is
    replaced in the JSON by ``{"$a": [dtype, byte offset, length]}``; the page inflates the whole
    with the browser's DecompressionStream and views the arrays in place (no parsing). A
    :class:`StringTable` travels as ``{"$s": [UTF-8 bytes, UTF-16 offsets, missing]}`` (see there).
    gzip's ``level`` 1 is the default: at 200,000 customers it writes 3-4x faster than level 6 for a
    page a few percent larger.
    """
    chunks: list[bytes] = []
    offset = 0

    def put(data: bytes) -> int:
        nonlocal offset
        at = offset
        chunks.append(data + b"\0" * (-len(data) % 8))
        offset += len(data) + (-len(data) % 8)
        return at

    def strip(obj):
        if isinstance(obj, np.ndarray):
            a = np.ascontiguousarray(obj, dtype=obj.dtype.newbyteorder("<"))
            if a.dtype.name not in _JS_TYPES:
                raise DataError(f"explorer payload: no typed array for dtype {a.dtype}")
            return {"$a": [_JS_TYPES[a.dtype.name], put(a.tobytes()), int(a.size)]}
        if isinstance(obj, StringTable):
            text, off, missing = _utf16_offsets(obj)
            return {"$s": [{"$a": ["Uint8Array", put(text), len(text)]}, strip(off),
                           None if missing is None else strip(missing)]}
        if isinstance(obj, dict):
            return {k: strip(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [strip(v) for v in obj]
        return obj

    text = json.dumps(strip(payload), separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
    head = len(text).to_bytes(4, "little") + text
    head += b" " * (-len(head) % 8)  # the arrays start 8-byte aligned
    raw = head + b"".join(chunks)
    return base64.b64encode(gzip.compress(raw, compresslevel=level, mtime=0)).decode("ascii")


def decode(text: str) -> dict:
    """The inverse of :func:`encode` (numpy arrays back in place): for tests and inspection."""
    raw = gzip.decompress(base64.b64decode(text))
    n = int.from_bytes(raw[:4], "little")
    start = 4 + n + (-(4 + n) % 8)
    dtypes = {v: k for k, v in _JS_TYPES.items()}

    def put(obj):
        if isinstance(obj, dict):
            if set(obj) == {"$a"}:
                kind, off, size = obj["$a"]
                return np.frombuffer(raw, dtype=np.dtype(dtypes[kind]).newbyteorder("<"), count=size, offset=start + off)
            if set(obj) == {"$s"}:
                text, off, missing = (put(x) for x in obj["$s"])
                text = text.tobytes().decode("utf-8")
                if not text.isascii():  # offsets count UTF-16 units
                    units = text.encode("utf-16-le")
                    values = [units[2 * a:2 * b].decode("utf-16-le") for a, b in zip(off[:-1], off[1:])]
                else:
                    values = [text[a:b] for a, b in zip(off[:-1], off[1:])]
                if missing is not None:
                    values = [None if m else v for v, m in zip(values, missing)]
                return StringTable(values)
            return {k: put(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [put(v) for v in obj]
        return obj

    return put(json.loads(raw[4:4 + n]))


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
