/* Kiosk mode (?kiosk=1): an unattended, looping tour of scenes that visitors can interrupt.
 * The tour runs here in the browser and drives the dashboard through dash_clientside.set_props,
 * so scene changes are smooth, and it keeps its place while the server is away.
 * - A touch, click, wheel or ordinary key pauses the tour ("exploring"); after idleSeconds with
 *   no input it returns to the tour by itself.
 * - Presenter keys: ArrowRight/PageDown/N next scene, ArrowLeft/PageUp/P previous,
 *   Space/B/. pause or resume.
 * - Every page polls /healthz; when the server is unreachable a calm "reconnecting" note shows,
 *   the tour holds, and it resumes by itself when the server answers again. */
(function () {
  "use strict";

  const TICK_MS = 200;
  const HEALTH_MS = 3000;
  const NEXT_KEYS = ["ArrowRight", "PageDown", "n", "N"];
  const PREV_KEYS = ["ArrowLeft", "PageUp", "p", "P"];
  const PAUSE_KEYS = [" ", "b", "B", "."];
  const FRAME_PAD_PX = 48;  // room around a scene's subject: markers and their labels
  const MIN_ZOOM = 6;
  const MAX_ZOOM = 14;

  const K = {
    config: null,
    kiosk: false,
    index: 0,
    state: "stopped",  // playing | exploring | paused | stopped
    elapsed: 0,
    year: null,
    seq: 0,
    lastInput: 0,
    online: true,
    failures: 0,
    lang: "zh"
  };

  function setProps(id, props) {
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(id, props);
    }
  }

  function scene() { return K.config.scenes[K.index]; }

  function sceneYear(s, elapsed) {
    if (s.compare) { return s.years[1]; }  // year B; year A is the compare slider's
    const span = s.years[1] - s.years[0];
    if (span <= 0) { return s.years[0]; }
    // Animate through the years in the first 80% of the scene, then hold the last year.
    const share = Math.min(1, elapsed / (0.8 * s.duration * 1000));
    return s.years[0] + Math.min(span, Math.floor(share * (span + 1)));
  }

  function progress(running) {
    const s = scene();
    setProps("atlas-kiosk-bar", {style: {
      animationName: K.seq % 2 ? "atlas-kiosk-fill-a" : "atlas-kiosk-fill-b",
      animationDuration: s.duration + "s",
      animationDelay: (-K.elapsed / 1000) + "s",
      animationPlayState: running ? "running" : "paused"
    }});
  }

  function caption(s) {
    // Title, caption and progress dots change at once, here and nowhere else; the cards
    // follow from the server. Strings go in as text children, never as HTML.
    const l = K.lang;
    const total = K.config.scenes.length;
    const dots = K.config.scenes.map(function (_, i) {
      return {type: "Span", namespace: "dash_html_components",
              props: {className: "atlas-kiosk-dot" + (i === K.index ? " active" : "")}};
    });
    dots.push({type: "Span", namespace: "dash_html_components", props: {
      className: "atlas-kiosk-count",
      children: K.config.sceneLabel[l].replace("{n}", K.index + 1).replace("{total}", total)}});
    setProps("atlas-kiosk-title", {children: l === "en" ? s.title_en : s.title_zh});
    setProps("atlas-kiosk-caption", {children: l === "en" ? s.caption_en : s.caption_zh});
    setProps("atlas-kiosk-dots", {children: dots});
  }

  function show(index) {
    const scenes = K.config.scenes;
    K.index = (index + scenes.length) % scenes.length;
    K.elapsed = 0;
    K.seq += 1;
    const s = scene();
    K.year = sceneYear(s, 0);
    // The scene store first: the theme pill's callback reads it and leaves the scene's own
    // layers, year and view alone, so exploring starts from exactly what the scene shows.
    sceneChanged();
    setProps("atlas-theme", {value: s.theme});
    setProps("atlas-layers", {value: s.layers});
    setProps("atlas-selected", {data: s.highlight});
    // A compare scene shows its first year beside its last (assets/compare.js); others one year.
    setProps("atlas-compare-on", {value: s.compare ? ["on"] : []});
    if (s.compare) {
      setProps("atlas-compare-mode", {value: s.compare});
      setProps("atlas-year-a", {value: s.years[0]});
    }
    K.swept = !s.compare || s.compare !== "swipe";
    setProps("atlas-year", {value: K.year});
    const view = s.bounds ? frame(s.bounds) : null;
    setProps("atlas-map", {viewport: {center: view ? view.center : s.center,
                                      zoom: view ? view.zoom : s.zoom, transition: "flyTo"}});
    caption(s);
    document.documentElement.dataset.kioskScene = s.id;
    progress(K.state === "playing");
  }

  // The server fills the scene's cards for the tour's year and language (kiosk pages only).
  function sceneChanged() {
    const s = scene();
    setProps("atlas-kiosk-scene", {data: {index: K.index, seq: K.seq, year: K.year, lang: K.lang,
                                          theme: s.theme, layers: s.layers}});
  }

  // The map's own rectangle minus what covers it (the legend on the right, the boundary notice
  // at the bottom), relative to the map: where a scene's subject can be seen.
  function freeArea() {
    const map = document.getElementById("atlas-map");
    if (!map) { return null; }
    const m = map.getBoundingClientRect();
    const area = {left: 0, top: 0, right: m.width, bottom: m.height, width: m.width,
                  height: m.height};
    const legend = document.querySelector(".atlas-legend");
    if (legend && legend.offsetParent !== null) {
      const r = legend.getBoundingClientRect();
      // its widest extent, not today's: the legend's content changes with the scene's layers
      const widest = parseFloat(window.getComputedStyle(legend).maxWidth) || r.width;
      area.right = Math.min(area.right, r.right - m.left - Math.max(r.width, widest));
    }
    const notice = document.querySelector(".atlas-notice");
    if (notice && notice.offsetParent !== null) {
      area.bottom = Math.min(area.bottom, notice.getBoundingClientRect().top - m.top);
    }
    return area;
  }

  function frame(bounds) {
    const area = freeArea();
    if (!area) { return null; }
    return K.fit(bounds, area, FRAME_PAD_PX, MIN_ZOOM, MAX_ZOOM);
  }

  // The kiosk layout changes the map's size (scene panel in, side panel out and back): tell
  // Leaflet, which otherwise keeps the old size and centres every view off the visible middle.
  function resized() {
    if (typeof window.dispatchEvent === "function" && typeof window.Event === "function") {
      window.dispatchEvent(new window.Event("resize"));
    }
  }

  // The scene panel never scrolls and never cuts a line in half: while its content is taller
  // than the panel, the oldest of the year's changes go first, then their heading, then cards
  // from the last. The server sends at most what fits at 1080 px in common fonts; this holds it
  // for any font, language and screen.
  function fitPanel() {
    const panel = document.getElementById("atlas-kiosk-panel");
    const cards = document.getElementById("atlas-kiosk-cards");
    if (!panel || !cards || panel.getClientRects().length === 0) {
      return;
    }
    cards.querySelectorAll("[data-kiosk-trimmed]").forEach(untrim);
    const trim = function (e) { e.style.display = "none"; e.setAttribute("data-kiosk-trimmed", ""); };
    const over = function () { return panel.scrollHeight > panel.clientHeight + 1; };
    const events = Array.prototype.slice.call(cards.querySelectorAll(".atlas-kiosk-story > li"));
    while (over() && events.length) { trim(events.shift()); }
    if (!cards.querySelector(".atlas-kiosk-story > li:not([data-kiosk-trimmed])")) {
      cards.querySelectorAll(".atlas-kiosk-story, .atlas-kiosk-story-title").forEach(trim);
    }
    const shown = Array.prototype.slice.call(cards.querySelectorAll(".atlas-card"));
    let dropped = 0;
    while (over() && shown.length > 1) { trim(shown.pop()); dropped += 1; }
    if (dropped) { restoreLatest(cards, over, trim); }
  }

  // A card dropped can leave room that change lines dropped before it could not have had: show
  // the latest of them again (and their heading), newest first, while they fit.
  function restoreLatest(cards, over, trim) {
    const heading = cards.querySelectorAll(".atlas-kiosk-story, .atlas-kiosk-story-title");
    const hidden = Array.prototype.slice.call(
      cards.querySelectorAll(".atlas-kiosk-story > li[data-kiosk-trimmed]"));
    let back = 0;
    while (hidden.length) {
      const line = hidden.pop();
      heading.forEach(untrim);
      untrim(line);
      if (over()) { trim(line); break; }
      back += 1;
    }
    if (!back) { heading.forEach(trim); }
  }

  function untrim(e) { e.style.display = ""; e.removeAttribute("data-kiosk-trimmed"); }

  function setState(state) {
    const changed = state !== K.state;
    K.state = state;
    document.documentElement.dataset.kioskState = state;
    if (changed) { resized(); }
    setProps("atlas-kiosk-explore", {hidden: state !== "exploring"});
    progress(state === "playing" && K.online);
  }

  function play() { setState("playing"); show(K.index); }

  // A swipe scene: once both years are drawn, the divider sweeps across once, then holds.
  function sweepOnce(s) {
    const compare = window.atlas && window.atlas.compare;
    const state = compare && compare.state();
    if (K.swept || !compare || !compare.other() || !state || state.a !== s.years[0]
        || state.b !== s.years[1] || state.mode !== "swipe") { return; }
    K.swept = true;
    // it comes to rest in the middle of the scene's subject, so both years show part of it
    const main = compare.main();
    let hold = 0.5;
    if (main && s.bounds && main.getSize().x) {
      const mid = [(s.bounds[0][0] + s.bounds[1][0]) / 2, (s.bounds[0][1] + s.bounds[1][1]) / 2];
      hold = main.latLngToContainerPoint(mid).x / main.getSize().x;
    }
    compare.sweep(hold);
  }

  function tick() {
    if (!K.kiosk) { return; }
    if (K.state === "exploring" && Date.now() - K.lastInput > K.config.idleSeconds * 1000) {
      setState("playing");
      show(K.index + 1);
      return;
    }
    if (K.state !== "playing" || !K.online) { return; }
    K.elapsed += TICK_MS;
    const s = scene();
    sweepOnce(s);
    if (K.elapsed >= s.duration * 1000) { show(K.index + 1); return; }
    const year = sceneYear(s, K.elapsed);
    if (year !== K.year) { K.year = year; setProps("atlas-year", {value: year}); sceneChanged(); }
  }

  function visitor(event) {
    if (!K.kiosk) { return; }
    if (event.target && event.target.closest && event.target.closest("#atlas-kiosk-resume")) {
      return;
    }
    K.lastInput = Date.now();
    if (K.state === "playing") { setState("exploring"); }
  }

  function onKey(event) {
    if (!K.kiosk) { return; }
    const presenter = NEXT_KEYS.concat(PREV_KEYS, PAUSE_KEYS).indexOf(event.key) >= 0;
    if (presenter) { event.stopPropagation(); }  // the slider must not also take the key
    if (NEXT_KEYS.indexOf(event.key) >= 0) {
      event.preventDefault();
      if (K.state === "exploring") { setState("playing"); }
      show(K.index + 1);
    } else if (PREV_KEYS.indexOf(event.key) >= 0) {
      event.preventDefault();
      if (K.state === "exploring") { setState("playing"); }
      show(K.index - 1);
    } else if (PAUSE_KEYS.indexOf(event.key) >= 0) {
      event.preventDefault();
      setState(K.state === "playing" ? "paused" : "playing");
    } else {
      visitor(event);
    }
  }

  function health() {
    const controller = new AbortController();
    const timer = setTimeout(function () { controller.abort(); }, HEALTH_MS - 500);
    fetch(K.config.healthUrl, {cache: "no-store", signal: controller.signal})
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } connected(true); })
      .catch(function () { connected(false); })
      .finally(function () { clearTimeout(timer); });
  }

  function connected(ok) {
    K.failures = ok ? 0 : K.failures + 1;
    const online = ok || K.failures < 2;  // one missed beat is not yet an outage
    if (online === K.online) { return; }
    K.online = online;
    document.documentElement.dataset.online = online ? "yes" : "no";
    setProps("atlas-reconnect", {hidden: online});
    if (online && K.kiosk && K.state === "playing") {
      show(K.index);  // re-apply the scene so the server-side panels refresh
    } else if (online && K.kiosk && K.state !== "stopped") {
      sceneChanged();  // a visitor is exploring: refresh the cards, leave their map alone
    } else if (K.kiosk) {
      progress(false);
    }
  }

  K.init = function (config) {
    if (K.config) { return; }
    K.config = config;
    K.kiosk = new URLSearchParams(window.location.search).get("kiosk") === "1";
    setInterval(health, HEALTH_MS);
    if (!K.kiosk || !config.scenes.length) { return; }
    document.documentElement.classList.add("atlas-kiosk");
    resized();
    document.addEventListener("keydown", onKey, true);
    ["pointerdown", "touchstart", "wheel"].forEach(function (type) {
      document.addEventListener(type, visitor, {capture: true, passive: true});
    });
    document.addEventListener("click", function (event) {
      if (event.target && event.target.closest && event.target.closest("#atlas-kiosk-resume")) {
        setState("playing");
        show(K.index);
      }
    }, true);
    const cards = document.getElementById("atlas-kiosk-cards");
    if (cards && typeof window.MutationObserver === "function") {
      new window.MutationObserver(fitPanel).observe(cards, {childList: true, subtree: true,
                                                            characterData: true});
    }
    window.addEventListener("resize", fitPanel);
    setInterval(tick, TICK_MS);
    play();
  };

  // The view that shows ``bounds`` ([[south, west], [north, east]]) as large as it fits, with
  // ``pad`` pixels to spare, centred in ``area`` (the free part of a map of area.width ×
  // area.height pixels): {center: [lat, lon], zoom}. Web Mercator, as Leaflet computes it.
  K.fit = function (bounds, area, pad, minZoom, maxZoom) {
    const x = function (lon) { return (lon + 180) / 360 * 256; };
    const y = function (lat) {
      const s = Math.sin(lat * Math.PI / 180);
      return (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * 256;
    };
    const w = Math.max(x(bounds[1][1]) - x(bounds[0][1]), 1e-9);
    const h = Math.max(y(bounds[0][0]) - y(bounds[1][0]), 1e-9);
    const room = [area.right - area.left - 2 * pad, area.bottom - area.top - 2 * pad];
    let zoom = Math.floor(Math.log2(Math.min(room[0] / w, room[1] / h)));
    zoom = Math.max(minZoom, Math.min(maxZoom, zoom));
    const scale = Math.pow(2, zoom);
    // the bounds' centre goes to the free area's centre
    const cx = (x(bounds[0][1]) + x(bounds[1][1])) / 2 * scale;
    const cy = (y(bounds[0][0]) + y(bounds[1][0])) / 2 * scale;
    const mx = cx - ((area.left + area.right) / 2 - area.width / 2);
    const my = cy - ((area.top + area.bottom) / 2 - area.height / 2);
    const lon = mx / scale / 256 * 360 - 180;
    const n = Math.PI - 2 * Math.PI * (my / scale) / 256;
    const lat = 180 / Math.PI * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
    return {center: [lat, lon], zoom: zoom};
  };

  window.atlasKiosk = K;
  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.atlas = Object.assign({}, window.dash_clientside.atlas, {
    kioskInit: function (config, lang) {
      const changed = (lang === "en" ? "en" : "zh") !== K.lang;
      K.lang = lang === "en" ? "en" : "zh";
      if (config && !K.config) {
        setTimeout(function () { K.init(config); }, 0);
      } else if (changed && K.kiosk && K.state !== "stopped") {
        caption(scene());
        sceneChanged();
      }
      return window.dash_clientside.no_update;
    }
  });
})();
