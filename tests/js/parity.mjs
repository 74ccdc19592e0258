// Runs queries through the static search client against an exported site,
// for comparison with `praxis search --format json` (the Rust parity test).
//
//   node tests/js/parity.mjs SITE_OUTPUT_DIR QUERIES_FILE [--kind KIND] [--limit N] [--detail]
//
// Checks that every file under SITE_OUTPUT_DIR/search-index/ hands its own
// name to `PraxisSearch.receive`, then runs each query as the browser does:
// starting from nothing and loading only the files the client asks for
// (so the settling from heads, tiers and blocks is what gets compared).
// Prints one JSON line per query
// (one query per line of QUERIES_FILE; blank lines are skipped):
//   {"query": q, "urls": [top 5 urls]}
// --detail adds "hits": [{title, url, kind, score, snippet}] as `praxis
// search` prints them. Exit status 1 when the index is incomplete.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { createRequire } from "node:module";
import vm from "node:vm";

const require = createRequire(import.meta.url);
const engine = require("../../themes/default/static/search-engine.js");

function usage(message) {
  console.error(`${message}\nusage: node tests/js/parity.mjs SITE_OUTPUT_DIR QUERIES_FILE [--kind KIND] [--limit N] [--detail]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const positional = [];
const opts = { kind: "", limit: 5, detail: false };
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--kind") opts.kind = args[++i] ?? usage("--kind needs a value");
  else if (args[i] === "--limit") opts.limit = Number(args[++i]);
  else if (args[i] === "--detail") opts.detail = true;
  else if (args[i].startsWith("--")) usage(`unknown option ${args[i]}`);
  else positional.push(args[i]);
}
if (positional.length !== 2 || !(opts.limit > 0)) usage("expected SITE_OUTPUT_DIR and QUERIES_FILE");
const [site, queriesFile] = positional;

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.name.endsWith(".js")) yield path;
  }
}

const indexDir = join(site, "search-index");
const files = {};
for (const path of walk(indexDir)) {
  const expected = relative(indexDir, path).split(sep).join("/");
  const received = [];
  const context = vm.createContext({
    PraxisSearch: { receive: (name, data) => received.push([name, data]) },
  });
  vm.runInContext(readFileSync(path, "utf8"), context, { filename: path });
  if (received.length !== 1 || received[0][0] !== expected) {
    console.error(`${path}: expected one PraxisSearch.receive(${JSON.stringify(expected)}, ...), got ${JSON.stringify(received.map((r) => r[0]))}`);
    process.exit(1);
  }
  // Round-trip through JSON so objects from the vm context behave like ours.
  files[expected] = JSON.parse(JSON.stringify(received[0][1]));
}

const queries = readFileSync(queriesFile, "utf8").split(/\r?\n/).filter((q) => q.trim() !== "");
for (const query of queries) {
  const loaded = {};
  let result = null;
  for (let round = 0; !result; round++) {
    const ix = new engine.IndexFiles(loaded);
    result = engine.search(ix, query, { kind: opts.kind, limit: opts.limit });
    const absent = [...ix.missing].filter((name) => !(name in files));
    if (!result && (absent.length || !ix.missing.size || round > 200)) {
      console.error(`query ${JSON.stringify(query)}: missing index files ${absent.join(", ") || "(none named)"}`);
      process.exit(1);
    }
    ix.missing.forEach((name) => (loaded[name] = files[name]));
  }
  const line = { query, urls: result.hits.map((h) => h.url) };
  if (opts.detail) {
    line.hits = result.hits.map(({ title, url, kind, score, snippet }) => ({ title, url, kind, score, snippet }));
  }
  console.log(JSON.stringify(line));
}
