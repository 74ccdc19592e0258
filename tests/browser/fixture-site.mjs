// A small hand-made site for the browser test while the build does not yet
// export /search-index/ (or to test the theme alone):
//
//   node tests/browser/fixture-site.mjs OUT_DIR
//
// It copies the theme's static files, renders the content block of
// themes/default/templates/search.html and the header partial's search box
// (only the few tera constructs they use), writes five content pages whose
// shells mirror base.html and the rest of the header partial, and exports an index in the docs/search-format.md layout
// from those pages with a toy stemmer and toy impacts. The expected
// results are in fixture-cases.json.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { PARAMETERS } from "../js/search-parameters.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const theme = join(here, "..", "..", "themes", "default");
const require = createRequire(import.meta.url);
const engine = require(join(theme, "static", "search-engine.js"));

const SITE = "Riverside Physical Therapy";
const MENU = [
  { title: "Techniques", path: "/techniques/" },
  { title: "Clinical applications", path: "/applications/" },
  { title: "Articles", path: "/articles/" },
  { title: "FAQ", path: "/faq/" },
];

// kind, path, title, then sections: [anchor or "", heading, text].
const PAGES = [
  ["technique", "/techniques/mirror-therapy/", "Mirror therapy", [
    ["", "Mirror therapy", "A mirror reflects your moving healthy limb so it looks like the affected limb is moving, which can help the brain with movement and pain."],
    ["how-it-works", "How it works", "You sit with the affected arm hidden behind a mirror. Watching the reflection of the healthy arm tricks the brain into seeing two healthy arms moving together."],
    ["who-it-helps", "Who it helps", "People after a stroke, with phantom limb pain or with complex regional pain syndrome often practise mirror therapy at home."],
  ]],
  ["technique", "/techniques/balance-training/", "Balance and vestibular training", [
    ["", "Balance and vestibular training", "Exercises that train the inner ear, eyes and legs to work together so you feel steady when you stand, walk and turn."],
    ["exercises", "Typical exercises", "Standing on foam, turning the head while walking, and stepping over obstacles build balance step by step."],
  ]],
  ["application", "/applications/stroke/", "Stroke", [
    ["", "Stroke", "After a stroke, physical therapy helps the brain relearn movement through repetition, task practice and mirror therapy."],
    ["early-weeks", "The first weeks", "Therapy starts early: sitting balance, standing and the first steps with support."],
  ]],
  ["article", "/articles/home-exercise-tips/", "Home exercise tips after stroke", [
    ["", "Home exercise tips after stroke", "Short daily sessions, a written plan and a safe space make home exercise work. Keep a log & bring it to therapy."],
  ]],
  ["faq", "/faq/general/", "General questions", [
    ["faq-does-therapy-hurt", "Does therapy hurt?", "Therapy should not hurt. Some exercises feel hard, and muscles may be sore the next day."],
    ["faq-how-long-is-a-session", "How long is a session?", "A session usually lasts 45 minutes. Bring comfortable clothes and shoes."],
  ]],
];

const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

// The header's search box: the header partial's, rendered as
// searchBlock() renders search.html. The search page has its own box
// instead.
function headerSearchBlock() {
  const partial = readFileSync(join(theme, "templates", "partials", "header.html"), "utf8");
  const block = partial.match(/\{%-? if current_path != "\/search\/" %\}([\s\S]*?)\{%-? endif %\}/)[1];
  return fillTera(block.replace(/\{\{ site\.title \}\}/g, SITE), "header.html");
}

function shell(path, title, body) {
  const menu = MENU.map((m) => `<li><a href="${m.path}"${path.startsWith(m.path) ? ' aria-current="page"' : ""}>${m.title}</a></li>`).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} | ${SITE}</title>
<link rel="stylesheet" href="/style.css">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body class="site-page">
<a class="skip-link" href="#main-content">Skip to content</a>
<header class="site-header">
  <div class="wrap header-inner">
    <a class="brand" href="/"><span class="brand-name">${SITE}</span></a>
    <div class="header-tools">
${path === "/search/" ? "" : headerSearchBlock()}
    </div>
    <nav class="site-nav" aria-label="Main"><ul>
${menu}
    </ul></nav>
  </div>
</header>
<main id="main-content" class="wrap">
${body}
</main>
<footer class="site-footer"><div class="wrap footer-inner"><p>For education only.</p></div></footer>
</body>
</html>
`;
}

// The content block of search.html, with the tera it uses filled in.
function searchBlock() {
  const template = readFileSync(join(theme, "templates", "search.html"), "utf8");
  let block = template.match(/\{% block content %\}([\s\S]*?)\{% endblock content %\}/)[1];
  // The fixture has a menu and no index pages (A-Z, body regions).
  block = block.replace(/\{%-? if site\.menu( or site\.index_pages)? %\}([\s\S]*?)\{%-? endif %\}/g, (_, _or, inner) =>
    inner
      .replace(/\{%-? for item in site\.index_pages %\}([\s\S]*?)\{%-? endfor %\}/, "")
      .replace(/\{%-? for item in site\.menu %\}([\s\S]*?)\{%-? endfor %\}/, (_, item) =>
        MENU.map((m) => item.replace("{{ item.path }}", m.path).replace("{{ item.title }}", m.title)).join("")));
  return fillTera(block, "search.html");
}

// Fills `{{ name | default(value="...") }}` (and `asset?.name`) with the
// index folder or the default, and refuses any other tera left in `block`.
function fillTera(block, template) {
  block = block.replace(/\{\{ (?:asset\?\.)?(\w+) \| default\(value="([^"]*)"\) \}\}/g, (_, name, fallback) =>
    name === "search_index" ? "/search-index/" : fallback);
  if (/\{[{%#]/.test(block)) throw new Error(`fixture-site.mjs cannot render this ${template}: ` + block.match(/\{[{%#].*/)[0]);
  return block;
}

// Toy stand-in for tantivy's English stemmer: enough to have surface forms
// that differ from their stems.
const stem = (w) => w.replace(/(ations?|ing|es|s)$/, "").length >= 3 ? w.replace(/(ations?|ing|es|s)$/, "") : w;

function exportIndex(docs, out) {
  const manifest = {
    version: 1,
    docs: docs.length,
    scale: 100,
    stop_words: ["a", "an", "and", "are", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with"],
    folding: { "à": "a", "ä": "a", "é": "e", "è": "e", "ï": "i", "ö": "o", "ü": "u", "ß": "ss" },
    term_shards: [],
    doc_chunks: [[0, 4]],
    vocab_shards: [],
    kinds: ["technique", "application", "article", "faq", "page"],
    // Runs of docs of one kind, in doc order.
    kind_runs: docs.flatMap((d, i) => (i && docs[i - 1].kind === d.kind ? [] : [[i, d.kind]])),
    parameters: PARAMETERS,
  };
  const impacts = new Map(); // stem -> Map(doc -> impact)
  const surfaces = new Map(); // surface -> stem
  docs.forEach((d, id) => {
    const add = (text, weight) => {
      for (const w of engine.analyze(text, manifest)) {
        const s = stem(w);
        surfaces.set(w, s);
        if (!impacts.has(s)) impacts.set(s, new Map());
        const m = impacts.get(s);
        m.set(id, (m.get(id) || 0) + weight);
      }
    };
    add(d.title, 300);
    if (d.page !== d.title) add(d.page, 200);
    add(d.text, 100);
  });
  const keys = [...new Set([...impacts.keys(), ...surfaces.keys()])].sort(engine.compareCodePoints);
  const perShard = 25;
  const write = (name, data) => {
    mkdirSync(dirname(join(out, name)), { recursive: true });
    writeFileSync(join(out, name), `PraxisSearch.receive(${JSON.stringify(name)}, ${JSON.stringify(data)});\n`);
  };
  for (let i = 0; i < keys.length; i += perShard) {
    manifest.term_shards.push(i === 0 ? "" : keys[i]);
    const shard = { surface: {}, postings: {} };
    for (const k of keys.slice(i, i + perShard)) {
      if (surfaces.has(k) && surfaces.get(k) !== k) {
        if (impacts.has(k)) throw new Error(`toy stemmer: "${k}" is both a stem and a form of "${surfaces.get(k)}"`);
        shard.surface[k] = surfaces.get(k);
      }
      if (impacts.has(k)) {
        let prev = 0;
        shard.postings[k] = [...impacts.get(k)].sort((a, b) => a[0] - b[0]).flatMap(([doc, imp]) => {
          const pair = [doc - prev, imp];
          prev = doc;
          return pair;
        });
      }
    }
    write(`terms/${manifest.term_shards.length - 1}.js`, shard);
  }
  const vocab = new Map();
  for (const [w, s] of [...surfaces].sort((a, b) => engine.compareCodePoints(a[0], b[0]))) {
    const first = String.fromCodePoint(w.codePointAt(0));
    if (!vocab.has(first)) vocab.set(first, []);
    vocab.get(first).push([w, s, impacts.get(s).size]);
  }
  for (const [letter, words] of vocab) {
    manifest.vocab_shards.push(letter);
    write(`vocab/${letter}.js`, { words });
  }
  for (let i = 0; i < docs.length; i += 4) {
    write(`docs/${i}.js`, { docs: docs.slice(i, i + 4) });
  }
  write("manifest.js", manifest);
}

export function buildFixtureSite(out) {
  mkdirSync(out, { recursive: true });
  cpSync(join(theme, "static"), out, { recursive: true });
  const docs = [];
  const page = (path, title, body) => {
    mkdirSync(join(out, path), { recursive: true });
    writeFileSync(join(out, path, "index.html"), shell(path, title, body));
  };
  for (const [kind, path, title, sections] of PAGES) {
    let body = `<h1>${esc(title)}</h1>\n`;
    for (const [anchor, heading, text] of sections) {
      if (anchor) body += `<h2 id="${anchor}">${esc(heading)}</h2>\n`;
      body += `<p>${esc(text)}</p>\n`;
      docs.push({ url: path + (anchor ? "#" + anchor : ""), title: heading, page: title, kind, text });
    }
    page(path, title, body);
  }
  page("/", SITE, `<h1>${SITE}</h1>\n<ul class="link-list">${PAGES.map((p) => `<li><a href="${p[1]}">${p[2]}</a></li>`).join("")}</ul>`);
  for (const m of MENU.filter((m) => m.path !== "/faq/")) {
    const list = PAGES.filter((p) => p[1].startsWith(m.path)).map((p) => `<li><a href="${p[1]}">${p[2]}</a></li>`).join("");
    page(m.path, m.title, `<h1>${m.title}</h1>\n<ul class="link-list">${list}</ul>`);
  }
  page("/faq/", "FAQ", `<h1>FAQ</h1>\n<ul class="link-list"><li><a href="/faq/general/">General questions</a></li></ul>`);
  page("/search/", "Search", searchBlock());
  writeFileSync(join(out, "404.html"), shell("/404.html", "Page not found", "<h1>Sorry, we can&rsquo;t find that page</h1>"));
  exportIndex(docs, join(out, "search-index"));
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.length !== 3) {
    console.error("usage: node tests/browser/fixture-site.mjs OUT_DIR");
    process.exit(2);
  }
  buildFixtureSite(process.argv[2]);
  console.log(`fixture site written to ${process.argv[2]}`);
}
