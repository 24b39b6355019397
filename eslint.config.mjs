// ESLint flat config: `npx eslint assets tests/js` (make js-lint).
// assets/*.js are classic browser scripts loaded by Dash (each an IIFE with "use strict", no
// bundler, no modules, ES2020) that may use only the globals listed below.
// tests/js/**/*.mjs are ES modules run by Node (node --test tests/js/).
import js from "@eslint/js";
import globals from "globals";

const browserGlobals = {
  window: "readonly",
  document: "readonly",
  L: "readonly",  // Leaflet, loaded by dash-leaflet before the assets
  fetch: "readonly",
  AbortController: "readonly",
  URLSearchParams: "readonly",
  setTimeout: "readonly",
  setInterval: "readonly",
  clearTimeout: "readonly",
  clearInterval: "readonly",
  performance: "readonly",
  requestAnimationFrame: "readonly",
};

const shared = {
  "no-var": "error",
  "prefer-const": "error",
  eqeqeq: ["error", "always"],
  "no-eval": "error",
  "no-implied-eval": "error",
  "no-new-func": "error",
  "no-shadow": ["error", {builtinGlobals: false}],
  "no-unused-vars": ["error", {args: "after-used", caughtErrors: "none"}],
};

export default [
  {
    ignores: ["node_modules/**", ".venv/**", "exports/vendor/**"],
  },
  {
    linterOptions: {reportUnusedDisableDirectives: "error"},
  },
  {
    files: ["assets/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: browserGlobals,
    },
    rules: {
      ...js.configs.recommended.rules,
      ...shared,
      strict: ["error", "function"],  // "use strict" at the top of each IIFE
      "no-implicit-globals": "error",
      "no-restricted-properties": ["error",
        {property: "innerHTML", message: "Set text with textContent, never as HTML."},
        {property: "outerHTML", message: "Set text with textContent, never as HTML."},
        {property: "insertAdjacentHTML", message: "Set text with textContent, never as HTML."}],
      "no-restricted-syntax": ["error",
        {selector: "CallExpression[callee.object.name='document'][callee.property.name='write']",
          message: "document.write is not allowed."}],
    },
  },
  {
    files: ["tests/js/**/*.mjs"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: {...globals.node},
    },
    rules: {
      ...js.configs.recommended.rules,
      ...shared,
    },
  },
];
