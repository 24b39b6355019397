/* The flow table beside the map (panels/flowpanel.py builds it from panels/flows.py;
 * assets/panels.js draws it from the section's data-plain, again whenever the server sends a new one).
 *
 * Each flow is a row group (<tbody>: its from → to, then its values), called a row here.
 * - Sort by count: the count column's header button cycles largest first → smallest first →
 *   table order, and says which in the header's aria-sort. Rows without a count stay last, in
 *   table order. Done here, with no request; the order is kept when the table is redrawn.
 * - Row ↔ arc: hovering a row or focusing anything in it marks its flow's arc and arrowhead
 *   (class atlas-flow-hot, assets/flows.css) on every map of the page (the page map and a
 *   comparison's map alike: the document is searched, not one map); hovering an arc marks the
 *   arc and its row. Nothing is scrolled.
 * - A row's flow button selects the flow, as a click on its arc does (the selection store).
 * Listeners sit on the document, so they outlive the panel's redraws. Nothing here writes text
 * from data; the only text set is the sort mark, with textContent. */
(function () {
  "use strict";

  const BOX = "atlas-flow-table";
  const HOT = "atlas-flow-hot";
  const ROW_HOT = "atlas-flow-row-hot";
  const ORDERS = ["none", "descending", "ascending"];  // the header button's cycle
  const MARKS = {none: "↕", descending: "↓", ascending: "↑"};
  const F = {order: "none", pointer: null, focus: null, marked: new Set()};

  function closest(target, selector) {
    return target && typeof target.closest === "function" ? target.closest(selector) : null;
  }

  function box() { return document.getElementById(BOX); }

  function rows() {
    const el = box();
    return el ? Array.prototype.slice.call(el.querySelectorAll("tbody[data-flow-class]")) : [];
  }

  // ---- sort by count ---------------------------------------------------------------------------
  function count(row) {
    const text = row.getAttribute("data-count");
    const value = text === null || text === "" ? NaN : Number(text);
    return Number.isFinite(value) ? value : null;
  }

  function position(row) { return Number(row.getAttribute("data-order")) || 0; }

  // Compare two rows in `order`: counted rows by count, rows without one after them; ties and
  // table order by the server's order.
  function compare(order) {
    return function (a, b) {
      if (order !== "none") {
        const x = count(a), y = count(b);
        if (x === null && y !== null) { return 1; }
        if (y === null && x !== null) { return -1; }
        if (x !== null && y !== null && x !== y) { return order === "descending" ? y - x : x - y; }
      }
      return position(a) - position(b);
    };
  }

  function sortTable() {
    const el = box();
    const table = el && el.querySelector("table.atlas-flow-list");
    if (!table) { return; }
    const list = Array.prototype.slice.call(table.tBodies);  // one per flow
    const sorted = list.slice().sort(compare(F.order));
    if (sorted.some(function (group, i) { return group !== list[i]; })) {
      sorted.forEach(function (group) { table.appendChild(group); });
    }
    const head = table.querySelector("th.atlas-flow-sort-head");
    if (head && head.getAttribute("aria-sort") !== F.order) { head.setAttribute("aria-sort", F.order); }
    const sign = table.querySelector(".atlas-flow-sort-mark");
    if (sign && sign.textContent !== MARKS[F.order]) { sign.textContent = MARKS[F.order]; }
  }

  // ---- row ↔ arc -------------------------------------------------------------------------------
  // The class naming a flow's arc and arrowhead (atlas-flow-<safe id>), from a row or a path.
  function flowOfRow(row) { return row ? row.getAttribute("data-flow-class") : null; }

  function flowOfPath(path) {
    if (!path || !path.classList || !path.classList.contains("atlas-flow")) { return null; }
    const row = rows().find(function (r) { return path.classList.contains(flowOfRow(r)); });
    if (row) { return flowOfRow(row); }
    const own = Array.prototype.find.call(path.classList, function (c) {
      return /^atlas-flow-/.test(c) && ["atlas-flow-arc", "atlas-flow-head", HOT].indexOf(c) < 0;
    });
    return own || null;
  }

  // Mark what the pointer and the focus are on (either may be null), and nothing else. What
  // was marked is remembered, so an arc the map took off meanwhile is unmarked too.
  function mark() {
    const wanted = [F.pointer, F.focus].filter(Boolean);
    const owns = function (el) {
      return wanted.some(function (c) { return el.classList.contains(c) || flowOfRow(el) === c; });
    };
    F.marked.forEach(function (el) {
      if (owns(el) && el.isConnected) { return; }
      el.classList.remove(HOT, ROW_HOT);
      el.style.removeProperty("--atlas-flow-weight");
      F.marked.delete(el);
    });
    wanted.forEach(function (cls) {
      // every map's arc and heads (getElementsByClassName: no selector escaping needed)
      Array.prototype.slice.call(document.getElementsByClassName(cls)).forEach(function (el) {
        if (!el.classList.contains("atlas-flow") || F.marked.has(el)) { return; }
        const weight = parseFloat(el.getAttribute("stroke-width"));
        if (Number.isFinite(weight)) { el.style.setProperty("--atlas-flow-weight", weight + "px"); }
        el.classList.add(HOT);
        F.marked.add(el);
      });
      rows().forEach(function (row) {
        if (flowOfRow(row) === cls && !F.marked.has(row)) {
          row.classList.add(ROW_HOT);
          F.marked.add(row);
        }
      });
    });
  }

  function pointerOn(target) {
    const row = closest(target, "#" + BOX + " tbody[data-flow-class]");
    const flow = row ? flowOfRow(row) : flowOfPath(closest(target, ".atlas-flow"));
    if (flow !== F.pointer) {
      F.pointer = flow;
      mark();
    }
  }

  function focusOn(target) {
    const flow = flowOfRow(closest(target, "#" + BOX + " tbody[data-flow-class]"));
    if (flow !== F.focus) {
      F.focus = flow;
      mark();
    }
  }

  // ---- listeners -------------------------------------------------------------------------------
  function select(id) {
    const dash = window.dash_clientside;
    if (id && dash && typeof dash.set_props === "function") {
      dash.set_props("atlas-selected", {data: id});  // what a click on the arc stores
    }
  }

  function onClick(event) {
    const target = event && event.target;
    if (closest(target, "#" + BOX + " .atlas-flow-sort")) {
      F.order = ORDERS[(ORDERS.indexOf(F.order) + 1) % ORDERS.length];
      sortTable();
      return;
    }
    const button = closest(target, "#" + BOX + " .atlas-flow-select");
    if (button) { select(button.getAttribute("data-flow")); }
  }

  if (document && typeof document.addEventListener === "function") {
    document.addEventListener("click", onClick);
    document.addEventListener("mouseover", function (event) { pointerOn(event && event.target); });
    document.addEventListener("mouseout", function (event) {
      if (event && !event.relatedTarget) { pointerOn(null); }  // the pointer left the page
    });
    document.addEventListener("focusin", function (event) { focusOn(event && event.target); });
    document.addEventListener("focusout", function (event) {
      if (!event || !event.relatedTarget) { focusOn(null); }
    });
  }

  // The table is redrawn (a step, the layers, the language): keep its order and its marks. The
  // rows are new, so the focus is no longer in one; the pointer may still be on an arc.
  function redrawn(records) {
    return records.some(function (r) { return r.target && r.target.id === BOX; });
  }
  if (window.MutationObserver && document && document.documentElement) {
    new window.MutationObserver(function (records) {
      if (!redrawn(records)) { return; }
      const active = document.activeElement;
      F.focus = flowOfRow(closest(active, "#" + BOX + " tbody[data-flow-class]"));
      sortTable();
      mark();
    }).observe(document.documentElement, {childList: true, subtree: true});
  }
})();
