// Search parity at scale: random queries drawn from a built site's own
// vocabulary go through the static client (loading files lazily, as the
// browser does: tests/js/parity.mjs) and through `praxis search`, and their
// top 10 must agree, URLs and scores. The demo site's parity test never
// reaches the tiers and blocks of long postings; a generated 10,000-page
// site does, for almost every query.
//
//   node tests/js/parity-at-scale.mjs PRAXIS_BIN SITE_ROOT SITE_OUTPUT [--queries N] [--seed S]
//
// Queries (N, default 160, seeded): pairs and triples of common words,
// common with rarer words, single rarer words, a last word cut short (as
// while typing), and rarer words with two letters swapped (typos). Every
// fifth query has no kind filter; the others take each kind in turn.
// Exit status 1 on any difference, listing each.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import vm from "node:vm";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [value] = args.splice(at, 2).slice(1);
  return Number(value);
};
const count = option("--queries", 160);
let seed = option("--seed", 7);
const [praxis, root, site] = args;
if (!praxis || !root || !site || !(count > 0)) {
  console.error("usage: node tests/js/parity-at-scale.mjs PRAXIS_BIN SITE_ROOT SITE_OUTPUT [--queries N] [--seed S]");
  process.exit(2);
}

// The site's surface forms, most frequent first.
const vocabDir = join(site, "search-index", "vocab");
const words = [];
for (const name of readdirSync(vocabDir)) {
  vm.runInContext(readFileSync(join(vocabDir, name), "utf8"), vm.createContext({
    PraxisSearch: { receive: (_, data) => words.push(...JSON.parse(JSON.stringify(data)).words) },
  }));
}
words.sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : 1));
const common = words.slice(0, 300).map((w) => w[0]);
const rarer = words.slice(300, 3000).map((w) => w[0]);
if (common.length < 300 || rarer.length < 100) {
  console.error(`${site}: too small a vocabulary (${words.length} words) for queries at scale`);
  process.exit(2);
}

const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (list) => list[Math.floor(random() * list.length)];
const swapTwo = (word) => {
  const i = 1 + Math.floor(random() * (word.length - 2));
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
};
const queries = new Set();
while (queries.size < count) {
  const r = random();
  if (r < 0.3) queries.add(`${pick(common)} ${pick(common)}`);
  else if (r < 0.5) queries.add(`${pick(common)} ${pick(rarer)}`);
  else if (r < 0.6) queries.add(`${pick(common)} ${pick(common)} ${pick(common)}`);
  else if (r < 0.7) queries.add(pick(rarer));
  else if (r < 0.8) {
    const last = pick(common);
    queries.add(`${pick(common)} ${last.slice(0, Math.max(2, last.length - 3))}`);
  } else if (r < 0.9) queries.add(swapTwo(pick(rarer.filter((w) => w.length > 5))));
  else queries.add(`${pick(common)} ${pick(rarer)} ${pick(rarer)}`);
}

// Each kind's queries go through the client in one run of parity.mjs.
const KINDS = ["", "technique", "application", "article", "faq"];
const kindOf = (index) => KINDS[index % KINDS.length];
const fromClient = [];
const work = mkdtempSync(join(tmpdir(), "praxis-parity-"));
for (const kind of KINDS) {
  const queriesFile = join(work, `queries-${kind || "all"}.txt`);
  writeFileSync(queriesFile, [...queries].filter((_, i) => kindOf(i) === kind).join("\n") + "\n");
  const client = spawnSync(process.execPath, [
    new URL("parity.mjs", import.meta.url).pathname, site, queriesFile, "--limit", "10", "--detail",
    ...(kind ? ["--kind", kind] : []),
  ], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (client.status !== 0) {
    rmSync(work, { recursive: true, force: true });
    console.error(`the static client failed:\n${client.stderr}`);
    process.exit(1);
  }
  fromClient.push(...client.stdout.trim().split("\n").map((line) => ({ ...JSON.parse(line), kind })));
}
rmSync(work, { recursive: true, force: true });

const ranking = (hits) => hits.map((h) => `${h.url} ${h.score}`);
let same = 0;
const differences = [];
for (const { query, hits, kind } of fromClient) {
  const filter = kind ? ["--kind", kind] : [];
  const server = spawnSync(praxis, ["search", "--root", root, "--format", "json", "--limit", "10", ...filter, "--", query], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (server.status !== 0) {
    differences.push(`${JSON.stringify(query)} ${kind}: praxis search failed: ${server.stderr.trim()}`);
    continue;
  }
  const [a, b] = [ranking(hits), ranking(JSON.parse(server.stdout).hits)];
  if (a.join("\n") === b.join("\n")) same += 1;
  else differences.push(`${JSON.stringify(query)} ${kind}:\n  static client: ${a.join(", ")}\n  praxis search: ${b.join(", ")}`);
}
const withHits = fromClient.filter((line) => line.hits.length).length;
console.log(`${same} of ${fromClient.length} queries rank the same top 10 in the static client and praxis search (${withHits} with hits; 4 in 5 filtered by kind)`);
if (differences.length) {
  console.error(differences.join("\n"));
  process.exit(1);
}
