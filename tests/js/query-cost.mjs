// What a visitor's browser downloads for each query: replays the static
// search client's loading (file by file, in the rounds the client needs)
// against an exported site and reports requests and bytes per query, raw and
// gzipped, including search.js and the manifest (a cold cache).
//
//   node tests/js/query-cost.mjs SITE_OUTPUT_DIR QUERIES_FILE [--limit N]
//
// Prints one line per query, then the median and maximum.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import vm from "node:vm";

const require = createRequire(import.meta.url);
const S = require("../../themes/default/static/search.js");

const [site, queriesFile, ...rest] = process.argv.slice(2);
if (!site || !queriesFile) {
  console.error("usage: node tests/js/query-cost.mjs SITE_OUTPUT_DIR QUERIES_FILE [--limit N]");
  process.exit(2);
}
const limit = rest[0] === "--limit" ? Number(rest[1]) : 10;
const indexDir = join(site, "search-index");

function load(name) {
  const text = readFileSync(join(indexDir, name), "utf8");
  let data;
  vm.runInContext(text, vm.createContext({ PraxisSearch: { receive: (_, d) => (data = d) } }));
  return { data: JSON.parse(JSON.stringify(data)), raw: Buffer.byteLength(text), gzip: gzipSync(text).length };
}

const script = readFileSync(join(site, "search.js"));
const scriptCost = { raw: script.length, gzip: gzipSync(script).length };
const rows = [];
for (const query of readFileSync(queriesFile, "utf8").split(/\r?\n/).filter((q) => q.trim())) {
  const files = {};
  let requests = 1, raw = scriptCost.raw, gzip = scriptCost.gzip, rounds = 0, result = null;
  const fetch = (name) => {
    if (files[name]) return;
    const loaded = load(name);
    files[name] = loaded.data;
    requests += 1;
    raw += loaded.raw;
    gzip += loaded.gzip;
  };
  fetch("manifest.js");
  while (!result && rounds < 20) {
    const ix = new S.Index(files);
    result = S.search(ix, query, { limit });
    if (!result) ix.missing.forEach(fetch);
    rounds += 1;
  }
  rows.push({ query, requests, raw, gzip, rounds, hits: result ? result.hits.length : 0 });
  console.log(`${JSON.stringify(query).padEnd(30)} ${String(requests).padStart(3)} requests ${(raw / 1024).toFixed(1).padStart(7)} KB raw ${(gzip / 1024).toFixed(1).padStart(6)} KB gzip  ${rounds} rounds, ${rows.at(-1).hits} hits`);
}
const median = (values) => { const s = [...values].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const kb = (n) => (n / 1024).toFixed(1);
console.log(`median: ${median(rows.map((r) => r.requests))} requests, ${kb(median(rows.map((r) => r.raw)))} KB raw, ${kb(median(rows.map((r) => r.gzip)))} KB gzip`);
console.log(`max:    ${Math.max(...rows.map((r) => r.requests))} requests, ${kb(Math.max(...rows.map((r) => r.raw)))} KB raw, ${kb(Math.max(...rows.map((r) => r.gzip)))} KB gzip`);

