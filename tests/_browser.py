"""Open a page in headless Chromium with the network cut off; return the rendered DOM and console lines.

Used by the report and notebook tests. Chromium is Debian's ``chromium`` package (installed by
``.ci/run``); tests skip with a reason when it is absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def render(page: Path, *, budget_ms: int = 30000, timeout: float = 180) -> tuple[str, list[str]]:
    """The DOM after scripts ran (``--dump-dom``) and the page's console messages.

    Every request leaves through a proxy on a closed loopback port and every host name fails to
    resolve, so a page that needs the network cannot render its figures.
    """
    exe = chromium()
    assert exe, "no chromium on PATH"
    with tempfile.TemporaryDirectory(prefix="netlib-chromium-") as profile:
        cmd = [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
               f"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
               "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
               f"--virtual-time-budget={budget_ms}", "--dump-dom", Path(page).resolve().as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return proc.stdout, console


def rendered_figures(dom: str) -> tuple[int, int]:
    """(figure divs on the page, figures plotly drew): plotly marks a drawn div ``js-plotly-plot``
    and fills it with its ``main-svg`` layers."""
    divs = re.findall(r'<div[^>]*class="[^"]*plotly-graph-div[^"]*"[^>]*>', dom)
    drawn = [d for d in divs if "js-plotly-plot" in d]
    return len(divs), len(drawn) if "main-svg" in dom else 0


def errors(console: list[str]) -> list[str]:
    return [line for line in console if re.search(r"Uncaught|Error|error", line.split("CONSOLE", 1)[1])]
