"""The browser fixture itself: it sees errors, alerts and outside requests, and nothing else."""

from __future__ import annotations

import pytest


def _page(tmp_path, body: str):
    path = tmp_path / "page.html"
    path.write_text(f"<!doctype html><html><head><meta charset='utf-8'></head><body>{body}</body></html>")
    return path


def test_a_clean_page_has_no_errors_and_no_requests(browser, tmp_path):
    browser.open(_page(tmp_path, "<p id='x'>ok</p><script>document.getElementById('x').textContent='done'</script>"))
    assert browser.js("return document.getElementById('x').textContent;") == "done"
    assert browser.js_errors() == []
    assert browser.external_requests() == []
    assert browser.alerts() == []


def test_errors_alerts_and_outside_requests_are_seen(browser, tmp_path):
    body = ("<img src='https://cdn.example.com/x.png'>"
            "<script>alert('injected'); undefinedFunction();</script>")
    browser.open(_page(tmp_path, body))
    assert browser.alerts() == ["alert:injected"]
    assert any("undefinedFunction" in e for e in browser.js_errors())
    assert browser.external_requests() == ["https://cdn.example.com/x.png"]


def test_wait_times_out_with_the_expression(browser, tmp_path):
    browser.open(_page(tmp_path, ""))
    with pytest.raises(AssertionError, match="window.never"):
        browser.wait("window.never", timeout=0.3)
