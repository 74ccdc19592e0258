/* Praxis search in the page: the search page (/search/) and the header's
 * box, which shows the best results under it as the visitor types.
 * search-engine.js, loaded just before this file, does the searching
 * (window.PraxisSearch); this file loads the index files the engine asks
 * for as <script>s (no fetch, no inline script: a strict CSP and file://
 * both work) and shows the answers. Without JavaScript both forms open
 * /search/?q= and the page says what it cannot do. */
(() => {
"use strict";

const engine = window.PraxisSearch;
// Read while this script runs: afterwards document.currentScript is null.
const thisScript = document.currentScript;
// The page searches once typing pauses this long (ms), not on every key.
const TYPING_PAUSE_MS = 120;
// The result count is spoken once typing pauses this long (ms).
const SPEAKING_PAUSE_MS = 700;
// The page's own rule (the planner takes any text): one letter is not yet
// a word, "k" would match only a stray "k".
const MIN_QUERY_LENGTH = 2;
// Results the search page shows at first and adds per "Show more", and
// the header's box shows.
const PAGE_RESULTS = 10;
const LIVE_RESULTS = 5;
// The search page ranks every candidate when they fit in this many doc
// chunks, so that its count is exact.
const EAGER_DOC_CHUNKS = 8;
const UNAVAILABLE = "Search is not available right now. Please try again later.";

/** @type {Object<string, Promise<void>>} */
const loadingFiles = {};

/**
 * Loads one index file as a <script>, once; it hands its data to the engine.
 * @param {string} indexUrl the index folder, ending in "/"
 * @param {string} fileName relative to it
 * @returns {Promise<void>}
 */
function loadIndexFile(indexUrl, fileName) {
  if (!loadingFiles[fileName]) {
    loadingFiles[fileName] = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = indexUrl + fileName.split("/").map(encodeURIComponent).join("/");
      script.onload = () => {
        script.remove();
        if (engine.hasReceived(fileName)) resolve();
        else reject(new Error(fileName));
      };
      script.onerror = () => {
        script.remove();
        // A file that failed to load may load next time (a flaky network).
        delete loadingFiles[fileName];
        reject(new Error(fileName));
      };
      document.head.appendChild(script);
    });
  }
  return loadingFiles[fileName];
}

/**
 * @param {string} indexUrl
 * @param {string} query
 * @param {{kind?: string, limit?: number, eager?: number}} options
 */
const searchIndex = (indexUrl, query, options) =>
  engine.runQuery((fileName) => loadIndexFile(indexUrl, fileName), query, options);

/**
 * @param {string} tag
 * @param {string | null} [className]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
function element(tag, className, text) {
  const created = document.createElement(tag);
  if (className) created.className = className;
  if (text != null) created.textContent = text;
  return created;
}

/**
 * Where a result's root-relative URL leads: results link from the site's
 * root, which holds the index folder (`/search-index/`,
 * `/clinic/search-index/` under a base path), or which is relative to this
 * page in a portable build (`praxis build --portable`), whose links name a
 * folder's index.html (a browser reading files shows a folder's listing
 * instead).
 * @param {string} indexUrl
 * @returns {(url: string) => string}
 */
function resultLinker(indexUrl) {
  const portable = !indexUrl.startsWith("/"), siteRoot = indexUrl.replace(/\/[^/]+\/?$/, "");
  return (url) => {
    if (!portable) return siteRoot + url;
    const pathEnd = url.search(/[?#]|$/), path = url.slice(1, pathEnd);
    const home = new URL(indexUrl + "../", location.href);
    const folderPage = path === "" || path.endsWith("/") ? "index.html" : "";
    return new URL(path + folderPage + url.slice(pathEnd), home).href;
  };
}

/** The index folder: from this script's data-index, or the form's. */
const indexUrlOf = (form) => (thisScript && thisScript.getAttribute("data-index")) || form.getAttribute("data-index");

/**
 * The status line is a live region: while the visitor types it changes
 * once they pause, so a screen reader reads one count, not one per key.
 * @param {HTMLElement} status
 * @returns {(text: string, typing?: boolean) => void}
 */
function speaker(status) {
  let timer;
  return (text, typing) => {
    clearTimeout(timer);
    if (typing) {
      timer = setTimeout(() => {
        status.textContent = text;
      }, SPEAKING_PAUSE_MS);
    } else status.textContent = text;
  };
}

/**
 * "3 results for “knee”", or "More than 10 ..." when the count is a bound.
 * @param {import("./search-engine.js").SearchAnswer} answer
 * @param {string} query
 */
function countText(answer, query) {
  const shown = answer.complete ? answer.total : answer.hits.length;
  return (answer.complete ? "" : "More than ") + (shown || "No") + (shown === 1 ? " result" : " results") +
    " for \u201c" + query + "\u201d";
}

// Whether a hit is a section of its page: its heading ("Who it helps")
// says little alone, so its link names the page first. An FAQ question
// stands alone.
const isSection = (hit) => !hit.standalone && hit.page && hit.page !== hit.title;
const hitName = (hit) => (isSection(hit) ? hit.page + ": " + hit.title : hit.title);

/**
 * Up and down move between the result links of `box`, up from the first
 * back to the input; Escape goes back to the input (and calls `escape`).
 * @param {HTMLInputElement} input
 * @param {HTMLElement} box
 * @param {() => void} [escape]
 * @returns {() => HTMLAnchorElement[]} the result links
 */
function arrowKeys(input, box, escape) {
  const links = () => Array.from(box.querySelectorAll("a"));
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    }
    if (event.key === "Escape" && escape) escape();
  });
  box.addEventListener("keydown", (event) => {
    const all = links(), current = all.indexOf(document.activeElement);
    if (current < 0 || !["ArrowDown", "ArrowUp", "Escape"].includes(event.key)) return;
    event.preventDefault();
    if (event.key === "Escape") {
      input.focus();
      if (escape) escape();
      return;
    }
    const next = all[current + (event.key === "ArrowDown" ? 1 : -1)];
    (next || (event.key === "ArrowUp" ? input : all[current])).focus();
  });
  return links;
}

/**
 * The header's box, on every page but /search/: the best results under it
 * as the visitor types, and a link to all of them on /search/.
 * @param {HTMLFormElement} form
 */
function setUpLiveResults(form) {
  const input = form.querySelector("input[type=search]"), popup = form.querySelector(".search-pop");
  const list = popup.querySelector("ol"), allResults = popup.querySelector(".search-pop-all");
  const say = speaker(form.querySelector("[role=status]")), indexUrl = indexUrlOf(form);
  const linkTo = resultLinker(indexUrl);
  let latest = 0, timer;
  const close = () => {
    popup.hidden = true;
  };
  arrowKeys(input, popup, close);
  function update() {
    const query = input.value.trim(), run = ++latest;
    if (query.length < MIN_QUERY_LENGTH) {
      close();
      list.textContent = "";
      say("");
      return;
    }
    searchIndex(indexUrl, query, { limit: LIVE_RESULTS }).then((answer) => {
      if (run !== latest) return;
      list.textContent = "";
      for (const hit of answer.hits) {
        const item = element("li"), link = element("a", null, hitName(hit)), text = element("p");
        link.href = linkTo(hit.url);
        text.append(element("span", "search-hit-kind", hit.kindLabel), " ");
        text.insertAdjacentHTML("beforeend", hit.snippet); // escaped by the engine; <mark> is the only markup
        item.append(link, text);
        list.appendChild(item);
      }
      allResults.href = form.action + "?q=" + encodeURIComponent(query);
      allResults.textContent = answer.hits.length ? "All results for \u201c" + query + "\u201d" : "Search tips and all pages";
      popup.hidden = false;
      say(countText(answer, query), true);
    }, () => {
      if (run === latest) say(UNAVAILABLE);
    });
  }
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, TYPING_PAUSE_MS);
  });
  input.addEventListener("focus", () => {
    if (list.children.length && input.value.trim().length >= MIN_QUERY_LENGTH) popup.hidden = false;
  });
  form.addEventListener("focusout", (event) => {
    if (!form.contains(event.relatedTarget)) close();
  });
  document.addEventListener("click", (event) => {
    if (!form.contains(event.target)) close();
  });
}

/**
 * The search page: its form, kind filter, results and "Show more".
 * @param {HTMLFormElement} form
 */
function setUpSearchPage(form) {
  const input = form.querySelector("input[type=search]"), list = document.getElementById("search-results");
  const more = document.getElementById("search-more"), indexUrl = indexUrlOf(form), linkTo = resultLinker(indexUrl);
  for (const needsScript of form.querySelectorAll("[data-needs-script]")) needsScript.hidden = false;
  const say = speaker(document.getElementById("search-status"));
  let limit = PAGE_RESULTS, latest = 0, timer;

  function update(focusAt, typing) {
    const query = input.value, checked = form.querySelector("input[name=kind]:checked");
    const kind = checked ? checked.value : "", run = ++latest, address = new URL(location.href);
    address.searchParams.set("q", query);
    if (kind) address.searchParams.set("kind", kind);
    else address.searchParams.delete("kind");
    try {
      history.replaceState(null, "", address);
    } catch {
      // Some browsers refuse it on file://; the results still show.
    }
    more.hidden = true;
    if (query.trim().length < MIN_QUERY_LENGTH) {
      list.textContent = "";
      say(query.trim() ? "Type at least two letters to search." : "", typing);
      return;
    }
    searchIndex(indexUrl, query, { kind, limit, eager: EAGER_DOC_CHUNKS }).then((answer) => {
      if (run !== latest) return;
      list.textContent = "";
      for (const hit of answer.hits) {
        const item = element("li", "search-hit"), title = element("h2", "search-hit-title");
        const link = element("a", null, hitName(hit));
        const meta = element("p", "search-hit-meta"), text = element("p", "search-hit-snippet");
        link.href = linkTo(hit.url);
        title.appendChild(link);
        meta.appendChild(element("span", "search-hit-kind", hit.kindLabel));
        // An FAQ question's page goes below it.
        if (hit.page && hit.page !== hit.title && !isSection(hit)) meta.appendChild(element("span", "search-hit-page", hit.page));
        text.innerHTML = hit.snippet; // escaped by the engine; <mark> is the only markup
        item.append(title, meta, text);
        list.appendChild(item);
      }
      more.hidden = answer.complete && answer.total <= answer.hits.length;
      say(countText(answer, query.trim()), typing);
      if (focusAt != null && links()[focusAt]) links()[focusAt].focus();
    }, () => {
      if (run === latest) say(UNAVAILABLE);
    });
  }

  const params = new URLSearchParams(location.search);
  const kindValue = (params.get("kind") || "").replace(/\W/g, "");
  const picked = form.querySelector("input[name=kind][value=\"" + kindValue + "\"]");
  input.value = params.get("q") || "";
  if (picked) picked.checked = true;

  input.addEventListener("input", () => {
    clearTimeout(timer);
    limit = PAGE_RESULTS;
    timer = setTimeout(() => update(null, true), TYPING_PAUSE_MS);
  });
  form.addEventListener("change", (event) => {
    if (event.target.name === "kind") {
      limit = PAGE_RESULTS;
      update();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    update();
  });
  const links = arrowKeys(input, list);
  more.addEventListener("click", () => {
    const from = links().length;
    limit += PAGE_RESULTS;
    update(from);
  });
  if (input.value.trim()) update();
}

const searchPage = document.querySelector("form[data-search]"), header = document.querySelector("form[data-search-live]");
const form = searchPage || header;
// Without the engine or an index folder the forms work as without JavaScript.
if (!engine || !form || !indexUrlOf(form)) return;
if (form === searchPage) setUpSearchPage(form);
else setUpLiveResults(form);
})();
