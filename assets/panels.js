/* Draws the side panels (cards, the year's changes, a selection's details) and the legend from
 * the plain data the server puts in a store beside each box (panels/plain.py says why: as Dash
 * components they cost every slider step far more than drawing them here).
 * A node is a string (drawn as a text node, never as HTML) or {t: tag, a: attributes, c: nodes}.
 * Only known tags and attributes are drawn; links only to http(s) addresses or this site. */
(function () {
  "use strict";

  const TAGS = new Set(["div", "span", "p", "ol", "ul", "li", "button", "details", "summary",
                        "h2", "h3", "h4", "a", "br", "code", "q", "small", "strong", "em",
                        "time", "section"]);
  const ATTRIBUTES = new Set(["class", "id", "title", "role", "tabindex", "href", "target",
                              "rel", "open", "hidden", "lang", "for", "disabled", "type", "cite",
                              "datetime"]);
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

  // The store's id is "<box id>-plain" (ids.plain).
  function draw(tree, storeId) {
    const box = typeof storeId === "string"
      ? document.getElementById(storeId.replace(/-plain$/, "")) : null;
    if (!box || tree === null || tree === undefined) { return; }
    const fresh = document.createDocumentFragment();
    append(fresh, Array.isArray(tree) ? tree : [tree]);
    box.replaceChildren(fresh);
  }

  window.atlas = Object.assign({}, window.atlas, {panels: {build: build, draw: draw}});
  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.atlas = Object.assign({}, window.dash_clientside.atlas, {
    draw: function (tree, storeId) {
      draw(tree, storeId);
      return window.dash_clientside.no_update;
    }
  });
})();
