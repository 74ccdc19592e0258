// The search page in real headless Chromium: typing, keyboard, kind filter,
// accessibility (axe-core, WCAG 2.x A/AA), layout on a phone and a desktop,
// and the page without JavaScript.
//
//   node tests/browser/search.spec.mjs SITE_DIR [CASES_JSON]
//   node tests/browser/search.spec.mjs --fixture
//
// SITE_DIR is a built site (with /search/ and /search-index/); CASES_JSON
// (default tests/browser/cases.json) lists queries and the first result
// they must give. --fixture builds the hand-made site of fixture-site.mjs
// into a temporary folder and uses fixture-cases.json.
//
// The site is served by a tiny server on an ephemeral port with
// `Content-Security-Policy: default-src 'self'`; any CSP violation or page
// error fails the test. Chromium: /usr/bin/chromium (or $CHROMIUM).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { buildFixtureSite } from "./fixture-site.mjs";
import { launchChromium } from "./chromium.mjs";
import { serve } from "./static-server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const args = process.argv.slice(2);
let siteDir;
let casesFile;
let cleanup = () => {};
if (args[0] === "--fixture" && args.length === 1) {
  siteDir = mkdtempSync(join(tmpdir(), "praxis-search-fixture-"));
  buildFixtureSite(siteDir);
  casesFile = join(here, "fixture-cases.json");
  cleanup = () => rmSync(siteDir, { recursive: true, force: true });
} else if (args.length === 1 || args.length === 2) {
  siteDir = resolve(args[0]);
  casesFile = args[1] ? resolve(args[1]) : join(here, "cases.json");
} else {
  console.error("usage: node tests/browser/search.spec.mjs SITE_DIR [CASES_JSON]\n       node tests/browser/search.spec.mjs --fixture");
  process.exit(2);
}
const cases = JSON.parse(readFileSync(casesFile, "utf8"));

let server;
let origin;
let browser;

before(async () => {
  server = await serve(resolve(siteDir));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok()));
  cleanup();
});

// A page that records CSP violations and script errors.
async function open(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/.test(m.text())) page.problems.push(m.text());
  });
  page.done = async () => {
    await context.close();
    assert.deepEqual(page.problems, []);
  };
  return page;
}

const status = (page) => page.locator("#search-status");
const quoted = (q) => `\u201c${q.trim()}\u201d`;

async function waitForAnswer(page, q) {
  await page.waitForFunction((text) => document.getElementById("search-status").textContent.endsWith(text), quoted(q));
  return (await status(page).textContent()).trim();
}

const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return e.id || e.getAttribute("href");
});

for (const c of cases.queries) {
  test(`typing "${c.q}"${c.kind ? ` (kind ${c.kind})` : ""} finds "${c.first_title}"; keyboard reaches it`, async () => {
    const page = await open();
    await page.goto(`${origin}/search/`);
    if (c.kind) await page.locator(`input[name=kind][value="${c.kind}"]`).check();
    const input = page.locator("#search-page-q");
    await input.click();
    await input.pressSequentially(c.q, { delay: 40 });
    const said = await waitForAnswer(page, c.q);
    assert.match(said, /^(\d+ results?|More than \d+ results) for \u201c.*\u201d$/);
    const titles = page.locator(".search-hit-title a");
    assert.equal(await titles.first().textContent(), c.first_title);
    const n = await titles.count();
    assert.ok(n >= 1);
    if (c.kind) {
      const kinds = await page.locator(".search-hit-kind").allTextContents();
      assert.equal(new Set(kinds).size, 1, `one kind: ${kinds}`);
    }

    await page.keyboard.press("ArrowDown");
    assert.equal(await focused(page), c.first_url);
    if (n > 1) {
      await page.keyboard.press("ArrowDown");
      assert.equal(await focused(page), await titles.nth(1).getAttribute("href"));
      await page.keyboard.press("ArrowUp");
      assert.equal(await focused(page), c.first_url);
    }
    await page.keyboard.press("ArrowUp");
    assert.equal(await focused(page), "search-page-q");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Escape");
    assert.equal(await focused(page), "search-page-q");
    await page.keyboard.press("ArrowDown");
    assert.equal(await focused(page), c.first_url);

    await Promise.all([page.waitForURL((u) => u.pathname + u.hash === c.first_url), page.keyboard.press("Enter")]);
    const landed = new URL(page.url());
    assert.equal(landed.pathname + landed.hash, c.first_url);
    await page.done();
  });
}

// The header's box on a reading page: the best results under it as the
// visitor types, keyboard through them, Escape, Enter for all results.
async function typeInHeader(page, q) {
  const input = page.locator("#site-search-q");
  await input.click();
  await input.fill("");
  await input.pressSequentially(q, { delay: 40 });
  await page.waitForFunction((text) => {
    const said = document.querySelector(".site-search [role=status]").textContent;
    return said.endsWith(text) && !document.querySelector(".search-pop").hidden;
  }, quoted(q));
  return page.locator(".search-pop li > a");
}

test("the header's search box shows results as you type on a reading page, keyboard and all", async () => {
  // A query whose first result is another page: following it loads it.
  const c = cases.queries.find((x) => !x.kind && !x.first_url.startsWith(cases.content_page));
  const page = await open();
  await page.goto(origin + cases.content_page);
  const links = await typeInHeader(page, c.q);
  assert.equal(await links.first().textContent(), c.first_title);
  assert.ok((await links.count()) <= 5);
  // Each result has its kind and snippet under its link.
  assert.equal(await page.locator(".search-pop li > p .search-hit-kind").count(), await links.count());
  assert.deepEqual(await axe(page), [], "a reading page with the results open");
  await page.keyboard.press("ArrowDown");
  assert.equal(await focused(page), c.first_url);
  await page.keyboard.press("Escape");
  assert.equal(await focused(page), "site-search-q");
  assert.ok(await page.locator(".search-pop").isHidden(), "Escape closes the results");
  // Back on the box, the results come back; Down and Enter follow one.
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  await page.locator(".search-pop").waitFor({ state: "visible" });
  await page.keyboard.press("ArrowDown");
  await Promise.all([page.waitForURL((u) => u.pathname + u.hash === c.first_url), page.keyboard.press("Enter")]);
  // Enter in the box itself opens every result on /search/.
  await typeInHeader(page, c.q);
  const all = page.locator(".search-pop-all");
  assert.equal(await all.textContent(), `All results for ${quoted(c.q)}`);
  await Promise.all([page.waitForURL(/\/search\/\?/), page.locator("#site-search-q").press("Enter")]);
  assert.equal(new URL(page.url()).searchParams.get("q"), c.q);
  await waitForAnswer(page, c.q);
  await page.done();
});

test("the header's results fit a phone and close when focus leaves them", async () => {
  const page = await open({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await page.goto(origin + cases.content_page);
  await typeInHeader(page, cases.queries[0].q);
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `scrollWidth ${scroll} > clientWidth ${client}`);
  const box = await page.locator(".search-pop").boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 360, `results at ${box.x}..${box.x + box.width}`);
  // The results cover the top of the page: a tap below them closes them.
  await page.mouse.click(180, Math.min(730, box.y + box.height + 20));
  assert.ok(await page.locator(".search-pop").isHidden(), "a click elsewhere closes the results");
  await page.done();
});

test("the status line speaks once the visitor pauses, not on every key; one letter asks for more", async () => {
  const page = await open();
  await page.goto(`${origin}/search/`);
  await page.evaluate(() => {
    window.said = [];
    new MutationObserver(() => window.said.push(document.getElementById("search-status").textContent))
      .observe(document.getElementById("search-status"), { childList: true, characterData: true, subtree: true });
  });
  const input = page.locator("#search-page-q");
  await input.click();
  const q = cases.queries[0].q;
  await input.pressSequentially(q, { delay: 150 });
  await waitForAnswer(page, q);
  const said = (await page.evaluate(() => window.said)).filter((text) => text);
  assert.equal(said.length, 1, `one announcement while typing "${q}": ${JSON.stringify(said)}`);
  await input.fill("");
  await input.pressSequentially(q[0]);
  await page.waitForFunction(() => document.getElementById("search-status").textContent.startsWith("Type at least two"));
  assert.equal(await page.locator(".search-hit").count(), 0);
  await page.done();
});

test("?q= and ?kind= in the address are searched on load", async () => {
  const c = cases.queries.find((x) => x.kind) || cases.queries[0];
  const page = await open();
  await page.goto(`${origin}/search/?q=${encodeURIComponent(c.q)}${c.kind ? `&kind=${c.kind}` : ""}`);
  await waitForAnswer(page, c.q);
  assert.equal(await page.locator("#search-page-q").inputValue(), c.q);
  assert.equal(await page.locator("input[name=kind]:checked").getAttribute("value"), c.kind || "");
  assert.equal(await page.locator(".search-hit-title a").first().textContent(), c.first_title);
  // The status line is a polite live region.
  assert.equal(await status(page).getAttribute("aria-live"), "polite");
  // Typing more keeps the address in step.
  await page.locator("#search-page-q").fill("");
  await page.locator("#search-page-q").pressSequentially("zzzzqqq", { delay: 20 });
  assert.equal(await waitForAnswer(page, "zzzzqqq"), "No results for \u201czzzzqqq\u201d");
  assert.equal(new URL(page.url()).searchParams.get("q"), "zzzzqqq");
  assert.equal(await page.locator(".search-hit").count(), 0);
  await page.done();
});

async function axe(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
  }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

async function headingLevels(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll("main h1, main h2, main h3, main h4, main h5, main h6"), (h) => Number(h.tagName[1])));
}

test("axe-core finds no WCAG 2.x A/AA violations; headings in order; inputs labelled", async () => {
  const page = await open();
  const q = cases.queries[0].q;
  await page.goto(`${origin}/search/?q=${encodeURIComponent(q)}`);
  await waitForAnswer(page, q);
  assert.deepEqual(await axe(page), [], "/search/ with results");
  const levels = await headingLevels(page);
  assert.equal(levels[0], 1);
  levels.forEach((l, i) => assert.ok(i === 0 || l <= levels[i - 1] + 1, `heading levels ${levels}`));
  const unlabelled = await page.evaluate(() => Array.from(document.querySelectorAll("input, select, textarea"))
    .filter((e) => e.type !== "hidden" && !(e.labels && e.labels.length) && !e.getAttribute("aria-label")).map((e) => e.outerHTML));
  assert.deepEqual(unlabelled, []);
  await page.goto(`${origin}${cases.content_page}`);
  assert.deepEqual(await axe(page), [], cases.content_page);
  await page.done();
});

for (const [name, viewport] of [["phone", { width: 390, height: 844 }], ["desktop", { width: 1280, height: 800 }]]) {
  test(`no horizontal scrolling on a ${name} (${viewport.width}px)`, async () => {
    const page = await open({ viewport, isMobile: name === "phone", hasTouch: name === "phone" });
    const q = cases.queries[0].q;
    for (const path of [`/search/?q=${encodeURIComponent(q)}`, "/search/", cases.content_page]) {
      await page.goto(origin + path);
      if (path.includes("?q=")) await waitForAnswer(page, q);
      const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(scroll <= client, `${path}: scrollWidth ${scroll} > clientWidth ${client}`);
    }
    await page.done();
  });
}

test("without JavaScript: /search/ says so, the header form still submits to /search/?q=", async () => {
  const page = await open({ javaScriptEnabled: false });
  await page.goto(`${origin}/search/?q=knee`);
  const note = page.locator(".search-noscript");
  assert.ok(await note.isVisible(), "noscript message visible");
  assert.match(await note.textContent(), /JavaScript/);
  // What only works with the script is not offered without it.
  assert.equal(await page.locator("#search-help").isVisible(), false, "no 'results appear as you type'");
  assert.equal(await page.locator(".search-kinds").isVisible(), false, "no kind filter");
  await page.goto(origin + cases.content_page);
  await page.locator("form[role=search] input[name=q]").first().fill("knee pain");
  await Promise.all([page.waitForURL(/\/search\/\?/), page.locator("form[role=search] input[name=q]").first().press("Enter")]);
  const url = new URL(page.url());
  assert.equal(url.pathname, "/search/");
  assert.equal(url.searchParams.get("q"), "knee pain");
  assert.ok(await page.locator(".search-noscript").isVisible());
  await page.done();
});
