// ESLint (flat config) for the project's JavaScript: the theme's scripts,
// the live-reload script of `praxis serve`, and the Node and browser tests.
// `npx eslint --max-warnings 0` in the repository root, as CI runs it
// (.ci/run). ESLint's recommended rules for all; the theme's scripts, which
// every visitor's browser runs, also keep to descriptive names.
import js from "@eslint/js";

// Globals by hand: the scripts use few, and a short list keeps a typo from
// passing as a global.
const readonly = (names) => Object.fromEntries(names.map((name) => [name, "readonly"]));
const browser = readonly([
  "window", "document", "location", "history", "URL", "URLSearchParams", "TextEncoder", "EventSource",
  "MutationObserver", "getComputedStyle", "setTimeout", "clearTimeout", "structuredClone",
  "HTMLElement", "HTMLFormElement", "HTMLInputElement", "HTMLAnchorElement",
]);
const node = readonly(["process", "console", "Buffer", "URL", "TextEncoder", "setTimeout", "clearTimeout", "structuredClone"]);

export default [
  {
    ignores: ["target/**", "node_modules/**", "public/**", ".praxis/**"],
  },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    // Plain scripts, each in a function scope of its own: a module would
    // not load from file:// in a portable build. The search engine also
    // runs in Node, where it hands its API to `module`.
    files: ["themes/**/*.js", "src/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...browser, globalThis: "readonly", module: "readonly" },
    },
    rules: {
      strict: ["error", "function"],
      "no-implicit-globals": "error",
    },
  },
  {
    files: ["themes/**/*.js"],
    rules: {
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: ["error", "always", { null: "ignore" }],
      // No one- or two-letter names but loop indices.
      "id-length": ["error", { min: 3, exceptions: ["i", "j", "k"], properties: "always" }],
    },
  },
  {
    // Node tests and tools, as ES modules; the browser tests hand
    // functions to the page, so those see the browser's globals too.
    files: ["**/*.mjs"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...node, ...browser },
    },
    rules: {
      "no-var": "error",
      "prefer-const": "error",
    },
  },
];
