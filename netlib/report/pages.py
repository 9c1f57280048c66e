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


def _nav(pages: list[tuple[str, str]], current: str | None) -> str:
    links = ['<a href="index.html">Report index</a>']
    for fname, title in pages:
        cls = ' class="current"' if fname == current else ""
        links.append(f'<a href="{html.escape(fname)}"{cls}>{html.escape(title)}</a>')
    return '<nav class="netlib-nav">' + " ".join(links) + "</nav>"


def _footer(meta: dict[str, Any]) -> str:
    items = "; ".join(f"{html.escape(str(k))}: <code>{html.escape(str(v))}</code>" for k, v in meta.items())
    return f'<footer class="netlib-footer">{items}</footer>'


def export_html(nb, *, show_code: bool = False, plotlyjs: str = "beside", title: str | None = None,
                nav: str = "", footer: str = "") -> str:
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
    nav, footer : str
        Trusted HTML put above and below the notebook (built by :func:`build_report`).
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
    resources = {"netlib": {"plotly_tag": _plotly_tag(plotlyjs), "css": _CSS, "header": nav, "footer": footer}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def _write_text(path: Path, text: str) -> None:
    from netlib.io import atomic_write

    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, 0o644)  # readable like any published page (the temporary file was private)


def _index_html(entries: list[dict[str, str]], meta: dict[str, Any], counts: str, plotly_note: str) -> str:
    rows = "\n".join(
        f'<li><a href="{html.escape(e["file"])}">{html.escape(e["title"])}</a>'
        f'<p>{html.escape(e["summary"])}</p></li>' for e in entries)
    meta_rows = "\n".join(f"<tr><th>{html.escape(str(k))}</th><td><code>{html.escape(str(v))}</code></td></tr>"
                          for k, v in meta.items())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>netlib report</title>
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; max-width: 860px; margin: 2em auto; padding: 0 1em; color: #222; }}
h1 {{ margin-bottom: .2em; }} ol {{ padding-left: 1.2em; }} li {{ margin: .8em 0; }}
li a {{ font-size: 1.1em; font-weight: 600; color: #1f4e8c; text-decoration: none; }} li p {{ margin: .2em 0; color: #444; }}
table {{ border-collapse: collapse; font-size: 13px; }} th, td {{ text-align: left; padding: 3px 10px 3px 0; vertical-align: top; }}
.note {{ color: #666; font-size: 13px; }}
</style>
</head>
<body>
<h1>netlib report</h1>
<p>{html.escape(counts)}</p>
<ol>
{rows}
</ol>
<h2>How this report was made</h2>
<table>
{meta_rows}
</table>
<p class="note">{html.escape(plotly_note)}</p>
</body>
</html>
"""


