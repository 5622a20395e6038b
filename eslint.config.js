// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

const nodeBuiltins = ["assert", "buffer", "child_process", "cluster", "crypto", "dgram", "dns", "events", "fs", "http", "http2", "https", "module", "net", "os", "path", "perf_hooks", "process", "readline", "stream", "timers", "tls", "tty", "url", "util", "v8", "vm", "worker_threads", "zlib"];
const builtinPatterns = ["node:*", ...nodeBuiltins, ...nodeBuiltins.map((m) => `${m}/*`)];
const ioPackages = ["electron", "knex", "sqlite3", "better-sqlite3", "pg", "ws", "fastify", "fastify-*", "@fastify/*", "asterisk-manager", "nodemailer", "smtp-server"];

// Node runs the bundles as ESM: a named import from a CommonJS package works under Vitest and fails there.
const cjsNamedImports = [{ name: "knex", importNames: ["knex"], message: 'knex is CommonJS: `import knex from "knex"`.' }];

const swallowMessage = "This hides the failure: show it (toast, inline error with the action that fixes it) or log it with the reason it may be ignored.";
/** Selectors for a failure thrown away without a word: `.catch(() => undefined)`, `.catch(() => {})`, `catch {}`, `drop(p, () => undefined)`. */
export const swallowedErrors = [
  { selector: "CallExpression[callee.property.name='catch'] > ArrowFunctionExpression[body.type='Identifier'][body.name='undefined']", message: swallowMessage },
  { selector: "CallExpression[callee.property.name='catch'] > ArrowFunctionExpression[body.type='BlockStatement'][body.body.length=0]", message: swallowMessage },
  { selector: "CallExpression[callee.property.name='then'] > ArrowFunctionExpression:nth-child(2)[body.type='Identifier'][body.name='undefined']", message: swallowMessage },
  { selector: "CallExpression[callee.name='drop'] > ArrowFunctionExpression[body.type='Identifier'][body.name='undefined']", message: swallowMessage },
  { selector: "CallExpression[callee.name='drop'] > ArrowFunctionExpression[body.type='BlockStatement'][body.body.length=0]", message: swallowMessage },
  { selector: "CatchClause > BlockStatement[body.length=0]", message: swallowMessage },
];

const registryMessage = "A module-level map keyed on a database is hidden state shared by whoever holds the same db: build the object once at the composition root (main.ts, build-server.ts) and pass it in.";
const moduleLevelMap = ":matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Weak)?Map$/]";
/** Selectors for a registry keyed on a knex instance, a transaction, the Fastify app, or any object (a db's config): `new WeakMap<Knex, …>()` at module level. */
export const databaseRegistries = [
  { selector: `${moduleLevelMap}[typeArguments.params.0.typeName.name=/^(Knex|Transaction|FastifyInstance|App)$/]`, message: registryMessage },
  { selector: `${moduleLevelMap}[typeArguments.params.0.typeName.right.name=/^(Knex|Transaction|FastifyInstance)$/]`, message: registryMessage },
  { selector: `${moduleLevelMap}[typeArguments.params.0.type='TSObjectKeyword']`, message: registryMessage },
];

/** Layering: where code lives tells where it runs (see ../shared/STYLE.md). */
const layer = (files, forbidden, why) => ({
  files,
  rules: {
    "no-restricted-imports": ["error", { paths: cjsNamedImports, patterns: [{ group: forbidden, message: why }] }],
  },
});

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "**/*.d.ts.map"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
      "no-restricted-imports": ["error", { paths: cjsNamedImports }],
    },
  },
  { files: ["**/*.js", "**/*.mjs", "**/*.cjs"], extends: [tseslint.configs.disableTypeChecked] },
  {
    files: ["src-renderer/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
  {
    // A failure in the UI reaches the screen (toast, inline error with its fix) or is ignored in words: never swallowed.
    // src-renderer/phone/ is left out for now: its engine owner rewords its failures this round.
    files: ["src-renderer/**/*.{ts,tsx}"],
    ignores: ["src-renderer/phone/**"],
    rules: {
      "no-restricted-syntax": ["error", ...swallowedErrors],
    },
  },
  {
    files: ["**/*.test.{ts,tsx}", "e2e/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off", "@typescript-eslint/unbound-method": "off" },
  },
  layer(["src-shared/**/*.{ts,tsx}"], [...builtinPatterns, ...ioPackages, "react", "react-*", "**/src-main/**", "**/src-server/**", "**/src-renderer/**"],
    "src-shared/ is pure: no Node built-ins, Electron, database, network or UI; put I/O in src-main/ or src-server/."),
  layer(["src-renderer/**/*.{ts,tsx}"], [...builtinPatterns, ...ioPackages, "**/src-main/**", "**/src-server/**"],
    "src-renderer/ talks to the core only through window.caller (src-shared/api); it never imports main, server or Node."),
  layer(["src-main/core/**/*.ts", "src-main/host/**/*.ts"], ["electron", "**/src-server/**", "**/src-renderer/**", "**/electron/**"],
    "src-main/core/ and the Node host are plain Node: no electron import, no server or renderer code."),
  {
    // Server and core state is built at the composition root and passed in, never found through a registry keyed on the database or the app.
    files: ["src-server/**/*.ts", "src-main/core/**/*.ts"],
    rules: { "no-restricted-syntax": ["error", ...databaseRegistries] },
  },
  layer(["src-server/**/*.ts"], ["electron", "**/src-main/**", "**/src-renderer/**"],
    "src-server/ is the company side: it shares only src-shared/ with the app."),
);
