/* Accessibility glue for parts the page cannot express in its markup.
 *
 * - Option lists: dcc.RadioItems and dcc.Checklist (Dash 4) draw each choice as
 *   <label role="option" aria-selected> around a native <input>, inside role="listbox". An
 *   interactive input inside an option is "nested-interactive", and a listbox of radios is
 *   announced as neither. The native inputs already say everything, so the wrong roles go and
 *   each list becomes a named radiogroup/group (labelled by a heading or hidden label on the
 *   page, given by Python as {list id: label id}). React sets aria-selected again on every
 *   change of value, so a MutationObserver keeps the lists clean.
 * - The year slider's thumb gets its name ("Year") the same way.
 * - Dialogs (.atlas-dialog, role=dialog aria-modal) are modal for keyboards too: when one opens,
 *   focus moves into it and the rest of the page is inert; Tab cycles inside; Esc presses its
 *   close button (so the server hears of it as from a click); on close, focus returns to what
 *   opened it.
 * - prefers-reduced-motion: Leaflet views jump instead of flying. */
(function () {
  "use strict";

  const A = {names: {}, sliders: [], opener: new Map(), started: false};
  const FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]), select, textarea, " +
    "[tabindex]:not([tabindex='-1'])";

  function reducedMotion() {
    return typeof window.matchMedia === "function" &&
      window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  // One option list: native inputs, a named group around them.
  function fixList(list) {
    const radio = list.classList.contains("dash-radioitems");
    const label = A.names[list.id];
    if (label && document.getElementById(label)) {
      setAttr(list, "role", radio ? "radiogroup" : "group");
      setAttr(list, "aria-labelledby", label);
    } else if (list.getAttribute("role") === "listbox") {
      list.removeAttribute("role");
    }
    list.querySelectorAll("[role='option'], [aria-selected]").forEach(function (option) {
      option.removeAttribute("role");
      option.removeAttribute("aria-selected");
    });
  }

  function setAttr(el, name, value) {
    if (el.getAttribute(name) !== value) { el.setAttribute(name, value); }
  }

  function fixSlider() {
    A.sliders.forEach(function (slider) {
      const root = document.getElementById(slider.id);
      if (!root || !document.getElementById(slider.label)) { return; }
      root.querySelectorAll("[role='slider']").forEach(function (thumb) {
        setAttr(thumb, "aria-labelledby", slider.label);
      });
    });
  }

  function fixAll() {
    document.querySelectorAll(".dash-options-list.dash-radioitems, .dash-options-list.dash-checklist")
      .forEach(fixList);
    fixSlider();
  }

  // --- dialogs ---------------------------------------------------------------------------
  function openDialog() {
    return Array.prototype.slice.call(document.querySelectorAll(".atlas-dialog"))
      .filter(function (d) { return !d.hidden; })[0] || null;
  }

  function focusables(dialog) {
    return Array.prototype.slice.call(dialog.querySelectorAll(FOCUSABLE)).filter(function (e) {
      return e.getClientRects().length > 0 && !e.closest("[hidden]");
    });
  }

  function setInert(dialog, on) {
    const page = dialog.parentElement;
    if (!page) { return; }
    Array.prototype.forEach.call(page.children, function (child) {
      if (child === dialog) { return; }
      if (on) { child.setAttribute("inert", ""); } else { child.removeAttribute("inert"); }
    });
  }

  function dialogShown(dialog) {
    const active = document.activeElement;
    if (active && active !== document.body && !dialog.contains(active)) {
      A.opener.set(dialog.id, {el: active, id: active.id});
    }
    setInert(dialog, true);
    const heading = dialog.querySelector("h2");
    const target = heading || focusables(dialog)[0];
    if (target) {
      if (target === heading) { heading.setAttribute("tabindex", "-1"); }
      target.focus();
    }
  }

  function dialogHidden(dialog) {
    setInert(dialog, false);
    const opener = A.opener.get(dialog.id);
    A.opener.delete(dialog.id);
    if (!dialog.contains(document.activeElement) && document.activeElement !== document.body) {
      return;  // the user has already moved on
    }
    const shown = function (e) { return e && e.isConnected && e.getClientRects().length > 0; };
    // the opener itself, or the button that replaced it when its panel was redrawn (same id)
    let back = opener && shown(opener.el) ? opener.el : null;
    if (!back && opener && opener.id) { back = document.getElementById(opener.id); }
    if (shown(back)) {
      back.focus();
    } else {
      const fallback = document.getElementById(A.fallback || "");
      if (fallback) { fallback.setAttribute("tabindex", "-1"); fallback.focus(); }
    }
  }

  function onDialogChange(mutations) {
    mutations.forEach(function (m) {
      const d = m.target;
      if (m.attributeName !== "hidden" || !d.classList || !d.classList.contains("atlas-dialog")) {
        return;
      }
      if (d.hidden) { dialogHidden(d); } else { dialogShown(d); }
    });
  }

  function onKey(event) {
    const dialog = openDialog();
    if (!dialog) { return; }
    if (event.key === "Escape") {
      const close = dialog.querySelector("[data-dialog-close]");
      if (close) {
        event.preventDefault();
        event.stopPropagation();
        close.click();
      }
    } else if (event.key === "Tab") {
      const items = focusables(dialog);
      if (!items.length) { return; }
      const first = items[0];
      const last = items[items.length - 1];
      const at = document.activeElement;
      if (event.shiftKey && (at === first || !dialog.contains(at) || at.tagName === "H2")) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (at === last || !dialog.contains(at))) {
        event.preventDefault();
        first.focus();
      }
    }
  }

  // --- reduced motion ----------------------------------------------------------------------
  function calmLeaflet() {
    const L = window.L;
    if (!L || !L.Map || L.Map.prototype.atlasCalm) { return; }
    const proto = L.Map.prototype;
    const flyTo = proto.flyTo;
    const flyToBounds = proto.flyToBounds;
    proto.flyTo = function (center, zoom, options) {
      if (reducedMotion()) { return this.setView(center, zoom, {animate: false}); }
      return flyTo.call(this, center, zoom, options);
    };
    proto.flyToBounds = function (bounds, options) {
      if (reducedMotion()) { return this.fitBounds(bounds, Object.assign({}, options, {animate: false})); }
      return flyToBounds.call(this, bounds, options);
    };
    proto.atlasCalm = true;
  }

  A.start = function (config) {
    A.names = (config && config.groups) || {};
    A.sliders = (config && config.sliders) || [];
    A.fallback = (config && config.fallback) || null;
    calmLeaflet();
    fixAll();
    if (A.started || typeof window.MutationObserver !== "function") { return; }
    A.started = true;
    // Only the lists, the slider and the dialogs are watched, not the map's busy DOM.
    const watch = new window.MutationObserver(fixAll);
    document.querySelectorAll(".dash-options-list").forEach(function (list) {
      watch.observe(list, {childList: true, subtree: true, attributes: true,
                           attributeFilter: ["role", "aria-selected"]});
    });
    // planners' layers bring their own style lists (callbacks/userlayers.py)
    const own = document.getElementById("atlas-user-list");
    if (own) {
      watch.observe(own, {childList: true, subtree: true, attributes: true,
                          attributeFilter: ["role", "aria-selected"]});
    }
    // the slider is drawn by a component loaded on demand: watch the bar that will hold it
    document.querySelectorAll(".atlas-timeline, .atlas-compare-bar").forEach(function (bar) {
      watch.observe(bar, {childList: true, subtree: true});
    });
    const dialogs = new window.MutationObserver(onDialogChange);
    document.querySelectorAll(".atlas-dialog").forEach(function (d) {
      dialogs.observe(d, {attributes: true, attributeFilter: ["hidden"]});
    });
    document.addEventListener("keydown", onKey, true);
  };

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.atlas = Object.assign({}, window.dash_clientside.atlas, {
    a11yInit: function (config) {
      A.start(config);
      return window.dash_clientside.no_update;
    }
  });
})();
