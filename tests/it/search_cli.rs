//! `praxis search` on a small site: the JSON contract of docs/commands.md,
//! synonyms, typos, prefixes, kinds, limits, and the index refresh.

use crate::common::SiteBuilder;
use serde_json::Value;

fn search_site() -> SiteBuilder {
    SiteBuilder::new()
        .page(
            "content/techniques/nmes.md",
            "title = \"Neuromuscular electrical stimulation\"\nsynonyms = [\"NMES\", \"e-stim\"]\napplications = [\"stroke\"]",
            "\nSmall electrical pulses help a weak muscle contract.\n",
        )
        .page(
            "content/applications/stroke.md",
            "title = \"Stroke\"",
            "\nA stroke happens when blood flow to part of the brain stops.\n",
        )
        .page(
            "content/applications/knee.md",
            "title = \"Total knee replacement\"",
            "\nAfter surgery you walk again with help.\n",
        )
        .page(
            "content/faq/general.md",
            "title = \"Questions\"\n\n[[faq]]\nquestion = \"What should I wear?\"\nanswer = \"Loose, comfortable clothes.\"",
            "\nCommon questions.\n",
        )
}

fn search(site: &SiteBuilder, args: &[&str]) -> Value {
    let mut all = vec!["search", "--root", site.root().to_str().unwrap(), "--format", "json"];
    all.extend_from_slice(args);
    let run = site.run(&all);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|err| panic!("{err}: {}", run.stdout))
}

fn urls(results: &Value) -> Vec<&str> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["url"].as_str().unwrap())
        .collect()
}

#[test]
fn json_has_the_spec_shape_and_builds_the_index_when_missing() {
    let site = search_site();
    let results = search(&site, &["stroke"]);
    assert_eq!(results["query"], "stroke");
    assert_eq!(results["total"], 1);
    let hit = &results["hits"][0];
    assert_eq!(hit["url"], "/applications/stroke/");
    assert_eq!(hit["kind"], "application");
    assert_eq!(hit["title"], "Stroke");
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    assert!(hit["snippet"].as_str().unwrap().contains("<mark>stroke</mark>"));
    assert!(site.exists(".praxis/index/meta.json"), "the index lives in .praxis/");
    assert!(!site.exists("public"), "search builds the index, not the site");
}

#[test]
fn abbreviations_typos_and_prefixes_find_the_page() {
    let site = search_site();
    site.build().assert_success();
    assert_eq!(urls(&search(&site, &["CVA"]))[0], "/applications/stroke/");
    assert_eq!(urls(&search(&site, &["TKA"]))[0], "/applications/knee/");
    assert_eq!(urls(&search(&site, &["NMES"]))[0], "/techniques/nmes/");
    assert_eq!(urls(&search(&site, &["neuromuscluar"]))[0], "/techniques/nmes/");
    assert_eq!(urls(&search(&site, &["stimul"]))[0], "/techniques/nmes/");
    assert_eq!(urls(&search(&site, &["kne"]))[0], "/applications/knee/");
}

#[test]
fn faq_entries_are_hits_with_their_anchor() {
    let site = search_site();
    let results = search(&site, &["what to wear", "--kind", "faq"]);
    assert_eq!(urls(&results), ["/faq/general/#faq-what-should-i-wear"]);
    assert_eq!(results["hits"][0]["kind"], "faq");
}

#[test]
fn any_text_is_a_valid_query() {
    let site = search_site();
    let empty = search(&site, &[""]);
    assert_eq!(
        (empty["total"].as_u64(), empty["hits"].as_array().unwrap().len()),
        (Some(0), 0)
    );
    let syntax = search(&site, &["\"stroke AND (brain OR:*"]);
    assert_eq!(urls(&syntax)[0], "/applications/stroke/");
    let long = "stroke ".repeat(5000);
    assert_eq!(urls(&search(&site, &[long.as_str()]))[0], "/applications/stroke/");
    // A query starting with `-` is a query, not an unknown option.
    assert_eq!(urls(&search(&site, &["-stroke"]))[0], "/applications/stroke/");
}

#[test]
fn limit_and_kind_are_checked() {
    let site = search_site();
    assert_eq!(
        search(&site, &["stroke", "--limit", "1"])["hits"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(
        urls(&search(&site, &["stroke", "--kind", "technique"]))
            .iter()
            .all(|u| u.starts_with("/techniques/"))
    );
    let root = site.root().to_str().unwrap().to_string();
    assert_eq!(site.run(&["search", "x", "--root", &root, "--kind", "nope"]).code, 2);
    assert_eq!(site.run(&["search", "x", "--root", &root, "--limit", "0"]).code, 2);
}

#[test]
fn stale_index_is_refreshed_after_an_edit() {
    let site = search_site();
    site.build().assert_success();
    assert!(urls(&search(&site, &["hydrotherapy"])).is_empty());
    site.write(
        "content/techniques/pool.md",
        "+++\ntitle = \"Aquatic therapy\"\napplications = [\"knee\"]\n+++\nHydrotherapy in a warm pool.\n",
    );
    assert_eq!(urls(&search(&site, &["hydrotherapy"])), ["/techniques/pool/"]);
}

#[test]
fn the_build_exports_a_static_index_and_search_page() {
    let site = search_site();
    site.build().assert_success();
    let manifest = site.read("public/search-index/manifest.js");
    assert!(
        manifest.starts_with("PraxisSearch.receive(\"manifest.js\",{"),
        "{manifest}"
    );
    assert!(site.exists("public/search-index/terms/0.js"));
    assert!(site.exists("public/search-index/docs/0.js"));
    assert!(site.exists("public/search-index/vocab/s.js"));
    // One search box on the search page: its own, not also the header's.
    let search_page = site.read("public/search/index.html");
    assert_eq!(search_page.matches("role=\"search\"").count(), 1, "{search_page}");
    assert!(search_page.contains("id=\"search-page-q\""));
    let home = site.read("public/index.html");
    assert!(
        home.contains("id=\"site-search-q\""),
        "other pages keep the header's box"
    );
}

#[test]
fn word_forms_the_content_never_uses_find_their_stem() {
    let site = search_site();
    // The content says "walk" and "contract", never "walks" or "contracting".
    assert_eq!(urls(&search(&site, &["walks"])), ["/applications/knee/"]);
    assert_eq!(urls(&search(&site, &["contracting muscle"]))[0], "/techniques/nmes/");
}

#[test]
fn words_split_by_inline_markup_are_found_whole() {
    let site = search_site();
    site.write(
        "content/techniques/pool.md",
        "+++\ntitle = \"Aquatic therapy\"\napplications = [\"knee\"]\n+++\n**Hydro**therapy and re<em>hab</em>ilitation in a warm pool.\n",
    );
    assert_eq!(urls(&search(&site, &["hydrotherapy"])), ["/techniques/pool/"]);
    assert_eq!(urls(&search(&site, &["rehabilitation pool"]))[0], "/techniques/pool/");
}

#[test]
fn an_index_built_with_drafts_never_answers_search() {
    let site = search_site();
    site.write(
        "content/articles/secret.md",
        "+++\ntitle = \"Unpublished plans\"\ndraft = true\n+++\nHydrotherapy pool opening soon.\n",
    );
    site.build_with(&["--drafts"]).assert_success();
    assert!(site.read("public/articles/secret/index.html").contains("Hydrotherapy"));
    assert!(urls(&search(&site, &["hydrotherapy"])).is_empty());
}

#[test]
fn searches_and_a_build_at_once_all_succeed() {
    // A review ran four searches at once after an edit (three failed on
    // tantivy's writer lock), and a build beside a search (both failed on
    // a half-written index).
    let site = search_site();
    site.build().assert_success();
    site.write(
        "content/techniques/pool.md",
        "+++\ntitle = \"Aquatic therapy\"\napplications = [\"knee\"]\n+++\nHydrotherapy in a warm pool.\n",
    );
    let root = site.root().to_str().unwrap().to_string();
    let runs: Vec<crate::common::Run> = std::thread::scope(|scope| {
        let mut started = Vec::new();
        for _ in 0..4 {
            started.push(scope.spawn(|| site.run(&["search", "hydrotherapy", "--root", &root, "--format", "json"])));
        }
        started.push(scope.spawn(|| site.build()));
        started.into_iter().map(|run| run.join().unwrap()).collect()
    });
    for run in &runs {
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    }
    for run in &runs[..4] {
        assert!(run.stdout.contains("/techniques/pool/"), "{}", run.stdout);
    }
}

#[test]
fn a_rare_word_far_down_a_page_shows_in_its_snippet() {
    let site = search_site();
    let opening = "Walking after surgery takes time and patience. ".repeat(12);
    site.write(
        "content/articles/gait.md",
        format!(
            "+++\ntitle = \"Walking again\"\n+++\n{opening}\n\nA metronome beat can help you keep a steady pace.\n"
        ),
    );
    let found = search(&site, &["metronome"]);
    assert_eq!(urls(&found), ["/articles/gait/"]);
    let snippet = found["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>metronome</mark>"), "{snippet}");
    // The browser's doc chunk carries the same excerpt.
    site.build().assert_success();
    let chunks = site.files_under("public/search-index/docs");
    assert!(
        chunks.values().any(
            |chunk| String::from_utf8_lossy(chunk).contains(" … A metronome beat can help you keep a steady pace.")
        ),
        "no doc chunk holds the sentence"
    );
}
