//! Branding and images through the whole pipeline: `[theme_options]`
//! colours and fonts (validated at their place in site.toml, carried by a
//! generated stylesheet, judged for contrast by `praxis check`), `[clinic]`
//! in the header and footer, legal pages, and markdown images with their
//! size, lazy loading and a build warning when alt text is missing.

use crate::common::SiteBuilder;

const SITE: &str = "title = \"Clinic\"\nbase_url = \"https://example.org\"\n";

/// The first bytes of a PNG: signature and IHDR (all an image-size reader needs).
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
    bytes.extend_from_slice(b"IHDR");
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

fn page(site: SiteBuilder, body: &str) -> SiteBuilder {
    site.page(
        "content/techniques/mirror-therapy.md",
        "title = \"Mirror therapy\"\ndescription = \"A mirror helps.\"",
        body,
    )
}

#[test]
fn raw_img_tags_get_their_size_on_pages_without_markdown_images() {
    let site = SiteBuilder::new()
        .file("static/images/knee.png", png_header(30, 20))
        .page(
            "content/techniques/mirror-therapy.md",
            "title = \"Mirror therapy\"\ndescription = \"A mirror helps.\"\n[[faq]]\nquestion = \"Q?\"\nanswer = 'Yes: <img src=\"/images/knee.png\" alt=\"In an answer\">'",
            "\nHere <img src=\"/images/knee.png\" alt=\"Raw only\">.\n",
        );
    site.build().assert_success();
    let html = site.read("public/techniques/mirror-therapy/index.html");
    for alt in ["Raw only", "In an answer"] {
        assert!(
            html.contains(&format!(
                "<img width=\"30\" height=\"20\" src=\"/images/knee.png\" alt=\"{alt}\">"
            )),
            "{alt}: {html}"
        );
    }
}

#[test]
fn markdown_images_get_their_size_lazy_loading_and_need_alt_text() {
    let site = page(
        SiteBuilder::new()
            .file("static/images/knee.png", png_header(800, 600))
            .file("content/techniques/box.png", png_header(320, 200)),
        "\nA knee.\n\n![A bent knee](/images/knee.png)\n\n![](../box.png)\n",
    );
    let run = site.build();
    run.assert_success();
    // Front matter takes lines 1-4, the body starts with blank lines, so
    // the second image stands on line 10.
    assert!(
        run.stderr
            .contains("content/techniques/mirror-therapy.md:10:1: warning: image `../box.png` has no alt text"),
        "{}",
        run.stderr
    );
    let html = site.read("public/techniques/mirror-therapy/index.html");
    assert!(
        html.contains("<img src=\"/images/knee.png\" alt=\"A bent knee\" width=\"800\" height=\"600\" loading=\"lazy\" decoding=\"async\">"),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"../box.png\" alt=\"\" width=\"320\" height=\"200\" loading=\"lazy\""),
        "{html}"
    );
    // `praxis check` reports it with its rule and fails with --strict.
    let check = site.check_with(&["--format", "json", "--strict"]);
    assert_eq!(check.code, 1);
    let report: serde_json::Value = serde_json::from_str(&check.stdout).expect("JSON report");
    let rules: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    assert_eq!(
        rules.iter().filter(|rule| **rule == "image-alt").count(),
        1,
        "{report:#}"
    );
}

#[test]
fn a_decorative_image_written_as_html_with_empty_alt_passes() {
    let site = page(SiteBuilder::new(), "\nText.\n\n<img src=\"/line.svg\" alt=\"\">\n");
    let run = site.build();
    run.assert_success();
    assert!(!run.stderr.contains("alt text"), "{}", run.stderr);
}

#[test]
fn theme_colours_and_fonts_become_a_stylesheet_file() {
    let site = page(
        SiteBuilder::new().file(
            "site.toml",
            format!("{SITE}[theme_options]\nprimary_color = \"#2E7D32\"\nheading_font = \"serif\"\n"),
        ),
        "\nText.\n",
    );
    site.build().assert_success();
    let html = site.read("public/techniques/mirror-therapy/index.html");
    assert!(
        html.contains("<link rel=\"stylesheet\" href=\"/theme-options.css\">"),
        "{html}"
    );
    let css = site.read("public/theme-options.css");
    assert!(css.contains("--primary: #2e7d32;"), "{css}");
    assert!(css.contains("--font-heading: Charter,"), "{css}");
    // Without [theme_options] there is nothing to load.
    let plain = page(SiteBuilder::new(), "\nText.\n");
    plain.build().assert_success();
    assert!(!plain.exists("public/theme-options.css"));
    assert!(
        !plain
            .read("public/techniques/mirror-therapy/index.html")
            .contains("theme-options.css")
    );
}

#[test]
fn a_colour_that_is_not_a_colour_is_an_error_at_its_value() {
    let site = page(
        SiteBuilder::new().file(
            "site.toml",
            format!("{SITE}[theme_options]\nprimary_color = \"teal\"\nfont = \"Comic Sans\"\n"),
        ),
        "\nText.\n",
    );
    let run = site.build();
    let shown = run.assert_error(
        "site.toml:4:17",
        "`teal` is not a colour the theme can use for primary_color",
    );
    assert!(shown.contains("hint: write a hex colour"), "{shown}");
    run.assert_error("site.toml:5:8", "unknown font `Comic Sans` for font");
}

#[test]
fn check_names_colour_pairs_below_the_contrast_line() {
    let site = page(
        SiteBuilder::new().file(
            "site.toml",
            format!("{SITE}[theme_options]\nprimary_color = \"#777777\"\naccent_color = \"#b4531c\"\n"),
        ),
        "\nText.\n",
    );
    let run = site.check_with(&["--format", "json"]);
    assert_eq!(run.code, 0, "warnings only: {}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON report");
    let contrast: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "contrast")
        .collect();
    assert_eq!(contrast.len(), 2, "{report:#}");
    assert_eq!(
        (&contrast[0]["path"], &contrast[0]["line"], &contrast[0]["column"]),
        (&"site.toml".into(), &4.into(), &17.into())
    );
    assert_eq!(
        contrast[0]["message"],
        "primary_color #777777: links on the page background (#777777 on #ffffff) has contrast 4.47:1, below the 4.5:1 text needs"
    );
    assert_eq!(site.check_with(&["--strict"]).code, 1);
}

#[test]
fn the_clinic_shows_in_header_and_footer_with_its_legal_pages() {
    let toml = format!(
        "{SITE}[clinic]\nname = \"Riverside PT\"\nlogo = \"/logo.png\"\nphone = \"+1 (555) 014-2\"\naddress = \"48 Mill Race Road\"\ncity = \"Springfield\"\nregion = \"IL\"\npostal_code = \"62704\"\nhours = [\"Mon-Fri 07:30-18:30\"]\nbooking_url = \"https://book.example.com/riverside\"\nlegal_pages = [\"about/privacy.md\"]\n"
    );
    let site = page(
        SiteBuilder::new()
            .file("site.toml", toml)
            .file("static/logo.png", png_header(120, 40)),
        "\nText.\n",
    )
    .page(
        "content/about/privacy.md",
        "title = \"Privacy policy\"",
        "\nNo cookies.\n",
    );
    site.build().assert_success();
    let html = site.read("public/techniques/mirror-therapy/index.html");
    for expected in [
        "<img class=\"brand-logo\" src=\"/logo.png\" alt=\"\" width=\"120\" height=\"40\">",
        "<span class=\"brand-name\">Riverside PT</span>",
        "<a class=\"header-phone\" href=\"tel:+15550142\">",
        "<a class=\"button booking\" href=\"https://book.example.com/riverside\">Book an appointment</a>",
        "<p>48 Mill Race Road<br>Springfield, IL 62704</p>",
        "<li>Mon-Fri 07:30-18:30</li>",
        "<nav class=\"footer-legal\" aria-label=\"Legal\">",
        "<li><a href=\"/about/privacy/\">Privacy policy</a></li>",
    ] {
        assert!(html.contains(expected), "missing {expected}\n{html}");
    }
}

#[test]
fn a_legal_page_that_does_not_exist_is_an_error_and_a_missing_logo_a_warning() {
    let site = page(
        SiteBuilder::new().file(
            "site.toml",
            format!(
                "{SITE}[clinic]\nlogo = \"/logo.svg\"\nlegal_pages = [\"about/privacy.md\", \"about/privcy.md\"]\n"
            ),
        ),
        "\nText.\n",
    )
    .page(
        "content/about/privacy.md",
        "title = \"Privacy policy\"",
        "\nNo cookies.\n",
    );
    let run = site.build();
    let shown = run.assert_error(
        "site.toml:5:36",
        "legal page `about/privcy.md` is not a page of the site",
    );
    assert!(shown.contains("did you mean \"about/privacy.md\"?"), "{shown}");
    assert!(
        run.stderr
            .contains("site.toml:4:8: warning: the clinic logo `/logo.svg` is not an image among the site's files"),
        "{}",
        run.stderr
    );
}

#[test]
fn opening_hours_that_are_not_days_and_times_are_a_check_warning() {
    let site = page(
        SiteBuilder::new().file(
            "site.toml",
            format!("{SITE}[clinic]\nhours = [\"Mon-Fri 8-17\", \"Closed on public holidays\"]\n"),
        ),
        "\nText.\n",
    );
    let run = site.check();
    let shown = format!("{}{}", run.stdout, run.stderr);
    assert!(
        shown.contains("site.toml:4:26: warning: opening hours `Closed on public holidays` are not days and times"),
        "{shown}"
    );
}
