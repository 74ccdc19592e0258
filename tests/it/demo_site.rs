//! The demo site (the repository's own content/) as a whole: it passes
//! `praxis check --strict`, and every JSON-LD block of every built page
//! parses and carries the schema.org types and properties the page needs.

use std::collections::{BTreeMap, HashSet};

use crate::common::{demo_copy, run_praxis_with_env};
use serde_json::Value;

/// "Today" for the review-age check: the demo's reviews are dated up to it.
const TODAY: &str = "2026-11-24";

#[test]
fn demo_content_passes_strict_check() {
    let site = demo_copy();
    let root = site.path().to_string_lossy().into_owned();
    let run = run_praxis_with_env(
        &["check", "--root", &root, "--strict", "--format", "json"],
        site.path(),
        &[("PRAXIS_TODAY", TODAY)],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON report");
    assert_eq!(report["warnings"], 0, "{report:#}");
    for row in report["readability"].as_array().expect("readability rows") {
        if let (Some(grade), Some(max)) = (row["grade"].as_f64(), row["max_grade"].as_f64()) {
            assert!(grade <= max, "{row}");
        }
    }
}

/// Every `<script type="application/ld+json">` block of an HTML page.
fn json_ld_blocks(html: &str) -> Vec<Value> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    let mut blocks = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let end = after.find("</script>").expect("a closed JSON-LD script");
        let text = &after[..end];
        blocks.push(serde_json::from_str(text).unwrap_or_else(|err| panic!("JSON-LD does not parse: {err}\n{text}")));
        rest = &after[end..];
    }
    blocks
}

fn types(node: &Value) -> Vec<&str> {
    match &node["@type"] {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn nodes_of<'a>(graph: &'a [Value], wanted: &str) -> Vec<&'a Value> {
    graph.iter().filter(|node| types(node).contains(&wanted)).collect()
}

fn one_of<'a>(graph: &'a [Value], wanted: &str, page: &str) -> &'a Value {
    let found = nodes_of(graph, wanted);
    assert_eq!(found.len(), 1, "{page}: one {wanted} node expected in {graph:#?}");
    found[0]
}

fn non_empty_string(value: &Value, what: &str) {
    assert!(
        value.as_str().is_some_and(|s| !s.trim().is_empty()),
        "{what} must be a non-empty string, got {value}"
    );
}

#[test]
fn every_json_ld_block_of_the_demo_site_is_valid_and_complete() {
    let site = demo_copy();
    let root = site.path().to_string_lossy().into_owned();
    let output = site.path().join("public");
    let out = output.to_string_lossy().into_owned();
    run_praxis_with_env(&["build", "--root", &root, "--output", &out], site.path(), &[]).assert_success();

    let mut pages: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&output).into_iter().flatten() {
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).expect("read a page");
            let rel = entry
                .path()
                .strip_prefix(&output)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            pages.insert(rel, json_ld_blocks(&html));
        }
    }
    let base = "https://example.org";
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (page, blocks) in &pages {
        if page.contains("/page/") || page == "404.html" || page.starts_with("search/") {
            continue;
        }
        let kind = page.split('/').next().unwrap_or("");
        let health =
            matches!(kind, "techniques" | "applications" | "articles" | "faq") && page.matches('/').count() == 2;
        // Taxonomy and redirect pages carry no data; content pages exactly one block.
        if blocks.is_empty() {
            assert!(!health, "{page}: a health page without JSON-LD");
            continue;
        }
        assert_eq!(blocks.len(), 1, "{page}: one JSON-LD block");
        let data = &blocks[0];
        assert_eq!(data["@context"], "https://schema.org", "{page}");
        let graph = data["@graph"].as_array().unwrap_or_else(|| panic!("{page}: @graph"));
        let ids: HashSet<&str> = graph.iter().filter_map(|n| n["@id"].as_str()).collect();
        for node in graph {
            assert!(!types(node).is_empty(), "{page}: a node without @type: {node}");
        }
        // Breadcrumbs: positions 1..n, absolute URLs on the site, names.
        for list in nodes_of(graph, "BreadcrumbList") {
            let items = list["itemListElement"].as_array().expect("itemListElement");
            assert!(!items.is_empty(), "{page}");
            for (i, item) in items.iter().enumerate() {
                assert_eq!(item["@type"], "ListItem", "{page}");
                assert_eq!(item["position"].as_u64(), Some(i as u64 + 1), "{page}");
                assert!(item["item"].as_str().unwrap().starts_with(base), "{page}");
                non_empty_string(&item["name"], "ListItem name");
            }
        }
        for faq in nodes_of(graph, "FAQPage") {
            let questions = faq["mainEntity"].as_array().expect("FAQPage mainEntity");
            assert!(!questions.is_empty(), "{page}");
            for question in questions {
                assert_eq!(question["@type"], "Question", "{page}");
                non_empty_string(&question["name"], "Question name");
                assert_eq!(question["acceptedAnswer"]["@type"], "Answer", "{page}");
                non_empty_string(&question["acceptedAnswer"]["text"], "Answer text");
            }
            *counts.entry("FAQPage").or_default() += 1;
        }

        if !health {
            continue;
        }
        let main = one_of(graph, "MedicalWebPage", page);
        for key in ["name", "description", "url", "lastReviewed"] {
            non_empty_string(&main[key], &format!("{page}: MedicalWebPage {key}"));
        }
        assert_eq!(main["reviewedBy"]["@type"], "Person", "{page}");
        non_empty_string(&main["reviewedBy"]["name"], "reviewedBy name");
        let audience = types(&main["audience"]);
        assert!(
            audience.contains(&"Patient") || audience.contains(&"MedicalAudience"),
            "{page}: audience {}",
            main["audience"]
        );
        assert_eq!(
            main["breadcrumb"]["@id"].as_str().map(|id| ids.contains(id)),
            Some(true),
            "{page}"
        );
        // `about` / `mainEntity` references point at nodes of this graph.
        for key in ["about", "mainEntity"] {
            if let Some(id) = main[key]["@id"].as_str() {
                assert!(ids.contains(id), "{page}: {key} -> {id} is not in the graph");
            }
        }
        *counts.entry(kind).or_default() += 1;
        match kind {
            "techniques" => {
                let therapy = one_of(graph, "PhysicalTherapy", page);
                assert_eq!(main["about"]["@id"], therapy["@id"], "{page}");
                non_empty_string(&therapy["name"], "therapy name");
                assert_eq!(therapy["relevantSpecialty"], "https://schema.org/Physiotherapy");
                let conditions = nodes_of(graph, "MedicalCondition");
                assert!(!conditions.is_empty(), "{page}: the conditions it serves");
                for condition in conditions {
                    assert_eq!(condition["possibleTreatment"]["@id"], therapy["@id"], "{page}");
                    let url = condition["url"].as_str().unwrap();
                    assert!(url.starts_with(&format!("{base}/applications/")), "{page}: {url}");
                }
            }
            "applications" => {
                let condition = one_of(graph, "MedicalCondition", page);
                assert_eq!(main["about"]["@id"], condition["@id"], "{page}");
                let treatments = condition["possibleTreatment"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{page}: possibleTreatment lists the techniques"));
                assert!(!treatments.is_empty(), "{page}");
                for treatment in treatments {
                    assert!(types(treatment).contains(&"PhysicalTherapy"), "{page}");
                    let url = treatment["url"].as_str().unwrap();
                    assert!(url.starts_with(&format!("{base}/techniques/")), "{page}: {url}");
                    let rel = format!("{}index.html", url.trim_start_matches(base).trim_start_matches('/'));
                    assert!(pages.contains_key(&rel), "{page}: treatment page {rel} exists");
                }
            }
            "articles" => {
                let article = one_of(graph, "Article", page);
                for key in ["headline", "datePublished", "dateModified", "description"] {
                    non_empty_string(&article[key], &format!("{page}: Article {key}"));
                }
                let authors = article["author"].as_array().expect("Article author list");
                assert!(!authors.is_empty(), "{page}");
                for author in authors {
                    non_empty_string(&author["name"], "author name");
                }
                non_empty_string(&article["publisher"]["name"], "publisher name");
                assert_eq!(article["mainEntityOfPage"]["@id"], main["@id"], "{page}");
            }
            _ => {}
        }
    }
    // The demo has every kind, so every branch above ran.
    for kind in ["techniques", "applications", "articles", "faq", "FAQPage"] {
        assert!(
            counts.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} checked: {counts:?}"
        );
    }
}

#[test]
fn the_home_page_describes_the_clinic_and_pages_point_at_it() {
    let site = demo_copy();
    let root = site.path().to_string_lossy().into_owned();
    let out = site.path().join("public").to_string_lossy().into_owned();
    run_praxis_with_env(&["build", "--root", &root, "--output", &out], site.path(), &[]).assert_success();
    let read = |rel: &str| std::fs::read_to_string(site.path().join("public").join(rel)).expect("a built page");

    let blocks = json_ld_blocks(&read("index.html"));
    assert_eq!(blocks.len(), 1, "one JSON-LD block on the home page");
    let graph = blocks[0]["@graph"].as_array().expect("@graph");
    let clinic = one_of(graph, "MedicalClinic", "/");
    assert!(types(clinic).contains(&"Physiotherapy"), "{clinic}");
    assert_eq!(clinic["@id"], "https://example.org/#clinic");
    for key in ["name", "telephone", "email", "url", "logo"] {
        non_empty_string(&clinic[key], &format!("clinic {key}"));
    }
    assert_eq!(clinic["logo"], "https://example.org/logo.svg");
    let address = &clinic["address"];
    assert_eq!(address["@type"], "PostalAddress");
    for key in [
        "streetAddress",
        "addressLocality",
        "addressRegion",
        "postalCode",
        "addressCountry",
    ] {
        non_empty_string(&address[key], &format!("address {key}"));
    }
    assert_eq!(clinic["openingHours"][0], "Mo-Fr 07:30-18:30");
    let weekdays = &clinic["openingHoursSpecification"][0];
    assert_eq!(weekdays["@type"], "OpeningHoursSpecification");
    assert_eq!(weekdays["dayOfWeek"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        (weekdays["opens"].as_str(), weekdays["closes"].as_str()),
        (Some("07:30"), Some("18:30"))
    );
    assert_eq!(clinic["potentialAction"]["@type"], "ReserveAction");
    let website = one_of(graph, "WebSite", "/");
    assert_eq!(website["publisher"]["@id"], clinic["@id"]);
    assert_eq!(website["potentialAction"]["@type"], "SearchAction");

    // Articles name the clinic as publisher by the same @id, and every
    // page's WebSite is the home page's.
    let article = json_ld_blocks(&read("articles/neuromuscular-re-education-guide/index.html"));
    let graph = article[0]["@graph"].as_array().expect("@graph");
    assert_eq!(one_of(graph, "Article", "article")["publisher"]["@id"], clinic["@id"]);
    assert_eq!(
        one_of(graph, "MedicalWebPage", "article")["isPartOf"]["@id"],
        website["@id"]
    );
}
