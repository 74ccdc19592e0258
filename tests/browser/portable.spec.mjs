// A portable build (`praxis build --portable`) opened from disk, as a
// visitor would open an unzipped copy: file:// URLs, no server at all.
//
//   node tests/browser/portable.spec.mjs SITE_DIR [CASES_JSON]
//
// SITE_DIR is the demo site built with --portable; CASES_JSON (default
// tests/browser/cases.json) gives queries and their first result. Checks
// that the stylesheets apply, that menu links open pages (not folder
// listings), that the header's search form reaches the search page, and
// that search finds each case's first result and the keyboard follows it to
// the right file and anchor. Any page error, or a request for anything but
// a file that exists, fails the test.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launchChromium } from "./chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
if (args.length < 1 || args.length > 2) {
  console.error("usage: node tests/browser/portable.spec.mjs SITE_DIR [CASES_JSON]");
  process.exit(2);
}
const siteDir = resolve(args[0]);
const cases = JSON.parse(readFileSync(args[1] ? resolve(args[1]) : join(here, "cases.json"), "utf8"));
const root = pathToFileURL(siteDir + "/").href;

// The file a site path of the demo (`/faq/general/#x`) is in, as a file:// URL.
const fileUrl = (sitePath) => {
  const [path, hash] = sitePath.split("#");
  return root + path.slice(1) + (path.endsWith("/") ? "index.html" : "") + (hash ? "#" + hash : "");
};

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

async function open(url, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => page.problems.push(`failed: ${r.url()}`));
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.protocol !== "file:") page.problems.push(`not a file: ${r.url()}`);
    else if (!existsSync(decodeURIComponent(url.pathname))) page.problems.push(`no such file: ${r.url()}`);
  });
  await page.goto(url);
  page.done = async () => {
    await context.close();
    assert.deepEqual(page.problems, []);
  };
  return page;
}

test("a page deep in the site is styled, and its menu opens pages, not folder listings", async () => {
  const page = await open(fileUrl(cases.content_page), { viewport: { width: 1280, height: 900 } });
  // style.css sets the body's font family; unstyled Chromium uses Times.
  const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.doesNotMatch(font, /^"?Times/, font);
  const sheets = await page.evaluate(() => Array.from(document.styleSheets, (s) => s.href.split("/").pop()));
  assert.ok(sheets.includes("style.css"), sheets.join());
  const menu = await page.$$eval("header nav a", (links) => links.map((a) => a.href));
  assert.ok(menu.length >= 3, menu.join());
  for (const href of menu) {
    assert.match(href, /^file:\/\/.*\/index\.html(#.*)?$/, href);
    assert.ok(existsSync(decodeURIComponent(new URL(href).pathname)), href);
  }
  await Promise.all([page.waitForURL(menu[0]), page.click(`header nav a[href$="${menu[0].split("/").slice(-2).join("/")}"]`)]);
  assert.ok(await page.$("main h1"), "the menu's first page has a heading");
  await page.done();
});

test("the header's search box opens the search page with results, from disk", async () => {
  const page = await open(fileUrl("/"), { viewport: { width: 1280, height: 900 } });
  await page.fill("#site-search-q", "mirror therapy");
  await Promise.all([page.waitForURL(/\/search\/index\.html\?q=mirror/), page.press("#site-search-q", "Enter")]);
  await page.waitForSelector("#search-results a");
  assert.equal(await page.inputValue("#search-page-q"), "mirror therapy");
  await page.done();
});

test("from disk, the header's box shows results as you type, linked to the files", async () => {
  const c = cases.queries.find((x) => !x.kind);
  // From another page than the result's: following it loads a new file.
  const start = c.first_url.startsWith("/applications/") ? "/techniques/" : "/applications/";
  const page = await open(fileUrl(start), { viewport: { width: 1280, height: 900 } });
  await page.locator("#site-search-q").pressSequentially(c.q, { delay: 30 });
  const first = page.locator(".search-pop li > a").first();
  await page.waitForFunction((title) => document.querySelector(".search-pop li > a")?.textContent === title, c.first_title);
  assert.equal(await first.getAttribute("href"), fileUrl(c.first_url));
  assert.match(await page.locator(".search-pop-all").getAttribute("href"), /\/search\/index\.html\?q=/);
  await page.focus("#site-search-q");
  await page.keyboard.press("ArrowDown");
  await Promise.all([page.waitForURL(fileUrl(c.first_url)), page.keyboard.press("Enter")]);
  await page.done();
});

for (const c of cases.queries) {
  test(`from disk, "${c.q}"${c.kind ? ` (kind ${c.kind})` : ""} finds "${c.first_title}" and the keyboard opens it`, async () => {
    const page = await open(fileUrl("/search/") + (c.kind ? `?kind=${c.kind}` : ""));
    await page.fill("#search-page-q", c.q);
    const first = page.locator("#search-results a").first();
    await first.waitFor();
    await page.waitForFunction((title) => document.querySelector("#search-results a")?.textContent === title, c.first_title);
    assert.equal(await first.getAttribute("href"), fileUrl(c.first_url));
    await page.focus("#search-page-q");
    await page.keyboard.press("ArrowDown");
    await Promise.all([page.waitForURL(fileUrl(c.first_url)), page.keyboard.press("Enter")]);
    if (c.first_url.includes("#")) {
      const id = c.first_url.split("#")[1];
      assert.ok(await page.$(`[id="${id}"]`), `the page has #${id}`);
    }
    await page.done();
  });
}
