//! The knowledge graph on a built site: relations both ways, mention links,
//! the matrix, A-Z and body-region pages, and bad references.

use crate::common::SiteBuilder;

/// Three techniques, four applications (one parent), one article.
fn graph_site() -> SiteBuilder {
    SiteBuilder::new()
        .page(
            "content/techniques/mirror-therapy.md",
            "title = \"Mirror therapy\"\napplications = [\"stroke\", \"crps\"]\nbody_regions = [\"hand-and-wrist\"]",
            "\n## How it works\n\nA mirror hides the weaker hand.\n",
        )
        .page(
            "content/techniques/nmes.md",
            "title = \"Neuromuscular electrical stimulation\"\nsynonyms = [\"NMES\"]\napplications = [\"stroke\", \"acl\"]\nbody_regions = [\"knee\"]",
            "\nSmall pulses help a muscle contract.\n",
        )
        .page(
            "content/techniques/electrical-stimulation.md",
            "title = \"Electrical stimulation\"\napplications = [\"acl\"]",
            "\nCurrent through the skin.\n",
        )
        .page(
            "content/applications/neurological-disorders.md",
            "title = \"Neurological disorders\"",
            "\nConditions of the brain and nerves.\n",
        )
        .page(
            "content/applications/stroke.md",
            "title = \"Stroke\"\nsynonyms = [\"CVA\"]\nparent = \"neurological-disorders\"\nbody_regions = [\"hand-and-wrist\"]",
            "\nA stroke damages part of the brain.\n",
        )
        .page("content/applications/crps.md", "title = \"Complex regional pain syndrome\"\nsynonyms = [\"CRPS\"]", "\nPain.\n")
        .page("content/applications/acl.md", "title = \"ACL reconstruction\"\nbody_regions = [\"knee\"]", "\nSurgery.\n")
        .page(
            "content/articles/guide.md",
            "title = \"Guide\"\ndate = 2026-01-01\ntechniques = [\"nmes\"]",
            "\n## Neuromuscular electrical stimulation\n\nAfter a stroke, neuromuscular electrical stimulation can help. \
             Electrical stimulation is a wider term. Stroke again.\n",
        )
}

#[test]
fn technique_pages_link_to_applications_and_back() {
    let site = graph_site();
    site.build().assert_success();
    let pairs = [
        ("mirror-therapy", "stroke"),
        ("mirror-therapy", "crps"),
        ("nmes", "stroke"),
        ("nmes", "acl"),
        ("electrical-stimulation", "acl"),
    ];
    for (technique, application) in pairs {
        let technique_html = site.read(&format!("public/techniques/{technique}/index.html"));
        assert!(
            technique_html.contains(&format!("href=\"/applications/{application}/\"")),
            "{technique} links to {application}"
        );
        let application_html = site.read(&format!("public/applications/{application}/index.html"));
        assert!(
            application_html.contains(&format!("href=\"/techniques/{technique}/\"")),
            "{application} links back to {technique}"
        );
    }
    let parent = site.read("public/applications/neurological-disorders/index.html");
    assert!(
        parent.contains("href=\"/applications/stroke/\""),
        "parent lists its child"
    );
    let stroke = site.read("public/applications/stroke/index.html");
    assert!(
        stroke.contains("Mentioned in"),
        "stroke lists the article mentioning it"
    );
    assert!(stroke.contains("href=\"/articles/guide/\""));
    // The breadcrumb follows the application hierarchy.
    let crumbs = crate::common::between(&stroke, "aria-label=\"Breadcrumb\"", "</nav>");
    assert!(
        crumbs.contains("href=\"/applications/neurological-disorders/\""),
        "{crumbs}"
    );
    // Related articles are listed on the technique the article names.
    assert!(
        site.read("public/techniques/nmes/index.html")
            .contains("href=\"/articles/guide/\"")
    );
}

#[test]
fn mentions_link_once_longest_first_and_never_in_headings() {
    let site = graph_site();
    site.build().assert_success();
    let html = site.read("public/articles/guide/index.html");
    let body = crate::common::between(&html, "<div class=\"prose\">", "</div>");
    assert!(body.contains("<h2 id=\"neuromuscular-electrical-stimulation\">Neuromuscular electrical stimulation</h2>"));
    assert!(
        body.contains("<a href=\"/techniques/nmes/\">neuromuscular electrical stimulation</a>"),
        "{body}"
    );
    assert!(
        body.contains("<a href=\"/techniques/electrical-stimulation/\">Electrical stimulation</a>"),
        "{body}"
    );
    assert_eq!(
        body.matches("href=\"/applications/stroke/\"").count(),
        1,
        "first mention only: {body}"
    );
}

#[test]
fn auto_link_can_be_turned_off() {
    let site = graph_site().file(
        "site.toml",
        format!("{}[links]\nauto_link = false\n", crate::common::MINIMAL_SITE_TOML),
    );
    site.build().assert_success();
    let html = site.read("public/articles/guide/index.html");
    let body = crate::common::between(&html, "<div class=\"prose\">", "</div>");
    assert!(!body.contains("<a href"), "{body}");
}

#[test]
fn matrix_and_a_z_hold_every_pair_and_synonym() {
    let site = graph_site();
    site.build().assert_success();
    let matrix = site.read("public/matrix/index.html");
    for (technique, application) in [
        ("Mirror therapy", "Stroke"),
        ("Mirror therapy", "Complex regional pain syndrome"),
        ("Neuromuscular electrical stimulation", "Stroke"),
        ("Neuromuscular electrical stimulation", "ACL reconstruction"),
        ("Electrical stimulation", "ACL reconstruction"),
    ] {
        assert!(
            matrix.contains(&format!("aria-label=\"{technique} for {application}\"")),
            "{technique} x {application}"
        );
    }
    assert_eq!(matrix.matches("class=\"matrix-yes\"").count(), 5);
    let a_z = site.read("public/a-z/index.html");
    assert!(
        a_z.contains("CVA, <em>see</em> <a href=\"/applications/stroke/\">Stroke</a>"),
        "{a_z}"
    );
    assert!(a_z.contains("NMES, <em>see</em> <a href=\"/techniques/nmes/\">Neuromuscular electrical stimulation</a>"));
    assert!(a_z.contains("id=\"letter-m\""));
    let knee = site.read("public/body-regions/knee/index.html");
    assert!(knee.contains("href=\"/techniques/nmes/\"") && knee.contains("href=\"/applications/acl/\""));
    assert!(
        site.read("public/body-regions/index.html")
            .contains("href=\"/body-regions/hand-and-wrist/\"")
    );
}

#[test]
fn parent_cycle_fails_the_build_at_the_parent_value() {
    let run = SiteBuilder::new()
        .page("content/applications/a.md", "title = \"A\"\nparent = \"b\"", "")
        .page("content/applications/b.md", "title = \"B\"\nparent = \"a\"", "")
        .build();
    run.assert_error("content/applications/a.md:3:10", "parent cycle: a -> b -> a");
}

#[test]
fn unconnected_pages_are_warnings_in_check() {
    let site = SiteBuilder::new()
        .page("content/techniques/t.md", "title = \"T\"", "")
        .page("content/applications/a.md", "title = \"A\"", "");
    let run = site.check();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(
        all.contains("content/techniques/t.md:1:1: warning: technique names no clinical application"),
        "{all}"
    );
    assert!(all.contains("content/applications/a.md:1:1: warning: no technique names this clinical application"));
    assert_eq!(site.check_with(&["--strict"]).code, 1);
}

#[test]
fn section_intro_links_are_resolved() {
    let site = graph_site().file(
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nStart with [[mirror-therapy]].\n",
    );
    site.build().assert_success();
    assert!(
        site.read("public/index.html")
            .contains("<a href=\"/techniques/mirror-therapy/\">Mirror therapy</a>")
    );
}
