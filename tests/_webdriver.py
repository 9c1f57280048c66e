"""Drive a page in a real browser: Debian's Chromium through chromedriver and selenium, network cut off.

The ``browser`` fixture (in ``conftest.py``) hands a test one :class:`Browser` per test module. Pages are
opened from files (``browser.open(path)``); every request that leaves for anything but ``file:``,
``data:``, ``blob:`` or ``about:`` is recorded (``browser.external_requests()``) and fails anyway, because
requests go through a proxy on a closed loopback port and every host name fails to resolve. JavaScript
errors (uncaught exceptions and ``console.error``) are collected by ``browser.js_errors()``.

Nothing is downloaded: the driver is ``/usr/bin/chromedriver`` (Debian's ``chromium-driver``, installed by
``.ci/run``), given to selenium explicitly so that Selenium Manager never looks for one online. Tests skip
with a reason when Chromium, chromedriver or selenium is missing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

_LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:", "chrome:", "devtools:", "chrome-extension:")

# Installed into every page before its own scripts run: keeps errors that happen before selenium can
# read the console, and records alert/confirm/prompt calls (an injected script typically calls alert).
_INSTRUMENT = """
window.__netlibErrors = [];
window.__netlibAlerts = [];
window.addEventListener('error', e => window.__netlibErrors.push(String(e.message || e)));
window.addEventListener('unhandledrejection', e => window.__netlibErrors.push('unhandled rejection: ' + String(e.reason)));
const _err = console.error.bind(console);
console.error = (...a) => { window.__netlibErrors.push(a.map(String).join(' ')); _err(...a); };
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (...a) => { window.__netlibAlerts.push(name + ':' + a.map(String).join(' ')); return null; };
}
"""


def executables() -> tuple[str | None, str | None]:
    """(chromium, chromedriver) found on this machine, or None for each that is missing."""
    browser = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
                   None)
    driver = shutil.which("chromedriver")
    return browser, driver


def missing_reason() -> str | None:
    """Why a browser test cannot run here, or None when it can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    browser, driver = executables()
    if browser is None:
        return "no chromium on PATH (Debian: apt-get install chromium)"
    if driver is None:
        return "no chromedriver on PATH (Debian: apt-get install chromium-driver)"
    return None


class Browser:
    """One headless Chromium session; ``open`` a page, then read what happened on it."""

    def __init__(self, width: int = 1400, height: int = 1000):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        browser, driver = executables()
        self._profile = tempfile.mkdtemp(prefix="netlib-webdriver-")
        opts = webdriver.ChromeOptions()
        opts.binary_location = browser
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-extensions", f"--user-data-dir={self._profile}", f"--window-size={width},{height}",
                    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                    "--host-resolver-rules=MAP * ~NOTFOUND", "--allow-file-access-from-files"):
            opts.add_argument(arg)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        self.driver = webdriver.Chrome(service=Service(executable_path=driver), options=opts)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _INSTRUMENT})
        self._console: list[dict[str, Any]] = []
        self._requests: list[str] = []

    # -- pages ---------------------------------------------------------------------------------------
    def open(self, page: str | Path, *, wait_for: str | None = None, timeout: float = 30.0) -> "Browser":
        """Load ``page`` (a file path or URL) and wait until the document is complete and, when given,
        the JavaScript expression ``wait_for`` is truthy."""
        self._drain()
        self._console.clear()
        self._requests.clear()
        url = Path(page).resolve().as_uri() if not str(page).startswith(("file:", "http:", "https:", "data:")) \
            else str(page)
        self.driver.get(url)
        self.wait("document.readyState === 'complete'", timeout=timeout)
        if wait_for:
            self.wait(wait_for, timeout=timeout)
        return self

    def wait(self, expression: str, *, timeout: float = 30.0) -> Any:
        """Poll the JavaScript ``expression`` until it is truthy; return its value (AssertionError on timeout)."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.driver.execute_script(f"return ({expression});")
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:g} s waiting for: {expression}")
            time.sleep(0.05)

    def js(self, script: str, *args: Any) -> Any:
        """Run ``script`` (a function body; use ``return``) in the page."""
        return self.driver.execute_script(script, *args)

    def screenshot(self, path: str | Path, *, full_height: bool = True) -> Path:
        """A PNG of the page; ``full_height`` resizes the window to the document's height first."""
        if full_height:
            height = self.js("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);")
            width = self.driver.get_window_size()["width"]
            self.driver.set_window_size(width, min(int(height) + 100, 16000))
        self.driver.save_screenshot(str(path))
        return Path(path)

    # -- what happened --------------------------------------------------------------------------------
    def _drain(self) -> None:
        for entry in self.driver.get_log("browser"):
            self._console.append(entry)
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                self._requests.append(message["params"]["request"]["url"])

    def js_errors(self) -> list[str]:
        """Uncaught errors, rejected promises and ``console.error`` calls since the page was opened."""
        self._drain()
        caught = self.js("return window.__netlibErrors || [];") or []
        severe = [e["message"] for e in self._console if e.get("level") == "SEVERE"]
        return list(caught) + [m for m in severe if not any(c in m for c in caught)]

    def alerts(self) -> list[str]:
        """``alert``/``confirm``/``prompt`` calls made by the page (an injected script's usual payload)."""
        return list(self.js("return window.__netlibAlerts || [];") or [])

    def external_requests(self) -> list[str]:
        """Every request for something that is not local to the page (http, https, ws, …)."""
        self._drain()
        return [url for url in self._requests if not url.startswith(_LOCAL_SCHEMES)]

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self._profile, ignore_errors=True)
