"""The atlas works under its Content-Security-Policy: the whole dashboard, the kiosk and an export
through the UI, with zero policy violations; and the test would see one if there were."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page

from tests.harness import dash_idle, running_server, settle, watching

# Every violation the page sees, reported to the test as it happens (an exposed function
# survives navigations, where a variable in the page would not).
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__atlasCspCount = (window.__atlasCspCount || 0) + 1;
  window.__atlasCspViolation(
    [e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber, e.sample].join(' | '));
});
"""
PUBLIC_URL = "https://atlas.example.org"  # the kiosk then shows its QR code, a data: image


@dataclass
class Csp:
    page: Page
    violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextmanager
def under_csp(browser: Browser, base: str) -> Iterator[Csp]:
    with watching(browser, base) as w:
        csp = Csp(w.page, errors=w.errors)
        w.page.expose_function("__atlasCspViolation", lambda text: csp.violations.append(text))
        w.page.add_init_script(REPORT_VIOLATIONS)

        def on_console(msg: ConsoleMessage) -> None:
            if "content security policy" in msg.text.lower():
                csp.violations.append(f"console: {msg.text}")

        w.page.on("console", on_console)
        yield csp


@pytest.fixture(scope="module")
def csp_server() -> Iterator[str]:
    with running_server(ATLAS_PUBLIC_URL=PUBLIC_URL, ATLAS_TOUR_SCENE_SECONDS="2") as url:
        yield url


def open_page(csp: Csp, base: str, query: str = "") -> None:
    response = csp.page.goto(base + "/" + query, wait_until="networkidle")
    assert response is not None
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self' 'sha256-" in policy and "unsafe-eval" not in policy
    map_drawn(csp.page)


def map_drawn(page: Page, places: int = 10) -> None:
    """Until Leaflet has drawn the features (the bundles ran) and the side panel came back from
    the server (callbacks ran)."""
    page.wait_for_function(
        "(n) => document.querySelectorAll('.leaflet-container path.atlas-place').length >= n",
        arg=places,
        timeout=30_000,
    )
    page.wait_for_selector(".atlas-card", state="attached", timeout=30_000)
    settle(page)


def test_whole_dashboard_and_an_export_run_without_violations(
    browser: Browser, csp_server: str
) -> None:
    with under_csp(browser, csp_server) as csp:
        page = csp.page
        open_page(csp, csp_server)
        assert page.locator(".atlas-area-label").count() > 0  # label tooltips drawn
        # theme
        page.locator(".atlas-themes input[value='relocation']").check()
        page.wait_for_function("() => location.search.includes('theme=relocation')")
        settle(page)
        # slider (keyboard) and play
        page.locator("#atlas-year [role=slider]").focus()
        page.keyboard.press("ArrowLeft")
        settle(page)
        page.locator("#atlas-step-back").click()
        settle(page)
        # layers
        page.locator(".atlas-layer-list input").first.click()
        settle(page)
        page.locator(".atlas-layer-list input").first.click()
        settle(page)
        # selection and back
        page.locator("#atlas-map .atlas-place-dahongmen").dispatch_event("click")
        page.locator("#atlas-details").wait_for(state="visible")
        page.keyboard.press("Escape")
        page.locator("#atlas-overview").wait_for(state="visible")
        settle(page)
        # legend folds
        page.locator(".atlas-legend button").first.click()
        settle(page)
        # source dialog
        page.locator(".atlas-card .atlas-source-link").first.click()
        page.locator("#atlas-source-dialog").wait_for(state="visible")
        page.keyboard.press("Escape")
        page.locator("#atlas-source-dialog").wait_for(state="hidden")
        # language
        page.locator("#atlas-lang-button").click()
        page.wait_for_function("() => location.search.includes('lang=en')")
        page.wait_for_function(
            "() => document.querySelector('#atlas-title').innerText.includes('Atlas')"
        )
        settle(page)
        # export dialog and one export through the UI (a background job with progress)
        page.locator("#atlas-export-open").click()
        page.locator("#atlas-export-dialog").wait_for(state="visible")
        page.locator("#atlas-export-dpi input[value='150']").check()
        with page.expect_download(timeout=120_000) as download:
            page.locator("#atlas-export-run").click()
        assert download.value.suggested_filename.endswith(".png")
        page.locator("#atlas-export-close").click()
        settle(page)
        map_drawn(page, places=1)
        assert csp.violations == []
        assert csp.errors == []


def test_english_link_is_english_from_the_first_paint(browser: Browser, csp_server: str) -> None:
    """The layout request carries the page's ``?lang=en`` in its referrer: the Referrer-Policy
    must keep same-origin referrers whole."""
    with under_csp(browser, csp_server) as csp:
        open_page(csp, csp_server, "?lang=en")
        assert csp.page.evaluate("document.documentElement.lang") == "en"
        assert "Atlas" in csp.page.locator("#atlas-title").inner_text()
        assert csp.violations == []


def test_kiosk_with_its_qr_code_runs_without_violations(browser: Browser, csp_server: str) -> None:
    with under_csp(browser, csp_server) as csp:
        page = csp.page
        open_page(csp, csp_server, "?kiosk=1")
        page.wait_for_function("() => document.documentElement.dataset.kioskScene")
        first = page.evaluate("document.documentElement.dataset.kioskScene")
        page.wait_for_function(  # the tour moves on by itself (2 s scenes)
            f"() => document.documentElement.dataset.kioskScene !== '{first}'", timeout=30_000
        )
        page.locator(".atlas-kiosk-share").wait_for(state="visible")
        page.wait_for_function(  # the QR code (a data: URI) was allowed and drawn
            "() => { const i = document.querySelector('#atlas-kiosk-qr');"
            " return i && i.src.startsWith('data:') && i.complete && i.naturalWidth > 0; }"
        )
        page.keyboard.press("ArrowRight")  # presenter key
        dash_idle(page)
        map_drawn(page, places=1)
        assert csp.violations == []
        assert csp.errors == []


def test_the_check_sees_a_violation_when_there_is_one(browser: Browser, csp_server: str) -> None:
    """An injected inline script and an inline event handler are refused and reported, so the
    zero above is real. (Playwright's own ``evaluate`` is exempt from CSP, as DevTools is: the
    page itself must run the injected code.)"""
    with under_csp(browser, csp_server) as csp:
        open_page(csp, csp_server)
        csp.page.evaluate(
            """() => {
              const s = document.createElement('script');
              s.textContent = 'window.__inlineRan = true;';
              document.body.appendChild(s);
              document.body.insertAdjacentHTML(
                'beforeend', '<img alt="" src="data:," onerror="window.__handlerRan = true">');
            }"""
        )
        csp.page.wait_for_function("() => window.__atlasCspCount >= 2", timeout=10_000)
        assert csp.page.evaluate("[window.__inlineRan, window.__handlerRan]") == [None, None]
        kinds = {v.split(" | ")[0] for v in csp.violations if " | " in v}
        assert kinds == {"script-src-elem", "script-src-attr"}, csp.violations
