// The search engine takes every weight, threshold and length from the
// manifest's `parameters` (written by Rust from src/search/parameters.rs)
// and restates none: each test below changes one parameter in a hand-made
// index's manifest and checks that the answer follows, so a literal left
// in search-engine.js makes its test fail. The last test checks that every
// parameter has such a test. Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { PARAMETERS, withParameters } from "./search-parameters.mjs";

const require = createRequire(import.meta.url);
const engine = require("../../themes/default/static/search-engine.js");

const DOCS = [
  { url: "/techniques/mirror-therapy/", title: "Mirror therapy", page: "Mirror therapy", kind: "technique",
    text: "Mirror therapy uses a mirror to trick the brain into seeing a moving limb, which can ease pain." },
  { url: "/techniques/mirror-therapy/#how-it-works", title: "How it works", page: "Mirror therapy", kind: "technique",
    text: "The brain sees the reflection of the healthy arm." },
  { url: "/applications/knee-pain/", title: "Knee pain", page: "Knee pain", kind: "application",
    text: "Knee pain is common after a sprain." },
  { url: "/articles/running-knees/", title: "Running with sore knees", page: "Running with sore knees", kind: "article",
    text: "Running on sore knees: when to rest and when to keep going." },
  { url: "/faq/#faq-does-it-hurt", title: "Does it hurt?", page: "FAQ", kind: "faq",
    text: "Does it hurt? Some exercises feel hard, and a sore knee is common." },
  { url: "/faq/#faq-how-long-is-a-session", title: "How long is a session?", page: "FAQ", kind: "faq",
    text: "A session lasts about 45 minutes." },
];

// Postings as [doc, impact] pairs, delta-encoded as the export writes them.
const encode = (pairs) => pairs.flatMap(([doc, impact], i) => [i ? doc - pairs[i - 1][0] : doc, impact]);
const POSTINGS = {
  mirror: [[0, 400], [1, 200]],
  therapi: [[0, 300]],
  knee: [[2, 300], [3, 200], [4, 20]],
  pain: [[0, 60], [2, 200]],
  run: [[3, 300]],
  hurt: [[4, 300]],
  session: [[5, 100]],
  stimul: [[1, 80]],
  pair: [[2, 40], [3, 40]],
  paid: [[5, 10]],
};
// [surface, stem, the stem's doc count]; "pain" and "paid" count as common
// as a big site has them, for the typo candidates of the rare "pair".
const VOCABULARY = [
  ["hurt", "hurt", 1], ["knee", "knee", 3], ["knees", "knee", 3], ["mirror", "mirror", 2], ["mirrors", "mirror", 2],
  ["paid", "paid", 10], ["pain", "pain", 20], ["pair", "pair", 2], ["run", "run", 1], ["running", "run", 1],
  ["session", "session", 1], ["stimulation", "stimul", 1], ["therapy", "therapi", 1],
];
const FILES = {
  "terms/0.js": {
    surface: Object.fromEntries(VOCABULARY.filter(([surface, stem]) => surface !== stem).map(([surface, stem]) => [surface, stem])),
    postings: Object.fromEntries(Object.entries(POSTINGS).map(([stem, pairs]) => [stem, encode(pairs)])),
  },
  "docs/0.js": { docs: DOCS },
};
const letters = [...new Set(VOCABULARY.map(([surface]) => surface[0]))];
for (const letter of letters) {
  FILES[`vocab/${letter}.js`] = { words: VOCABULARY.filter(([surface]) => surface[0] === letter) };
}

const manifest = (changes) => ({
  version: 6, docs: DOCS.length, scale: 100, stop_words: ["a", "does", "how", "is", "it", "the", "with"], folding: {},
  term_shards: [""], doc_chunks: [[0, 8]], head_size: 64, pair_group: 8, vocab_shards: letters,
  kinds: ["article", "technique", "application", "faq", "page"],
  kind_runs: DOCS.flatMap((doc, i) => (i && DOCS[i - 1].kind === doc.kind ? [] : [[i, doc.kind]])),
  parameters: withParameters(changes),
});
const index = (changes = {}) => new engine.IndexFiles({ ...FILES, "manifest.js": manifest(changes) });
const search = (changes, query, options) => {
  const answer = engine.search(index(changes), query, options);
  assert.ok(answer, `${query}: every file is there`);
  return answer;
};
const ranked = (changes, query, options) => search(changes, query, options).hits.map((hit) => [hit.url, hit.score]);
const slots = (changes, query) => {
  const files = index(changes);
  return engine.planQuery(files, files.files["manifest.js"], query);
};
const snippet = (changes, text, stems) => engine.snippetHtml(text, stems, manifest(changes));

// The parameters a test below changes.
const tested = new Set();
const parameterTest = (name, body) => test(name, () => {
  const changed = body();
  for (const key of changed) {
    assert.ok(key in PARAMETERS, `${key} is a parameter`);
    tested.add(key);
  }
});

parameterTest("weights of a word's own stem, its inflected stem and completions", () => {
  assert.deepEqual(ranked({}, "therapy"), [["/techniques/mirror-therapy/", 300]]);
  assert.deepEqual(ranked({ exact_weight: 2 }, "therapy"), [["/techniques/mirror-therapy/", 600]]);
  // "therapies" is no surface; "therapi" is the stem it starts with.
  assert.deepEqual(ranked({}, "therapies"), [["/techniques/mirror-therapy/", 300]]);
  assert.deepEqual(ranked({ inflected_weight: 0.25 }, "therapies"), [["/techniques/mirror-therapy/", 75]]);
  assert.deepEqual(slots({}, "mirr"), [[["mirror", 0.5]]]);
  assert.deepEqual(slots({ prefix_weight: 0.125 }, "mirr"), [[["mirror", 0.125]]]);
  return ["exact_weight", "inflected_weight", "prefix_weight"];
});

parameterTest("typo weights by distance, and which lengths get typos within which distance", () => {
  assert.deepEqual(slots({}, "mirorr"), [[["mirror", 0.5]]]);
  assert.deepEqual(slots({ typo_weights: [0.125, 0.0625] }, "mirorr"), [[["mirror", 0.125]]]);
  // Distance 2 ("mxrorr") is for 8 letters or more...
  assert.deepEqual(slots({}, "mxrorr"), []);
  const twoFromSix = { typo_rules: [{ min_chars: 4, max_distance: 1 }, { min_chars: 6, max_distance: 2 }] };
  assert.deepEqual(slots(twoFromSix, "mxrorr"), [[["mirror", 0.25]]]);
  // ... weighing the last typo weight when no weight of its own is given.
  assert.deepEqual(slots({ ...twoFromSix, typo_weights: [0.5] }, "mxrorr"), [[["mirror", 0.5]]]);
  // A word of 3 letters gets none, unless a rule starts at 3.
  assert.deepEqual(slots({}, "kne pain"), [[["pain", 1]]]);
  assert.deepEqual(slots({ typo_rules: [{ min_chars: 3, max_distance: 1 }] }, "kne pain"), [[["knee", 0.5]], [["pain", 1]]]);
  return ["typo_weights", "typo_rules"];
});

parameterTest("typo candidates per word", () => {
  // "paix": "paid", "pain" and "pair" are one edit away; best by doc count.
  assert.deepEqual(slots({}, "paix"), [[["pain", 0.5], ["paid", 0.5], ["pair", 0.5]]]);
  assert.deepEqual(slots({ typo_candidates: 1 }, "paix"), [[["pain", 0.5]]]);
  return ["typo_candidates"];
});

parameterTest("a word that finds little, and how much commoner its typo candidates must be", () => {
  // "pair" is in 2 docs: "pain" (in 20, 10 times 2) joins it, "paid" (10) does not.
  assert.deepEqual(slots({}, "pair"), [[["pair", 1], ["pain", 0.5]]]);
  assert.deepEqual(slots({ common_candidate_factor: 5 }, "pair"), [[["pair", 1], ["pain", 0.5], ["paid", 0.5]]]);
  assert.deepEqual(slots({ rare_word_df: 1 }, "pair"), [[["pair", 1]]]);
  return ["common_candidate_factor", "rare_word_df"];
});

parameterTest("AND is enough from and_enough docs on; OR factors by slots missed", () => {
  // "knee pain": one AND doc (2), so OR: docs 3 and 4 miss "pain", doc 0 "knee".
  assert.deepEqual(ranked({}, "knee pain"),
    [["/applications/knee-pain/", 500], ["/articles/running-knees/", 100], ["/techniques/mirror-therapy/", 30], ["/faq/#faq-does-it-hurt", 10]]);
  assert.deepEqual(ranked({ and_enough: 1 }, "knee pain"), [["/applications/knee-pain/", 500]]);
  assert.deepEqual(ranked({ or_factors: [1, 0.25, 0.125] }, "knee pain"),
    [["/applications/knee-pain/", 500], ["/articles/running-knees/", 50], ["/techniques/mirror-therapy/", 15], ["/faq/#faq-does-it-hurt", 5]]);
  // Two slots of three missed take the last factor.
  assert.deepEqual(ranked({ or_factors: [1, 0.5, 0.125] }, "knee pain hurt").at(-1), ["/techniques/mirror-therapy/", 7.5]);
  assert.deepEqual(ranked({ or_factors: [1, 0.5] }, "knee pain hurt").at(-1), ["/techniques/mirror-therapy/", 30]);
  return ["and_enough", "or_factors"];
});

parameterTest("completions of the last word: from how many letters, and how many", () => {
  assert.deepEqual(slots({}, "ru"), [[["run", 0.5]]]);
  assert.deepEqual(slots({ prefix_min_chars: 3 }, "ru"), []);
  assert.deepEqual(slots({}, "p"), []);
  assert.deepEqual(slots({ prefix_min_chars: 1 }, "p"), [[["pain", 0.5], ["paid", 0.5], ["pair", 0.5]]]);
  assert.deepEqual(slots({ prefix_min_chars: 1, prefix_completions: 2 }, "p"), [[["pain", 0.5], ["paid", 0.5]]]);
  return ["prefix_min_chars", "prefix_completions"];
});

parameterTest("the stem of a word form the content never uses: how short, how far off", () => {
  // "runny": "run" is 3 letters, shorter than a stem may be; "runn" is no stem.
  assert.deepEqual(slots({}, "runny"), []);
  assert.deepEqual(slots({ inflected_stem_min_chars: 3 }, "runny"), [[["run", 1]]]);
  // "hurtfully" is 5 letters longer than "hurt".
  assert.deepEqual(slots({}, "hurtfully"), []);
  assert.deepEqual(slots({ inflection_max_chars: 5 }, "hurtfully"), [[["hurt", 1]]]);
  return ["inflected_stem_min_chars", "inflection_max_chars"];
});

parameterTest("queries are cut to max_query_words words and max_query_chars characters; long words drop", () => {
  assert.equal(search({}, "hurt session").total, 2);
  assert.deepEqual(ranked({ max_query_words: 1 }, "hurt session"), [["/faq/#faq-does-it-hurt", 300]]);
  assert.equal(search({ max_query_chars: 6 }, "hurt session").total, 1);
  // "knees" is 5 bytes: a limit of 5 drops it, as tantivy would index none.
  assert.equal(search({}, "knees").total, 3);
  assert.equal(search({ long_word_bytes: 5 }, "knees").total, 0);
  assert.equal(search({ long_word_bytes: 6 }, "knees").total, 3);
  return ["max_query_words", "max_query_chars", "long_word_bytes"];
});

parameterTest("snippets: window, whole-word stems, ellipsis", () => {
  const text = "Running on sore knees: when to rest and when to keep going.";
  assert.equal(snippet({}, text, ["run"]), "<mark>Running</mark> on sore knees: when to rest and when to keep going.");
  assert.equal(snippet({ whole_word_stem_chars: 3 }, text, ["run"]), text);
  assert.equal(snippet({ snippet_window_chars: 21 }, text, ["knee"]), "Running on sore <mark>knees</mark>…");
  assert.equal(snippet({ snippet_window_chars: 21, snippet_ellipsis: "[…]" }, text, ["rest"]),
    "[…]knees: when to <mark>rest</mark>[…]");
  return ["snippet_window_chars", "whole_word_stem_chars", "snippet_ellipsis"];
});

parameterTest("standalone kinds are results of their own; kind labels name the kinds", () => {
  const faq = (changes) => search(changes, "hurt session").hits.map((hit) => [hit.url, hit.standalone, hit.kindLabel]);
  assert.deepEqual(faq({}), [["/faq/#faq-does-it-hurt", true, "FAQ"], ["/faq/#faq-how-long-is-a-session", true, "FAQ"]]);
  // Grouped by page, the two FAQ entries are one result.
  assert.deepEqual(faq({ standalone_kinds: [] }), [["/faq/#faq-does-it-hurt", false, "FAQ"]]);
  const labels = { ...PARAMETERS.kind_labels, faq: "Question" };
  assert.deepEqual(faq({ kind_labels: labels }).map((hit) => hit[2]), ["Question", "Question"]);
  return ["standalone_kinds", "kind_labels"];
});

test("every parameter but the field boosts has a test above", () => {
  // Field boosts are built into the impacts at index time: the client
  // never weighs fields, and the manifest carries them for reference.
  const untested = Object.keys(PARAMETERS).filter((key) => !tested.has(key) && key !== "field_boosts");
  assert.deepEqual(untested, []);
});

test("the page's script names no kind and no kind label: it shows what the engine hands it", () => {
  const source = readFileSync(new URL("../../themes/default/static/search-ui.js", import.meta.url), "utf8");
  for (const [kind, label] of Object.entries(PARAMETERS.kind_labels)) {
    assert.ok(!source.includes(`"${kind}"`), `search-ui.js names the kind ${kind}`);
    assert.ok(!source.includes(`"${label}"`), `search-ui.js names the label ${label}`);
  }
});
