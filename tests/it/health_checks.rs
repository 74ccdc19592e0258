//! One fixture site per check of `praxis check` (docs/health-checks.md):
//! each asserts the message, its `path:line:col`, and the exit status
//! (0 for warnings, 1 with `--strict`). "Today" is fixed with PRAXIS_TODAY.

use crate::common::{Run, SiteBuilder};

const TODAY: &str = "2026-11-24";

/// Front matter of a described, reviewed page: title on line 2,
/// description 3, reviewed_by 4, last_reviewed 5, then `extra`.
fn reviewed(title: &str, extra: &str) -> String {
    format!(
        "title = \"{title}\"\ndescription = \"A short summary.\"\nreviewed_by = \"Dana Okafor, PT\"\nlast_reviewed = 2026-10-01{extra}"
    )
}

/// A small site with no warnings: a technique and the application it serves.
fn base_site() -> SiteBuilder {
    SiteBuilder::new()
        .page(
            "content/techniques/balance.md",
            &reviewed("Balance training", "\napplications = [\"stroke\"]"),
            "\nBalance training helps you stay steady. You practise standing and walking.\n",
        )
        .page(
            "content/applications/stroke.md",
            &reviewed("Stroke", ""),
            "\nA stroke can weaken one side of the body. Therapy helps you move again.\n",
        )
}

fn check(site: &SiteBuilder) -> Run {
    site.check_on(TODAY, &[])
}

/// The headlines of a `check` run's text output.
fn warnings(run: &Run) -> Vec<&str> {
    run.stdout.lines().filter(|line| line.contains(": warning: ")).collect()
}

/// Asserts a warning `location: warning: ...message...` with exit 0, and
/// exit 1 under `--strict`; returns the warning's printed text up to the
/// next diagnostic.
fn assert_warning(site: &SiteBuilder, location: &str, message: &str) -> String {
    let run = check(site);
    assert_eq!(run.code, 0, "warnings alone exit 0\n{}\n{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let prefix = format!("{location}: warning: ");
    let lines: Vec<&str> = run.stdout.lines().collect();
    let Some(start) = lines.iter().position(|l| l.starts_with(&prefix) && l.contains(message)) else {
        panic!("no warning `{prefix}...{message}...` in:\n{}", run.stdout);
    };
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.contains(": warning: ") || l.contains(": error: ") || l.ends_with("warnings"))
        .map_or(lines.len(), |offset| start + 1 + offset);
    let strict = site.check_on(TODAY, &["--strict"]);
    assert_eq!(strict.code, 1, "--strict fails on warnings\n{}", strict.stdout);
    lines[start..end].join("\n")
}

fn assert_no_warning(site: &SiteBuilder, message: &str) {
    let run = check(site);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let found: Vec<&str> = warnings(&run).into_iter().filter(|w| w.contains(message)).collect();
    assert!(found.is_empty(), "unexpected {found:#?}\n{}", run.stdout);
}

#[test]
fn healthy_site_checks_clean_even_with_strict() {
    let site = base_site();
    let run = site.check_on(TODAY, &["--strict"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(warnings(&run).is_empty(), "{}", run.stdout);
    assert!(
        run.stdout.contains("pages checked: no problems found"),
        "{}",
        run.stdout
    );
    // The readability table lists every page with prose.
    assert!(run.stdout.contains("content/techniques/balance.md"), "{}", run.stdout);
}

/// Hard prose, 108 words: enough to be graded (`MIN_GRADED_WORDS` is 100).
/// The hardest sentence is on line 10 of the page, the next on line 12; the
/// last paragraph (line 14) is plain enough to stay behind both.
const HARD_BODY: &str = concat!(
    "\nWe walk. We rest.\n\nNeuromuscular electrical stimulation facilitates physiological rehabilitation of denervated musculature. Sit down.\n\nPhysical therapists often use these methods to improve coordination.\n\n",
    "Your therapist will explain each exercise and watch you practise it carefully. Your therapist will explain each exercise and watch you practise it carefully. Your therapist will explain each exercise and watch you practise it carefully. Your therapist will explain each exercise and watch you practise it carefully. Your therapist will explain each exercise and watch you practise it carefully. Your therapist will explain each exercise and watch you practise it carefully. Your therapist will explain each exercise and watch you practise it carefully.\n",
);

#[test]
fn readability_above_the_patients_maximum_names_the_hardest_sentences() {
    // Body lines: 7 blank, 8 "We walk...", 10 the hardest, 12 the next.
    let site = base_site().page("content/articles/hard.md", &reviewed("Hard words", ""), HARD_BODY);
    let shown = assert_warning(
        &site,
        "content/articles/hard.md:10:1",
        "is above [readability] patients_max_grade = 8 for a page for patients; hardest sentence",
    );
    assert!(shown.contains("\"Neuromuscular electrical stimulation"), "{shown}");
    assert!(shown.contains("(Flesch-Kincaid)"), "{shown}");
    assert!(shown.contains("next hardest: 12:1"), "{shown}");
    assert!(
        check(&site)
            .stdout
            .contains("content/articles/hard.md (above the maximum)")
    );
}

#[test]
fn readability_is_not_limited_for_clinicians_or_under_a_higher_maximum() {
    let site = base_site().page(
        "content/articles/hard.md",
        &reviewed("Hard words", "\naudience = \"clinicians\""),
        HARD_BODY,
    );
    assert_no_warning(&site, "reading grade");
    let site = base_site()
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org\"\n[readability]\npatients_max_grade = 40\n",
        )
        .page("content/articles/hard.md", &reviewed("Hard words", ""), HARD_BODY);
    assert_no_warning(&site, "reading grade");
}

#[test]
fn readability_is_not_graded_on_a_page_of_one_word() {
    let site = base_site().page(
        "content/articles/short.md",
        &reviewed("Short", ""),
        "\nContraindications.\n",
    );
    assert_no_warning(&site, "reading grade");
    let run = check(&site);
    assert!(
        run.stdout.contains("content/articles/short.md (too short to grade)"),
        "{}",
        run.stdout
    );
    // A long page as hard stays flagged beside it.
    let site = site.page("content/articles/hard.md", &reviewed("Hard words", ""), HARD_BODY);
    assert_warning(&site, "content/articles/hard.md:10:1", "reading grade");
}

#[test]
fn health_page_without_review() {
    let site = base_site().page(
        "content/techniques/unreviewed.md",
        "title = \"Walking\"\ndescription = \"Walking practice.\"\napplications = [\"stroke\"]",
        "\nWalk a little every day.\n",
    );
    let shown = assert_warning(
        &site,
        "content/techniques/unreviewed.md:1:1",
        "technique page has no `reviewed_by`",
    );
    assert!(shown.contains("hint: health pages need a clinical reviewer"), "{shown}");
    assert_warning(
        &site,
        "content/techniques/unreviewed.md:1:1",
        "technique page has no `last_reviewed` date",
    );
}

#[test]
fn pages_that_are_not_health_pages_need_no_review() {
    let site = base_site().page(
        "content/about/us.md",
        "title = \"About us\"\ndescription = \"Who we are.\"",
        "\nWe are a small clinic.\n",
    );
    assert_no_warning(&site, "review");
}

#[test]
fn review_older_than_max_age_days() {
    let front = "title = \"Old\"\ndescription = \"An old page.\"\nreviewed_by = \"Dana Okafor, PT\"\nlast_reviewed = 2023-01-10";
    let site = base_site().page("content/articles/old.md", front, "\nIt is old.\n");
    let shown = assert_warning(
        &site,
        "content/articles/old.md:5:17",
        "last reviewed 1414 days ago (2023-01-10), more than [review] max_age_days = 730",
    );
    assert!(shown.contains("^^^^^^^^^^"), "the date is underlined: {shown}");
    // A longer maximum in site.toml is respected.
    let site = site
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org\"\n[review]\nmax_age_days = 2000\n",
        )
        .page("content/articles/old.md", front, "\nIt is old.\n");
    assert_no_warning(&site, "last reviewed");
}

#[test]
fn review_date_in_the_future() {
    let front =
        "title = \"Soon\"\ndescription = \"A page.\"\nreviewed_by = \"Dana Okafor, PT\"\nlast_reviewed = 2027-02-01";
    let site = base_site().page("content/articles/soon.md", front, "\nIt is new.\n");
    assert_warning(
        &site,
        "content/articles/soon.md:5:17",
        "`last_reviewed` 2027-02-01 is in the future",
    );
}

#[test]
fn missing_description() {
    let site = base_site().page("content/about/us.md", "title = \"About us\"", "\nWe help.\n");
    let shown = assert_warning(&site, "content/about/us.md:1:1", "page has no `description`");
    assert!(shown.contains("hint: add `description = \"...\"`"), "{shown}");
}

#[test]
fn images_without_alt_text() {
    let body = "\nSee the picture.\n\n![](images/a.png)\n\n<img src=\"/b.png\">\n\n<img src=\"/c.png\" alt=\"\">\n\n![A mirror box](d.png)\n";
    let site = base_site().page("content/articles/pictures.md", &reviewed("Pictures", ""), body);
    assert_warning(
        &site,
        "content/articles/pictures.md:10:1",
        "image `images/a.png` has no alt text",
    );
    assert_warning(
        &site,
        "content/articles/pictures.md:12:1",
        "image `/b.png` has no alt text",
    );
    let run = check(&site);
    assert_eq!(
        warnings(&run).iter().filter(|w| w.contains("alt text")).count(),
        2,
        "decorative alt=\"\" and described images pass:\n{}",
        run.stdout
    );
}

#[test]
fn headings_that_skip_a_level() {
    let body = "\nIntro text.\n\n### Too deep\n\nText.\n\n#### Fine here\n\nMore text.\n";
    let site = base_site().page("content/articles/outline.md", &reviewed("Outline", ""), body);
    let shown = assert_warning(
        &site,
        "content/articles/outline.md:10:1",
        "heading `Too deep` skips from h1 to h3",
    );
    assert!(shown.contains("hint: use ## for this heading"), "{shown}");
    assert_eq!(
        warnings(&check(&site)).iter().filter(|w| w.contains("skips")).count(),
        1
    );
}

#[test]
fn authoring_leftovers() {
    let body = "\nWalk daily. TODO add times.\n\n## (H2) Safety\n\nStop if it hurts.\n\nH3: Tips for you.\n\nLorem ipsum dolor sit amet.\n";
    let site = base_site().page("content/articles/draft.md", &reviewed("Walking tips", ""), body);
    assert_warning(
        &site,
        "content/articles/draft.md:8:13",
        "authoring leftover `TODO` in the text",
    );
    assert_warning(&site, "content/articles/draft.md:10:4", "authoring leftover `(H2)`");
    assert_warning(&site, "content/articles/draft.md:14:1", "authoring leftover `H3:`");
    assert_warning(
        &site,
        "content/articles/draft.md:16:1",
        "authoring leftover `Lorem ipsum`",
    );
    // In front matter too.
    let site = base_site().page(
        "content/articles/draft.md",
        &reviewed("Walking tips TODO", ""),
        "\nWalk daily.\n",
    );
    assert_warning(&site, "content/articles/draft.md:2:23", "authoring leftover `TODO`");
}

#[test]
fn empty_sections() {
    let body = "\nIntro.\n\n## Empty one\n\n## Parent\n\n### Child\n\nText here.\n\n## Last\n";
    let site = base_site().page("content/articles/sections.md", &reviewed("Sections", ""), body);
    assert_warning(
        &site,
        "content/articles/sections.md:10:1",
        "section `Empty one` is empty",
    );
    assert_warning(&site, "content/articles/sections.md:18:1", "section `Last` is empty");
    let run = check(&site);
    assert_eq!(
        warnings(&run).iter().filter(|w| w.contains("is empty")).count(),
        2,
        "a heading with sub-sections is not empty:\n{}",
        run.stdout
    );
}

#[test]
fn duplicate_titles() {
    let site = base_site()
        .page("content/articles/a.md", &reviewed("Walking", ""), "\nWalk.\n")
        .page("content/articles/b.md", &reviewed("walking ", ""), "\nWalk more.\n");
    assert_warning(
        &site,
        "content/articles/b.md:2:9",
        "title `walking ` is also the title of content/articles/a.md",
    );
}

#[test]
fn duplicate_faq_questions() {
    let faq = "\n\n[[faq]]\nquestion = \"What should I wear?\"\nanswer = \"Loose clothes.\"\n\n[[faq]]\nquestion = \"what should  I wear\"\nanswer = \"Comfy clothes.\"";
    let site = base_site().page("content/faq/visits.md", &reviewed("Visits", faq), "\nAnswers.\n");
    // Lines: 7 [[faq]], 8 the question, 11 [[faq]], 12 the repeat.
    assert_warning(
        &site,
        "content/faq/visits.md:12:12",
        "FAQ question \"what should  I wear\" is already asked earlier on this page",
    );
    // Across pages: the first page in path order keeps the question.
    let site = site.page(
        "content/faq/more.md",
        &reviewed(
            "More",
            "\n\n[[faq]]\nquestion = \"What should I wear?\"\nanswer = \"Shorts.\"",
        ),
        "\nMore answers.\n",
    );
    assert_warning(
        &site,
        "content/faq/visits.md:8:12",
        "FAQ question \"What should I wear?\" is already asked in content/faq/more.md",
    );
}

#[test]
fn near_duplicate_tags_are_reported_at_the_less_used_spelling() {
    let site = base_site()
        .page(
            "content/articles/a.md",
            &reviewed("Sport and knees", "\ntags = [\"sport\", \"knee\"]"),
            "\nText.\n",
        )
        .page(
            "content/articles/b.md",
            &reviewed("Sport and ankles", "\ntags = [\"Sport\"]"),
            "\nText.\n",
        )
        .page(
            "content/articles/c.md",
            &reviewed("Falls", "\ntags = [\"balance\", \"sports\", \"hands-on\"]"),
            "\nText.\n",
        );
    // Line 6: the first line after `reviewed`'s five.
    let shown = assert_warning(
        &site,
        "content/articles/c.md:6:20",
        "tag `sports` is a near-duplicate of tag `sport` (search reads both as `sport`): `sports` is on 1 page, `sport` on 2 pages",
    );
    assert!(
        shown.contains("hint: write `sport`, the spelling more pages use"),
        "{shown}"
    );
    let run = site.check_on(TODAY, &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rules: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    assert_eq!(rules, ["similar-tags"], "{}", run.stdout);
    // One spelling everywhere: nothing to report.
    site.write(
        "content/articles/c.md",
        format!(
            "+++\n{}\n+++\n\nText.\n",
            reviewed("Falls", "\ntags = [\"balance\", \"sport\", \"hands-on\"]")
        ),
    );
    assert_no_warning(&site, "near-duplicate");
}

#[test]
fn third_party_requests_in_content_templates_static_files_and_config() {
    let body = "\nWatch this.\n\n![A video still](https://cdn.example.com/still.png)\n\nRead [the study](https://pubmed.ncbi.nlm.nih.gov/1/).\n\n<img src=\"https://example.org/own.png\" alt=\"Our logo\">\n";
    let site = base_site()
        .page("content/articles/embed.md", &reviewed("Embeds", ""), body)
        .file(
            "templates/partials/footer.html",
            "<footer><link rel=\"stylesheet\" href=\"https://fonts.googleapis.com/css2?family=Inter\"></footer>\n",
        )
        .file(
            "static/extra.css",
            "body { color: black; }\n@import url(\"https://fonts.example.net/x.css\");\n",
        )
        .file(
            "static/track.js",
            "window.dataLayer = [];\nloadScript('https://www.googletagmanager.com/gtag/js');\n",
        )
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org\"\n\n[clinic]\nlogo = \"https://cdn.example.com/logo.svg\"\n",
        );
    // Issue 25: the privacy promise is enforced by every build, not only
    // reported by `praxis check`.
    let run = site.build();
    let shown = run.assert_diagnostic(
        "content/articles/embed.md:10:18",
        "a remote image from cdn.example.com: visitors' browsers would contact a third party (`https://cdn.example.com/still.png`)",
    );
    assert!(shown.contains("hint: copy the image into static/"), "{shown}");
    assert!(
        shown.contains("[privacy] allowed_hosts = [\"cdn.example.com\"]"),
        "the hint names the way to allow it: {shown}"
    );
    run.assert_error(
        "templates/partials/footer.html:1:38",
        "a remote stylesheet from fonts.googleapis.com",
    );
    run.assert_error(
        "static/extra.css:2:14",
        "a remote stylesheet (CSS @import) from fonts.example.net",
    );
    run.assert_error("static/track.js:2:25", "analytics or tracking code");
    run.assert_error("site.toml:5:8", "the clinic logo from cdn.example.com");
    assert!(!site.exists("public/index.html"), "nothing was written");
    // A link and the site's own host are not third-party requests.
    let third_party: Vec<&str> = Run::headlines(&run.stderr)
        .into_iter()
        .filter(|w| w.contains("third party"))
        .collect();
    assert_eq!(third_party.len(), 5, "{third_party:#?}");
    // `praxis check` says the same, as errors.
    let run = check(&site);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("static/track.js:2:25: error: "), "{}", run.stdout);

    // Hosts the site allows, knowing what it means, are not errors.
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org\"\n\n[clinic]\nlogo = \"https://cdn.example.com/logo.svg\"\n\n[privacy]\nallowed_hosts = [\"cdn.example.com\", \"fonts.googleapis.com\", \"fonts.example.net\"]\n",
    );
    site.remove("static/track.js");
    site.build().assert_success();
}

#[test]
fn json_report_has_rules_columns_and_readability() {
    let site = base_site().page("content/articles/hard.md", &reviewed("Hard words", ""), HARD_BODY);
    let run = site.check_on(TODAY, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|err| panic!("{err}\n{}", run.stdout));
    assert_eq!(
        (report["errors"].as_u64(), report["warnings"].as_u64()),
        (Some(0), Some(1))
    );
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["rule"], "readability");
    assert_eq!(diagnostic["path"], "content/articles/hard.md");
    assert_eq!(
        (diagnostic["line"].as_u64(), diagnostic["column"].as_u64()),
        (Some(10), Some(1))
    );
    assert_eq!(diagnostic["severity"], "warning");
    assert!(diagnostic["hint"].as_str().unwrap().contains("next hardest"));
    let rows = report["readability"].as_array().expect("a readability array");
    assert_eq!(rows.len(), 3);
    let hard = rows
        .iter()
        .find(|row| row["path"] == "content/articles/hard.md")
        .expect("the hard page's row");
    assert!(hard["grade"].as_f64().unwrap() > 8.0, "{hard}");
    assert_eq!(hard["max_grade"].as_f64(), Some(8.0));
    assert_eq!(hard["audience"], "patients");
    assert_eq!(hard["kind"], "article");
    for key in ["ease", "smog", "words", "sentences", "url"] {
        assert!(!hard[key].is_null(), "{key} in {hard}");
    }
    assert_eq!(site.check_on(TODAY, &["--format", "json", "--strict"]).code, 1);
}

#[test]
fn pages_without_prose_do_not_panic() {
    let site = base_site()
        .page("content/articles/empty.md", &reviewed("Empty", ""), "")
        .page(
            "content/articles/code.md",
            &reviewed("Code only", ""),
            "\n```toml\nkey = 1\n```\n",
        )
        .page("content/articles/dots.md", &reviewed("Dots", ""), "\n... — !?\n")
        .page(
            "content/articles/table.md",
            &reviewed("Table", ""),
            "\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        )
        .page(
            "content/about/bare.md",
            "title = \"Bare\"\ndescription = \"x\"",
            "\n## \n",
        );
    let run = site.check_on(TODAY, &["--format", "json"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    for path in ["empty", "code", "dots", "table"] {
        let row = report["readability"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["path"] == format!("content/articles/{path}.md"))
            .expect("a row per page");
        assert!(row["grade"].is_null(), "no prose, no grade: {row}");
    }
}

#[test]
fn check_reports_what_build_rejects_and_exits_1() {
    let site = base_site().page("content/articles/a.md", "title = \"A\"\ntechniques = [\"nope\"]", "");
    let run = check(&site);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("content/articles/a.md:3:15: error:"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_bad_praxis_today_is_a_usage_error() {
    let run = base_site().check_on("24/11/2026", &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("PRAXIS_TODAY"), "{}", run.stderr);
}
