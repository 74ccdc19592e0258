/* Praxis search engine (docs/search-format.md): loads the static index,
 * plans queries, ranks, cuts snippets. No DOM: search-ui.js drives it in
 * the page, and it runs in Node as it is (tests/js/). Index files call
 * PraxisSearch.receive(name, data) and load as <script>s: any static host,
 * CSP `script-src 'self'`, file://. The planner is the one of `praxis
 * search` (compared by tests/js/parity.mjs), and every weight, threshold
 * and length it uses comes from the manifest's `parameters`, which Rust
 * writes: none is restated here. "Characters" are code points, as Rust's
 * `char`s are. */
(() => {
"use strict";

/**
 * The parameters of the planner, its snippets and its results, as Rust
 * names them (src/search/parameters.rs): the manifest's `parameters`.
 * @typedef {object} SearchParameters
 * @property {Object<string, number>} field_boosts built into the impacts; for reference
 * @property {number} exact_weight weight of a query word's own stem
 * @property {number} inflected_weight weight of the stem of a word form the content never uses
 * @property {number} prefix_weight weight of a completion of the last word
 * @property {number[]} typo_weights weight by edit distance: entry d - 1 for distance d, the last beyond
 * @property {number[]} or_factors OR factor by slots missed: entry 0 for none, the last for any more
 * @property {number} and_enough with 2+ slots, fewer AND docs than this fall back to OR
 * @property {number} prefix_min_chars the last word gets completions from this length on
 * @property {number} prefix_completions completions per last word
 * @property {TypoRule[]} typo_rules who gets typo candidates within which distance, shortest first
 * @property {number} typo_candidates typo candidates per word
 * @property {number} rare_word_df a stem in this many docs or fewer finds little
 * @property {number} common_candidate_factor its typo candidates must be in this many times its docs
 * @property {number} inflected_stem_min_chars shortest stem of a word form the content never uses
 * @property {number} inflection_max_chars most characters that stem takes off the word
 * @property {number} max_query_words words kept after analysis
 * @property {number} max_query_chars characters kept before analysis
 * @property {number} long_word_bytes words of this many UTF-8 bytes or more are dropped
 * @property {number} snippet_window_chars longest snippet
 * @property {number} whole_word_stem_chars a stem this short marks only a whole word
 * @property {string} snippet_ellipsis stands for text left out of a snippet
 * @property {string[]} standalone_kinds kinds whose docs are results of their own
 * @property {Object<string, string>} kind_labels what visitors read for each kind
 */

/**
 * Words of `min_chars` characters or more get typo candidates within
 * `max_distance` edits.
 * @typedef {{min_chars: number, max_distance: number}} TypoRule
 */

/**
 * manifest.js: the numbers and tables every query needs.
 * @typedef {object} Manifest
 * @property {number} version format version
 * @property {number} docs number of search documents
 * @property {number} scale impacts are round(scale * boost * bm25)
 * @property {string[]} stop_words
 * @property {Object<string, string>} folding lower-cased letter -> ASCII, below folding_file_from
 * @property {number} [folding_file_from] letters from this code point on fold by folding.js
 * @property {string[]} term_shards first key of each term shard
 * @property {Array<[number, number]>} doc_chunks [first doc, docs per chunk] runs
 * @property {number} head_size postings per stem in its term shard
 * @property {number} pair_group pairs per pair file
 * @property {string[]} vocab_shards first letters with a vocabulary file
 * @property {string[]} kinds
 * @property {Array<[number, string]>} kind_runs [first doc, kind] runs, in doc order
 * @property {SearchParameters} parameters
 */

/**
 * terms/N.js. Postings are flat [doc, impact, ...] with docs delta-encoded.
 * @typedef {object} TermShard
 * @property {Object<string, string>} surface surface form -> its stem, where they differ
 * @property {Object<string, number[]>} postings stem -> its head
 * @property {Object<string, number>} [tails] stem -> highest impact past its head (its tier's first)
 * @property {Object<string, number[]>} [blocks] stem -> [first doc (delta), highest impact, ...] per block
 * @property {Object<string, number>} [pairs] stem -> its number among the pair stems
 */

/**
 * tiers/N/STEM.js and blocks/N/STEM/B.js: more of a stem's postings.
 * @typedef {{postings: number[]}} PostingsFile
 */

/**
 * pairs/I/G.js: per pair stem J, [cap, doc (delta), impact on I, impact on J, ...].
 * @typedef {{pairs: Object<string, number[]>}} PairFile
 */

/**
 * vocab/L.js: [surface, stem, the stem's doc count], sorted by surface.
 * @typedef {{words: Array<[string, string, number]>}} VocabularyFile
 */

/**
 * One search document of a doc chunk.
 * @typedef {object} DocEntry
 * @property {string} url root-relative, with the section's #anchor
 * @property {string} title section heading, FAQ question or page title
 * @property {string} page the page's title
 * @property {string} kind
 * @property {string} text the excerpt snippets are cut from
 */

/**
 * docs/N.js: the docs from doc N on.
 * @typedef {{docs: DocEntry[]}} DocChunk
 */

/**
 * folding.js: the folding of letters from manifest.folding_file_from on.
 * @typedef {{folding: Object<string, string>}} FoldingFile
 */

/** @typedef {Manifest | TermShard | PostingsFile | PairFile | VocabularyFile | DocChunk | FoldingFile} IndexFile */

/**
 * A query word's alternatives: [stem, weight] pairs.
 * @typedef {Array<[string, number]>} Slot
 */

/**
 * One result, as `praxis search` gives it, with what the page shows.
 * @typedef {object} Hit
 * @property {string} title
 * @property {string} url
 * @property {string} kind
 * @property {number} score
 * @property {string} snippet HTML: escaped text and <mark>
 * @property {string} page the page's title
 * @property {string} kindLabel what visitors read for the kind
 * @property {boolean} standalone a result of its own (an FAQ entry), not a section of its page
 */

/**
 * @typedef {object} SearchAnswer
 * @property {string} query
 * @property {number} total pages found; a lower bound unless `complete`
 * @property {boolean} complete
 * @property {Hit[]} hits
 */

// Letters and digits as Rust's char::is_alphanumeric (tantivy's word characters):
// Alphabetic takes in the vowel signs of Indic scripts, which \p{L} leaves out.
const WORD_CHARACTER = /[\p{Alphabetic}\p{N}]/u;
// One file per round of loading at first (most queries settle after a few),
// then one more per round for every this many already loaded, to bound the
// round trips of a query that needs many.
const LOADED_FILES_PER_EXTRA_REQUEST = 3;
const stopWordSets = new WeakMap();
const hasOwn = (object, key) => object != null && Object.prototype.hasOwnProperty.call(object, key);
const charCount = (text) => Array.from(text).length;
const utf8 = new TextEncoder();

// Entry `index` of a table, or its last for any further index (OR factors
// and typo weights).
const tableEntry = (table, index) => table[Math.min(index, table.length - 1)];

/**
 * Code-point order, which is UTF-8 byte order; `<` compares UTF-16 units.
 * @param {string} left
 * @param {string} right
 * @returns {number}
 */
function compareCodePoints(left, right) {
  let i = 0;
  const shorter = Math.min(left.length, right.length);
  while (i < shorter && left[i] === right[i]) i++;
  return i === shorter ? left.length - right.length : left.codePointAt(i) - right.codePointAt(i);
}

/**
 * The surface form of one word, or null when analysis drops it.
 * @param {string} word
 * @param {Manifest} manifest
 * @param {Object<string, string>} [moreFolding] folding.js's table, needed
 *   only when the word has such letters (see foldingFor)
 * @returns {string | null}
 */
function surfaceForm(word, manifest, moreFolding) {
  if (utf8.encode(word).length >= manifest.parameters.long_word_bytes) return null;
  let form = "";
  // Letter by letter, as tantivy's LowerCaser: no final-sigma rule.
  for (const letter of Array.from(word, (character) => character.toLowerCase()).join("")) {
    if (hasOwn(manifest.folding, letter)) form += manifest.folding[letter];
    else form += hasOwn(moreFolding, letter) ? moreFolding[letter] : letter;
  }
  if (!stopWordSets.has(manifest)) stopWordSets.set(manifest, new Set(manifest.stop_words));
  return stopWordSets.get(manifest).has(form) ? null : form;
}

/**
 * The words of a code-point array: their offsets and forms (null if dropped).
 * @param {string[]} characters
 * @param {Manifest} manifest
 * @param {Object<string, string>} [moreFolding]
 * @returns {Array<{start: number, end: number, form: string | null, matches?: boolean}>}
 */
function wordTokens(characters, manifest, moreFolding) {
  const words = [];
  for (let i = 0; i < characters.length;) {
    if (!WORD_CHARACTER.test(characters[i])) {
      i++;
      continue;
    }
    const start = i;
    while (i < characters.length && WORD_CHARACTER.test(characters[i])) i++;
    words.push({ start, end: i, form: surfaceForm(characters.slice(start, i).join(""), manifest, moreFolding) });
  }
  return words;
}

/**
 * The surface forms of a text's words, as the index analyses them.
 * @param {string} text
 * @param {Manifest} manifest
 * @param {Object<string, string>} [moreFolding]
 * @returns {string[]}
 */
function analyze(text, manifest, moreFolding) {
  return wordTokens(Array.from(text), manifest, moreFolding).map((word) => word.form).filter(Boolean);
}

/**
 * The folding table of folding.js when `text` holds a letter it covers
 * (undefined while it is not loaded), else null: most text needs only the
 * manifest's.
 * @param {IndexFiles} index
 * @param {Manifest} manifest
 * @param {string} text
 * @returns {Object<string, string> | null | undefined}
 */
function foldingFor(index, manifest, text) {
  const from = manifest.folding_file_from;
  if (from == null) return null;
  for (const letter of text.toLowerCase()) {
    if (letter.codePointAt(0) >= from && WORD_CHARACTER.test(letter)) return index.get("folding.js")?.folding;
  }
  return null;
}

/**
 * Damerau-Levenshtein distance, optimal-string-alignment variant (an
 * adjacent swap costs 1).
 * @param {string} word
 * @param {string} other
 * @returns {number}
 */
function editDistance(word, other) {
  const source = Array.from(word), target = Array.from(other);
  const rows = source.map((_letter, i) => [i + 1]);
  rows.unshift(Array.from({ length: target.length + 1 }, (_cell, j) => j));
  for (let i = 1; i <= source.length; i++) {
    for (let j = 1; j <= target.length; j++) {
      const substitution = source[i - 1] === target[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + substitution);
      if (i > 1 && j > 1 && source[i - 1] === target[j - 2] && source[i - 2] === target[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
  }
  return rows[source.length][target.length];
}

/**
 * Flat delta-encoded postings -> [doc, impact] pairs.
 * @param {number[]} flat
 * @returns {Array<[number, number]>}
 */
function decodePostings(flat) {
  const postings = [];
  for (let i = 0, doc = 0; i + 1 < flat.length; i += 2) {
    doc += flat[i];
    postings.push([doc, flat[i + 1]]);
  }
  return postings;
}

/**
 * The number of the term shard holding `key`.
 * @param {Manifest} manifest
 * @param {string} key
 * @returns {number}
 */
function termShardNumber(manifest, key) {
  let low = 0, high = manifest.term_shards.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (compareCodePoints(manifest.term_shards[middle], key) <= 0) low = middle;
    else high = middle - 1;
  }
  return low;
}

const termShardFile = (manifest, key) => "terms/" + termShardNumber(manifest, key) + ".js";

/**
 * The index files loaded so far; get() notes the missing ones for the
 * caller to load before it runs the (cheap, pure) search again.
 */
class IndexFiles {
  /** @param {Object<string, IndexFile>} [files] */
  constructor(files) {
    this.files = files || {};
    /** @type {Set<string>} */
    this.missing = new Set();
  }

  /**
   * @param {string} fileName relative to the index folder
   * @returns {any} the file's data, or undefined while it is not loaded
   */
  get(fileName) {
    if (hasOwn(this.files, fileName)) return this.files[fileName];
    this.missing.add(fileName);
    return undefined;
  }
}

// Below, undefined means "a file is not loaded yet".

/** The stem of a surface form (the form itself when it is its own stem). */
function stemOf(index, manifest, word) {
  const shard = index.get(termShardFile(manifest, word));
  return shard && (hasOwn(shard.surface, word) ? shard.surface[word] : word);
}

/** A stem's head postings, or null when the index does not have the stem. */
function postingsOf(index, manifest, stem) {
  const shard = index.get(termShardFile(manifest, stem));
  return shard && (hasOwn(shard.postings, stem) ? shard.postings[stem] : null);
}

/** The vocabulary of a word's first letter ([] when there is none). */
function vocabularyOf(index, manifest, word) {
  const letter = String.fromCodePoint(word.codePointAt(0));
  const key = /^[a-z0-9]$/.test(letter) ? letter : "u" + letter.codePointAt(0).toString(16);
  if (!manifest.vocab_shards.includes(key)) return [];
  const vocabulary = index.get("vocab/" + key + ".js");
  return vocabulary && vocabulary.words;
}

/**
 * The query's first `max_query_chars` characters, less a word the cut runs
 * through (it would read as a prefix of itself).
 * @param {string} query
 * @param {Manifest} manifest
 * @returns {string}
 */
function cutQuery(query, manifest) {
  const characters = Array.from(query), maxChars = manifest.parameters.max_query_chars;
  if (characters.length <= maxChars) return query;
  let end = maxChars;
  if (WORD_CHARACTER.test(characters[maxChars])) {
    while (end > 0 && WORD_CHARACTER.test(characters[end - 1])) end--;
  }
  return characters.slice(0, end).join("");
}

/**
 * The stem of a word form the content never uses: the longest indexed stem
 * of `inflected_stem_min_chars` or more that the word starts with, at most
 * `inflection_max_chars` shorter ("therapies" -> "therapi"). null: none;
 * undefined: a term shard is not loaded yet.
 */
function inflectedStem(index, manifest, word) {
  const parameters = manifest.parameters, characters = Array.from(word);
  const shortest = Math.max(parameters.inflected_stem_min_chars, characters.length - parameters.inflection_max_chars);
  let waiting = false;
  for (let end = characters.length - 1; end >= shortest; end--) {
    const postings = postingsOf(index, manifest, characters.slice(0, end).join(""));
    if (postings === undefined) waiting = true;
    else if (postings && !waiting) return characters.slice(0, end).join("");
  }
  return waiting ? undefined : null;
}

/**
 * The most edits a typo candidate of a word of `length` characters may be
 * away (the last rule it reaches); 0: no typo candidates.
 * @param {SearchParameters} parameters
 * @param {number} length
 * @returns {number}
 */
function typoMaxDistance(parameters, length) {
  let maxDistance = 0;
  for (const rule of parameters.typo_rules) {
    if (length >= rule.min_chars) maxDistance = rule.max_distance;
  }
  return maxDistance;
}

/**
 * Typo candidates of a word: vocabulary entries (of its first letter)
 * within its edit distance whose stem is in `minDocs` docs or more, best
 * `typo_candidates` by (distance, -df, surface), weighing `typo_weights`.
 * @param {Array<[string, string, number]>} vocabulary
 * @param {string} word
 * @param {number} minDocs
 * @param {SearchParameters} parameters
 * @returns {Slot}
 */
function typoCandidates(vocabulary, word, minDocs, parameters) {
  const length = charCount(word), maxDistance = typoMaxDistance(parameters, length);
  return vocabulary
    .filter(([surface, , docCount]) => docCount >= minDocs && Math.abs(charCount(surface) - length) <= maxDistance)
    .map((entry) => ({ entry, distance: editDistance(word, entry[0]) }))
    .filter((candidate) => candidate.distance > 0 && candidate.distance <= maxDistance)
    .sort((left, right) => left.distance - right.distance || right.entry[2] - left.entry[2] ||
      compareCodePoints(left.entry[0], right.entry[0]))
    .slice(0, parameters.typo_candidates)
    .map(({ entry, distance }) => [entry[1], tableEntry(parameters.typo_weights, distance - 1)]);
}

/**
 * Plans a query: per query word, a slot of [stem, weight] alternatives.
 * @param {IndexFiles} index
 * @param {Manifest} manifest
 * @param {string} query
 * @returns {Slot[] | null} null while files are missing
 */
function planQuery(index, manifest, query) {
  const parameters = manifest.parameters;
  const text = cutQuery(query, manifest), moreFolding = foldingFor(index, manifest, text);
  if (moreFolding === undefined) return null;
  const words = analyze(text, manifest, moreFolding).slice(0, parameters.max_query_words);
  const slots = [];
  let waiting = false;
  words.forEach((word, position) => {
    const stem = stemOf(index, manifest, word), postings = stem && postingsOf(index, manifest, stem);
    const length = charCount(word), getsTypos = typoMaxDistance(parameters, length) > 0;
    let alternatives = [];
    if (postings === undefined) {
      waiting = true;
      return;
    }
    if (postings) {
      alternatives.push([stem, parameters.exact_weight]);
      // A word in rare_word_df docs or fewer finds little: typo candidates
      // in common_candidate_factor times as many docs join it ("back
      // pair"). Its postings are all in its head.
      const shard = index.get(termShardFile(manifest, stem)), docCount = postings.length / 2;
      const hasTail = shard.tails && hasOwn(shard.tails, stem);
      if (getsTypos && docCount <= parameters.rare_word_df && !hasTail) {
        const vocabulary = vocabularyOf(index, manifest, word);
        if (!vocabulary) {
          waiting = true;
          return;
        }
        alternatives.push(...typoCandidates(vocabulary, word, docCount * parameters.common_candidate_factor, parameters));
      }
    } else {
      // Completions of the last word, then the word's stem, then typos;
      // the vocabulary file only when completions or typos need it.
      const typing = position === words.length - 1 && length >= parameters.prefix_min_chars;
      let vocabulary = null;
      if (typing) {
        vocabulary = vocabularyOf(index, manifest, word);
        if (!vocabulary) {
          waiting = true;
          return;
        }
        alternatives = vocabulary
          .filter(([surface]) => surface.startsWith(word))
          .sort((left, right) => right[2] - left[2] || compareCodePoints(left[0], right[0]))
          .slice(0, parameters.prefix_completions)
          .map(([, completion]) => [completion, parameters.prefix_weight]);
      }
      if (!alternatives.length) {
        const inflected = inflectedStem(index, manifest, word);
        if (inflected === undefined) {
          waiting = true;
          return;
        }
        if (inflected) alternatives = [[inflected, parameters.inflected_weight]];
      }
      if (!alternatives.length && getsTypos) {
        vocabulary = vocabulary || vocabularyOf(index, manifest, word);
        if (!vocabulary) {
          waiting = true;
          return;
        }
        alternatives = typoCandidates(vocabulary, word, 0, parameters);
      }
    }
    // One alternative per stem, at its highest weight (as in Rust).
    const byStem = new Map();
    for (const [alternative, weight] of alternatives) byStem.set(alternative, Math.max(byStem.get(alternative) || 0, weight));
    alternatives = [...byStem];
    for (const [alternative] of alternatives) {
      if (postingsOf(index, manifest, alternative) === undefined) waiting = true;
    }
    if (alternatives.length) slots.push(alternatives);
  });
  return waiting ? null : slots;
}

/**
 * What is known of a stem's postings: `known` (doc -> impact) from its
 * head and the tier and blocks loaded so far; `tierBound` (the tier's
 * highest impact) while the tier is not loaded; its blocks.
 * @typedef {{first: number, max: number, file: string, loaded: boolean, end?: number}} Block
 * @typedef {{known: Map<number, number>, tierBound: number, tierFile: string, blocks: Block[]}} StemState
 * @param {IndexFiles} index
 * @param {Manifest} manifest
 * @param {string} stem
 * @returns {StemState | undefined}
 */
function stemState(index, manifest, stem) {
  const shardNumber = termShardNumber(manifest, stem), shard = index.get("terms/" + shardNumber + ".js");
  if (!shard) return undefined;
  const folder = shardNumber + "/" + stem, isLoaded = (fileName) => hasOwn(index.files, fileName);
  const known = new Map(hasOwn(shard.postings, stem) ? decodePostings(shard.postings[stem]) : []);
  const learn = (fileName) => {
    for (const [doc, impact] of decodePostings(index.files[fileName].postings)) known.set(doc, impact);
  };
  const tierFile = "tiers/" + folder + ".js", blockIndex = (shard.blocks && shard.blocks[stem]) || [];
  let tierBound = shard.tails && hasOwn(shard.tails, stem) ? shard.tails[stem] : 0;
  if (tierBound && isLoaded(tierFile)) {
    learn(tierFile);
    tierBound = 0;
  }
  const blocks = [];
  for (let i = 0, first = 0; i + 1 < blockIndex.length; i += 2) {
    first += blockIndex[i];
    const file = "blocks/" + folder + "/" + i / 2 + ".js";
    const block = { first, max: blockIndex[i + 1], file, loaded: isLoaded(file) };
    if (block.loaded) learn(file);
    if (blocks.length) blocks[blocks.length - 1].end = first;
    blocks.push(block);
  }
  return { known, tierBound, tierFile, blocks };
}

/**
 * The block whose doc range holds `doc` (ranges run from a block's first
 * doc to the next block's), or undefined.
 * @param {StemState} state
 * @param {number} doc
 * @returns {Block | undefined}
 */
function blockHolding(state, doc) {
  let low = 0, high = state.blocks.length - 1;
  if (high < 0 || doc < state.blocks[0].first) return undefined;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (state.blocks[middle].first <= doc) low = middle;
    else high = middle - 1;
  }
  return state.blocks[low];
}

/**
 * A doc's score bounds under what is loaded: the known part and the most
 * it could be, summed over slots; how many slots surely and possibly match;
 * `nextFile`, the file that would tell most about the slot with the widest
 * gap. `seen` false: the doc is in no loaded list, so a loaded block tells
 * that it is absent.
 * @typedef {{state: StemState, weight: number}} WeightedStem
 * @typedef {{listed: Set<number>, cap: number}} PairBound
 * @typedef {{known: number, bound: number, sureSlots: number, possibleSlots: number, nextFile: string | null}} DocBound
 * @param {WeightedStem[][]} slotStates
 * @param {number} doc
 * @param {boolean} seen
 * @param {PairBound | null} pair
 * @returns {DocBound}
 */
function docBounds(slotStates, doc, seen, pair) {
  let known = 0, bound = 0, sureSlots = 0, possibleSlots = 0, highestSlot = 0;
  let nextFile = null, nextSpan = 0, nextGap = 0;
  for (const alternatives of slotStates) {
    let slotKnown = 0, openBound = 0, openFile = null, openSpan = 0;
    for (const { state, weight } of alternatives) {
      const impact = seen ? state.known.get(doc) : undefined;
      if (impact !== undefined) {
        slotKnown = Math.max(slotKnown, impact * weight);
        continue;
      }
      const block = blockHolding(state, doc), blockMax = block && !block.loaded ? block.max : 0;
      const alternativeBound = Math.max(state.tierBound, blockMax) * weight;
      if (alternativeBound > openBound) {
        openBound = alternativeBound;
        openFile = state.tierBound ? state.tierFile : block.file;
        openSpan = state.tierBound || block.end === undefined ? Infinity : block.end - block.first;
      }
    }
    const slotBound = Math.max(slotKnown, openBound);
    known += slotKnown;
    bound += slotBound;
    highestSlot = Math.max(highestSlot, slotBound);
    if (slotKnown > 0) sureSlots++;
    if (slotBound > 0) possibleSlots++;
    // The file to load next: tiers first (they lower every bound), then the
    // block spanning the most docs (the sparsest list: the likeliest to show
    // the doc absent, and the most docs settled per file), widest gap on ties.
    const gap = slotBound - slotKnown;
    if (gap > 0 && (openSpan > nextSpan || (openSpan === nextSpan && gap > nextGap))) {
      nextGap = gap;
      nextSpan = openSpan;
      nextFile = openFile;
    }
  }
  // With a pair list (two slots), a doc not listed has both words only if
  // it scores at most the cap: so not if the list holds every doc having
  // both (cap 0) or its known part is above the cap; then a word known is
  // all it has (it is exact), or it has at most the likelier one. Else, as
  // an AND hit, it scores at most the cap (it could only rank as an OR hit
  // without both, and with a cap the list has enough docs to make AND
  // sure: see pairListOf).
  if (pair && !(seen && pair.listed.has(doc))) {
    if (!pair.cap || known > pair.cap) {
      possibleSlots = Math.min(possibleSlots, 1);
      if (sureSlots) {
        bound = known;
        nextFile = null;
      } else bound = highestSlot;
    } else if (possibleSlots === 2) bound = Math.min(bound, pair.cap);
  }
  return { known, bound, sureSlots, possibleSlots, nextFile };
}

/**
 * The pair list (docs/search-format.md, "Pairs") of a two-slot query whose
 * slots are two different pair stems, one each: its docs, which have both
 * stems, join what is known of both, and `cap` bounds the score of every
 * other doc having both. When few docs have both, it holds them all (cap
 * 0); with a cap, its docs make AND sure (step 4).
 * @param {IndexFiles} index
 * @param {Manifest} manifest
 * @param {Slot[]} slots
 * @param {WeightedStem[][]} slotStates
 * @returns {PairBound | null | undefined} null: no such slots or no list;
 *   undefined: its file is not loaded yet
 */
function pairListOf(index, manifest, slots, slotStates) {
  if (slots.length !== 2 || slots.some((alternatives) => alternatives.length !== 1)) return null;
  const pairNumbers = slots.map(([[stem]]) => {
    const shard = index.get(termShardFile(manifest, stem));
    return shard && shard.pairs && hasOwn(shard.pairs, stem) ? shard.pairs[stem] : -1;
  });
  const [lower, higher] = pairNumbers[0] < pairNumbers[1] ? [0, 1] : [1, 0];
  if (pairNumbers[lower] < 0 || pairNumbers[lower] === pairNumbers[higher]) return null;
  const [onLower, onHigher] = [slotStates[lower][0], slotStates[higher][0]];
  const group = Math.floor(pairNumbers[higher] / manifest.pair_group);
  const pairFile = index.get("pairs/" + pairNumbers[lower] + "/" + group + ".js");
  if (!pairFile) return undefined;
  const flat = pairFile.pairs[pairNumbers[higher]], listed = new Set();
  if (!flat) return null;
  for (let i = 1, doc = 0; i + 2 < flat.length; i += 3) {
    doc += flat[i];
    listed.add(doc);
    onLower.state.known.set(doc, flat[i + 1]);
    onHigher.state.known.set(doc, flat[i + 2]);
  }
  return { listed, cap: flat[0] * Math.max(onLower.weight, onHigher.weight) };
}

/**
 * Scores the slots with what is loaded: candidates {doc, score, sure}
 * (AND hits, then OR hits, each with an exact score) and `bound`, the
 * highest score any other doc could reach (0 when all is known); or
 * `load`, the files to fetch first. With `kind`, once AND or OR is decided
 * (step 4 counts every kind), `bound` and what to load next concern docs
 * of that kind only: no other doc can be shown.
 * @typedef {{doc: number, score: number, sure: number, entry?: DocEntry}} Candidate
 * @typedef {{candidates: Candidate[], bound: number, partial?: boolean, next?: () => {load: string[]}}} Scored
 * @param {IndexFiles} index
 * @param {Manifest} manifest
 * @param {Slot[]} slots
 * @param {string} [kind]
 * @returns {Scored | {load: string[]} | undefined} undefined: term shards missing
 */
function scoreSlots(index, manifest, slots, kind) {
  const parameters = manifest.parameters, slotCount = slots.length;
  const slotStates = slots.map((alternatives) =>
    alternatives.map(([stem, weight]) => ({ state: stemState(index, manifest, stem), weight })));
  if (slotStates.some((alternatives) => alternatives.some((alternative) => !alternative.state))) return undefined;
  const pair = pairListOf(index, manifest, slots, slotStates);
  if (pair === undefined) return undefined;
  const states = slotStates.flat().map((alternative) => alternative.state);
  const docs = new Set();
  for (const state of states) for (const doc of state.known.keys()) docs.add(doc);
  // The OR factor (step 4) of a doc matching `matched` of the slots.
  const orFactor = (matched) => tableEntry(parameters.or_factors, slotCount - matched);
  // `andOpen`: docs not exact that may match every slot; `orOpen`: those
  // that may match only some, bounded by their OR score.
  const andHits = [], orHits = [], andOpen = [], orOpen = [];
  // `end`: the end of the doc range [doc, end) in no loaded list that `doc`
  // stands for; undefined for a single doc.
  const place = (doc, docBound, end) => {
    if (!docBound.nextFile || !docBound.possibleSlots) return;
    const open = { doc, end, bound: docBound.bound, nextFile: docBound.nextFile };
    if (docBound.possibleSlots === slotCount) andOpen.push(open);
    else orOpen.push({ ...open, bound: docBound.bound * orFactor(docBound.possibleSlots) });
  };
  const shown = (open) => !kind || kindIn(manifest, open.doc, open.end === undefined ? open.doc + 1 : open.end, kind);
  let sureAnd = 0;
  for (const doc of docs) {
    const docBound = docBounds(slotStates, doc, true, pair);
    if (docBound.sureSlots === slotCount) sureAnd++;
    if (docBound.nextFile !== null) place(doc, docBound);
    else if (docBound.sureSlots === slotCount) andHits.push({ doc, score: docBound.known, sure: docBound.sureSlots });
    else orHits.push({ doc, score: docBound.known, sure: docBound.sureSlots });
  }
  // Docs in no loaded list, by doc range: the ranges between block starts.
  const blockStarts = states.flatMap((state) => state.blocks.map((block) => block.first));
  const starts = [...new Set([0, ...blockStarts])].sort((left, right) => left - right);
  starts.forEach((doc, i) => {
    place(doc, docBounds(slotStates, doc, false, pair), i + 1 < starts.length ? starts[i + 1] : Infinity);
  });
  const byBound = (left, right) => right.bound - left.bound || left.doc - right.doc;
  andOpen.sort(byBound);
  orOpen.sort(byBound);
  // The files that tell most about the docs with the highest bounds, more
  // per round the longer it takes.
  const loadedFiles = states.reduce((sum, state) =>
    sum + state.blocks.filter((block) => block.loaded).length + (state.tierFile in index.files ? 1 : 0), 0);
  const perRound = 1 + Math.floor(loadedFiles / LOADED_FILES_PER_EXTRA_REQUEST);
  const nextLoad = (openDocs) => () => {
    const load = new Set();
    for (const open of openDocs) if (load.add(open.nextFile).size >= perRound) break;
    return { load: [...load] };
  };
  const partial = states.some((state) => state.tierBound || state.blocks.some((block) => !block.loaded));
  const withOrHits = () => andHits.concat(orHits.map((hit) => ({ ...hit, score: hit.score * orFactor(hit.sure) })));
  const andIsEnough = (andDocs) => slotCount < 2 || andDocs >= parameters.and_enough;
  if (!partial) return { candidates: andIsEnough(andHits.length) ? andHits : withOrHits(), bound: 0 };
  // Step 4 decides AND or OR on the count of AND docs: while a doc not
  // exact may still match every slot, the AND docs are not all known.
  if (!andIsEnough(sureAnd)) {
    if (andOpen.length) return nextLoad(andOpen)();
    // OR: every AND doc is known; all rank by their OR scores, which the
    // docs still open are bounded by.
    const rest = orOpen.filter(shown);
    return { candidates: withOrHits(), bound: rest.length ? rest[0].bound : 0, partial: true, next: nextLoad(rest) };
  }
  const rest = andOpen.filter(shown);
  return { candidates: andHits, bound: rest.length ? rest[0].bound : 0, partial: true, next: nextLoad(rest) };
}

/**
 * Searches with the files loaded so far.
 * @param {IndexFiles} index
 * @param {string} query
 * @param {{kind?: string, limit?: number, eager?: number}} [options] kind:
 *   that kind only; limit: hits wanted; eager: rank everything when the
 *   candidates fit in that many doc chunks, so that `total` is exact
 * @returns {SearchAnswer | null} null while files are missing (index.missing)
 */
function search(index, query, options = {}) {
  const manifest = index.get("manifest.js"), slots = manifest && planQuery(index, manifest, query);
  if (!slots) return null;
  const scored = scoreSlots(index, manifest, slots, options.kind);
  if (scored === undefined) return null;
  if (scored.load) {
    for (const fileName of scored.load) index.get(fileName);
    return null;
  }
  return rankPages(index, manifest, slots, scored, query, options);
}

/**
 * The run holding `doc` among [first doc, value] runs in doc order: the
 * last that starts at or before it.
 * @template T
 * @param {Array<[number, T]>} runs
 * @param {number} doc
 * @returns {[number, T] | undefined}
 */
function runAt(runs, doc) {
  let holding;
  for (const run of runs) {
    if (run[0] > doc) break;
    holding = run;
  }
  return holding;
}

/**
 * The kind of a doc, from its number: docs are numbered in runs of one
 * kind (`manifest.kind_runs`).
 * @param {Manifest} manifest
 * @param {number} doc
 * @returns {string | undefined}
 */
function docKind(manifest, doc) {
  return runAt(manifest.kind_runs, doc)?.[1];
}

/** Whether any doc in [fromDoc, toDoc) is of `kind`. */
function kindIn(manifest, fromDoc, toDoc, kind) {
  const runs = manifest.kind_runs;
  return runs.some(([first, runKind], i) =>
    runKind === kind && first < toDoc && (i + 1 === runs.length || runs[i + 1][0] > fromDoc));
}

/**
 * The first doc of the doc chunk holding `doc`: docs are chunked in runs
 * (`manifest.doc_chunks`, [first doc, docs per chunk]).
 * @param {Manifest} manifest
 * @param {number} doc
 * @returns {number}
 */
function docChunkStart(manifest, doc) {
  const [first, size] = runAt(manifest.doc_chunks, doc);
  return first + Math.floor((doc - first) / size) * size;
}

/**
 * Ranks the scored docs into pages, loading the doc chunks the top ones are in.
 * @param {IndexFiles} index
 * @param {Manifest} manifest
 * @param {Slot[]} slots
 * @param {Scored} scored
 * @param {string} query
 * @param {{kind?: string, limit?: number, eager?: number}} options
 * @returns {SearchAnswer | null}
 */
function rankPages(index, manifest, slots, scored, query, options) {
  const parameters = manifest.parameters;
  const limit = options.limit == null ? Infinity : options.limit;
  const chunkFile = (candidate) => "docs/" + docChunkStart(manifest, candidate.doc) + ".js";
  // Only docs scoring above every doc not yet known rank surely in place.
  // The kind filter needs no doc chunk: the kind follows from the doc number.
  const candidates = scored.candidates
    .filter((candidate) => candidate.score > scored.bound)
    .filter((candidate) => !options.kind || docKind(manifest, candidate.doc) === options.kind)
    .sort((left, right) => right.score - left.score || left.doc - right.doc);
  const allChunks = new Set(candidates.map(chunkFile)).size;
  const stop = !scored.partial && allChunks <= (options.eager || 0) ? Infinity : limit;
  const pages = [], seenPages = new Set();
  const loadMore = () => {
    if (scored.partial) for (const fileName of scored.next().load) index.get(fileName);
    return null;
  };
  // Ties break on doc number, known without doc chunks: walk the
  // candidates in order and load a doc chunk only when a candidate needs it.
  let i = 0;
  for (; i < candidates.length && pages.length < stop; i++) {
    const candidate = candidates[i], chunk = index.get(chunkFile(candidate));
    candidate.entry = chunk && chunk.docs[candidate.doc - docChunkStart(manifest, candidate.doc)];
    if (!candidate.entry) {
      // Ask for what the next ranks need too: fewer round trips.
      const wanted = Math.min(stop - pages.length, candidates.length);
      for (const next of candidates.slice(i + 1, i + 1 + wanted)) index.get(chunkFile(next));
      return candidates.length - i < stop - pages.length ? loadMore() : null;
    }
    // Standalone docs (FAQ entries) are results of their own; other docs
    // group by page.
    const { url, kind } = candidate.entry;
    const page = parameters.standalone_kinds.includes(kind) ? url : url.split("#")[0];
    if (seenPages.has(page)) continue;
    seenPages.add(page);
    pages.push(candidate);
  }
  // With part of the postings, the pages shown must beat every doc not yet
  // scored; otherwise load more of them.
  if (scored.partial && pages.length < limit && scored.bound > 0) return loadMore();
  const stems = [...new Set(slots.flat().map(([stem]) => stem))];
  const shown = pages.slice(0, limit), foldings = shown.map(({ entry }) => foldingFor(index, manifest, entry.text));
  if (foldings.includes(undefined)) return null;
  return {
    query,
    total: pages.length,
    complete: !scored.partial && i >= candidates.length,
    hits: shown.map(({ entry, score }, position) => ({
      title: entry.title,
      url: entry.url,
      kind: entry.kind,
      score,
      snippet: snippetHtml(entry.text, stems, manifest, foldings[position]),
      page: entry.page,
      kindLabel: hasOwn(parameters.kind_labels, entry.kind) ? parameters.kind_labels[entry.kind] : entry.kind,
      standalone: parameters.standalone_kinds.includes(entry.kind),
    })),
  };
}

const HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };
const escapeHtml = (text) => text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);

/**
 * The snippet of a doc's text: the window of whole words within
 * `snippet_window_chars` (at least one word) holding the most distinct
 * matching forms, earliest on ties, matches in <mark>, the rest escaped.
 * @param {string} text
 * @param {string[]} stems the stems the planner chose
 * @param {Manifest} manifest
 * @param {Object<string, string>} [moreFolding]
 * @returns {string} HTML
 */
function snippetHtml(text, stems, manifest, moreFolding) {
  const parameters = manifest.parameters, windowChars = parameters.snippet_window_chars;
  const characters = Array.from(text), words = wordTokens(characters, manifest, moreFolding);
  const escaped = (fromChar, toChar) => escapeHtml(characters.slice(fromChar, toChar).join(""));
  if (!words.length) return escapeHtml(text);
  // A word matches when its form starts with a stem; a stem of a few
  // letters ("e" of "e-stim") must be the whole form.
  const matchesStem = (form, stem) =>
    form.startsWith(stem) && (charCount(stem) > parameters.whole_word_stem_chars || form === stem);
  for (const word of words) word.matches = !!word.form && stems.some((stem) => matchesStem(word.form, stem));
  const lastWordFrom = (first, start) => {
    let last = first;
    while (last + 1 < words.length && words[last + 1].end - start <= windowChars) last++;
    return last;
  };
  let first = 0, best = 0;
  words.forEach((word, i) => {
    const inWindow = words.slice(i, lastWordFrom(i, word.start) + 1);
    const forms = new Set(inWindow.filter((token) => token.matches).map((token) => token.form));
    if (forms.size > best) {
      best = forms.size;
      first = i;
    }
  });
  const start = best ? words[first].start : 0, last = lastWordFrom(first, start), end = words[last].end;
  const rest = characters.slice(end);
  let html = start > 0 ? parameters.snippet_ellipsis : "", position = start;
  for (const word of words.slice(first, last + 1)) {
    if (!word.matches) continue;
    html += escaped(position, word.start) + "<mark>" + escaped(word.start, word.end) + "</mark>";
    position = word.end;
  }
  // Only words left out earn an ellipsis; closing punctuation stays.
  const wordsFollow = rest.some((character) => WORD_CHARACTER.test(character));
  return html + escaped(position, end) + (wordsFollow ? parameters.snippet_ellipsis : escapeHtml(rest.join("")));
}

// The files index scripts hand in (PraxisSearch.receive), kept across
// queries so that no file is fetched twice.
const receivedFiles = {};

/**
 * Called by every index file as it loads.
 * @param {string} fileName
 * @param {IndexFile} data
 */
function receive(fileName, data) {
  receivedFiles[fileName] = data;
}

/** Whether an index file has handed in its data. */
function hasReceived(fileName) {
  return hasOwn(receivedFiles, fileName);
}

/**
 * Searches the received files, loading what each round of search() asks
 * for, until it has an answer.
 * @param {(fileName: string) => Promise<void>} loadFile loads an index file,
 *   which hands its data to receive()
 * @param {string} query
 * @param {{kind?: string, limit?: number, eager?: number}} [options]
 * @returns {Promise<SearchAnswer>}
 */
function runQuery(loadFile, query, options) {
  const index = new IndexFiles(receivedFiles);
  const step = () => {
    index.missing = new Set();
    const answer = search(index, query, options);
    if (answer) return answer;
    if (!index.missing.size) return Promise.reject(new Error("index incomplete"));
    return Promise.all(Array.from(index.missing, loadFile)).then(step);
  };
  return Promise.resolve().then(step);
}

const engine = {
  compareCodePoints, analyze, cutQuery, wordTokens, editDistance, decodePostings, termShardFile, IndexFiles,
  planQuery, scoreSlots, snippetHtml, search, docKind, docChunkStart, receive, hasReceived, runQuery,
};
if (typeof module !== "undefined" && module.exports) module.exports = engine;
else globalThis.PraxisSearch = engine;
})();
