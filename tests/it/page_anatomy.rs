//! What a health page shows in the default theme: review line, last
//! update, audience label, references with DOI and PubMed links, the medical
//! disclaimer, readability for templates, and a print stylesheet that makes
//! a handout without inline styles (a `default-src 'self'` CSP holds).

use crate::common::SiteBuilder;

const SITE_TOML: &str = "title = \"Clinic\"\nbase_url = \"https://example.org\"\ndisclaimer = \"Education only; ask your own clinician.\"\n";

fn site() -> SiteBuilder {
    SiteBuilder::new()
        .file("site.toml", SITE_TOML)
        .page(
            "content/techniques/mirror-therapy.md",
            r#"title = "Mirror therapy"
description = "A mirror helps the brain."
applications = ["stroke"]
reviewed_by = "Dana Okafor, PT, DPT"
last_reviewed = 2026-03-03
updated = 2026-04-01

[[references]]
title = "Mirror therapy for improving motor function after stroke"
doi = "doi:10.1002/14651858.CD008449.pub3"
pmid = 30560568
year = 2018

[[references]]
title = "A web page"
url = "https://example.com/page""#,
            "\nYou move your healthy hand. The mirror shows it moving.\n",
        )
        .page(
            "content/applications/stroke.md",
            "title = \"Stroke\"\ndescription = \"A stroke.\"\naudience = \"clinicians\"",
            "\nA stroke harms part of the brain.\n",
        )
        .page(
            "content/about/us.md",
            "title = \"About us\"\ndescription = \"Who we are.\"",
            "\nWe are a clinic.\n",
        )
}

#[test]
fn health_page_shows_review_update_audience_references_and_disclaimer() {
    let site = site();
    site.build().assert_success();
    let html = site.read("public/techniques/mirror-therapy/index.html");
    assert!(
        html.contains(
            "Medically reviewed by Dana Okafor, PT, DPT on <time datetime=\"2026-03-03\">3 March 2026</time>"
        ),
        "{html}"
    );
    assert!(html.contains("Last updated <time datetime=\"2026-04-01\">1 April 2026</time>"));
    assert!(html.contains("audience-patients\">For patients</span>"));
    assert!(
        html.contains(
            "<a href=\"https://doi.org/10.1002/14651858.CD008449.pub3\">doi:10.1002/14651858.CD008449.pub3</a>"
        )
    );
    assert!(html.contains("<a href=\"https://pubmed.ncbi.nlm.nih.gov/30560568/\">PubMed 30560568</a>"));
    assert!(html.contains("<a href=\"https://example.com/page\">A web page</a>"));
    // The disclaimer stands with the page, once.
    assert!(html.contains("class=\"disclaimer medical-disclaimer\""), "{html}");
    assert_eq!(html.matches("Education only; ask your own clinician.").count(), 1);
    let clinicians = site.read("public/applications/stroke/index.html");
    assert!(clinicians.contains("audience-clinicians\">For clinicians</span>"));
    // Pages that are not health pages show it in the footer.
    let about = site.read("public/about/us/index.html");
    assert!(!about.contains("medical-disclaimer"));
    assert!(about.contains("<p class=\"disclaimer\"><strong>Please note:</strong> Education only"));
}

#[test]
fn pages_have_no_inline_styles_and_the_theme_prints_handouts() {
    let site = site();
    site.build().assert_success();
    let html = site.read("public/techniques/mirror-therapy/index.html");
    assert!(!html.contains(" style=\""), "inline styles break a strict CSP");
    assert!(!html.contains("<style"), "inline styles break a strict CSP");
    let css = site.read("public/style.css");
    let print = &css[css.find("@media print").expect("a print stylesheet")..];
    for hidden in [
        ".site-nav",
        ".site-search",
        ".skip-link",
        ".footer-nav",
        ".breadcrumb",
        ".relations",
    ] {
        assert!(print.contains(hidden), "print hides {hidden}");
    }
    assert!(print.contains("a[href^=\"http\"]::after"));
    assert!(print.contains("content: \" (\" attr(href) \")\""));
}

#[test]
fn templates_get_readability() {
    let site = site().file(
        "templates/technique.html",
        "{% extends \"page.html\" %}{% block body %}grade={{ page.readability.grade }} ease={{ page.readability.ease }} smog={{ page.readability.smog }} words={{ page.readability.words }} health={{ page.health }}{% endblock body %}",
    );
    site.build().assert_success();
    let html = site.read("public/techniques/mirror-therapy/index.html");
    // "You move your healthy hand. The mirror shows it moving." 10 words,
    // 2 sentences, 13 syllables (health-y, mir-ror, mov-ing):
    // grade = 0.39 * 5 + 11.8 * 1.3 - 15.59 = 1.7; ease = 206.835 - 5.075 - 109.98 = 91.8;
    // smog = 1.0430 * sqrt(0) + 3.1291 = 3.1.
    assert!(
        html.contains("grade=1.7 ease=91.8 smog=3.1 words=10 health=true"),
        "{html}"
    );
}
