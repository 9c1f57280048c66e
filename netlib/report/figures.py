"""Static figures: run the suite and write every figure it draws through kaleido."""

from __future__ import annotations

import copy
import os
import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netlib.errors import NetlibError, ParameterError
from netlib.report.build import _check_out, _prepare_data
from netlib.report.notebooks import DEFAULT_PARAMETERS, _run_suite, notebook_figures, notebook_paths

__all__ = ["FiguresResult", "build_figures", "write_images"]


@dataclass
class FiguresResult:
    """What :func:`build_figures` wrote: one file per figure, ``<notebook>-<nn>-<plot function>.<format>``."""

    out: Path
    files: list[Path]
    seconds: float


def _slug(text: str, limit: int = 40) -> str:
    s = re.sub(r"<[^>]*>", " ", text or "")
    s = re.sub(r"[^A-Za-z0-9]+", "-", s).strip("-").lower()
    return s[:limit].rstrip("-") or "figure"


def _figure_title(fig: dict) -> str:
    t = fig.get("layout", {}).get("title")
    if isinstance(t, dict):
        return t.get("text") or ""
    return t or ""


def build_figures(data=None, out="figures", *, format: str = "svg", notebooks=None,
                  parameters: dict[str, Any] | None = None, seed: int = 42, k: int = 10,
                  pseudonymize: bool = False, salt: str | None = None, width: int = 900, height: int = 560,
                  scale: float = 2.0, progress: bool | None = None, timeout: int = 1800,
                  kernel_name: str | None = None, jobs: int = 1) -> FiguresResult:
    """Run the suite and write every figure it draws as a static ``png``, ``svg`` or ``pdf`` file.

    Files are named ``<notebook>-<nn>-<plot function>.<format>`` (``03_communities-02-network_map.svg``;
    a title slug for figures not drawn by :mod:`netlib.plot`); the same data, seed and versions give
    the same bytes. Images are drawn by kaleido, which drives a Chrome or Chromium installed on the machine
    (on Debian/Ubuntu: ``apt-get install chromium``; or set ``BROWSER_PATH``).

    Raises
    ------
    NetlibError
        When no Chrome/Chromium is found (checked before any notebook runs).
    ReportError
        A notebook failed.
    """
    if format not in ("png", "svg", "pdf"):
        raise ParameterError(f"format must be 'png', 'svg' or 'pdf', got {format!r}")
    _find_chrome()
    out = _check_out(out)
    if pseudonymize:
        salt = salt or os.environ.get("NETLIB_SALT") or secrets.token_hex(16)
    paths = notebook_paths(notebooks)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="netlib-figures-") as tmp:
        _, data_path, read_opts = _prepare_data(data, pseudonymize, salt, Path(tmp))
        params = {**DEFAULT_PARAMETERS, "seed": seed, "k": k, "read_options": read_opts, **(parameters or {}),
                  "data_path": data_path}
        _, executed, _ = _run_suite(paths, params, figure_json=True, progress=progress, timeout=timeout,
                                    kernel_name=kernel_name, jobs=jobs, known={"read_options"})
    specs = []
    for p in paths:
        for i, fig in enumerate(notebook_figures(executed[p]), start=1):
            meta = fig.get("layout", {}).get("meta")
            kind = meta.get("figure") if isinstance(meta, dict) and meta.get("figure") else _slug(_figure_title(fig))
            name = f"{p.stem}-{i:02d}-{kind}.{format}"
            specs.append((fig, out / name))
    files = write_images([f for f, _ in specs], [p for _, p in specs], format=format, width=width,
                         height=height, scale=scale)
    return FiguresResult(out=out, files=files, seconds=time.perf_counter() - t0)


_NO_CHROME = ("static figures are drawn by kaleido, which needs Chrome or Chromium and found none. "
              "Install it (Debian/Ubuntu: `apt-get install chromium`; macOS/Windows: install Google Chrome) "
              "or point BROWSER_PATH at the browser's executable.")


def _find_chrome() -> str:
    """The Chrome/Chromium kaleido will use, or a :class:`NetlibError` saying how to get one."""
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError as exc:  # pragma: no cover - kaleido is a dependency
        raise NetlibError(f"kaleido is not installed ({exc}); install netlib's dependencies") from None
    env = os.environ.get("BROWSER_PATH")
    if env:
        if Path(env).is_file():
            return env
        raise NetlibError(f"BROWSER_PATH={env} is not a file. " + _NO_CHROME)
    try:
        found = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - choreographer raises assorted errors when nothing is found
        found = None
    if not found:
        raise NetlibError(_NO_CHROME)
    return str(found)


def _normalise_image(data: bytes, format: str) -> bytes:
    """Make kaleido's output byte-for-byte repeatable: plotly names SVG clip paths after a random
    per-render id, and Chrome stamps PDFs with the time and a random document id."""
    if format == "svg":
        found = re.search(rb'id="defs-([0-9a-f]+)"', data)
        if found:
            data = data.replace(found.group(1), b"0" * len(found.group(1)))
    elif format == "pdf":
        data = re.sub(rb"/(CreationDate|ModDate) ?\(D:[^)]*\)",
                      lambda m: m.group(0)[: m.group(0).index(b"(") + 1] + b"D:20000101000000Z" + b")", data)
        data = re.sub(rb"/ID ?\[ ?<[0-9A-Fa-f]+> ?<[0-9A-Fa-f]+> ?\]",
                      lambda m: re.sub(rb"[0-9A-Fa-f](?=[0-9A-Fa-f]*>)", b"0", m.group(0)), data)
    return data


def write_images(figs: list, paths: list, *, format: str | None = None, width: int = 900, height: int = 560,
                 scale: float = 2.0) -> list[Path]:
    """Write plotly figures (``go.Figure`` or dicts) to static files in one kaleido session, atomically.

    ``format`` (``png``, ``svg``, ``pdf``) defaults to each path's suffix. MathJax is not loaded (no
    network); plotly.js comes from the installed plotly package. SVG and PDF output is normalised so
    the same figure always gives the same bytes.
    """
    import kaleido

    if not figs:
        return []
    if len(figs) != len(paths):
        raise ParameterError(f"write_images: {len(figs)} figures but {len(paths)} paths")
    _find_chrome()
    paths = [Path(p) for p in paths]
    formats = [format or p.suffix.lstrip(".").lower() for p in paths]
    bad = sorted({f for f in formats if f not in ("png", "svg", "pdf")})
    if bad:
        raise ParameterError(f"image format must be png, svg or pdf; got {bad}")
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".netlib-img-", dir=paths[0].parent) as tmp:
        specs = []
        for i, (fig, fmt) in enumerate(zip(figs, formats)):
            fig_dict = copy.deepcopy(fig.to_dict() if hasattr(fig, "to_dict") else fig)
            for j, trace in enumerate(fig_dict.get("data", [])):
                trace.setdefault("uid", f"{j:06x}")  # plotly draws a random one otherwise
            specs.append({"fig": fig_dict, "path": Path(tmp) / f"{i:04d}.{fmt}",
                          "opts": {"format": fmt, "width": width, "height": height, "scale": scale}})
        try:
            kaleido.write_fig_from_object_sync(specs, kopts={"mathjax": False})
        except Exception as exc:
            if type(exc).__name__ == "ChromeNotFoundError":
                raise NetlibError(_NO_CHROME) from None
            raise
        for spec, fmt, path in zip(specs, formats, paths):
            path.parent.mkdir(parents=True, exist_ok=True)
            spec["path"].write_bytes(_normalise_image(spec["path"].read_bytes(), fmt))
            os.replace(spec["path"], path)
            os.chmod(path, 0o644)
    return paths
