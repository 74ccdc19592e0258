// Pair lists (docs/search-format.md, "Pairs"): with them the client must
// rank exactly as without them, loading less. Hand-made indexes whose
// postings are cut as the export cuts them, and a property test over
// random ones. Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { PARAMETERS } from "./search-parameters.mjs";

const require = createRequire(import.meta.url);
const engine = require("../../themes/default/static/search-engine.js");

const KINDS = ["technique", "application", "article", "faq", "page"];
const manifest = (docs, more) => ({
  version: 6, docs, scale: 100, stop_words: ["the"], folding: {}, term_shards: [""], vocab_shards: [],
  doc_chunks: [[0, 4]], kinds: KINDS, kind_runs: [[0, "article"]], pair_group: 8, parameters: PARAMETERS, ...more,
});

// Cuts [doc, impact] postings as the export does: the `head` highest
// impacts (ties: lower doc), a tier of the next 3 heads' worth, the rest in
// doc-ordered blocks of `block` postings; each part sorted by doc.
function cutPostings(postings, head, block) {
  const byImpact = [...postings].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const byDoc = (list) => [...list].sort((a, b) => a[0] - b[0]);
  const flat = (list) => byDoc(list).flatMap(([d, v], i, all) => [i ? d - all[i - 1][0] : d, v]);
  const tier = byImpact.slice(head, 4 * head), rest = byDoc(byImpact.slice(4 * head));
  const blocks = [];
  for (let i = 0; i < rest.length; i += block) blocks.push(rest.slice(i, i + block));
  const index = blocks.flatMap((b, i) => [i ? b[0][0] - blocks[i - 1][0][0] : b[0][0], Math.max(...b.map((p) => p[1]))]);
  return { head: flat(byImpact.slice(0, head)), tierMax: tier.length ? tier[0][1] : 0, tier: flat(tier), blocks: blocks.map(flat), index };
}

// A pair list as the export writes it: of the docs having both stems, the
// `listed` best sums (ties: lower doc), by doc, after the next best sum.
function pairList(first, second, listed) {
  const b = new Map(second);
  const both = first.filter(([d]) => b.has(d)).map(([d, a]) => [d, a, b.get(d)])
    .sort((x, y) => y[1] + y[2] - x[1] - x[2] || x[0] - y[0]);
  const top = both.slice(0, listed).sort((x, y) => x[0] - y[0]);
  const cap = both.length > listed ? both[listed][1] + both[listed][2] : 0;
  return [cap, ...top.flatMap(([d, a, b], i) => [i ? d - top[i - 1][0] : d, a, b])];
}

// "alpha" and "beta" on every one of 30 docs, "delta" on 7; heads 2 long:
// without pair lists the client needs tiers and blocks to rank them.
function pairedIndex(withPairs) {
  const n = 30, listed = 12;
  const docs = Array.from({ length: n }, (_, i) => ({ url: `/p${i}/`, title: `P${i}`, page: `P${i}`, kind: "article", text: "" }));
  const words = {
    alpha: Array.from({ length: n }, (_, d) => [d, 100 + 3 * (n - d)]),
    beta: Array.from({ length: n }, (_, d) => [d, 50 + ((d * 7) % n) * 4]),
    delta: Array.from({ length: 7 }, (_, i) => [5 + 3 * i, 90 - 7 * i]),
  };
  const files = {
    "manifest.js": manifest(n, { doc_chunks: [[0, 32]] }),
    "terms/0.js": { surface: {}, postings: {}, tails: {}, blocks: {}, pairs: withPairs ? { alpha: 0, beta: 1, delta: 2 } : {} },
    "docs/0.js": { docs },
  };
  for (const [stem, postings] of Object.entries(words)) {
    const cut = cutPostings(postings, 2, 4), t = files["terms/0.js"];
    t.postings[stem] = cut.head;
    t.tails[stem] = cut.tierMax;
    if (cut.index.length) t.blocks[stem] = cut.index;
    files[`tiers/0/${stem}.js`] = { postings: cut.tier };
    cut.blocks.forEach((b, i) => (files[`blocks/0/${stem}/${i}.js`] = { postings: b }));
  }
  const { alpha, beta, delta } = words;
  files["pairs/0/0.js"] = { pairs: { 1: pairList(alpha, beta, listed), 2: pairList(alpha, delta, listed) } };
  files["pairs/1/0.js"] = { pairs: { 2: pairList(beta, delta, listed) } };
  return files;
}

// What the browser does: start empty, load what search() says is missing.
function lazilyFrom(all, q, opts) {
  const files = {}, ix = new engine.IndexFiles(files);
  for (let rounds = 0; rounds < 400; rounds++) {
    ix.missing = new Set();
    const r = engine.search(ix, q, opts);
    if (r) return { r, loaded: Object.keys(files).sort() };
    assert.ok(ix.missing.size > 0, `${q}: no answer and nothing to load`);
    for (const name of ix.missing) {
      assert.ok(name in all, `${q}: asks for ${name}, which the index does not have`);
      files[name] = all[name];
    }
  }
  assert.fail(`${q}: no answer after 400 rounds`);
}

test("a pair list settles two frequent words without their tiers and blocks", () => {
  const paired = pairedIndex(true), plain = pairedIndex(false);
  for (const q of ["alpha beta", "beta alpha"]) {
    const expected = engine.search(new engine.IndexFiles(plain), q, { limit: 5 });
    const { r, loaded } = lazilyFrom(paired, q, { limit: 5 });
    assert.deepEqual(r, expected, q);
    assert.ok(loaded.includes("pairs/0/0.js"), q);
    assert.deepEqual(loaded.filter((f) => /^(tiers|blocks)\//.test(f)), [], q);
    // Without the pair list the same answer takes tiers and blocks.
    assert.ok(lazilyFrom(plain, q, { limit: 5 }).loaded.some((f) => f.startsWith("blocks/")), q);
  }
  // More results than the list holds: blocks settle the rest, same answer.
  const deep = lazilyFrom(paired, "alpha beta", { limit: 20 });
  assert.deepEqual(deep.r, engine.search(new engine.IndexFiles(plain), "alpha beta", { limit: 20 }));
  assert.ok(deep.loaded.some((f) => f.startsWith("blocks/")));
  // A pair list is for two words only: a third keeps the per-word bounds.
  assert.ok(!lazilyFrom(paired, "alpha beta alpha", { limit: 5 }).loaded.includes("pairs/0/0.js"));
});

test("a pair list holding every doc with both words makes OR sure at once", () => {
  // 7 docs have alpha and delta: fewer than 10, so OR (step 4), where the
  // 7 rank first. The list holds all 7 (cap 0), so no other doc can have
  // both: the top 5 need neither word's tier.
  const paired = pairedIndex(true), plain = pairedIndex(false);
  assert.equal(paired["pairs/0/0.js"].pairs[2][0], 0);
  const { r, loaded } = lazilyFrom(paired, "delta alpha", { limit: 5 });
  assert.deepEqual(r, engine.search(new engine.IndexFiles(plain), "delta alpha", { limit: 5 }));
  assert.deepEqual(loaded, ["docs/0.js", "manifest.js", "pairs/0/0.js", "terms/0.js"]);
  assert.ok(lazilyFrom(plain, "delta alpha", { limit: 5 }).loaded.includes("tiers/0/delta.js"));
  // Past the 7, docs with one word rank by their OR score: same answer.
  const more = lazilyFrom(paired, "delta alpha", { limit: 12 }).r;
  assert.deepEqual(more, engine.search(new engine.IndexFiles(plain), "delta alpha", { limit: 12 }));
  assert.equal(more.hits.length, 12);
});

// A seeded random number generator, so a failure can be replayed.
function random(seed) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  return { next, int, pick: (list) => list[int(0, list.length - 1)] };
}

// A random index: 15-120 docs of three kinds, sections under pages; five
// words on 10-100% of the docs, with impacts of 1-4 (many ties) or
// 1-300; heads of 1-4 postings, blocks of 2-8, 1-4 pairs to a file, 4 or
// 20 docs to a pair list. The pair stems follow the export's rule: those
// with blocks, longest first.
function randomIndex(rnd) {
  const n = rnd.int(15, 120), head = rnd.int(1, 4), block = rnd.int(2, 8), group = rnd.int(1, 4);
  // The export lists 20 docs; the client must not count on it.
  const listed = rnd.pick([4, 20]);
  const kinds = ["technique", "article", "faq"], docs = [];
  let kind = rnd.pick(kinds), page = 0;
  for (let d = 0; d < n; d++) {
    if (rnd.next() < 0.15) kind = rnd.pick(kinds);
    const newPage = d === 0 || rnd.next() < 0.5 || docs[d - 1].kind !== kind;
    if (newPage) page++;
    const url = kind === "faq" ? `/faq/#q${d}` : newPage ? `/p${page}/` : `/p${page}/#s${d}`;
    docs.push({ url, title: `D${d}`, page: `P${page}`, kind, text: "" });
  }
  const low = rnd.next() < 0.5, words = {};
  for (const stem of ["alphaword", "betaverse", "gammaline", "deltapoint", "epsilonic"]) {
    const density = rnd.pick([0.1, 0.3, 0.6, 0.9, 1]), postings = [];
    for (let d = 0; d < n; d++) if (rnd.next() < density) postings.push([d, low ? rnd.int(1, 4) : rnd.int(1, 300)]);
    if (postings.length) words[stem] = postings;
  }
  const kindRuns = docs.flatMap((d, i) => (i && docs[i - 1].kind === d.kind ? [] : [[i, d.kind]]));
  const letters = [...new Set(Object.keys(words).map((w) => w[0]))];
  const plain = {
    "manifest.js": manifest(n, { kind_runs: kindRuns, vocab_shards: letters, pair_group: group, head_size: head }),
    "terms/0.js": { surface: {}, postings: {}, tails: {}, blocks: {}, pairs: {} },
  };
  for (let c = 0; c < n; c += 4) plain[`docs/${c}.js`] = { docs: docs.slice(c, c + 4) };
  for (const l of letters) {
    plain[`vocab/${l}.js`] = { words: Object.keys(words).filter((w) => w[0] === l).map((w) => [w, w, words[w].length]) };
  }
  for (const [stem, postings] of Object.entries(words)) {
    const cut = cutPostings(postings, head, block), t = plain["terms/0.js"];
    t.postings[stem] = cut.head;
    if (cut.tier.length) {
      t.tails[stem] = cut.tierMax;
      plain[`tiers/0/${stem}.js`] = { postings: cut.tier };
    }
    if (cut.index.length) t.blocks[stem] = cut.index;
    cut.blocks.forEach((b, i) => (plain[`blocks/0/${stem}/${i}.js`] = { postings: b }));
  }
  const paired = structuredClone(plain);
  const stems = Object.keys(words).filter((w) => words[w].length > 4 * head)
    .sort((a, b) => words[b].length - words[a].length || (a < b ? -1 : 1));
  stems.forEach((w, i) => (paired["terms/0.js"].pairs[w] = i));
  for (let i = 0; i < stems.length; i++) {
    for (let j = i + 1; j < stems.length; j++) {
      const name = `pairs/${i}/${Math.floor(j / group)}.js`;
      (paired[name] ??= { pairs: {} }).pairs[j] = pairList(words[stems[i]], words[stems[j]], listed);
    }
  }
  return { plain, paired, stems };
}

test("with pair lists, random indexes and queries rank as without them", () => {
  const rnd = random(20261125);
  const ranking = (r) => r.hits.map((h) => `${h.url} ${h.score}`);
  let queries = 0, withPairs = 0;
  for (let round = 0; round < 300; round++) {
    const { plain, paired, stems } = randomIndex(rnd);
    if (stems.length < 2) continue;
    for (let k = 0; k < 12; k++) {
      // Each word whole (weight 1), or with two letters swapped (a typo:
      // 1/2), or two letters changed (1/4); the last may be cut short (a
      // prefix: 1/2).
      const form = (stem, last) => rnd.pick([
        stem,
        stem.slice(0, 2) + stem[3] + stem[2] + stem.slice(4),
        stem.slice(0, 2) + "qq" + stem.slice(4),
        ...(last ? [stem.slice(0, rnd.int(2, 5))] : []),
      ]);
      const q = `${form(rnd.pick(stems), false)} ${form(rnd.pick(stems), true)}`;
      const opts = { limit: rnd.pick([1, 3, 5, 10, 20, 50]), kind: rnd.next() < 0.4 ? rnd.pick(["technique", "article", "faq"]) : "" };
      const { r, loaded } = lazilyFrom(paired, q, opts);
      assert.deepEqual(ranking(r), ranking(engine.search(new engine.IndexFiles(plain), q, opts)), `round ${round}: ${q} ${JSON.stringify(opts)}`);
      queries++;
      if (loaded.some((f) => f.startsWith("pairs/"))) withPairs++;
    }
  }
  // The lists were put to use, not only skipped.
  assert.ok(withPairs > queries / 2, `${withPairs} of ${queries} queries used a pair list`);
});
