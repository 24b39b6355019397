/* Draws the side panels (cards, the year's changes, a selection's details) and the legend from
 * the plain data the server puts in each box's data-plain attribute (panels/plain.py says why:
 * as Dash components they cost every slider step far more than drawing them here).
 * A node is a string (drawn as a text node, never as HTML) or {t: tag, a: attributes, c: nodes}.
 * Only known tags and attributes are drawn; links only to http(s) addresses or this site. */
(function () {
  "use strict";

  const TAGS = new Set(["div", "span", "p", "ol", "ul", "li", "button", "details", "summary",
                        "h2", "h3", "h4", "a", "br", "code", "q", "small", "strong", "em",
                        "time", "section", "table", "caption", "thead", "tbody", "tr", "th",
                        "td"]);
  const ATTRIBUTES = new Set(["class", "id", "title", "role", "tabindex", "href", "target",
                              "rel", "open", "hidden", "lang", "for", "disabled", "type", "cite",
                              "datetime", "scope", "colspan"]);
  const SAFE_LINK = /^(https?:\/\/|\/(?!\/)|#)/i;

  function allowed(name) {
    return ATTRIBUTES.has(name) || /^(data|aria)-[a-z0-9-]+$/.test(name);
  }

  function build(node) {
    if (typeof node === "string") { return document.createTextNode(node); }
    if (!node || typeof node !== "object" || !TAGS.has(node.t)) { return null; }
    const el = document.createElement(node.t);
    const attrs = node.a || {};
    Object.keys(attrs).forEach(function (name) {
      const value = attrs[name];
      if (name === "style") {
        if (value && typeof value === "object") {
          Object.keys(value).forEach(function (prop) { el.style[prop] = String(value[prop]); });
        }
        return;
      }
      if (!allowed(name) || value === false || value === null || value === undefined) { return; }
      if (name === "href" && !SAFE_LINK.test(String(value))) { return; }
      el.setAttribute(name, value === true ? "" : String(value));
    });
    append(el, node.c);
    return el;
  }

  function append(parent, nodes) {
    (Array.isArray(nodes) ? nodes : []).forEach(function (n) {
      const child = Array.isArray(n) ? null : build(n);
      if (Array.isArray(n)) { append(parent, n); } else if (child) { parent.appendChild(child); }
    });
  }

  function draw(box, tree) {
    const fresh = document.createDocumentFragment();
    append(fresh, Array.isArray(tree) ? tree : [tree]);
    box.replaceChildren(fresh);
  }

  // Each box carries what it shows as JSON in data-plain (set by Dash like any attribute);
  // it is drawn when the box appears and whenever that attribute changes, in the same frame.
  const drawn = new WeakMap();  // box → the text last drawn in it
  function drawBoxes() {
    document.querySelectorAll("[data-plain]").forEach(function (box) {
      const text = box.getAttribute("data-plain");
      if (drawn.get(box) === text) { return; }
      drawn.set(box, text);
      let tree = null;
      try { tree = JSON.parse(text); } catch (err) { return; }
      draw(box, tree);
    });
  }
  function concerned(records) {
    return records.some(function (r) {
      if (r.type === "attributes") { return true; }
      return Array.prototype.some.call(r.addedNodes, function (n) {
        return n.nodeType === 1 && (n.hasAttribute("data-plain") || n.querySelector("[data-plain]"));
      });
    });
  }
  if (window.MutationObserver && document.documentElement) {
    new window.MutationObserver(function (records) {
      if (concerned(records)) { drawBoxes(); }
    }).observe(document.documentElement, {childList: true, subtree: true, attributes: true,
                                          attributeFilter: ["data-plain"]});
  }

  window.atlas = Object.assign({}, window.atlas, {panels: {build: build, draw: draw}});
})();
