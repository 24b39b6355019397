"""What ``scripts/bench.py`` measures inside the page: a probe installed before the page's own
scripts times each keyboard step of the year slider from its keydown (map repainted, page
settled, server requests); first load and the callback requests a real step sends."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Browser, BrowserContext, Page

from tests.harness import DASH_IDLE

QUIET_MS = 500  # a step is over after this long with nothing in flight and nothing changing

# Installed before the page's own scripts (so Dash's fetch goes through it). Per step, arm()
# starts the clock at the keydown and watches the map panes, the whole page and the callback
# requests; over(quiet) says whether the step is over; the figures are then in __bench.step.
PROBE = """
(() => {
  const DASH = '/_dash-update-component';
  const MAP_PANES = '.leaflet-places-pane, .leaflet-flows-pane, .leaflet-lines-pane, '
    + '.leaflet-atlas-user-pane';
  const bench = window.__bench = {step: null};
  const dashIdle = DASH_IDLE;
  const original = window.fetch;
  window.fetch = function (input, init) {
    const step = bench.step;
    const url = typeof input === 'string' ? input : String((input && input.url) || input);
    const method = String((init && init.method) || (input && input.method) || 'GET');
    if (!step || step.start === null || method.toUpperCase() !== 'POST'
        || url.indexOf(DASH) < 0) {
      return original.apply(this, arguments);
    }
    step.requests += 1;
    step.inflight += 1;
    const done = () => { step.inflight -= 1; step.lastNetwork = performance.now(); };
    return original.apply(this, arguments).then(
      (response) => { done(); return response; },
      (error) => { done(); throw error; });
  };
  // Dash's loading indicator coming and going is not a change of the page's content.
  const indicator = (n) => n.nodeType === 1 && n.classList.contains('_dash-loading-callback');
  const loadingOnly = (r) => (r.type === 'childList'
    ? [...r.addedNodes, ...r.removedNodes].every(indicator) : indicator(r.target));
  bench.arm = () => {
    const step = bench.step = {start: null, repaint: -1, settled: -1, requests: 0,
                               inflight: 0, lastMutation: null, lastNetwork: null, seq: 0,
                               repaintLast: -1, mapSeq: 0};
    document.addEventListener('keydown', () => { step.start = performance.now(); },
                              {capture: true, once: true});
    const map = new MutationObserver(() => {
      if (step.start === null) { return; }
      map.disconnect();
      requestAnimationFrame(() => { step.repaint = performance.now() - step.start; });
    });
    const mapLast = new MutationObserver(() => {
      if (step.start === null) { return; }
      const seq = step.mapSeq += 1;
      requestAnimationFrame(() => {
        if (seq === step.mapSeq) { step.repaintLast = performance.now() - step.start; }
      });
    });
    document.querySelectorAll(MAP_PANES).forEach((pane) => {
      map.observe(pane, {childList: true, subtree: true, attributes: true});
      mapLast.observe(pane, {childList: true, subtree: true, attributes: true});
    });
    const page = new MutationObserver((records) => {
      if (step.start === null || records.every(loadingOnly)) { return; }
      step.lastMutation = performance.now();
      const seq = step.seq += 1;
      requestAnimationFrame(() => {
        if (seq === step.seq) { step.settled = performance.now() - step.start; }
      });
    });
    page.observe(document.documentElement,
                 {childList: true, subtree: true, attributes: true, characterData: true});
    step.stop = () => { map.disconnect(); mapLast.disconnect(); page.disconnect(); };
  };
  bench.over = (quiet) => {
    const step = bench.step;
    if (!step || step.start === null || step.inflight > 0 || !dashIdle()) { return false; }
    const last = Math.max(step.start, step.lastMutation || 0, step.lastNetwork || 0);
    if (performance.now() - last < quiet || (step.lastMutation !== null && step.settled < 0)) {
      return false;
    }
    step.stop();
    return {repaint: step.repaint, settled: step.settled, requests: step.requests,
            repaintLast: step.repaintLast};
  };
})();
""".replace("DASH_IDLE", DASH_IDLE)


@dataclass
class Step:
    repaint: float  # ms from the keydown to the frame after the map first changed; -1: never
    settled: float  # ms from the keydown to the frame after the page last changed; -1: never
    requests: int  # POSTs to /_dash-update-component between the keydown and the step's end
    repaint_last: float = -1  # ms to the frame after the map last changed (every layer redrawn)


def probed_page(browser: Browser, **options: object) -> tuple[BrowserContext, Page]:
    context = browser.new_context(**options)
    context.add_init_script(PROBE)
    return context, context.new_page()


def press_and_measure(page: Page, key: str) -> Step:
    page.evaluate("() => window.__bench.arm()")
    page.keyboard.press(key)
    result = page.wait_for_function(
        "(quiet) => window.__bench.over(quiet)", arg=QUIET_MS, timeout=60_000
    ).json_value()
    return Step(
        float(result["repaint"]),
        float(result["settled"]),
        int(result["requests"]),
        float(result["repaintLast"]),
    )


def first_load(browser: Browser, base: str) -> tuple[float, int]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    transferred = []
    cdp.on("Network.loadingFinished", lambda e: transferred.append(e["encodedDataLength"]))
    page.goto(base + "/", wait_until="commit")
    page.wait_for_selector(".atlas-place", state="attached", timeout=30_000)
    page.wait_for_selector(".atlas-card", state="attached", timeout=30_000)
    ms = page.evaluate("() => performance.now()")
    page.wait_for_load_state("networkidle")
    total = sum(transferred)
    context.close()
    return ms, total


def slider_steps(browser: Browser, base: str, steps: int, query: str = "") -> list[Step]:
    context, page = probed_page(browser, viewport={"width": 1440, "height": 900})
    page.goto(base + "/?year=2014" + query, wait_until="networkidle")
    page.wait_for_selector(".atlas-place", state="attached")
    if "user=" in query:  # a planner's layer: wait until it is drawn
        page.wait_for_selector("#atlas-map .atlas-user-dots[data-shown]", state="attached")
    handle = page.locator("#atlas-year [role=slider]")
    handle.focus()
    measured, forward = [], True
    for _ in range(steps):
        year = int(handle.get_attribute("aria-valuenow"))
        if year >= 2026:
            forward = False
        elif year <= 2014:
            forward = True
        measured.append(press_and_measure(page, "ArrowRight" if forward else "ArrowLeft"))
    context.close()
    return measured


def captured_callbacks(browser: Browser, base: str) -> list[bytes]:
    """The callback requests a browser really sends when the year slider moves."""
    context, page = probed_page(browser)
    page.goto(base + "/", wait_until="networkidle")
    bodies: list[bytes] = []
    page.on(
        "request",
        lambda r: bodies.append(r.post_data_buffer) if "_dash-update-component" in r.url else None,
    )
    page.locator("#atlas-year [role=slider]").focus()
    press_and_measure(page, "ArrowLeft")
    context.close()
    return [b for b in bodies if b]
