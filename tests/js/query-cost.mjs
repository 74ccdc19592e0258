// What a visitor's browser downloads for each query: replays the static
// search client's loading (file by file, in the rounds the client needs)
// against an exported site and reports requests and bytes per query, raw and
// gzipped, including the search scripts and the manifest (a cold cache).
//
//   node tests/js/query-cost.mjs SITE_OUTPUT_DIR QUERIES_FILE [--limit N] [--kind KIND] [--typing] [--breakdown]
//
// Prints one line per query, then the median and maximum. With --typing,
// each query is typed word by word into one page (files stay cached) and
// the cost of each further word is reported instead. --breakdown adds, per
// query, the requests and gzip KB by kind of file (script, manifest, terms,
// tiers, blocks, vocab, docs). The last lines also give the median and
// maximum of the index data alone (terms, tiers, blocks, vocab: what ranking
// needs), apart from the doc chunks that show the results.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import vm from "node:vm";

const require = createRequire(import.meta.url);
const engine = require("../../themes/default/static/search-engine.js");

const [site, queriesFile, ...rest] = process.argv.slice(2);
if (!site || !queriesFile) {
  console.error("usage: node tests/js/query-cost.mjs SITE_OUTPUT_DIR QUERIES_FILE [--limit N] [--kind KIND] [--typing] [--breakdown]");
  process.exit(2);
}
const limit = rest.includes("--limit") ? Number(rest[rest.indexOf("--limit") + 1]) : 10;
const kind = rest.includes("--kind") ? rest[rest.indexOf("--kind") + 1] : "";
const typing = rest.includes("--typing");
const breakdown = rest.includes("--breakdown");
// The kind of an index file, for --breakdown: its first folder, or its name.
const kindOf = (name) => (name.includes("/") ? name.split("/")[0] : name.replace(/\.js$/, ""));
const indexDir = join(site, "search-index");
const isIndexData = (name) => ["terms", "tiers", "blocks", "vocab", "pairs"].includes(kindOf(name));

function load(name) {
  const text = readFileSync(join(indexDir, name), "utf8");
  let data;
  vm.runInContext(text, vm.createContext({ PraxisSearch: { receive: (_, d) => (data = d) } }));
  return { data: JSON.parse(JSON.stringify(data)), raw: Buffer.byteLength(text), gzip: gzipSync(text).length };
}

// The engine and the page's part, each a request of its own.
const SCRIPTS = ["search-engine.js", "search-ui.js"];
const scriptCost = { raw: 0, gzip: 0 };
for (const name of SCRIPTS) {
  const script = readFileSync(join(site, name));
  scriptCost.raw += script.length;
  scriptCost.gzip += gzipSync(script).length;
}
const rows = [];
for (const query of readFileSync(queriesFile, "utf8").split(/\r?\n/).filter((q) => q.trim())) {
  const files = {};
  let requests = SCRIPTS.length, raw = scriptCost.raw, gzip = scriptCost.gzip, indexGzip = 0;
  let kinds = { script: { n: SCRIPTS.length, gzip: scriptCost.gzip } };
  const fetch = (name) => {
    if (files[name]) return;
    const loaded = load(name);
    files[name] = loaded.data;
    requests += 1;
    raw += loaded.raw;
    gzip += loaded.gzip;
    if (isIndexData(name)) indexGzip += loaded.gzip;
    const k = (kinds[kindOf(name)] ||= { n: 0, gzip: 0 });
    k.n += 1;
    k.gzip += loaded.gzip;
  };
  const run = (text) => {
    let result = null, rounds = 0;
    while (!result && rounds < 20) {
      const ix = new engine.IndexFiles(files);
      result = engine.search(ix, text, { limit, kind });
      if (!result) ix.missing.forEach(fetch);
      rounds += 1;
    }
    return { rounds, hits: result ? result.hits.length : 0 };
  };
  fetch("manifest.js");
  const words = query.split(/\s+/);
  const steps = typing ? words.map((_, i) => words.slice(0, i + 1).join(" ")) : [query];
  for (const [i, text] of steps.entries()) {
    const before = { requests, raw, gzip, indexGzip };
    if (typing) kinds = {};
    const { rounds, hits } = run(text);
    if (typing && i === 0) continue;
    const row = typing
      ? {
          query: text,
          requests: requests - before.requests,
          raw: raw - before.raw,
          gzip: gzip - before.gzip,
          indexGzip: indexGzip - before.indexGzip,
          rounds,
          hits,
        }
      : { query: text, requests, raw, gzip, indexGzip, rounds, hits };
    rows.push(row);
    console.log(`${JSON.stringify(text).padEnd(30)} ${String(row.requests).padStart(3)} requests ${(row.raw / 1024).toFixed(1).padStart(7)} KB raw ${(row.gzip / 1024).toFixed(1).padStart(6)} KB gzip  ${rounds} rounds, ${hits} hits`);
    if (breakdown) {
      console.log("    " + Object.entries(kinds).map(([k, v]) => `${k} ${v.n}/${(v.gzip / 1024).toFixed(1)}`).join("  "));
    }
  }
}
const median = (values) => { const s = [...values].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const kb = (n) => (n / 1024).toFixed(1);
console.log(`median: ${median(rows.map((r) => r.requests))} requests, ${kb(median(rows.map((r) => r.raw)))} KB raw, ${kb(median(rows.map((r) => r.gzip)))} KB gzip`);
console.log(`max:    ${Math.max(...rows.map((r) => r.requests))} requests, ${kb(Math.max(...rows.map((r) => r.raw)))} KB raw, ${kb(Math.max(...rows.map((r) => r.gzip)))} KB gzip`);
console.log(`index data alone: median ${kb(median(rows.map((r) => r.indexGzip)))} KB gzip, max ${kb(Math.max(...rows.map((r) => r.indexGzip)))} KB gzip`);
