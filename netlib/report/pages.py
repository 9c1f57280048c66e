"""HTML pages: executed notebooks exported with nbconvert, and the page shell of netlib's own pages,
with plotly.js (and DataTables) loaded from beside the pages or embedded, never from the network."""

from __future__ import annotations

import copy
import html
import os
from pathlib import Path
from typing import Any

from netlib.errors import ParameterError
from netlib.report.notebooks import _SETUP_TAG

__all__ = ["export_html"]

# --------------------------------------------------------------------------------------------------
# HTML export
# --------------------------------------------------------------------------------------------------

_TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}
{{ resources.netlib.plotly_tag }}
{{ resources.netlib.tables_tag }}
{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<style type="text/css">{{ resources.netlib.css }}</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.netlib.header }}
{%- endblock body_header -%}
{% block body_footer %}
{{ resources.netlib.footer }}
{{ super() }}
{% endblock body_footer %}
"""

_CSS = """
body.jp-Notebook { max-width: 1180px; margin: 0 auto; }
.netlib-banner { font: 14px/1.5 system-ui, sans-serif; margin: 10px 16px; padding: 8px 12px; border-radius: 4px; }
.netlib-banner.warning { background: #fff4e5; border-left: 4px solid #e69500; }
.netlib-banner.assumptions { background: #eef4fb; border-left: 4px solid #1f4e8c; }
.netlib-banner.note { background: #f3f3f3; border-left: 4px solid #888; }
div.netlib-table { margin: 6px 0 14px; font: 13px/1.4 system-ui, sans-serif; }
div.netlib-table table.dataTable td { white-space: normal; max-width: 48em; vertical-align: top; }
div.netlib-table table.dataTable th { white-space: nowrap; }
a.customer { color: #1f4e8c; }
nav.netlib-nav { font: 14px/1.4 system-ui, sans-serif; padding: 10px 16px; border-bottom: 1px solid #ddd;
  display: flex; flex-wrap: wrap; gap: 14px; }
nav.netlib-nav a { color: #1f4e8c; text-decoration: none; }
nav.netlib-nav a.current { font-weight: 600; color: #111; }
footer.netlib-footer { font: 12px/1.5 system-ui, sans-serif; color: #555; padding: 16px; border-top: 1px solid #ddd; }
footer.netlib-footer code { font-size: 11px; }
"""


def _plotly_tag(mode: str, prefix: str = "") -> str:
    if mode == "inline":
        from plotly.offline import get_plotlyjs

        js = get_plotlyjs().replace("</script", "<\\/script")
        return f'<script type="text/javascript">window.PlotlyConfig = {{MathJaxConfig: "local"}};</script>\n' \
               f'<script type="text/javascript">{js}</script>'
    return ('<script type="text/javascript">window.PlotlyConfig = {MathJaxConfig: "local"};</script>\n'
            f'<script type="text/javascript" src="{html.escape(prefix)}plotly.min.js" charset="utf-8"></script>')


def _tables_tag(mode: str) -> str:
    """DataTables for the pages' tables: ``datatables.js`` beside the pages, or embedded once."""
    if mode == "inline":
        from netlib.report.tables import datatables_js

        return '<script type="text/javascript">' + datatables_js().replace("</script", "<\\/script") + "</script>"
    return '<script type="text/javascript" src="datatables.js" charset="utf-8"></script>'


def banners(assumptions: str | None = None, warnings: list[str] = (), notes: list[str] = ()) -> str:
    """Trusted HTML for the top of a page: data-quality warnings, then the assumptions its numbers rest on."""
    out = [f'<div class="netlib-banner warning" role="alert"><b>Check first:</b> {html.escape(w)}</div>'
           for w in warnings]
    out += [f'<div class="netlib-banner note">{html.escape(n)}</div>' for n in notes]
    if assumptions:
        out.append(f'<div class="netlib-banner assumptions"><b>Assumptions:</b> {html.escape(assumptions)}</div>')
    return "\n".join(out)


def _nav(pages: list[tuple[str, str]], current: str | None) -> str:
    links = ['<a href="index.html">Summary</a>']
    for fname, title in pages:
        cls = ' class="current"' if fname == current else ""
        links.append(f'<a href="{html.escape(fname)}"{cls}>{html.escape(title)}</a>')
    return '<nav class="netlib-nav">' + " ".join(links) + "</nav>"


def _footer(meta: dict[str, Any]) -> str:
    items = "; ".join(f"{html.escape(str(k))}: <code>{html.escape(str(v))}</code>" for k, v in meta.items())
    return f'<footer class="netlib-footer">{items}</footer>'


def export_html(nb, *, show_code: bool = False, plotlyjs: str = "beside", title: str | None = None,
                nav: str = "", footer: str = "", header: str = "") -> str:
    """Export an executed notebook to one HTML page that renders with no network.

    Parameters
    ----------
    nb : nbformat notebook (executed by :func:`run_notebook`)
    show_code : bool
        Keep the code cells (hidden by default: readers see the narrative, tables and figures).
    plotlyjs : {"beside", "inline"}
        ``"beside"`` loads ``plotly.min.js`` from the page's folder; ``"inline"`` embeds it once in the page.
    title : str, optional
        The page title (escaped).
    nav, header, footer : str
        Trusted HTML put above and below the notebook (built by :func:`build_report`): navigation,
        banners (warnings, assumptions) and provenance.
    """
    import jinja2
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    if plotlyjs not in ("beside", "inline"):
        raise ParameterError(f"plotlyjs must be 'beside' or 'inline', got {plotlyjs!r}")
    nb = copy.deepcopy(nb)
    for cell in nb.cells:  # progress bars and warnings are for the analyst's console, not the reader
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
            if not show_code and "injected-parameters" in cell.metadata.get("tags", []):
                cell.metadata.setdefault("tags", []).append(_SETUP_TAG)
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {_SETUP_TAG}
    c.HTMLExporter.exclude_input = not show_code
    c.HTMLExporter.exclude_input_prompt = not show_code
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.embed_images = True
    exporter = HTMLExporter(config=c, template_name="lab",
                            extra_loaders=[jinja2.DictLoader({"netlib_report.html.j2": _TEMPLATE})],
                            template_file="netlib_report.html.j2")
    if title is not None:
        nb.metadata["title"] = title
    resources = {"netlib": {"plotly_tag": _plotly_tag(plotlyjs), "tables_tag": _tables_tag(plotlyjs), "css": _CSS,
                            "header": nav + header, "footer": footer}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def _write_text(path: Path, text: str) -> None:
    from netlib.io import atomic_write

    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, 0o644)  # readable like any published page (the temporary file was private)


def page(title: str, body: str, *, nav: str = "", footer: str = "", plotlyjs: str | None = None,
         tables: str | None = None) -> str:
    """netlib's own pages (the summary, notes in place of pages the data cannot support): ``title`` is
    escaped; ``body``, ``nav`` and ``footer`` are trusted HTML built from escaped parts."""
    head = []
    if plotlyjs:
        head.append(_plotly_tag(plotlyjs))
    if tables:
        head.append(_tables_tag(tables))
    head_html = "\n".join(head)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)}</title>
<style>
body {{ font: 15px/1.55 system-ui, sans-serif; margin: 0; color: #222; }}
main {{ max-width: 1080px; margin: 0 auto; padding: 0 20px 30px; }}
h1 {{ margin: .6em 0 .1em; }} h2 {{ margin-top: 1.6em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }}
a {{ color: #1f4e8c; }} .lead {{ font-size: 1.08em; }} .evidence {{ font-size: 13px; white-space: nowrap; }}
ol.findings li, ul.findings li {{ margin: .35em 0; }}
table.meta {{ border-collapse: collapse; font-size: 13px; }}
table.meta th, table.meta td {{ text-align: left; padding: 2px 12px 2px 0; vertical-align: top; }}
.note {{ color: #666; font-size: 13px; }}
{_CSS}
</style>
{head_html}
</head>
<body>
{nav}
<main>
<h1>{html.escape(title)}</h1>
{body}
</main>
{footer}
</body>
</html>
"""
