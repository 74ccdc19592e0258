/* Praxis search client (docs/search-format.md). Index files call
 * PraxisSearch.receive(name, data) and load as <script>s: any static host,
 * CSP `script-src 'self'`. The planner mirrors `praxis search` (compared by
 * tests/js/parity.mjs); the pure part runs in Node too (tests/js/).
 * "Characters" are code points, as Rust's `char`s are. */
(() => {
"use strict";

// Letters and digits as Rust's char::is_alphanumeric (tantivy's word characters):
// Alphabetic takes in the vowel signs of Indic scripts, which \p{L} leaves out.
const WORD_CHAR = /[\p{Alphabetic}\p{N}]/u;
const stopSets = new WeakMap();
const own = (o, k) => o != null && Object.prototype.hasOwnProperty.call(o, k);
const len = (s) => Array.from(s).length;

// Code-point order is UTF-8 byte order; `<` compares UTF-16 units.
function cmp(a, b) {
  let i = 0;
  const n = Math.min(a.length, b.length);
  while (i < n && a[i] === b[i]) i++;
  return i === n ? a.length - b.length : a.codePointAt(i) - b.codePointAt(i);
}

const utf8 = new TextEncoder();

// The surface form of one word, or null when analysis drops it. `more`:
// the folding of letters from m.folding_file_from on (folding.js), needed
// only when the word has such letters (see foldingFor).
function surface(word, m, more) {
  if (utf8.encode(word).length >= 40) return null;
  let f = "";
  // Char by char, as tantivy's LowerCaser: no final-sigma rule.
  for (const c of Array.from(word, (c) => c.toLowerCase()).join("")) {
    f += own(m.folding, c) ? m.folding[c] : own(more, c) ? more[c] : c;
  }
  if (!stopSets.has(m)) stopSets.set(m, new Set(m.stop_words));
  return stopSets.get(m).has(f) ? null : f;
}

// Words of a code-point array: offsets {s, e} and form f (null if dropped).
function tokens(chars, m, more) {
  const out = [];
  for (let i = 0; i < chars.length;) {
    if (!WORD_CHAR.test(chars[i])) { i++; continue; }
    const s = i;
    while (i < chars.length && WORD_CHAR.test(chars[i])) i++;
    out.push({ s, e: i, f: surface(chars.slice(s, i).join(""), m, more) });
  }
  return out;
}

const analyze = (text, m, more) => tokens(Array.from(text), m, more).map((t) => t.f).filter(Boolean);

// The folding table of folding.js when `text` holds a letter it covers
// (undefined while it is not loaded), else null: most text needs only the
// manifest's.
function foldingFor(ix, m, text) {
  const from = m.folding_file_from;
  if (from == null) return null;
  for (const c of text.toLowerCase()) {
    if (c.codePointAt(0) >= from && WORD_CHAR.test(c)) return ix.get("folding.js")?.folding;
  }
  return null;
}

// Damerau-Levenshtein, optimal-string-alignment variant (adjacent swap = 1).
function distance(a, b) {
  a = Array.from(a); b = Array.from(b);
  const d = a.map((_, i) => [i + 1]);
  d.unshift(Array.from({ length: b.length + 1 }, (_, j) => j));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

function decode(flat) {
  const out = [];
  for (let i = 0, doc = 0; i + 1 < flat.length; i += 2) out.push([doc += flat[i], flat[i + 1]]);
  return out;
}

function shardFile(m, key) {
  let lo = 0, hi = m.term_shards.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cmp(m.term_shards[mid], key) <= 0) lo = mid; else hi = mid - 1;
  }
  return "terms/" + lo + ".js";
}

// Loaded files; get() notes the missing ones for the caller to load
// before it runs the (cheap, pure) search again.
class Index {
  constructor(files) { this.files = files || {}; this.missing = new Set(); }
  get(name) {
    if (own(this.files, name)) return this.files[name];
    this.missing.add(name);
  }
}

// Below, undefined means "a file is not loaded yet".
function stemOf(ix, m, w) {
  const t = ix.get(shardFile(m, w));
  return t && (own(t.surface, w) ? t.surface[w] : w);
}

function postingsOf(ix, m, stem) {
  const t = ix.get(shardFile(m, stem));
  return t && (own(t.postings, stem) ? t.postings[stem] : null);
}

function vocabOf(ix, m, w) {
  const c = String.fromCodePoint(w.codePointAt(0));
  const key = /^[a-z0-9]$/.test(c) ? c : "u" + c.codePointAt(0).toString(16);
  if (!m.vocab_shards.includes(key)) return [];
  const v = ix.get("vocab/" + key + ".js");
  return v && v.words;
}

// The query's first `max_query_chars` characters, less a word the cut runs
// through (it would read as a prefix of itself).
function cutQuery(query, m) {
  const ch = Array.from(query), max = m.max_query_chars ?? Infinity;
  if (ch.length <= max) return query;
  let end = max;
  if (WORD_CHAR.test(ch[max])) while (end > 0 && WORD_CHAR.test(ch[end - 1])) end--;
  return ch.slice(0, end).join("");
}

// The stem of a word form the content never uses: the longest indexed stem
// of 4+ characters that the word starts with, at most 4 characters shorter
// ("therapies" -> "therapi"). undefined: a term shard is not loaded yet.
function inflectedStem(ix, m, w) {
  const ch = Array.from(w);
  let wait = false;
  for (let end = ch.length - 1; end >= Math.max(4, ch.length - 4); end--) {
    const p = postingsOf(ix, m, ch.slice(0, end).join(""));
    if (p === undefined) wait = true;
    else if (p && !wait) return ch.slice(0, end).join("");
  }
  return wait ? undefined : null;
}

// Typo candidates of a word of 4+ characters: vocabulary entries (of its
// first letter) within Damerau-Levenshtein distance 1 (4-7 characters) or 2
// (8+) whose stem is in minDf docs or more, best 3 by (distance, -df,
// surface), weighing 1/2 at distance 1 and 1/4 at 2.
function typos(voc, w, minDf) {
  const n = len(w), max = n >= 8 ? 2 : 1;
  return voc.filter((e) => e[2] >= minDf && Math.abs(len(e[0]) - n) <= max).map((e) => ({ e, d: distance(w, e[0]) }))
    .filter((c) => c.d > 0 && c.d <= max).sort((a, b) => a.d - b.d || b.e[2] - a.e[2] || cmp(a.e[0], b.e[0]))
    .slice(0, 3).map((c) => [c.e[1], c.d <= 1 ? 0.5 : 0.25]);
}

// Slots: per query word, a list of [stem, weight] alternatives.
function plan(ix, m, query) {
  const text = cutQuery(query, m), more = foldingFor(ix, m, text);
  if (more === undefined) return null;
  const words = analyze(text, m, more).slice(0, m.max_query_words), slots = [];
  let wait = false;
  words.forEach((w, i) => {
    const stem = stemOf(ix, m, w), p = stem && postingsOf(ix, m, stem);
    let alts = [];
    if (p === undefined) return (wait = true);
    if (p) {
      alts.push([stem, 1]);
      // A word in 2 docs or fewer finds little: typo candidates in 10 times
      // as many docs join it ("back pair"). Its postings are all in its head.
      const t = ix.get(shardFile(m, stem)), df = p.length / 2;
      if (len(w) >= 4 && df <= 2 && !(t.tails && own(t.tails, stem))) {
        const voc = vocabOf(ix, m, w);
        if (!voc) return (wait = true);
        alts.push(...typos(voc, w, df * 10));
      }
    } else {
      const n = len(w), typing = i === words.length - 1 && n >= 2;
      if (!typing && n < 4) return;
      // Completions of the last word, then the word's stem, then typos;
      // the vocabulary file only when completions or typos need it.
      let voc = null;
      if (typing) {
        if (!(voc = vocabOf(ix, m, w))) return (wait = true);
        alts = voc.filter((e) => e[0].startsWith(w)).sort((a, b) => b[2] - a[2] || cmp(a[0], b[0]))
          .slice(0, 5).map((e) => [e[1], 0.5]);
      }
      if (!alts.length) {
        const inflected = inflectedStem(ix, m, w);
        if (inflected === undefined) return (wait = true);
        if (inflected) alts = [[inflected, 1]];
      }
      if (!alts.length && n >= 4) {
        if (!voc && !(voc = vocabOf(ix, m, w))) return (wait = true);
        alts = typos(voc, w, 0);
      }
    }
    // One alternative per stem, at its highest weight (as in Rust).
    alts = [...alts.reduce((by, [s, w]) => by.set(s, Math.max(by.get(s) || 0, w)), new Map())];
    alts.forEach((a) => { if (postingsOf(ix, m, a[0]) === undefined) wait = true; });
    if (alts.length) slots.push(alts);
  });
  return wait ? null : slots;
}

// What is known of a stem's postings: `known` (doc -> impact) from its head
// and the tier and blocks loaded so far; `tier` (the tier's maximum) while
// the tier is not loaded; its blocks {first, max, name, loaded}.
function stemState(ix, m, stem) {
  const name = shardFile(m, stem), t = ix.get(name);
  if (!t) return undefined;
  const dir = name.slice(6, -3) + "/" + stem, has = (n) => own(ix.files, n);
  const known = new Map(own(t.postings, stem) ? decode(t.postings[stem]) : []);
  const add = (n) => decode(ix.files[n].postings).forEach(([d, v]) => known.set(d, v));
  const tierName = "tiers/" + dir + ".js", index = (t.blocks && t.blocks[stem]) || [];
  let tier = t.tails && own(t.tails, stem) ? t.tails[stem] : 0;
  if (tier && has(tierName)) { add(tierName); tier = 0; }
  const blocks = [];
  for (let i = 0, first = 0; i + 1 < index.length; i += 2) {
    const b = { first: first += index[i], max: index[i + 1], name: "blocks/" + dir + "/" + i / 2 + ".js" };
    if ((b.loaded = has(b.name))) add(b.name);
    if (blocks.length) blocks[blocks.length - 1].end = b.first;
    blocks.push(b);
  }
  return { known, tier, tierName, blocks };
}

// The block of `st` whose doc range holds `doc` (ranges run from a block's
// first doc to the next block's), or undefined.
function blockOf(st, doc) {
  let lo = 0, hi = st.blocks.length - 1;
  if (hi < 0 || doc < st.blocks[0].first) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (st.blocks[mid].first <= doc) lo = mid; else hi = mid - 1;
  }
  return st.blocks[lo];
}

// A doc's score bounds under what is loaded: per slot the known part `lo`
// and the most it could be `hi`; `piece`, the file that would tell most
// about the slot with the widest gap. `seen` false: the doc is in no loaded
// list, so a loaded block tells that it is absent.
function bounds(info, doc, seen, pair) {
  let lo = 0, hi = 0, sure = 0, possible = 0, gap = 0, span = 0, piece = null, top = 0;
  for (const alts of info) {
    let l = 0, h = 0, p = null, pb = 0, ps = 0;
    for (const { st, w } of alts) {
      const v = seen ? st.known.get(doc) : undefined;
      if (v !== undefined) { l = Math.max(l, v * w); continue; }
      const b = blockOf(st, doc), open = b && !b.loaded ? b.max : 0, bound = Math.max(st.tier, open) * w;
      if (bound > pb) {
        pb = bound;
        p = st.tier ? st.tierName : b.name;
        ps = st.tier || b.end === undefined ? Infinity : b.end - b.first;
      }
    }
    h = Math.max(l, pb);
    lo += l; hi += h; top = Math.max(top, h);
    if (l > 0) sure++;
    if (h > 0) possible++;
    // The file to load next: tiers first (they lower every bound), then the
    // block spanning the most docs (the sparsest list: the likeliest to show
    // the doc absent, and the most docs settled per file), widest gap on ties.
    if (h > l && (ps > span || (ps === span && h - l > gap))) { gap = h - l; span = ps; piece = p; }
  }
  // With a pair list (two slots), a doc not listed has both words only if
  // it scores at most the cap: so not if the list holds every doc having
  // both (cap 0) or its known part is above the cap; then a word known is
  // all it has (it is exact), or it has at most the likelier one. Else, as
  // an AND hit, it scores at most the cap (it could only rank as an OR hit
  // without both, and with a cap the list has enough docs to make AND
  // sure: see pairOf).
  if (pair && !(seen && pair.listed.has(doc))) {
    if (!pair.cap || lo > pair.cap) {
      possible = Math.min(possible, 1);
      if (sure) { hi = lo; piece = null; } else hi = top;
    } else if (possible === 2) hi = Math.min(hi, pair.cap);
  }
  return { lo, hi, sure, possible, piece };
}

// The pair list (docs/search-format.md, "Pairs") of a two-slot query
// whose slots are two different pair stems, one each: its docs, which
// have both stems, join what is known of both, and `cap` bounds the score
// of every other doc having both. When 20 or fewer docs have both, it
// holds them all (cap 0); with a cap, its 20 docs make AND sure (step 4).
// null: no such slots or no list; undefined: its file is not loaded yet.
function pairOf(ix, m, slots, info) {
  if (slots.length !== 2 || slots.some((alts) => alts.length !== 1)) return null;
  const ids = slots.map(([[stem]]) => {
    const t = ix.get(shardFile(m, stem));
    return t && t.pairs && own(t.pairs, stem) ? t.pairs[stem] : -1;
  });
  const [i, j] = ids[0] < ids[1] ? [0, 1] : [1, 0], [a, b] = [info[i][0], info[j][0]];
  if (ids[i] < 0 || ids[i] === ids[j]) return null;
  const f = ix.get("pairs/" + ids[i] + "/" + Math.floor(ids[j] / m.pair_group) + ".js");
  if (!f) return undefined;
  const flat = f.pairs[ids[j]], listed = new Set();
  if (!flat) return null;
  for (let k = 1, doc = 0; k + 2 < flat.length; k += 3) {
    listed.add(doc += flat[k]);
    a.st.known.set(doc, flat[k + 1]);
    b.st.known.set(doc, flat[k + 2]);
  }
  return { listed, cap: flat[0] * Math.max(a.w, b.w) };
}

// Candidates {doc, score, tier}: AND hits (tier 0), then OR hits (tier 1),
// each with an exact score; `bound`, the highest score any other doc could
// reach with what is loaded (0 when all is known); or `load`, the files to
// fetch first. undefined: term shards missing. With `kind`, once AND or OR
// is decided (step 4 counts every kind), `bound` and what to load next
// concern docs of that kind only: no other doc can be shown.
function score(ix, m, slots, kind) {
  const n = slots.length;
  const info = slots.map((alts) => alts.map(([stem, w]) => ({ st: stemState(ix, m, stem), w })));
  if (info.some((alts) => alts.some((a) => !a.st))) return undefined;
  const pair = pairOf(ix, m, slots, info);
  if (pair === undefined) return undefined;
  const stems = info.flat().map((a) => a.st);
  const docs = new Set();
  stems.forEach((st) => st.known.forEach((_, doc) => docs.add(doc)));
  // The OR factor (step 4) of a doc matching k of the n slots.
  const factor = (k) => (k === n ? 1 : k === n - 1 ? 0.5 : 0.25);
  // `open`: docs not exact that may match every slot; `orOpen`: those that
  // may match only some, bounded by their OR score.
  const and = [], or = [], open = [], orOpen = [];
  // `end`: the end of the doc range [doc, end) in no loaded list that `doc`
  // stands for; undefined for a single doc.
  const place = (doc, b, end) => {
    if (!b.piece || !b.possible) return;
    if (b.possible === n) open.push({ doc, end, hi: b.hi, piece: b.piece });
    else orOpen.push({ doc, end, hi: b.hi * factor(b.possible), piece: b.piece });
  };
  const shown = (o) => !kind || kindIn(m, o.doc, o.end === undefined ? o.doc + 1 : o.end, kind);
  let sureAnd = 0;
  for (const doc of docs) {
    const b = bounds(info, doc, true, pair);
    if (b.sure === n) sureAnd++;
    if (b.piece === null) (b.sure === n ? and : or).push({ doc, score: b.lo, sure: b.sure });
    else place(doc, b);
  }
  // Docs in no loaded list, by doc range: the ranges between block starts.
  const starts = [...new Set([0, ...stems.flatMap((st) => st.blocks.map((b) => b.first))])].sort((a, b) => a - b);
  starts.forEach((doc, i) => place(doc, bounds(info, doc, false, pair), i + 1 < starts.length ? starts[i + 1] : Infinity));
  const byBound = (a, b) => b.hi - a.hi || a.doc - b.doc;
  open.sort(byBound);
  orOpen.sort(byBound);
  // The files that tell most about the docs with the highest bounds: one at
  // a time at first (most queries settle after a few), more per round the
  // longer it takes, to bound the round trips.
  const loaded = stems.reduce((sum, st) => sum + st.blocks.filter((b) => b.loaded).length + (st.tierName in ix.files), 0);
  const nextOf = (list) => () => {
    const load = new Set();
    for (const o of list) if (load.add(o.piece).size >= 1 + Math.floor(loaded / 3)) break;
    return { load: [...load] };
  };
  const partial = stems.some((st) => st.tier || st.blocks.some((b) => !b.loaded));
  const orCands = () => and.concat(or.map((c) => ({ ...c, score: c.score * factor(c.sure) })));
  if (!partial) return { cands: and.length < 10 && n >= 2 ? orCands() : and, bound: 0 };
  // Step 4 decides AND or OR on the count of AND docs: while a doc not
  // exact may still match every slot, the AND docs are not all known.
  if (n >= 2 && sureAnd < 10) {
    if (open.length) return nextOf(open)();
    // OR: every AND doc is known; all rank by their OR scores, which the
    // docs still open are bounded by.
    const rest = orOpen.filter(shown);
    return { cands: orCands(), bound: rest.length ? rest[0].hi : 0, partial: true, next: nextOf(rest) };
  }
  const rest = open.filter(shown);
  return { cands: and, bound: rest.length ? rest[0].hi : 0, partial: true, next: nextOf(rest) };
}

// opts: kind; limit (hits wanted); eager (rank everything when the
// candidates fit in that many doc chunks, so that `total` is exact).
// Returns null while files are missing (see Index).
function search(ix, query, opts = {}) {
  const m = ix.get("manifest.js"), slots = m && plan(ix, m, query);
  if (!slots) return null;
  const scored = score(ix, m, slots, opts.kind);
  if (scored === undefined) return null;
  if (scored.load) {
    scored.load.forEach((name) => ix.get(name));
    return null;
  }
  return rankPages(ix, m, slots, scored, query, opts);
}

// The run holding `doc` among [first doc, value] runs in doc order: the
// last that starts at or before it.
function runAt(runs, doc) {
  let run;
  for (const r of runs) {
    if (r[0] > doc) break;
    run = r;
  }
  return run;
}

// The kind of a doc, from its number: docs are numbered in runs of one kind
// (`manifest.kind_runs`, [first doc, kind] pairs in doc order).
function docKind(m, doc) {
  return runAt(m.kind_runs, doc)?.[1];
}

// Whether any doc in [from, to) is of `kind`.
function kindIn(m, from, to, kind) {
  const runs = m.kind_runs;
  return runs.some(([first, k], i) => k === kind && first < to && (i + 1 === runs.length || runs[i + 1][0] > from));
}

// The first doc of the doc chunk holding `doc`: docs are chunked in runs
// (`manifest.doc_chunks`, [first doc, docs per chunk] pairs in doc order).
function chunkStart(m, doc) {
  const [first, size] = runAt(m.doc_chunks, doc);
  return first + Math.floor((doc - first) / size) * size;
}

function rankPages(ix, m, slots, scored, query, opts) {
  const limit = opts.limit == null ? Infinity : opts.limit;
  const chunk = (c) => "docs/" + chunkStart(m, c.doc) + ".js";
  // Only docs scoring above every doc not yet known rank surely in place.
  // The kind filter needs no doc chunk: the kind follows from the doc number.
  const cands = scored.cands
    .filter((c) => c.score > scored.bound)
    .filter((c) => !opts.kind || docKind(m, c.doc) === opts.kind)
    .sort((a, b) => b.score - a.score || a.doc - b.doc);
  const stop = !scored.partial && new Set(cands.map(chunk)).size <= (opts.eager || 0) ? Infinity : limit;
  const pages = [], seen = new Set();
  const more = () => { if (scored.partial) scored.next().load.forEach((name) => ix.get(name)); return null; };
  // Ties break on doc number, known without doc chunks: walk the
  // candidates in order and load a doc chunk only when a candidate needs it.
  let i = 0;
  for (; i < cands.length && pages.length < stop; i++) {
    const c = cands[i], f = ix.get(chunk(c));
    if (!(c.meta = f && f.docs[c.doc - chunkStart(m, c.doc)])) {
      // Ask for what the next ranks need too: fewer round trips.
      cands.slice(i + 1, i + 1 + Math.min(stop - pages.length, cands.length)).forEach((n) => ix.get(chunk(n)));
      return cands.length - i < stop - pages.length ? more() : null;
    }
    // FAQ entries are hits of their own; other docs group by page.
    const page = c.meta.kind === "faq" ? c.meta.url : c.meta.url.split("#")[0];
    if (seen.has(page)) continue;
    seen.add(page);
    pages.push(c);
  }
  // With part of the postings, the pages shown must beat every doc not yet
  // scored; otherwise load more of them.
  if (scored.partial && pages.length < limit && scored.bound > 0) return more();
  const stems = [...new Set(slots.flat().map((a) => a[0]))];
  const shown = pages.slice(0, limit), folding = shown.map(({ meta }) => foldingFor(ix, m, meta.text));
  if (folding.includes(undefined)) return null;
  return {
    query,
    total: pages.length,
    complete: !scored.partial && i >= cands.length,
    hits: shown.map(({ meta: d, score }, i) =>
      ({ title: d.title, url: d.url, kind: d.kind, score, snippet: snippet(d.text, stems, m, folding[i]), page: d.page })),
  };
}

const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };
const esc = (s) => s.replace(/[&<>"']/g, (c) => ESC[c]);

// The window of whole words within 160 characters (at least one word)
// holding the most distinct matching forms; earliest wins ties.
function snippet(text, stems, m, more) {
  const ch = Array.from(text), words = tokens(ch, m, more), cut = (a, b) => esc(ch.slice(a, b).join(""));
  if (!words.length) return esc(text);
  for (const w of words) w.hit = !!w.f && stems.some((s) => w.f.startsWith(s) && (s.length > 2 || w.f === s));
  const lastOf = (i, start) => {
    while (i + 1 < words.length && words[i + 1].e - start <= 160) i++;
    return i;
  };
  let first = 0, best = 0;
  words.forEach((w, i) => {
    const forms = new Set(words.slice(i, lastOf(i, w.s) + 1).filter((t) => t.hit).map((t) => t.f));
    if (forms.size > best) { best = forms.size; first = i; }
  });
  const start = best ? words[first].s : 0, last = lastOf(first, start), end = words[last].e, rest = ch.slice(end);
  let out = start > 0 ? "…" : "", pos = start;
  for (const w of words.slice(first, last + 1)) {
    if (!w.hit) continue;
    out += cut(pos, w.s) + "<mark>" + cut(w.s, w.e) + "</mark>";
    pos = w.e;
  }
  // Only words left out earn an ellipsis; closing punctuation stays.
  return out + cut(pos, end) + (rest.some((c) => WORD_CHAR.test(c)) ? "…" : esc(rest.join("")));
}

const api = { cmp, analyze, cutQuery, tokens, distance, decode, shardFile, Index, plan, score, snippet, search, docKind, chunkStart };
if (typeof module !== "undefined" && module.exports) module.exports = api;
if (typeof document === "undefined") return;

/* ---- In the page ---- */

const files = {}, loading = {}, me = document.currentScript;
window.PraxisSearch = api;
api.receive = (name, data) => { files[name] = data; };

const load = (base, name) => loading[name] || (loading[name] = new Promise((ok, fail) => {
  const s = document.createElement("script");
  s.src = base + name.split("/").map(encodeURIComponent).join("/");
  s.onload = () => { s.remove(); own(files, name) ? ok() : fail(new Error(name)); };
  s.onerror = () => { s.remove(); delete loading[name]; fail(new Error(name)); };
  document.head.appendChild(s);
}));

// Runs search() again after each round of loading until it has an answer.
api.query = (base, query, opts) => {
  const ix = new Index(files);
  const step = () => {
    ix.missing = new Set();
    const r = search(ix, query, opts);
    if (r || !ix.missing.size) return r || Promise.reject(new Error("index incomplete"));
    return Promise.all(Array.from(ix.missing, (n) => load(base, n))).then(step);
  };
  return Promise.resolve().then(step);
};

const KINDS = { technique: "Technique", application: "Clinical application", article: "Article", faq: "FAQ", page: "Page" };

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

// Results link from the site's root, found from the index folder's
// address: `/search-index/`, `/clinic/search-index/` under a base path, or
// relative to this page in a portable build (`praxis build --portable`),
// whose links name a folder's index.html (a browser reading files shows a
// folder's listing instead).
function linker(base) {
  const portable = !base.startsWith("/"), under = base.replace(/\/search-index\/?$/, "");
  return (url) => {
    if (!portable) return under + url;
    const cut = url.search(/[?#]|$/), path = url.slice(1, cut);
    const home = new URL(base + "../", location.href);
    return new URL(path + (path === "" || path.endsWith("/") ? "index.html" : "") + url.slice(cut), home).href;
  };
}

const indexOf = (form) => (me && me.getAttribute("data-index")) || form.getAttribute("data-index") || "/search-index/";

// The status line is a live region: while the visitor types it changes
// once they pause, so a screen reader reads one count, not one per key.
function speaker(status) {
  let timer;
  return (text, typing) => {
    clearTimeout(timer);
    if (typing) timer = setTimeout(() => { status.textContent = text; }, 700);
    else status.textContent = text;
  };
}

const countText = (r, q) => {
  const shown = r.complete ? r.total : r.hits.length;
  return (r.complete ? "" : "More than ") + (shown || "No") + (shown === 1 ? " result" : " results") +
    " for \u201c" + q + "\u201d";
};

// A section's heading ("Who it helps") says little alone: its link names
// the page first. An FAQ question stands alone.
const hitName = (h) => (h.kind !== "faq" && h.page && h.page !== h.title ? h.page + ": " + h.title : h.title);

// Up and down move between the result links of `box`, up from the first
// back to the input; Escape goes back to the input (and calls `escape`).
function arrowKeys(input, box, escape) {
  const links = () => Array.from(box.querySelectorAll("a"));
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && links().length) { e.preventDefault(); links()[0].focus(); }
    if (e.key === "Escape" && escape) escape();
  });
  box.addEventListener("keydown", (e) => {
    const all = links(), i = all.indexOf(document.activeElement);
    if (i < 0 || !["ArrowDown", "ArrowUp", "Escape"].includes(e.key)) return;
    e.preventDefault();
    if (e.key === "Escape") { input.focus(); if (escape) escape(); }
    else (all[i + (e.key === "ArrowDown" ? 1 : -1)] || (e.key === "ArrowUp" ? input : all[i])).focus();
  });
  return links;
}

// The header's box, on every page but /search/: the 5 best results under
// it as the visitor types, and a link to all of them on /search/. Without
// JavaScript the form simply opens /search/?q=.
function setUpLive(form) {
  const input = form.querySelector("input[type=search]"), pop = form.querySelector(".search-pop");
  const list = pop.querySelector("ol"), all = pop.querySelector(".search-pop-all");
  const say = speaker(form.querySelector("[role=status]")), base = indexOf(form), href = linker(base);
  let run = 0, timer;
  const close = () => { pop.hidden = true; };
  arrowKeys(input, pop, close);
  function update() {
    const q = input.value.trim(), mine = ++run;
    if (q.length < 2) { close(); list.textContent = ""; say(""); return; }
    api.query(base, q, { limit: 5 }).then((r) => {
      if (mine !== run) return;
      list.textContent = "";
      for (const h of r.hits) {
        const li = el("li"), a = el("a", null, hitName(h)), text = el("p");
        a.href = href(h.url);
        text.append(el("span", "search-hit-kind", KINDS[h.kind] || h.kind), " ");
        text.insertAdjacentHTML("beforeend", h.snippet); // escaped by snippet(); <mark> is the only markup
        li.append(a, text);
        list.appendChild(li);
      }
      all.href = form.action + "?q=" + encodeURIComponent(q);
      all.textContent = r.hits.length ? "All results for \u201c" + q + "\u201d" : "Search tips and all pages";
      pop.hidden = false;
      say(countText(r, q), true);
    }, () => { if (mine === run) say("Search is not available right now. Please try again later."); });
  }
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(update, 120); });
  input.addEventListener("focus", () => { if (list.children.length && input.value.trim().length >= 2) pop.hidden = false; });
  form.addEventListener("focusout", (e) => { if (!form.contains(e.relatedTarget)) close(); });
  document.addEventListener("click", (e) => { if (!form.contains(e.target)) close(); });
}

function setUp(form) {
  const input = form.querySelector("input[type=search]"), list = document.getElementById("search-results");
  const more = document.getElementById("search-more"), base = indexOf(form), href = linker(base);
  for (const e of form.querySelectorAll("[data-needs-script]")) e.hidden = false;
  const say = speaker(document.getElementById("search-status"));
  let limit = 10, run = 0, timer;

  function update(focusAt, typing) {
    const q = input.value, checked = form.querySelector("input[name=kind]:checked");
    const kind = checked ? checked.value : "", mine = ++run, url = new URL(location.href);
    url.searchParams.set("q", q);
    if (kind) url.searchParams.set("kind", kind); else url.searchParams.delete("kind");
    try { history.replaceState(null, "", url); } catch (e) { /* some browsers refuse it on file:// */ }
    more.hidden = true;
    // One letter is not yet a word: "k" would match only a stray "k".
    if (q.trim().length < 2) {
      list.textContent = "";
      say(q.trim() ? "Type at least two letters to search." : "", typing);
      return;
    }
    api.query(base, q, { kind, limit, eager: 8 }).then((r) => {
      if (mine !== run) return;
      list.textContent = "";
      for (const h of r.hits) {
        // An FAQ question's page goes below it.
        const section = h.kind !== "faq" && h.page && h.page !== h.title;
        const li = el("li", "search-hit"), title = el("h2", "search-hit-title");
        const a = el("a", null, hitName(h));
        const meta = el("p", "search-hit-meta"), text = el("p", "search-hit-snippet");
        a.href = href(h.url);
        title.appendChild(a);
        meta.appendChild(el("span", "search-hit-kind", KINDS[h.kind] || h.kind));
        if (h.page && h.page !== h.title && !section) meta.appendChild(el("span", "search-hit-page", h.page));
        text.innerHTML = h.snippet; // escaped by snippet(); <mark> is the only markup
        li.append(title, meta, text);
        list.appendChild(li);
      }
      more.hidden = r.complete && r.total <= r.hits.length;
      say(countText(r, q.trim()), typing);
      if (focusAt != null && links()[focusAt]) links()[focusAt].focus();
    }, () => {
      if (mine === run) say("Search is not available right now. Please try again later.");
    });
  }

  const params = new URLSearchParams(location.search);
  const pick = form.querySelector("input[name=kind][value=\"" + (params.get("kind") || "").replace(/\W/g, "") + "\"]");
  input.value = params.get("q") || "";
  if (pick) pick.checked = true;

  input.addEventListener("input", () => { clearTimeout(timer); limit = 10; timer = setTimeout(() => update(null, true), 120); });
  form.addEventListener("change", (e) => { if (e.target.name === "kind") { limit = 10; update(); } });
  form.addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(timer); update(); });
  const links = arrowKeys(input, list);
  more.addEventListener("click", () => { const from = links().length; limit += 10; update(from); });
  if (input.value.trim()) update();
}

const page = document.querySelector("form[data-search]"), header = document.querySelector("form[data-search-live]");
if (page) setUp(page);
else if (header) setUpLive(header);
})();
