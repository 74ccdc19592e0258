// The default theme in real headless Chromium, on a built site:
//
//   node tests/browser/theme.spec.mjs SITE_DIR [ARTIFACTS_DIR]
//
// - axe-core (WCAG 2.0-2.2 A/AA and best practices) on one page of every
//   template type, on a phone and a desktop and in dark mode, with every
//   FAQ answer open; one h1, headings in order, landmarks, `lang`, no
//   sideways scrolling;
// - the Nu HTML Checker (vnu-jar, run with the machine's Java) on every
//   HTML file of the site;
// - every page under `Content-Security-Policy: default-src 'self'`: no
//   console error, no script error, no request leaving the site;
// - the keyboard alone: skip link, visible focus, search, a result, an FAQ
//   answer;
// - screenshots (phone 360 px and desktop 1280 px, light and dark, and the
//   printed handout) into ARTIFACTS_DIR (default target/browser-artifacts/)
//   for a person to look at.
//
// The site is served by tests/browser/static-server.mjs. Chromium:
// /usr/bin/chromium (or $CHROMIUM); Java: `java` on the PATH (or $JAVA).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";
import { serve } from "./static-server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const VNU_JAR = require.resolve("vnu-jar/build/dist/vnu.jar");

const [siteArg, artifactsArg] = process.argv.slice(2);
if (!siteArg) {
  console.error("usage: node tests/browser/theme.spec.mjs SITE_DIR [ARTIFACTS_DIR]");
  process.exit(2);
}
const siteDir = resolve(siteArg);
const artifacts = resolve(artifactsArg || join(here, "..", "..", "target", "browser-artifacts"));

const PHONE = { width: 360, height: 780 };
const DESKTOP = { width: 1280, height: 800 };

/** Every HTML file of the site as a URL path (`/techniques/x/`, `/404.html`). */
function htmlPaths(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".html")) continue;
    const rel = relative(siteDir, join(entry.parentPath ?? entry.path, entry.name)).split(sep).join("/");
    found.push("/" + rel.replace(/(^|\/)index\.html$/, "$1"));
  }
  return found.sort();
}

const allPaths = htmlPaths(siteDir);
const bodyClass = (path) => {
  const file = join(siteDir, path.endsWith("/") ? path + "index.html" : path);
  return readFileSync(file, "utf8").match(/<body class="([^"]*)"/)?.[1] ?? "";
};
const firstWhere = (what, predicate) => {
  const path = allPaths.find(predicate);
  assert.ok(path, `the site has ${what}`);
  return path;
};
const NOT_FOUND = "/no-such-page/";
const under = (prefix) => (p) => p.startsWith(prefix) && p !== prefix && !p.includes("/page/");

// One page of each template type.
const TEMPLATE_PAGES = {
  home: "/",
  section: firstWhere("a section list", (p) => bodyClass(p) === "list" && p !== "/"),
  technique: firstWhere("a technique", (p) => bodyClass(p) === "kind-technique"),
  application: firstWhere("an application", (p) => bodyClass(p) === "kind-application"),
  article: firstWhere("an article", (p) => bodyClass(p) === "kind-article"),
  faq: firstWhere("an FAQ page", (p) => bodyClass(p) === "kind-faq"),
  page: firstWhere("a plain page", (p) => bodyClass(p) === "kind-page"),
  "taxonomy list": "/tags/",
  "taxonomy term": firstWhere("a tag", under("/tags/")),
  matrix: "/matrix/",
  "A-Z": "/a-z/",
  "body regions": "/body-regions/",
  "body region": firstWhere("a body region", under("/body-regions/")),
  search: "/search/?q=stroke",
  404: NOT_FOUND,
};

let server;
let origin;
let browser;
let siteHost;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await serve(siteDir);
  origin = `http://127.0.0.1:${server.address().port}`;
  // The site's own address (base_url): a request there is not a third party.
  siteHost = new URL(readFileSync(join(siteDir, "index.html"), "utf8").match(/<link rel="canonical" href="([^"]+)"/)[1]).host;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok()));
});

/** A page that records console errors, script errors and every request
 * that leaves the site (those are answered with an error, never sent). */
async function open(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(`script error: ${e.message}`));
  page.on("console", (m) => {
    // The 404 page is itself a 404 answer, which Chromium logs.
    const notFoundPage = new URL(page.url()).pathname === NOT_FOUND && m.location().url === page.url();
    if (m.type() === "error" && !notFoundPage) page.problems.push(`console error on ${page.url()}: ${m.text()}`);
  });
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin === origin) return route.continue();
    if (url.host === siteHost) return route.fulfill({ status: 204 });
    page.problems.push(`request leaving the site from ${page.url()}: ${url.href}`);
    return route.abort("blockedbyclient");
  });
  page.close_ = async () => {
    await context.close();
    assert.deepEqual(page.problems, []);
  };
  return page;
}

async function goto(page, path) {
  const response = await page.goto(origin + path, { waitUntil: "load" });
  if (path.startsWith("/search/?q=")) {
    await page.waitForFunction(() => /results? for|No results/.test(document.getElementById("search-status").textContent));
  }
  return response;
}

async function axe(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
  }));
  // The rule, how many elements, and the first three with axe's reason.
  return result.violations.map((v) => `${v.id} (${v.nodes.length}x): ${v.help}: ${v.nodes.slice(0, 3)
    .map((n) => `${n.target.join(" ")} [${(n.any[0] || n.all[0] || n.none[0])?.message ?? ""}]`).join("; ")}`);
}

/** What axe does not judge, or judges only as a best practice. */
async function structure(page) {
  return page.evaluate(() => {
    const problems = [];
    const h1 = document.querySelectorAll("h1");
    if (h1.length !== 1) problems.push(`${h1.length} h1 elements`);
    const levels = Array.from(document.querySelectorAll("main :is(h1, h2, h3, h4, h5, h6)"), (h) => Number(h.tagName[1]));
    if (levels[0] !== 1) problems.push(`main starts at h${levels[0]}`);
    levels.forEach((l, i) => { if (i > 0 && l > levels[i - 1] + 1) problems.push(`heading h${levels[i - 1]} -> h${l}`); });
    if (!document.documentElement.lang) problems.push("no lang on <html>");
    for (const [selector, count] of [["main", 1], ["body > header", 1], ["body > footer", 1], ["nav[aria-label=Main]", 1]]) {
      const n = document.querySelectorAll(selector).length;
      if (n !== count) problems.push(`${n} x ${selector}`);
    }
    const skip = document.querySelector("a.skip-link");
    if (!skip || skip !== document.querySelector("a[href], button, input") || !document.querySelector(skip.getAttribute("href"))) {
      problems.push("the first link is not a working skip link");
    }
    const { scrollWidth, clientWidth } = document.documentElement;
    if (scrollWidth > clientWidth) problems.push(`sideways scrolling: ${scrollWidth} > ${clientWidth}`);
    for (const img of document.images) {
      if (!img.complete || img.naturalWidth === 0) problems.push(`image did not load: ${img.src}`);
      if (img.closest("main") && !(img.getAttribute("width") && img.getAttribute("height"))) problems.push(`image without size: ${img.src}`);
    }
    return problems;
  });
}

for (const [name, options] of [
  ["phone", { viewport: PHONE, isMobile: true, hasTouch: true }],
  ["desktop", { viewport: DESKTOP }],
  ["desktop, dark mode", { viewport: DESKTOP, colorScheme: "dark" }],
]) {
  test(`axe-core and page structure, every template type (${name})`, async () => {
    const page = await open(options);
    const failures = [];
    for (const [type, path] of Object.entries(TEMPLATE_PAGES)) {
      await goto(page, path);
      // Closed answers are not checked by axe; open them all.
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
      for (const problem of [...(await axe(page)), ...(await structure(page))]) failures.push(`${type} ${path}: ${problem}`);
    }
    assert.deepEqual(failures, []);
    await page.close_();
  });
}

test("matrix: every link focused by Tab is in view and not under the pinned headers (WCAG 2.4.11)", async () => {
  // Reduced motion: focus scrolls at once rather than smoothly.
  const page = await open({ viewport: { width: 1366, height: 900 }, reducedMotion: "reduce" });
  await goto(page, "/matrix/");
  const links = await page.locator(".matrix a").count();
  assert.ok(links > 20, `${links} links in the grid`);
  await page.locator(".matrix a").first().focus();
  const hidden = [];
  for (let i = 1; i < links; i++) {
    await page.keyboard.press("Tab");
    const problem = await page.evaluate(() => {
      // The first line box: a link wrapped over lines has gaps between them.
      const e = document.activeElement, r = e.getClientRects()[0];
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      const top = document.elementFromPoint(x, y);
      return top && (top === e || e.contains(top)) ? null : `${e.getAttribute("aria-label") || e.textContent.trim()} under ${top?.textContent.trim().slice(0, 30)}`;
    });
    if (problem) hidden.push(problem);
  }
  assert.deepEqual(hidden, []);
  await page.close_();
});

test("no page scrolls sideways at 320 px, the width WCAG 1.4.10 (reflow) asks for", async () => {
  const page = await open({ viewport: { width: 320, height: 700 }, isMobile: true });
  const wide = [];
  for (const path of allPaths) {
    await goto(page, path);
    const [scrollWidth, clientWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    if (scrollWidth > clientWidth) wide.push(`${path}: ${scrollWidth} > ${clientWidth}`);
  }
  assert.deepEqual(wide, []);
  await page.close_();
});

test("phone: the sideways menu opens with the current section in view, on every section's pages", async () => {
  const page = await open({ viewport: PHONE, isMobile: true });
  const hidden = [];
  let scrolled = 0;
  for (const path of allPaths) {
    await goto(page, path);
    const where = await page.evaluate(() => {
      const list = document.querySelector(".site-nav ul"), current = list && list.querySelector("[aria-current]");
      if (!current) return null;
      const l = list.getBoundingClientRect(), c = current.getBoundingClientRect();
      return { inside: c.left >= l.left - 1 && c.right <= l.right + 1, scrolled: list.scrollLeft > 0, name: current.textContent };
    });
    if (where && !where.inside) hidden.push(`${path}: ${where.name}`);
    if (where?.scrolled) scrolled++;
  }
  assert.deepEqual(hidden, []);
  // The demo's menu is wider than a phone: some pages need the scroll.
  assert.ok(scrolled > 0, "no page needed the menu scrolled, so this test shows nothing");
  await page.close_();
});

test("printing the search page prints the results, not the form", async () => {
  const page = await open({ viewport: { width: 794, height: 1123 } });
  await goto(page, "/search/?q=balance");
  await page.locator("#search-results li").first().waitFor();
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".search-page-form").isVisible(), false, "no form on paper");
  assert.ok(await page.locator("#search-results li").first().isVisible(), "the results print");
  assert.match(await page.locator("#search-status").textContent(), /balance/, "the status names the query");
  await page.close_();
});

test("Nu HTML Checker: no errors in any HTML file", () => {
  let output;
  try {
    output = execFileSync(process.env.JAVA || "java", ["-jar", VNU_JAR, "--errors-only", "--format", "json", "--skip-non-html", siteDir],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  } catch (err) {
    // vnu exits 1 when it finds errors and prints them on stderr.
    output = err.stderr || err.stdout;
    if (!output) throw err;
  }
  const text = output.trim();
  const messages = text ? JSON.parse(text).messages : [];
  const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal")
    .map((m) => `${relative(siteDir, fileURLToPath(m.url))}:${m.lastLine}: ${m.message}`);
  assert.deepEqual(errors, []);
  assert.ok(allPaths.length > 10, `${allPaths.length} HTML files checked`);
});

test(`every page works under default-src 'self': no console error, no request leaving the site (${allPaths.length} pages)`, async () => {
  const page = await open({ viewport: DESKTOP });
  const statuses = [];
  for (const path of allPaths) {
    const response = await goto(page, path);
    if (response?.status() !== 200) statuses.push(`${path}: HTTP ${response?.status()}`);
  }
  assert.deepEqual(statuses, []);
  await page.close_();
});

const focusInfo = (page) => page.evaluate(() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return { tag: e.tagName.toLowerCase(), id: e.id, href: e.getAttribute("href"), cls: e.className, visible: outline || style.boxShadow !== "none" };
});

test("keyboard only: skip link, visible focus, search, a result, an FAQ answer", async () => {
  const page = await open({ viewport: DESKTOP });
  await goto(page, "/");
  await page.keyboard.press("Tab");
  assert.equal((await focusInfo(page)).cls, "skip-link");
  await page.keyboard.press("Enter");
  assert.equal(new URL(page.url()).hash, "#main-content");

  // Tab from the top of the page to the first search field; every stop
  // on the way shows where the focus is.
  await goto(page, "/");
  let stop;
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press("Tab");
    stop = await focusInfo(page);
    assert.ok(stop.visible, `focus is visible on ${JSON.stringify(stop)}`);
    if (stop.tag === "input") break;
  }
  assert.equal(stop.id, "site-search-q");
  await page.keyboard.type("mirror therapy", { delay: 20 });
  await Promise.all([page.waitForURL(/\/search\/\?q=mirror/), page.keyboard.press("Enter")]);
  await page.waitForFunction(() => /results? for/.test(document.getElementById("search-status").textContent));
  await page.locator("#search-page-q").focus();
  await page.keyboard.press("ArrowDown");
  const result = await focusInfo(page);
  assert.equal(result.tag, "a");
  await Promise.all([page.waitForURL((u) => u.pathname === result.href.split("#")[0]), page.keyboard.press("Enter")]);

  // On the page: Tab to the first question and open it.
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press("Tab");
    stop = await focusInfo(page);
    if (stop.tag === "summary") break;
  }
  assert.equal(stop.tag, "summary", `a question on ${page.url()}`);
  assert.ok(stop.visible, "the question shows focus");
  const answer = page.locator("details:has(summary:focus) .faq-answer");
  assert.equal(await answer.isVisible(), false);
  await page.keyboard.press("Enter");
  assert.equal(await answer.isVisible(), true);
  await page.keyboard.press("Space");
  assert.equal(await answer.isVisible(), false);
  await page.close_();
});

test("a link to an FAQ answer opens it; reduced motion turns transitions off", async () => {
  const page = await open({ viewport: PHONE, reducedMotion: "reduce" });
  await goto(page, TEMPLATE_PAGES.faq);
  const anchor = await page.locator(".faq-answer").first().getAttribute("id");
  await goto(page, `${TEMPLATE_PAGES.faq}#${anchor}`);
  assert.ok(await page.locator(`#${anchor}`).isVisible(), "the linked answer is open");
  const duration = await page.evaluate(() => getComputedStyle(document.querySelector(".faq-entry summary"), "::before").transitionDuration);
  assert.ok(parseFloat(duration) < 0.001, `transition ${duration}`);
  await page.close_();
});

test("screenshots: home, a technique and a clinical application at 360 and 1280 px, light and dark; the printed handout", async () => {
  const shots = [["home", "/"], ["technique", TEMPLATE_PAGES.technique], ["application", TEMPLATE_PAGES.application]];
  for (const [label, viewport] of [["360", PHONE], ["1280", DESKTOP]]) {
    for (const scheme of ["light", "dark"]) {
      const page = await open({ viewport, colorScheme: scheme, isMobile: label === "360" });
      for (const [name, path] of shots) {
        await goto(page, path);
        await page.screenshot({ path: join(artifacts, `${name}-${label}-${scheme}.png`), fullPage: true });
      }
      await page.close_();
    }
  }
  const page = await open({ viewport: { width: 794, height: 1123 } });
  await goto(page, TEMPLATE_PAGES.technique);
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".site-nav").isVisible(), false, "no navigation on paper");
  assert.ok(await page.locator(".faq-answer").first().isVisible(), "FAQ answers print open");
  await page.screenshot({ path: join(artifacts, "technique-print.png"), fullPage: true });
  await page.pdf({ path: join(artifacts, "technique-handout.pdf"), format: "Letter" });
  await page.close_();
});
