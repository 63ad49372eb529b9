"""`/docs` in a real browser: Swagger UI renders the API's operations from this server's own files, and
the page asks no other host for anything (the desks run offline)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from playwright.sync_api import expect


def loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    host = parts.hostname or ""
    return host == "localhost" or ipaddress.ip_address(host).is_loopback


def test_docs_renders_the_operations_with_no_request_to_another_host(new_page, desk):
    page = new_page()
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto("/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    appeals = page.locator(".opblock", has_text="/api/v1/appeals").first
    expect(appeals).to_be_visible()
    assert page.locator(".opblock").count() > 20  # every operation of the contract, not an error page
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("联动 Liandong")
    appeals.locator(".opblock-summary").first.click()  # the UI is live: an operation opens
    expect(appeals.locator(".opblock-body")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert any(u.endswith("/openapi.json") for u in urls), urls
    assert any("swagger-ui-bundle.js" in u for u in urls) and any("swagger-ui.css" in u for u in urls), urls
    foreign = [u for u in urls if not loopback(u)]
    assert not foreign, f"/docs requested other hosts: {foreign}"
