//! Whole-site builds of `tests/fixtures/clinic/` (every kind of page) and
//! small variations of it, asserting on the files `praxis build` writes.

use crate::common::{SiteBuilder, between, json_ld, run_praxis};

/// The clinic fixture, built once with the default options.
fn built_clinic() -> SiteBuilder {
    let site = SiteBuilder::fixture("clinic");
    site.build().assert_success();
    site
}

#[test]
fn every_kind_gets_a_pretty_url() {
    let site = built_clinic();
    for page in [
        "articles/older-article",
        "articles/newer-article",
        "techniques/mirror-therapy",
        "techniques/balance-training",
        "applications/stroke",
        "applications/neurological-disorders",
        "faq/general",
        "about/about",
    ] {
        assert!(site.exists(&format!("public/{page}/index.html")), "{page}");
    }
    for list in [
        "index.html",
        "articles/index.html",
        "techniques/index.html",
        "applications/index.html",
        "faq/index.html",
    ] {
        assert!(site.exists(&format!("public/{list}")), "{list}");
    }
    assert!(
        site.read("public/techniques/mirror-therapy/index.html")
            .contains("Mirror therapy")
    );
}

#[test]
fn section_paginates_newest_first() {
    let site = built_clinic();
    let first = site.read("public/articles/index.html");
    let second = site.read("public/articles/page/2/index.html");
    assert!(
        first.contains("A newer article") && !first.contains("An older article"),
        "{first}"
    );
    assert!(
        second.contains("An older article") && !second.contains("A newer article"),
        "{second}"
    );
    assert!(first.contains("href=\"/articles/page/2/\""));
    // The section is the breadcrumb's last item, once, not also a link to itself.
    let crumbs = between(&first, "<nav class=\"breadcrumb\"", "</nav>");
    assert_eq!(crumbs.matches("Articles").count(), 1, "{crumbs}");
    assert!(
        crumbs.contains("<span aria-current=\"page\">Articles</span>"),
        "{crumbs}"
    );
    assert!(
        !site.exists("public/articles/page/3/index.html"),
        "the draft must not make a third page"
    );
}

#[test]
fn taxonomy_terms_get_pages() {
    let site = built_clinic();
    let category = site.read("public/categories/recovery-tips/index.html");
    assert!(category.contains("An older article") && category.contains("A newer article"));
    let tag = site.read("public/tags/stroke-rehab/index.html");
    assert!(tag.contains("An older article") && !tag.contains("A newer article"));
    assert!(site.exists("public/tags/balance/index.html"));
    assert!(
        site.read("public/categories/index.html")
            .contains("/categories/recovery-tips/")
    );
}

#[test]
fn sitemap_lists_page_urls() {
    let sitemap = built_clinic().read("public/sitemap.xml");
    assert!(sitemap.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    for url in [
        "https://example.org/techniques/mirror-therapy/",
        "https://example.org/applications/stroke/",
        "https://example.org/about/about/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{url}</loc>")),
            "{url} missing:\n{sitemap}"
        );
    }
    assert!(sitemap.contains("<lastmod>2025-01-10</lastmod>"));
    assert!(!sitemap.contains("draft-article"));
}

#[test]
fn atom_feed_has_articles_newest_first() {
    let feed = built_clinic().read("public/atom.xml");
    assert!(feed.starts_with("<?xml"), "{feed}");
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert_eq!(feed.matches("<entry>").count(), 2, "two published articles:\n{feed}");
    assert_eq!(feed.matches("<entry>").count(), feed.matches("</entry>").count());
    let newer = feed.find("<title>A newer article</title>").expect("newer entry");
    let older = feed.find("<title>An older article</title>").expect("older entry");
    assert!(newer < older, "newest first");
    assert!(feed.contains("<id>https://example.org/articles/older-article/</id>"));
    assert!(
        !feed.contains("Mirror therapy</title>"),
        "only articles are in the feed"
    );
}

#[test]
fn robots_points_at_the_sitemap() {
    let robots = built_clinic().read("public/robots.txt");
    assert!(robots.contains("Sitemap: https://example.org/sitemap.xml"), "{robots}");
}

#[test]
fn alias_redirects_to_the_page() {
    let redirect = built_clinic().read("public/old/older-article/index.html");
    assert!(redirect.contains("http-equiv=\"refresh\""), "{redirect}");
    assert!(
        redirect.contains("url=https://example.org/articles/older-article/"),
        "{redirect}"
    );
}

#[test]
fn an_escaped_alias_is_written_to_the_folder_it_names() {
    let site = SiteBuilder::new()
        .file("site.toml", crate::common::MINIMAL_SITE_TOML)
        .page(
            "content/articles/a.md",
            "title = \"A\"\naliases = [\"/caf%C3%A9/menu\"]",
            "Text.",
        );
    site.build().assert_success();
    assert!(
        site.read("public/café/menu/index.html")
            .contains("http-equiv=\"refresh\"")
    );
    assert!(!site.exists("public/caf%C3%A9"));
}

#[test]
fn not_found_page_exists() {
    assert!(built_clinic().read("public/404.html").contains("<html"));
}

#[test]
fn article_json_ld_parses() {
    let site = built_clinic();
    let data = json_ld(&site.read("public/articles/older-article/index.html"));
    assert_eq!(data["@context"], "https://schema.org");
    let graph = data["@graph"].as_array().expect("@graph");
    let article = graph
        .iter()
        .find(|node| node["@type"] == "Article")
        .expect("an Article node");
    assert_eq!(article["headline"], "An older article");
    assert_eq!(article["datePublished"], "2025-01-10");
    assert_eq!(article["author"][0]["name"], "Dr. Ada Lovelace");
    assert!(graph.iter().any(|node| node["@type"] == "BreadcrumbList"));
    // Every content page carries valid JSON-LD.
    json_ld(&site.read("public/techniques/mirror-therapy/index.html"));
    json_ld(&site.read("public/about/about/index.html"));
}

#[test]
fn faq_entries_get_anchors_and_faq_page_data() {
    let html = built_clinic().read("public/faq/general/index.html");
    assert!(html.contains("id=\"faq-what-should-i-wear\""), "{html}");
    assert!(html.contains("id=\"faq-does-mirror-therapy-hurt\""));
    // A wiki link inside an answer is resolved too.
    assert!(html.contains("Read about <a href=\"/techniques/mirror-therapy/\">Mirror therapy</a> first."));
    let data = json_ld(&html);
    let faq = data["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|node| node["@type"] == "FAQPage")
        .expect("FAQPage node");
    let questions = faq["mainEntity"].as_array().expect("mainEntity");
    assert_eq!(questions.len(), 2);
    assert_eq!(questions[0]["name"], "What should I wear?");
    assert_eq!(
        questions[0]["url"],
        "https://example.org/faq/general/#faq-what-should-i-wear"
    );
    assert_eq!(questions[0]["acceptedAnswer"]["text"], "Loose, comfortable clothes.");
}

#[test]
fn faq_json_ld_answer_text_shows_the_link_title() {
    let data = json_ld(&built_clinic().read("public/faq/general/index.html"));
    let faq = data["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|node| node["@type"] == "FAQPage")
        .expect("FAQPage node");
    assert_eq!(
        faq["mainEntity"][1]["acceptedAnswer"]["text"],
        "No. Read about Mirror therapy first."
    );
}

#[test]
fn headings_get_slug_ids_counters_and_custom_ids() {
    let html = built_clinic().read("public/techniques/mirror-therapy/index.html");
    assert!(html.contains("<h2 id=\"key-principles\">Key Principles"), "{html}");
    assert!(html.contains("<h2 id=\"key-principles-1\">Key Principles"));
    assert!(html.contains("<h3 id=\"custom-id\">A chosen anchor"));
    assert!(html.contains("<h2 id=\"how-it-works\">"));
}

#[test]
fn custom_heading_id_never_duplicates_an_earlier_id() {
    let site = SiteBuilder::new().page(
        "content/about/a.md",
        "title = \"A\"",
        "\n## Intro\n\n## Other {#intro}\n",
    );
    site.build().assert_success();
    let html = site.read("public/about/a/index.html");
    assert_eq!(html.matches("id=\"intro\"").count(), 1, "{html}");
}

#[test]
fn headings_never_take_the_themes_own_ids() {
    // `## Main content` would duplicate the skip link's target; a long page
    // has the theme's `toc-heading` too. FAQ answers share the page's ids,
    // and footnotes take ids of their own (`[^1]` twice, `[^main-content]`).
    let site = SiteBuilder::new().page(
        "content/about/a.md",
        "title = \"A\"\n[[faq]]\nquestion = \"Q?\"\nanswer = \"## Intro\\n\\nText.[^1]\\n\\n[^1]: An answer's note.\"",
        "\n## Main content\n\n## Intro\n\n## Contents {#toc-heading}\n\n## B\n\n## C\n\n## D\n\nSee.[^1] And.[^main-content]\n\n[^1]: A note.\n\n[^main-content]: Named like the theme's id.\n",
    );
    let run = site.build();
    run.assert_success();
    assert!(
        run.stderr
            .contains("heading id `#toc-heading` is the theme's own; this heading gets `#toc-heading-1`"),
        "{}",
        run.stderr
    );
    let html = site.read("public/about/a/index.html");
    assert!(html.contains("<h2 id=\"main-content-1\">Main content"), "{html}");
    for id in [
        "main-content",
        "toc-heading",
        "intro",
        "fn-1",
        "fn-1-1",
        "fn-main-content",
    ] {
        assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1, "{id} in {html}");
    }
    // Footnote links lead to their own notes.
    assert!(html.contains("href=\"#fn-main-content\""), "{html}");
    assert!(html.contains("href=\"#fn-1-1\""), "{html}");
}

#[test]
fn long_page_has_a_table_of_contents() {
    let site = built_clinic();
    let html = site.read("public/techniques/mirror-therapy/index.html");
    let toc = between(&html, "class=\"toc\"", "</nav>");
    for id in ["key-principles", "key-principles-1", "custom-id", "how-it-works"] {
        assert!(
            toc.contains(&format!("href=\"#{id}\"")),
            "{id} missing from toc:\n{toc}"
        );
    }
    assert!(
        !site
            .read("public/techniques/balance-training/index.html")
            .contains("class=\"toc\"")
    );
}

#[test]
fn fenced_code_is_highlighted() {
    let html = built_clinic().read("public/techniques/mirror-therapy/index.html");
    // Other attributes (tabindex for keyboard scrolling) may follow.
    let code = between(&html, "<pre class=\"code\" data-lang=\"toml\"", "</pre>");
    assert!(code.contains("<span class="), "{code}");
    assert!(code.contains("session") && code.contains("minutes"));
}

#[test]
fn cross_links_resolve_with_titles_as_default_text() {
    let html = built_clinic().read("public/about/about/index.html");
    for link in [
        "<a href=\"/techniques/mirror-therapy/\">Mirror therapy</a>",
        "<a href=\"/techniques/mirror-therapy/\">the mirror method</a>",
        "<a href=\"/applications/stroke/\">Stroke</a>",
        "<a href=\"/techniques/mirror-therapy/#key-principles\">Mirror therapy</a>",
        "<a href=\"/techniques/mirror-therapy/\">more about it</a>",
        "<a href=\"/techniques/mirror-therapy/#custom-id\">custom part</a>",
    ] {
        assert!(html.contains(link), "{link} missing:\n{html}");
    }
    assert!(!html.contains("[["), "no wiki syntax left");
    assert!(!html.contains("href=\"@/"), "no content paths left");
}

#[test]
fn declared_relations_are_rendered() {
    let site = built_clinic();
    let technique = site.read("public/techniques/mirror-therapy/index.html");
    assert!(
        technique.contains("href=\"/applications/stroke/\""),
        "technique lists its applications"
    );
    let application = site.read("public/applications/stroke/index.html");
    assert!(
        application.contains("href=\"/applications/neurological-disorders/\""),
        "application links its parent"
    );
    let article = site.read("public/articles/older-article/index.html");
    assert!(
        article.contains("href=\"/techniques/mirror-therapy/\"") && article.contains("href=\"/applications/stroke/\"")
    );
}

#[test]
fn relations_are_rendered_both_ways() {
    let site = built_clinic();
    let application = site.read("public/applications/stroke/index.html");
    assert!(
        application.contains("href=\"/techniques/mirror-therapy/\""),
        "application lists techniques naming it"
    );
    assert!(
        application.contains("href=\"/articles/older-article/\""),
        "application lists articles relating to it"
    );
    let parent = site.read("public/applications/neurological-disorders/index.html");
    assert!(
        parent.contains("href=\"/applications/stroke/\""),
        "parent lists its children"
    );
    let technique = site.read("public/techniques/mirror-therapy/index.html");
    assert!(
        technique.contains("href=\"/articles/older-article/\""),
        "technique lists articles relating to it"
    );
}

#[test]
fn drafts_are_built_only_with_the_flag() {
    let site = built_clinic();
    assert!(!site.exists("public/articles/draft-article/index.html"));
    assert!(!site.read("public/atom.xml").contains("An unfinished article"));
    site.build_with(&["--drafts"]).assert_success();
    assert!(
        site.read("public/articles/draft-article/index.html")
            .contains("An unfinished article")
    );
    assert!(site.exists("public/articles/page/3/index.html"));
}

#[test]
fn output_flag_picks_the_folder() {
    let site = SiteBuilder::fixture("clinic");
    let out = site.path("elsewhere/site");
    site.build_with(&["--output", out.to_str().unwrap()]).assert_success();
    assert!(site.exists("elsewhere/site/techniques/mirror-therapy/index.html"));
    assert!(!site.exists("public"), "the default folder is not written");
}

#[test]
fn base_url_flag_wins_over_site_toml() {
    let site = SiteBuilder::fixture("clinic");
    site.build_with(&["--base-url", "https://staging.example.net/"])
        .assert_success();
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://staging.example.net/techniques/mirror-therapy/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("https://example.org"));
    assert!(
        site.read("public/robots.txt")
            .contains("Sitemap: https://staging.example.net/sitemap.xml")
    );
}

#[test]
fn site_template_overrides_the_theme() {
    // The theme's own page.html with a marker, so the blocks kind templates
    // fill stay defined.
    let theme_page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/templates/page.html"
    ))
    .unwrap();
    assert!(theme_page.contains("{% block content %}"));
    let overridden = theme_page.replacen(
        "{% block content %}",
        "{% block content %}<p id=\"site-override\">from the site</p>",
        1,
    );
    let site = SiteBuilder::fixture("clinic").file("templates/page.html", overridden);
    site.build().assert_success();
    assert!(
        site.read("public/about/about/index.html")
            .contains("<p id=\"site-override\">from the site</p>")
    );
    assert!(
        site.read("public/techniques/mirror-therapy/index.html")
            .contains("site-override"),
        "kind templates extend it"
    );
}

#[test]
fn site_static_files_are_copied() {
    let site = built_clinic();
    assert_eq!(site.read("public/images/logo.txt"), "fixture image\n");
    assert!(site.exists("public/style.css"), "the theme's static files too");
}

#[test]
fn bom_and_crlf_files_are_accepted() {
    let site = SiteBuilder::new().file(
        "content/about/windows.md",
        "\u{feff}+++\r\ntitle = \"Saved on Windows\"\r\nunknown_key_on_line_3 = 1\r\n+++\r\n\r\n## Line Endings\r\n\r\nText.\r\n",
    );
    // The position is counted the same way as for LF files.
    site.build()
        .assert_error("content/about/windows.md:3:1", "unknown key `unknown_key_on_line_3`");
    site.write(
        "content/about/windows.md",
        "\u{feff}+++\r\ntitle = \"Saved on Windows\"\r\n+++\r\n\r\n## Line Endings\r\n\r\nText.\r\n",
    );
    site.build().assert_success();
    let html = site.read("public/about/windows/index.html");
    assert!(html.contains("<title>Saved on Windows"), "{html}");
    assert!(html.contains("<h2 id=\"line-endings\">Line Endings"));
    assert!(!html.contains('\u{feff}') && !html.contains('\r'));
}

#[test]
fn hidden_and_editor_files_are_skipped() {
    let site = SiteBuilder::fixture("clinic")
        .file("content/techniques/.draft-notes.md", "not front matter at all")
        .file(
            "content/techniques/mirror-therapy.md~",
            "editor backup without front matter",
        )
        .file("content/.hidden/page.md", "")
        .file("static/.DS_Store", "junk");
    site.build().assert_success();
    let files = site.files_under("public");
    assert!(
        files
            .keys()
            .all(|path| !path.contains("draft-notes") && !path.contains(".hidden") && !path.contains(".DS_Store")),
        "{:?}",
        files.keys()
    );
    assert!(!site.exists("public/techniques/mirror-therapy.md~"));
}

#[test]
fn init_creates_a_site_that_builds_and_checks() {
    let parent = tempfile::tempdir().unwrap();
    let spaced = run_praxis(&["init", "my site"], parent.path());
    spaced.assert_success();
    assert!(
        spaced.stdout.contains("Next: praxis build --root 'my site'"),
        "a path a shell would split is quoted: {}",
        spaced.stdout
    );
    run_praxis(&["init", "new-site"], parent.path()).assert_success();
    let root = parent.path().join("new-site");
    assert!(root.join("site.toml").is_file());
    let root_arg = root.to_str().unwrap();
    run_praxis(&["build", "--root", root_arg], parent.path()).assert_success();
    assert!(root.join("public/index.html").is_file());
    let check = run_praxis(&["check", "--root", root_arg], parent.path());
    check.assert_success();
    assert!(
        !check.stdout.contains("warning"),
        "a fresh site has no warnings:\n{}",
        check.stdout
    );
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let site = SiteBuilder::new();
    let run = run_praxis(&["init", site.root().to_str().unwrap()], site.root());
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("not empty"), "{}", run.stderr);
    assert_eq!(
        site.read("site.toml"),
        crate::common::MINIMAL_SITE_TOML,
        "nothing overwritten"
    );
    assert!(!site.exists("content"));
}
