//! One test per kind of bad input: each feeds it to `praxis build` and
//! asserts exit status 1, the exact `path:line:col:` of the message and the
//! key part of its text or hint (docs/site-format.md, "What is an error"; docs/commands.md, "Diagnostics").

use crate::common::{Run, SiteBuilder};

/// A minimal site, free of warnings, with a technique and an application
/// to point at.
fn site() -> SiteBuilder {
    SiteBuilder::new()
        .page(
            "content/techniques/mirror-therapy.md",
            "title = \"Mirror therapy\"\napplications = [\"stroke\"]",
            "\n## Key Principles\n\nText.\n",
        )
        .page("content/applications/stroke.md", "title = \"Stroke\"", "\nText.\n")
}

#[test]
fn malformed_toml_is_placed_in_the_markdown_file() {
    // Line 4 of the file is line 3 of the TOML fragment.
    let run = site()
        .page(
            "content/articles/a.md",
            "title = \"A\"\ndescription = \"ok\"\nweight = = 3",
            "",
        )
        .build();
    run.assert_diagnostic("content/articles/a.md:4:10", "`=`");
}

#[test]
fn missing_title() {
    let run = site()
        .page("content/articles/a.md", "description = \"No title\"", "")
        .build();
    let shown = run.assert_diagnostic("content/articles/a.md:1:1", "missing `title`");
    assert!(shown.contains("hint: add a line such as `title = "), "{shown}");
}

#[test]
fn unknown_key_suggests_the_closest() {
    let run = site()
        .page(
            "content/techniques/a.md",
            "title = \"A\"\naplications = [\"stroke\"]",
            "",
        )
        .build();
    let shown = run.assert_diagnostic("content/techniques/a.md:3:1", "unknown key `aplications`");
    assert!(shown.contains("did you mean `applications`?"), "{shown}");
}

#[test]
fn key_of_another_kind() {
    let run = site()
        .page("content/techniques/a.md", "title = \"A\"\nparent = \"stroke\"", "")
        .build();
    let shown = run.assert_diagnostic(
        "content/techniques/a.md:3:1",
        "`parent` is not a key of technique pages",
    );
    assert!(shown.contains("application"), "{shown}");
}

#[test]
fn unknown_faq_key_suggests_the_closest() {
    let run = site()
        .page(
            "content/faq/a.md",
            "title = \"A\"\n\n[[faq]]\nquestoin = \"Why?\"\nanswer = \"Because.\"",
            "",
        )
        .build();
    let shown = run.assert_diagnostic("content/faq/a.md:5:1", "unknown key `questoin`");
    assert!(shown.contains("did you mean `question`?"), "{shown}");
}

#[test]
fn non_utf8_file_points_at_the_bad_byte() {
    let run = site()
        .file(
            "content/articles/a.md",
            b"+++\ntitle = \"Bytes\"\n+++\nFirst line.\nAb\xff\xfe cd\n",
        )
        .build();
    let shown = run.assert_diagnostic("content/articles/a.md:5:3", "not valid UTF-8");
    assert!(shown.contains("UTF-8 encoding"), "{shown}");
}

#[test]
fn unclosed_front_matter() {
    let run = site()
        .file("content/articles/a.md", "+++\ntitle = \"A\"\n\nBody text.\n")
        .build();
    run.assert_diagnostic("content/articles/a.md:1:1", "never closed");
}

#[test]
fn missing_front_matter() {
    let run = site()
        .file("content/articles/a.md", "# Just markdown\n\nNo front matter.\n")
        .build();
    let shown = run.assert_diagnostic("content/articles/a.md:1:1", "missing front matter");
    assert!(shown.contains("+++"), "{shown}");
}

#[test]
fn yaml_front_matter_from_hugo_gets_a_hint_to_toml() {
    let run = site()
        .file(
            "content/articles/a.md",
            "---
title: From Hugo
---
Text.
",
        )
        .build();
    let shown = run.assert_diagnostic("content/articles/a.md:1:1", "missing front matter");
    assert!(shown.contains("change both `---` lines to `+++`"), "{shown}");
}

#[test]
fn a_wikilink_with_only_an_anchor_names_no_page() {
    let run = site()
        .page(
            "content/articles/a.md",
            "title = \"A\"",
            "\n## Intro\n\nSee [[#intro]].\n",
        )
        .build();
    let shown = run.assert_diagnostic("content/articles/a.md:7:5", "link `[[#intro]]` names no page");
    assert!(shown.contains("[text](#anchor)"), "{shown}");
}

#[test]
fn empty_file() {
    let run = site().file("content/articles/a.md", "").build();
    run.assert_diagnostic("content/articles/a.md:1:1", "empty file");
}

#[test]
fn date_string_that_is_not_a_date() {
    let run = site()
        .page("content/articles/a.md", "title = \"A\"\ndate = \"14/12/2025\"", "")
        .build();
    let shown = run.assert_diagnostic("content/articles/a.md:3:8", "bad `date`");
    assert!(shown.contains("14/12/2025") && shown.contains("2025-12-14"), "{shown}");
}

#[test]
fn invalid_toml_date() {
    let run = site()
        .page("content/articles/a.md", "title = \"A\"\ndate = 2025-13-01", "")
        .build();
    run.assert_diagnostic("content/articles/a.md:3:8", "month");
}

/// A link that loops back (`content/loop -> .`) failed the whole build.
#[test]
fn a_symlink_loop_is_skipped_with_a_warning() {
    let site = site();
    std::os::unix::fs::symlink("..", site.path("content/techniques/loop")).unwrap();
    std::os::unix::fs::symlink(".", site.path("content/loop")).unwrap();
    let run = site.build();
    run.assert_success();
    for link in ["content/loop", "content/techniques/loop"] {
        let headline = format!("{link}:1:1: warning: symlink loop: this link points back to");
        assert!(run.stderr.contains(&headline), "{headline}\n{}", run.stderr);
    }
    assert!(
        site.read("public/techniques/mirror-therapy/index.html")
            .contains("Mirror therapy")
    );
}

#[test]
fn symlinks_to_files_outside_the_site_are_not_published() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.pdf"), "secret").unwrap();
    std::fs::create_dir(outside.path().join("private")).unwrap();
    std::fs::write(outside.path().join("private/notes.txt"), "private notes").unwrap();
    let site = site()
        .file("static/ok.txt", "fine")
        .file("handouts/knee.pdf", "knee handout");
    let link = |target: &std::path::Path, at: &str| std::os::unix::fs::symlink(target, site.path(at)).unwrap();
    link(&outside.path().join("secret.pdf"), "static/x.pdf");
    link(outside.path().join("private").as_path(), "static/private");
    link(&outside.path().join("secret.pdf"), "content/techniques/leak.png");
    // A page that is a link out: not read, so its first line is shown nowhere.
    std::fs::write(outside.path().join("passwd"), "root:x:0:0:root:/root:/bin/bash\n").unwrap();
    link(&outside.path().join("passwd"), "content/techniques/leak.md");
    // Inside the site folder, a link keeps working.
    link(&site.path("handouts/knee.pdf"), "static/knee.pdf");

    let run = site.build();
    run.assert_success();
    let real = outside.path().canonicalize().unwrap();
    for (path, target) in [
        ("static/x.pdf", "secret.pdf"),
        ("static/private/notes.txt", "private/notes.txt"),
        ("content/techniques/leak.png", "secret.pdf"),
        ("content/techniques/leak.md", "passwd"),
    ] {
        let headline = format!(
            "{path}:1:1: warning: this file is a link that points outside the site folder (to {}); it is not read or published",
            real.join(target).display()
        );
        assert!(run.stderr.contains(&headline), "{headline}\n{}", run.stderr);
    }
    assert!(
        run.stderr
            .contains("hint: copy the file into the site folder (at static/x.pdf)"),
        "{}",
        run.stderr
    );
    assert_eq!(Run::headlines(&run.stderr).len(), 4, "{}", run.stderr);
    assert!(
        !run.stderr.contains("root:x:0:0"),
        "the linked file was read:\n{}",
        run.stderr
    );
    let published = site.files_under("public");
    for left_out in [
        "x.pdf",
        "private/notes.txt",
        "techniques/leak.png",
        "techniques/leak/index.html",
    ] {
        assert!(!published.contains_key(left_out), "{left_out} was published");
    }
    assert_eq!(published["knee.pdf"], b"knee handout");
    assert_eq!(published["ok.txt"], b"fine");
    // `praxis check` says the same.
    let check = site.check();
    assert!(
        check.stdout.contains("static/x.pdf:1:1: warning: this file is a link"),
        "{}",
        check.stdout
    );
}

#[test]
fn unknown_site_toml_key_suggests_the_closest() {
    let run = site()
        .file(
            "site.toml",
            format!("{}descripton = \"x\"\n", crate::common::MINIMAL_SITE_TOML),
        )
        .build();
    let shown = run.assert_diagnostic("site.toml:3:1", "unknown key `descripton`");
    assert!(shown.contains("did you mean `description`?"), "{shown}");
}

#[test]
fn output_dir_that_resolves_into_the_sources() {
    let site = site();
    site.build().assert_success();
    let sources = site.files_under("content");
    // `public` exists now, so `public/../content` is `content/` on disk.
    site.write(
        "site.toml",
        format!(
            "{}output_dir = \"public/../content\"\n",
            crate::common::MINIMAL_SITE_TOML
        ),
    );
    let shown = site
        .build()
        .assert_diagnostic("site.toml:3:14", "cannot be the output folder");
    assert!(shown.contains("inside the site's `content/` folder"), "{shown}");
    assert!(shown.contains("such as `public`"), "{shown}");
    // `check` writes nothing, but reports the setting all the same.
    let check = site.check();
    assert_eq!(check.code, 1);
    assert!(
        check.stdout.contains("site.toml:3:14: error: output_dir"),
        "{}",
        check.stdout
    );
    assert_eq!(site.files_under("content"), sources, "the sources are untouched");
}

#[test]
fn output_dir_that_is_a_file_or_inside_static() {
    for (setting, reason) in [
        ("site.toml", "it is a file, not a folder"),
        ("static/site", "inside the site's `static/` folder"),
        ("..", "it holds the site itself"),
    ] {
        let site = site().file("static/robots-extra.txt", "x");
        site.write(
            "site.toml",
            format!("{}output_dir = \"{setting}\"\n", crate::common::MINIMAL_SITE_TOML),
        );
        let shown = site.build().assert_diagnostic("site.toml:3:14", reason);
        assert!(shown.contains(&format!("output_dir `{setting}`")), "{shown}");
        assert!(site.read("site.toml").contains("output_dir"), "site.toml is untouched");
        assert!(!site.exists("static/site"));
    }
}

#[test]
fn output_flag_into_the_sources_is_refused() {
    let site = site();
    let content = site.path("content");
    let run = site.build_with(&["--output", content.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("inside the site's `content/` folder"),
        "{}",
        run.stderr
    );
    assert!(site.exists("content/techniques/mirror-therapy.md"));
}

#[test]
fn output_folder_of_someone_elses_files_is_refused_and_left_alone() {
    let site = site();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let home = elsewhere.path().join("home");
    std::fs::create_dir_all(home.join(".config")).expect("folders");
    std::fs::write(home.join("notes.txt"), "my notes").expect("a file");
    for output in [home.clone(), site.path("public")] {
        if !output.starts_with(&home) {
            // The site's own default output folder, holding a Hugo build.
            std::fs::create_dir_all(&output).expect("public");
            std::fs::write(output.join("index.html"), "<p>Hugo</p>").expect("a file");
        }
        let run = site.build_with(&["--output", output.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("already holds files that no Praxis build wrote"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("empty it, or choose a new folder"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(std::fs::read_to_string(home.join("notes.txt")).unwrap(), "my notes");
    assert!(home.join(".config").is_dir());
    assert_eq!(site.read("public/index.html"), "<p>Hugo</p>");

    // site.toml's output_dir gets the same answer, at its place, from check too.
    site.write(
        "site.toml",
        format!("{}output_dir = \"public\"\n", crate::common::MINIMAL_SITE_TOML),
    );
    site.build()
        .assert_diagnostic("site.toml:3:14", "no Praxis build wrote");
    assert_eq!(site.check().code, 1);

    // An empty folder, and a folder an earlier build wrote, are replaced.
    std::fs::remove_file(site.path("public/index.html")).expect("emptied");
    site.build().assert_success();
    site.build().assert_success();
    assert!(site.exists("public/search-index/manifest.js"));
}

#[test]
fn tags_that_share_an_address_are_a_warning_at_the_later_spelling() {
    let site = site()
        .page(
            "content/articles/a.md",
            "title = \"A\"\ntags = [\"C++\", \"Sport\"]",
            "Text.\n",
        )
        .page(
            "content/articles/b.md",
            "title = \"B\"\ntags = [\"sport\", \"C#\"]\ncategories = [\"Knee & hip\"]",
            "Text.\n",
        )
        .page(
            "content/articles/c.md",
            "title = \"C\"\ncategories = [\"knee-hip\"]",
            "Text.\n",
        );
    let run = site.build();
    run.assert_success();
    let headlines = Run::headlines(&run.stderr);
    assert_eq!(headlines.len(), 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/articles/b.md:3:18: warning: tag `C#` and tag `C++` (in content/articles/a.md) have the same address /tags/c/"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "content/articles/c.md:3:15: warning: category `knee-hip` and category `Knee & hip` (in content/articles/b.md) have the same address /categories/knee-hip/"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: rename one of the two"), "{}", run.stderr);
    // "Sport" and "sport" are one tag: no warning, one page listing both.
    assert!(!run.stderr.contains("`sport`"), "{}", run.stderr);
    let sport = site.read("public/tags/sport/index.html");
    assert!(
        sport.contains("/articles/a/") && sport.contains("/articles/b/"),
        "{sport}"
    );
    // `praxis check` shows the warning too.
    assert!(
        site.check()
            .stdout
            .contains("content/articles/b.md:3:18: warning: tag `C#`")
    );
}

#[test]
fn a_file_name_with_a_space_is_a_warning_and_its_absolute_urls_are_encoded() {
    let site = site().page("content/articles/my knee.md", "title = \"My knee\"", "Text.\n");
    let run = site.build();
    run.assert_success();
    assert!(
        run.stderr
            .contains("content/articles/my knee.md:1:1: warning: the file name `my knee` puts characters"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("(my-knee.md)"), "{}", run.stderr);
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("/articles/my%20knee/</loc>"), "{sitemap}");
    let page = site.read("public/articles/my knee/index.html");
    assert!(
        page.contains("rel=\"canonical\" href=\"https://example.org/articles/my%20knee/\""),
        "{page}"
    );
}

#[test]
fn every_bad_value_of_site_toml_is_reported_in_one_run() {
    let site = site();
    site.write(
        "site.toml",
        format!(
            "{}default_audience = \"kids\"\nbogus = 1\n[links]\nauto_link = 1\n[review]\nmax_age_days = -1\n[theme_options]\nprimary_color = \"teal-ish\"\n[readability]\npatients_max_grade = -5\n",
            crate::common::MINIMAL_SITE_TOML
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (location, message) in [
        ("site.toml:3:20", "`default_audience`: unknown variant `kids`"),
        ("site.toml:4:1", "unknown key `bogus`"),
        (
            "site.toml:6:13",
            "`links.auto_link`: integer `1`, where true or false is expected",
        ),
        ("site.toml:8:16", "`review.max_age_days`: invalid value: integer `-1`"),
        ("site.toml:10:17", "`teal-ish` is not a colour"),
        ("site.toml:12:22", "patients_max_grade -5 is not a school grade"),
    ] {
        assert!(
            run.stderr.contains(&format!("{location}: error: {message}")),
            "{location} {message}:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("6 errors"), "{}", run.stderr);
}

#[test]
fn paginate_by_zero_is_an_error_at_its_place() {
    let run = site()
        .file(
            "content/articles/_index.md",
            "+++\ntitle = \"Articles\"\npaginate_by = 0\n+++\n",
        )
        .build();
    run.assert_diagnostic("content/articles/_index.md:3:15", "`paginate_by`: must be 1 or more");
}

#[test]
fn missing_content_folder_is_an_error_and_the_output_stays() {
    let site = site();
    site.build().assert_success();
    std::fs::remove_dir_all(site.path("content")).unwrap();
    let shown = site
        .build()
        .assert_diagnostic("site.toml:1:1", "the site has no content/ folder");
    assert!(shown.contains("praxis init"), "{shown}");
    assert!(
        site.exists("public/techniques/mirror-therapy/index.html"),
        "the last output stays"
    );
}

#[test]
fn missing_site_toml() {
    let run = SiteBuilder::empty()
        .page("content/about/a.md", "title = \"A\"", "")
        .build();
    let shown = run.assert_diagnostic("site.toml:1:1", "no site.toml");
    assert!(shown.contains("praxis init"), "{shown}");
}

#[test]
fn unknown_relation_slug_suggests_the_closest() {
    let run = site()
        .page(
            "content/techniques/a.md",
            "title = \"A\"\napplications = [\"strok\"]",
            "",
        )
        .build();
    let shown = run.assert_diagnostic("content/techniques/a.md:3:17", "`strok`");
    assert!(shown.contains("`stroke`"), "{shown}");
}

#[test]
fn unknown_parent_slug() {
    let run = site()
        .page("content/applications/a.md", "title = \"A\"\nparent = \"neuro\"", "")
        .build();
    run.assert_diagnostic("content/applications/a.md:3:10", "`neuro`");
}

#[test]
fn unknown_wiki_link_target() {
    let run = site()
        .page(
            "content/about/a.md",
            "title = \"A\"",
            "\nSee [[mirror-therap]] today.\n",
        )
        .build();
    let shown = run.assert_diagnostic("content/about/a.md:5:5", "[[mirror-therap]]");
    assert!(shown.contains("[[mirror-therapy]]"), "{shown}");
}

#[test]
fn unknown_content_path_link() {
    let run = site()
        .page(
            "content/about/a.md",
            "title = \"A\"",
            "\nSee [this](@/techniques/mirror.md).\n",
        )
        .build();
    let shown = run.assert_diagnostic("content/about/a.md:5:5", "@/techniques/mirror.md");
    assert!(shown.contains("@/techniques/mirror-therapy.md"), "{shown}");
}

#[test]
fn unknown_link_in_a_faq_answer_points_at_the_answer() {
    let run = site()
        .page(
            "content/faq/a.md",
            "title = \"A\"\n\n[[faq]]\nquestion = \"Q?\"\nanswer = \"See [[strok]].\"\n\n[[faq]]\nquestion = \"R?\"\nanswer = \"\"\"\nFirst line.\nThen [[strok]].\"\"\"\n\n[[faq]]\nquestion = \"S?\"\nanswer = \"An \\\"escaped\\\" word, then [[strok]].\"",
            "",
        )
        .build();
    // Written as is, an answer's link is placed exactly, on its line in a
    // multi-line string too; with escapes, at the start of the value.
    run.assert_diagnostic("content/faq/a.md:6:15", "[[strok]]");
    run.assert_diagnostic("content/faq/a.md:12:6", "[[strok]]");
    run.assert_diagnostic("content/faq/a.md:16:10", "[[strok]]");
}

#[test]
fn ambiguous_bare_slug() {
    let run = site()
        .page(
            "content/applications/mirror-therapy.md",
            "title = \"Mirror therapy (condition)\"",
            "",
        )
        .page("content/about/a.md", "title = \"A\"", "\nSee [[mirror-therapy]].\n")
        .build();
    let shown = run.assert_diagnostic("content/about/a.md:5:5", "ambiguous");
    assert!(
        shown.contains("[[applications/mirror-therapy]]") && shown.contains("[[techniques/mirror-therapy]]"),
        "{shown}"
    );
}

#[test]
fn unknown_anchor() {
    let run = site()
        .page(
            "content/about/a.md",
            "title = \"A\"",
            "\nSee [[mirror-therapy#nope]] and\n[[mirror-therapy#key-principle]].\n",
        )
        .build();
    run.assert_diagnostic("content/about/a.md:5:5", "#nope");
    let shown = run.assert_diagnostic("content/about/a.md:6:1", "#key-principle`");
    assert!(shown.contains("#key-principles"), "{shown}");
}

#[test]
fn slug_clash_names_both_files() {
    let run = site()
        .page(
            "content/techniques/other.md",
            "title = \"Other\"\nslug = \"mirror-therapy\"",
            "",
        )
        .build();
    // Placed at the `slug` line that makes the clash.
    let shown = run.assert_diagnostic("content/techniques/other.md:3:8", "`mirror-therapy`");
    assert!(shown.contains("content/techniques/mirror-therapy.md"), "{shown}");
}

#[test]
fn unknown_kind_suggests_the_closest() {
    let run = site()
        .page("content/about/a.md", "title = \"A\"\nkind = \"tecnique\"", "")
        .build();
    let shown = run.assert_diagnostic("content/about/a.md:3:8", "unknown kind `tecnique`");
    assert!(shown.contains("did you mean `technique`?"), "{shown}");
}

#[test]
fn wrong_value_type() {
    let run = site()
        .page("content/articles/a.md", "title = \"A\"\ndraft = \"yes\"", "")
        .build();
    let shown = run.assert_diagnostic("content/articles/a.md:3:9", "where true or false is expected");
    assert!(shown.contains("hint: write draft = true or draft = false"), "{shown}");
}

#[test]
fn faq_entry_without_answer() {
    let run = site()
        .page("content/faq/a.md", "title = \"A\"\n\n[[faq]]\nquestion = \"Why?\"", "")
        .build();
    run.assert_diagnostic("content/faq/a.md:4:1", "missing field `answer`");
}

#[test]
fn unknown_section_key_suggests_the_closest() {
    let run = site()
        .page("content/techniques/_index.md", "title = \"T\"\npaginateby = 2", "")
        .build();
    let shown = run.assert_diagnostic("content/techniques/_index.md:3:1", "unknown key `paginateby`");
    assert!(shown.contains("did you mean `paginate_by`?"), "{shown}");
}

#[test]
fn unknown_sort_by() {
    let run = site()
        .page("content/techniques/_index.md", "title = \"T\"\nsort_by = \"dat\"", "")
        .build();
    let shown = run.assert_diagnostic("content/techniques/_index.md:3:11", "`dat`");
    assert!(shown.contains("`date`"), "{shown}");
}

#[test]
fn bad_aliases() {
    let run = site()
        .page(
            "content/techniques/a.md",
            "title = \"A\"\naliases = [\"old\", \"/techniques/\"]",
            "",
        )
        .build();
    run.assert_diagnostic("content/techniques/a.md:3:12", "alias `old` is not a site path");
    run.assert_diagnostic(
        "content/techniques/a.md:3:19",
        "alias `/techniques/` is already the address of",
    );
}

#[test]
fn aliases_are_checked_as_a_web_server_reads_them() {
    let run = site()
        .page(
            "content/articles/a.md",
            "title = \"A\"\naliases = [\"/old?id=4\", \"/a%2Fb/\", \"/%FF/\", \"/%2E%2E/x/\", \"/caf%C3%A9/\", \"/café/\"]",
            "",
        )
        .build();
    run.assert_diagnostic(
        "content/articles/a.md:3:12",
        "alias `/old?id=4` has a query or fragment",
    );
    run.assert_diagnostic(
        "content/articles/a.md:3:25",
        "alias `/a%2Fb/` has an escape that names no folder",
    );
    run.assert_diagnostic(
        "content/articles/a.md:3:36",
        "alias `/%FF/` has an escape that names no folder",
    );
    let control = site()
        .page("content/articles/a.md", "title = \"A\"\naliases = [\"/a%00b/\"]", "")
        .build();
    control.assert_diagnostic(
        "content/articles/a.md:3:12",
        "alias `/a%00b/` has an escape that names no folder",
    );
    run.assert_diagnostic("content/articles/a.md:3:45", "alias `/%2E%2E/x/` is not a site path");
    // Escaped or not, it is one address.
    run.assert_diagnostic("content/articles/a.md:3:74", "alias `/café/` is already the address of");
}

#[test]
fn unknown_theme_points_at_the_theme_key() {
    let toml = format!(
        "{}description = \"A theme of care.\"\ntheme = \"nope\"\n",
        crate::common::MINIMAL_SITE_TOML
    );
    let run = site().file("site.toml", toml).build();
    let shown = run.assert_diagnostic("site.toml", "theme `nope` not found");
    assert!(
        shown.starts_with("site.toml:4:"),
        "the `theme` line is line 4:\n{shown}"
    );
}

#[test]
fn a_missing_theme_is_reported_with_the_other_site_toml_errors_in_one_run() {
    let toml = format!(
        "{}default_audience = \"kids\"\ntheme = \"nope\"\n[links]\nauto_link = 1\n",
        crate::common::MINIMAL_SITE_TOML
    );
    let site = site().file("site.toml", toml);
    let build = site.build();
    build.assert_diagnostic("site.toml:3:20", "`default_audience`: unknown variant `kids`");
    build.assert_diagnostic(
        "site.toml:6:13",
        "`links.auto_link`: integer `1`, where true or false is expected",
    );
    let shown = build.assert_diagnostic("site.toml:4:1", "theme `nope` not found");
    assert!(shown.contains("hint: add the folder themes/nope/"), "{shown}");
    assert!(build.stderr.contains("3 errors"), "{}", build.stderr);
    let check = site.check();
    assert_eq!(check.code, 1, "{}", check.stdout);
    for headline in [
        "site.toml:3:20: error: `default_audience`",
        "site.toml:4:1: error: theme `nope` not found",
        "site.toml:6:13: error: `links.auto_link`",
    ] {
        assert!(check.stdout.contains(headline), "{headline}\n{}", check.stdout);
    }
    // A theme folder of that name is enough.
    site.write("themes/nope/templates/.keep", "");
    let run = site.build();
    assert!(!run.stderr.contains("theme `nope`"), "{}", run.stderr);
    assert!(run.stderr.contains("2 errors"), "{}", run.stderr);
}

#[test]
fn slug_leaving_the_output_folder() {
    let run = site()
        .page("content/techniques/a.md", "title = \"A\"\nslug = \"../../escape\"", "")
        .build();
    let shown = run.assert_diagnostic("content/techniques/a.md", "slug");
    assert!(
        shown.starts_with("content/techniques/a.md:3:"),
        "the `slug` line is line 3:\n{shown}"
    );
}

#[test]
fn every_error_of_every_file_in_one_run() {
    let run = site()
        .page("content/articles/a.md", "title = \"A\"\ndate = \"soon\"", "")
        .page("content/techniques/b.md", "title = \"B\"\naplications = []", "")
        .page(
            "content/about/c.md",
            "title = \"C\"",
            "\n[[nowhere]] and [[mirror-therapy#nope]]\n",
        )
        .file("content/faq/d.md", "")
        .build();
    let errors: Vec<&str> = Run::headlines(&run.stderr)
        .into_iter()
        .filter(|line| line.contains(": error: "))
        .collect();
    assert_eq!(errors.len(), 5, "{}", run.stderr);
    assert!(run.stderr.contains("5 errors, "), "{}", run.stderr);
    for location in [
        "content/about/c.md:5:1",
        "content/about/c.md:5:17",
        "content/articles/a.md:3:8",
        "content/faq/d.md:1:1",
        "content/techniques/b.md:3:1",
    ] {
        run.assert_diagnostic(location, "");
    }
}

#[test]
fn usage_error_exits_2() {
    let run = site().build_with(&["--no-such-flag"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--no-such-flag"), "{}", run.stderr);
    assert_eq!(site().run(&["no-such-command"]).code, 2);
}

#[test]
fn check_json_lists_the_diagnostics() {
    let run = site()
        .page("content/techniques/a.md", "title = \"A\"\naplications = []", "")
        .check_with(&["--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let report: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|err| panic!("{err}:\n{}", run.stdout));
    assert_eq!(report["errors"], 1);
    assert_eq!(report["warnings"], 0);
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["path"], "content/techniques/a.md");
    assert_eq!(
        (diagnostic["line"].as_u64(), diagnostic["col"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["message"], "unknown key `aplications`");
    assert_eq!(diagnostic["hint"], "did you mean `applications`?");
}

#[test]
fn strict_check_fails_on_warnings() {
    let site = site().page(
        "content/about/a.md",
        "title = \"A\"",
        "\nHello.\n\n<script>alert(1)</script>\n",
    );
    let plain = site.check();
    assert_eq!(plain.code, 0, "{plain:?}");
    assert!(
        plain
            .stdout
            .contains("content/about/a.md:7:1: warning: removed a <script> element"),
        "{}",
        plain.stdout
    );
    let strict = site.check_with(&["--strict"]);
    assert_eq!(strict.code, 1, "{strict:?}");
    let json = site.check_with(&["--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["errors"].as_u64(), Some(0));
    // The health checks add their own warnings (no description, no review);
    // the build's one warning is the removed script, of rule `markdown`
    // (issue 25: every build diagnostic has a rule of its kind, none is
    // "build").
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert!(diagnostics.iter().all(|d| d["rule"] != "build"), "{report:#}");
    let markdown: Vec<&serde_json::Value> = diagnostics.iter().filter(|d| d["rule"] == "markdown").collect();
    assert_eq!(markdown.len(), 1, "{report:#}");
    assert_eq!(markdown[0]["path"], "content/about/a.md");
    // The build succeeds without the script.
    site.build().assert_success();
    assert!(!site.read("public/about/a/index.html").contains("alert(1)"));
}

#[test]
fn script_in_headings_links_and_faq_answers_is_removed() {
    let site = site().page(
        "content/about/a.md",
        "title = \"A\"\n[[faq]]\nquestion = \"Q?\"\nanswer = \"See [this](javascript:alert(2)).\"",
        "\n## Move <img src=x onerror=alert(1)>\n\n[x](<javascript:alert(9)>) and <a href=\"java&#x09;script:alert(7)\">y</a>\n",
    );
    let run = site.build();
    run.assert_success();
    for (location, message) in [
        (
            "content/about/a.md:5:15",
            "removed the script address `javascript:alert(2)`",
        ),
        (
            "content/about/a.md:8:20",
            "removed an event handler attribute from raw HTML",
        ),
        (
            "content/about/a.md:10:1",
            "removed the script address `javascript:alert(9)`",
        ),
        (
            "content/about/a.md:10:35",
            "removed a script URL (javascript:, vbscript: or an HTML data: URL) from raw HTML",
        ),
    ] {
        assert!(
            run.stderr.contains(&format!("{location}: warning: {message}")),
            "{location} {message}: {}",
            run.stderr
        );
    }
    let html = site.read("public/about/a/index.html");
    assert!(html.contains("<h2 id=\"move\">Move <img src=x></h2>"), "{html}");
    assert!(!html.contains("onerror"), "{html}");
    assert!(!html.to_ascii_lowercase().contains("script:alert"), "{html}");
    assert!(!site.read("public/atom.xml").contains("onerror"));
}

#[test]
fn each_removal_from_a_multi_line_html_block_is_reported_on_its_own_line() {
    let run = site()
        .page(
            "content/about/a.md",
            "title = \"A\"",
            "\n<div class=\"box\">\n<p>Intro</p>\n<p>More</p>\n<SCRIPT>alert(1)</SCRIPT>\n</div>\n",
        )
        .build();
    run.assert_success();
    assert!(
        run.stderr
            .contains("content/about/a.md:8:1: warning: removed a <script> element"),
        "{}",
        run.stderr
    );
}

#[test]
fn raw_html_that_would_send_the_visitor_elsewhere_is_removed() {
    let site = site().page(
        "content/about/a.md",
        "title = \"A\"",
        "\nText.\n\n<base href=\"https://elsewhere.example/\">\n\n<meta http-equiv=\"refresh\" content=\"0; url=https://elsewhere.example/\">\n",
    );
    let run = site.build();
    run.assert_success();
    for (location, message) in [
        ("content/about/a.md:7:1", "removed a <base> element"),
        ("content/about/a.md:9:1", "removed a <meta> refresh"),
    ] {
        assert!(
            run.stderr.contains(&format!("{location}: warning: {message}")),
            "{location} {message}: {}",
            run.stderr
        );
    }
    let html = site.read("public/about/a/index.html");
    assert!(!html.contains("elsewhere.example"), "{html}");
}

#[test]
fn a_reference_doi_or_pmid_that_would_make_a_dead_link_is_an_error() {
    let run = site()
        .page(
            "content/articles/a.md",
            "title = \"A\"\n[[references]]\ntitle = \"Trial\"\ndoi = \"not-a-doi\"\npmid = \"abc\"\n[[references]]\ntitle = \"Fine\"\ndoi = \"https://doi.org/10.1161/STR.0000000000000098\"\npmid = 31234567",
            "",
        )
        .build();
    let shown = run.assert_diagnostic("content/articles/a.md:5:7", "doi `not-a-doi` is not a DOI");
    assert!(shown.contains("starts with 10."), "{shown}");
    run.assert_diagnostic("content/articles/a.md:6:8", "pmid `abc` is not a PubMed id");
    assert!(run.stderr.contains("2 errors"), "{}", run.stderr);
}

#[test]
fn script_address_in_a_reference_is_an_error() {
    let run = site()
        .page(
            "content/articles/a.md",
            "title = \"A\"\n[[references]]\ntitle = \"Trial\"\nurl = \"javascript:alert(6)\"",
            "",
        )
        .build();
    let shown = run.assert_diagnostic(
        "content/articles/a.md:5:7",
        "reference url `javascript:alert(6)` would run a script",
    );
    assert!(shown.contains("pubmed"), "{shown}");
}

#[test]
fn site_toml_addresses_are_checked() {
    let run = site()
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"example.org\"\n[clinic]\nname = \"C\"\nbooking_url = \"javascript:alert(3)\"\n",
        )
        .build();
    run.assert_diagnostic(
        "site.toml:2:12",
        "base_url `example.org` cannot be the site's address: it is not a full web address",
    );
    run.assert_diagnostic(
        "site.toml:5:15",
        "booking_url `javascript:alert(3)` is not an address a visitor can open",
    );
}

#[test]
fn control_characters_are_errors_at_their_place() {
    let run = site()
        .page(
            "content/articles/a.md",
            "title = \"Bad \\u0001 title\"\ntags = [\"ok\", \"x\\u0000\"]",
            "\nText with a bell \u{7}here.\n",
        )
        .build();
    let shown = run.assert_diagnostic("content/articles/a.md:2:9", "an invisible control character (U+0001)");
    assert!(shown.contains("hint: delete it"), "{shown}");
    run.assert_diagnostic("content/articles/a.md:3:15", "(U+0000)");
    run.assert_diagnostic("content/articles/a.md:6:18", "(U+0007)");
    let run = site()
        .file(
            "site.toml",
            format!("{}disclaimer = \"a\\u001Fb\"\n", crate::common::MINIMAL_SITE_TOML),
        )
        .build();
    run.assert_diagnostic("site.toml:3:14", "(U+001F)");
}

#[test]
fn outputs_that_would_replace_each_other_are_errors() {
    let run = site()
        .page(
            "content/articles/a.md",
            "title = \"A\"\ntags = [\"pain\"]\naliases = [\"/search/\"]",
            "",
        )
        .page("content/tags/pain.md", "title = \"Pain\"", "")
        .page(
            "content/articles/b.md",
            "title = \"B\"\naliases = [\"/sitemap.xml\"]",
            "",
        )
        .file("static/index.html", "<p>my landing page</p>")
        .build();
    run.assert_diagnostic(
        "content/articles/b.md:3:12",
        "`/sitemap.xml` is a file of (the site's sitemap.xml), but an alias of content/articles/b.md needs it to be a folder",
    );
    let shown = run.assert_diagnostic(
        "content/articles/a.md:4:12",
        "`/search/index.html` would be written twice",
    );
    assert!(
        shown.contains("(search page) and by an alias of content/articles/a.md"),
        "{shown}"
    );
    let shown = run.assert_diagnostic(
        "content/tags/pain.md:1:1",
        "`/tags/pain/index.html` would be written twice",
    );
    assert!(shown.contains("(tags taxonomy)"), "{shown}");
    let shown = run.assert_diagnostic("static/index.html:1:1", "`/index.html` would be written twice");
    assert!(shown.contains("override its template"), "{shown}");
}

#[test]
fn empty_title() {
    let run = site().page("content/articles/a.md", "title = \"  \"", "").build();
    let shown = run.assert_diagnostic("content/articles/a.md:2:9", "the title is empty");
    assert!(shown.contains("every page needs a title"), "{shown}");
}

#[test]
fn faq_question_of_punctuation_only_gets_a_readable_anchor() {
    let site = site().page(
        "content/faq/a.md",
        "title = \"A\"\n[[faq]]\nquestion = \"!!!\"\nanswer = \"Yes.\"\n[[faq]]\nquestion = \"???\"\nanswer = \"No.\"",
        "",
    );
    site.build().assert_success();
    let html = site.read("public/faq/a/index.html");
    assert!(html.contains("id=\"faq-question\""), "{html}");
    assert!(html.contains("id=\"faq-question-1\""), "{html}");
}

#[test]
fn links_to_a_broken_page_are_not_reported_again() {
    // One typo in mirror-therapy.md; the links to it say nothing more.
    let run = site()
        .page(
            "content/techniques/mirror-therapy.md",
            "title = \"Mirror therapy\"\naplications = [\"stroke\"]",
            "",
        )
        .page(
            "content/articles/a.md",
            "title = \"A\"",
            "\nSee [[mirror-therapy]] and [the page](@/techniques/mirror-therapy.md).\n",
        )
        .build();
    run.assert_diagnostic("content/techniques/mirror-therapy.md:3:1", "unknown key `aplications`");
    assert!(run.stderr.contains("1 error"), "{}", run.stderr);
}

#[test]
fn links_to_a_draft_say_it_is_a_draft() {
    let site = site()
        .page("content/articles/soon.md", "title = \"Soon\"\ndraft = true", "")
        .page("content/applications/later.md", "title = \"Later\"\ndraft = true", "")
        .page(
            "content/techniques/t.md",
            "title = \"T\"\napplications = [\"stroke\", \"later\"]",
            "",
        )
        .page(
            "content/articles/a.md",
            "title = \"A\"",
            "\nSee [[soon]] and [it](@/articles/soon.md).\n",
        );
    let run = site.build();
    let shown = run.assert_diagnostic(
        "content/articles/a.md:5:5",
        "link to `[[soon]]`: content/articles/soon.md is a draft",
    );
    assert!(shown.contains("--drafts"), "{shown}");
    run.assert_diagnostic(
        "content/articles/a.md:5:18",
        "link to `@/articles/soon.md`: content/articles/soon.md is a draft",
    );
    run.assert_diagnostic(
        "content/techniques/t.md:3:27",
        "`applications` names `later`: content/applications/later.md is a draft",
    );
    site.build_with(&["--drafts"]).assert_success();
}

#[test]
fn unknown_highlight_theme_is_placed_at_its_value() {
    let run = site()
        .file(
            "site.toml",
            format!(
                "{}[markdown]\nhighlight_theme = \"base16-ocean.drk\"\n",
                crate::common::MINIMAL_SITE_TOML
            ),
        )
        .build();
    let shown = run.assert_diagnostic("site.toml:4:19", "unknown highlight_theme `base16-ocean.drk`");
    assert!(shown.contains("base16-ocean.dark"), "{shown}");
}

#[test]
fn taxonomy_term_without_letters() {
    let run = site()
        .page(
            "content/articles/a.md",
            "title = \"A\"\ntags = [\"balance\", \"!!!\"]\ncategories = [\"\"]",
            "",
        )
        .build();
    let shown = run.assert_diagnostic(
        "content/articles/a.md:3:20",
        "`tags` holds `!!!`, which has no letter or digit",
    );
    assert!(shown.contains("write the term in words"), "{shown}");
    run.assert_diagnostic("content/articles/a.md:4:15", "`categories` holds ``");
}

#[test]
fn every_bad_value_of_a_front_matter_is_reported() {
    let run = site()
        .page(
            "content/articles/a.md",
            "title = \"A\"\ndraft = \"yes\"\nfeatured = 1\ntitel = \"x\"\nweight = \"heavy\"",
            "",
        )
        .build();
    run.assert_diagnostic(
        "content/articles/a.md:3:9",
        "`draft`: string \"yes\", where true or false is expected",
    );
    run.assert_diagnostic(
        "content/articles/a.md:4:12",
        "`featured`: integer `1`, where true or false is expected",
    );
    run.assert_diagnostic("content/articles/a.md:5:1", "unknown key `titel`");
    run.assert_diagnostic(
        "content/articles/a.md:6:10",
        "`weight`: string \"heavy\", where a whole number is expected",
    );
    assert!(run.stderr.contains("4 errors"), "{}", run.stderr);
}

#[test]
fn addresses_too_long_for_a_folder_name() {
    // Each would become a folder name over the file system's 255 bytes and
    // fail at write time; all three are reported at their value.
    let long = "a".repeat(300);
    let run = site()
        .page(
            "content/articles/a.md",
            &format!("title = \"A\"\nslug = \"{long}\""),
            "",
        )
        .page(
            "content/articles/b.md",
            &format!("title = \"B\"\ntags = [\"balance\", \"{long}\"]\naliases = [\"/old/{long}/\"]"),
            "",
        )
        .build();
    let shown = run.assert_diagnostic("content/articles/a.md:3:8", "slug is 300 bytes long");
    assert!(shown.contains("under 200 bytes"), "{shown}");
    run.assert_diagnostic("content/articles/b.md:3:20", "a term of `tags` is 300 bytes long");
    run.assert_diagnostic("content/articles/b.md:4:12", "an alias has a part 300 bytes long");
}

#[test]
fn body_regions_and_whole_aliases_are_held_to_address_limits() {
    let long = "k".repeat(300);
    let many_parts = format!("/{}/", vec!["q".repeat(199); 25].join("/"));
    let run = site()
        .page(
            "content/techniques/t.md",
            &format!("title = \"T\"\napplications = [\"stroke\"]\nbody_regions = [\"{long}\", \"!!!\"]"),
            "",
        )
        .page(
            "content/articles/a.md",
            &format!("title = \"A\"\naliases = [\"{many_parts}\"]"),
            "",
        )
        .build();
    run.assert_diagnostic(
        "content/techniques/t.md:4:17",
        "a term of `body_regions` is 300 bytes long",
    );
    run.assert_diagnostic("content/techniques/t.md:4:321", "`body_regions` holds `!!!`");
    run.assert_diagnostic("content/articles/a.md:3:12", "alias is 5001 bytes long");
}

/// The base site with `[search] synonyms = "synonyms.toml"` (the file is
/// for each test to write).
fn site_with_synonyms() -> SiteBuilder {
    site().file(
        "site.toml",
        "title = \"Test Site\"\nbase_url = \"https://example.org\"\n\n[search]\nsynonyms = \"synonyms.toml\"\n",
    )
}

#[test]
fn a_broken_synonyms_file_fails_check_as_it_fails_build() {
    let site = site_with_synonyms().file("synonyms.toml", "[[group]]\nterms = [\"CVA\", \"stroke\"\n");
    site.build().assert_diagnostic("synonyms.toml:2:25", "unclosed array");
    let check = site.check();
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(
        check.stdout.contains("synonyms.toml:2:25: error: unclosed array"),
        "{}",
        check.stdout
    );
}

#[test]
fn a_synonym_term_of_a_paragraph_is_an_error_at_its_place() {
    // Every term is sought in every page: a pasted paragraph would slow
    // each build down (5,000 characters took an 8-page build to 3.3 s).
    let long = "word ".repeat(30);
    let run = site_with_synonyms()
        .file("synonyms.toml", format!("[[group]]\nterms = [\"CVA\", \"{long}\"]\n"))
        .build();
    let shown = run.assert_diagnostic("synonyms.toml:2:17", "synonym term is 150 bytes long");
    assert!(shown.contains("at most 100 bytes"), "{shown}");
}

#[test]
fn every_problem_of_the_synonyms_file_comes_in_one_run_with_the_others() {
    let long = "x".repeat(101);
    let site = site_with_synonyms()
        .file(
            "synonyms.toml",
            format!("[[group]]\nterms = [\"{long}\", \"stroke\"]\n\n[[group]]\nterms = [\"CVA\", \"{long}\"]\n"),
        )
        .page("content/articles/a.md", "title = \"A\"\ncategories = 3", "Body.");
    let run = site.build();
    let first = run.assert_diagnostic("synonyms.toml:2:10", "synonym term is 101 bytes long");
    // The snippet shows the line, as for any other content file.
    assert!(first.contains("terms = ["), "{first}");
    run.assert_diagnostic("synonyms.toml:5:17", "synonym term is 101 bytes long");
    run.assert_diagnostic("content/articles/a.md", "categories");
    let check = site.check();
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(check.stdout.contains("synonyms.toml:5:17: error:"), "{}", check.stdout);
}

#[test]
fn a_synonyms_group_that_links_nothing_is_a_warning() {
    let run = site_with_synonyms()
        .file(
            "synonyms.toml",
            "[[group]]\nterms = [\"HEP\", \"home exercise program\"]\n\n[[group]]\nterms = [\"TENS\", \"x\"]\n",
        )
        .build();
    run.assert_success();
    let headlines = Run::headlines(&run.stderr);
    assert!(
        headlines.contains(&"synonyms.toml:5:18: warning: synonym term \"x\" is too short and is left out"),
        "{}",
        run.stderr
    );
    assert!(
        headlines
            .iter()
            .any(|h| h.starts_with("synonyms.toml:4:1: warning: this group has 1 usable term")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_page_with_a_bad_slug_still_reports_its_other_problems() {
    // The page goes on under its file name's slug: its alias problem comes
    // in the same run, and a page linking to it by that slug is fine.
    let long = "a".repeat(300);
    let run = site()
        .page(
            "content/techniques/mirror-therapy.md",
            &format!("title = \"Mirror therapy\"\nslug = \"mirror therapy\"\napplications = [\"stroke\"]\naliases = [\"/old/{long}/\"]"),
            "",
        )
        .build();
    run.assert_diagnostic(
        "content/techniques/mirror-therapy.md:3:8",
        "slug `mirror therapy` is not a valid slug",
    );
    run.assert_diagnostic(
        "content/techniques/mirror-therapy.md:5:12",
        "an alias has a part 300 bytes long",
    );
    let headlines = Run::headlines(&run.stderr);
    assert_eq!(headlines.len(), 2, "{}", run.stderr);
}

/// A site.toml without `title` was reported twice, once as "`base_url`:
/// missing field `title`".
#[test]
fn a_site_toml_without_title_is_one_error() {
    let run = site().file("site.toml", "base_url = \"https://example.org\"\n").build();
    run.assert_diagnostic("site.toml:1:1", "missing field `title`");
    assert_eq!(Run::headlines(&run.stderr).len(), 1, "{}", run.stderr);
}

/// A 16 KB title took a minute to build and a 1 MB one never finished: every
/// title and synonym is a pattern of the mention and synonym matchers.
#[test]
fn a_title_or_synonym_of_thousands_of_words_is_an_error_not_a_hang() {
    let words = vec!["balance"; 8000].join(" ");
    let run = site()
        .page(
            "content/techniques/long.md",
            &format!("title = \"{words}\"\nsynonyms = [\"{words}\"]\napplications = [\"stroke\"]"),
            &format!("\n{words}\n"),
        )
        .build();
    let shown = run.assert_error("content/techniques/long.md:2:9", "the title is 63999 characters long");
    assert!(shown.contains("under 200 characters"), "{shown}");
    let shown = run.assert_error("content/techniques/long.md:3:13", "a synonym is 63999 bytes long");
    assert!(shown.contains("at most 100 bytes"), "{shown}");
    assert_eq!(
        Run::headlines(&run.stderr)
            .iter()
            .filter(|h| h.contains(": error: "))
            .count(),
        2,
        "{}",
        run.stderr
    );
}

/// A line of 40,000 wikilinks took 13 s: each link's line and column were
/// counted from the start of the file.
#[test]
fn a_long_line_of_links_builds_in_linear_time() {
    let line = "[[stroke]] [[mirror-therapy#key-principles]] ".repeat(100_000);
    site()
        .page("content/articles/links.md", "title = \"Links\"", &format!("\n{line}\n"))
        .build()
        .assert_success();
}

/// C1 controls (U+0080-U+009F) from a title reached the page, which then
/// did not parse as HTML; they are errors as the C0 controls are.
#[test]
fn c1_control_characters_are_errors_too() {
    let run = site()
        .page(
            "content/articles/c1.md",
            "title = \"Next\u{85}line\"",
            "\nA control sequence introducer \u{9b}here.\n",
        )
        .build();
    run.assert_diagnostic("content/articles/c1.md:2:9", "an invisible control character (U+0085)");
    run.assert_diagnostic("content/articles/c1.md:5:31", "(U+009B)");
}

/// Unbalanced raw HTML passed through without a word and broke the page
/// around it.
#[test]
fn raw_html_that_leaves_an_element_open_or_closes_one_it_did_not_open_is_a_warning() {
    let run = site()
        .page(
            "content/articles/html.md",
            "title = \"HTML\"",
            "\n<div class=\"box\">\n\nBoxed text.\n\nA stray </span> here.\n\n<details><summary>More</summary>\n\nHidden.\n\n</details>\n",
        )
        .build();
    run.assert_success();
    let headlines = Run::headlines(&run.stderr);
    assert!(
        headlines.contains(&"content/articles/html.md:5:1: warning: raw HTML opens <div> here and never closes it"),
        "{}",
        run.stderr
    );
    assert!(
        headlines
            .contains(&"content/articles/html.md:9:9: warning: raw HTML closes </span> here, which it did not open"),
        "{}",
        run.stderr
    );
    assert_eq!(
        headlines.len(),
        2,
        "details around markdown is balanced:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: close it with </div>"), "{}", run.stderr);
}

/// A `javascript:` or `data:` clinic logo, or a script address anywhere in
/// site.toml, was accepted (only `praxis check` warned).
#[test]
fn script_addresses_in_site_toml_and_a_data_logo_are_errors() {
    let run = site()
        .file(
            "site.toml",
            format!(
                "{}[clinic]\nname = \"C\"\nlogo = \"data:image/svg+xml;base64,PHN2Zz4=\"\n\n[extra]\nhelp = \"javascript:alert(1)\"\n",
                crate::common::MINIMAL_SITE_TOML
            ),
        )
        .build();
    let shown = run.assert_diagnostic(
        "site.toml:5:8",
        "logo `data:image/svg+xml;base64,PHN2Zz4=` is not a file of the site",
    );
    assert!(shown.contains("put the logo in static/"), "{shown}");
    run.assert_diagnostic(
        "site.toml:8:8",
        "`javascript:alert(1)` is an address that would run script",
    );
    let run = site()
        .file(
            "site.toml",
            format!(
                "{}[clinic]\nname = \"C\"\nlogo = \" JavaScript:alert(1)\"\n",
                crate::common::MINIMAL_SITE_TOML
            ),
        )
        .build();
    run.assert_diagnostic("site.toml:5:8", "would run script");
    assert_eq!(
        Run::headlines(&run.stderr).len(),
        1,
        "one error, not two:\n{}",
        run.stderr
    );
}

/// Colours below the contrast text needs were reported by `check` only.
#[test]
fn low_contrast_theme_colours_warn_in_build_and_fail_a_strict_build() {
    let site = site().file(
        "site.toml",
        format!(
            "{}[theme_options]\nprimary_color = \"#f5f5f5\"\n",
            crate::common::MINIMAL_SITE_TOML
        ),
    );
    let run = site.build();
    run.assert_success();
    assert!(
        run.stderr.contains("site.toml:4:17: warning: primary_color #f5f5f5: "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("has contrast 1."), "{}", run.stderr);
    let before = site.files_under("public");
    let run = site.build_with(&["--strict"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("--strict fails on warnings"), "{}", run.stderr);
    assert!(site.files_under("public") == before, "the output is untouched");
}

/// One mistake, one message: a misspelt `title` on a page others link
/// gave four errors, two of them "no such page" in other files, and a
/// technique that names it was said to name none.
#[test]
fn a_page_with_a_front_matter_error_is_still_there_for_links_and_relations() {
    let run = site()
        .page(
            "content/applications/stroke.md",
            "titel = \"Stroke\"",
            "\n## Care\n\nText.\n",
        )
        .page(
            "content/articles/a.md",
            "title = \"A\"\napplications = [\"stroke\"]",
            "\nSee [[stroke]], [[applications/stroke]], [[stroke#care]] and [it](@/applications/stroke.md).\n",
        )
        .page(
            "content/techniques/balance.md",
            "title = \"Balance\"\napplications = [\"stroke\", \"falls\"]\nweight = \"heavy\"",
            "\nText.\n",
        )
        .page("content/applications/falls.md", "title = \"Falls\"", "\nText.\n")
        .build();
    let shown = run.assert_diagnostic("content/applications/stroke.md:2:1", "unknown key `titel`");
    assert!(shown.contains("did you mean `title`?"), "{shown}");
    run.assert_diagnostic("content/techniques/balance.md:4:10", "where a whole number is expected");
    let headlines = Run::headlines(&run.stderr);
    assert_eq!(headlines.len(), 2, "only the two mistakes:\n{}", run.stderr);
}

/// In `check --format json` every diagnostic of the build was `rule:
/// "build"`; each kind has its own id now.
#[test]
fn every_kind_of_build_problem_has_its_own_rule_id() {
    let rules_of = |site: &SiteBuilder| -> Vec<(String, String)> {
        let run = site.check_with(&["--format", "json"]);
        let report: serde_json::Value =
            serde_json::from_str(&run.stdout).unwrap_or_else(|err| panic!("{err}: {}", run.stdout));
        let mut rules: Vec<(String, String)> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["path"].as_str().unwrap().to_string(),
                    d["rule"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        rules.sort();
        rules
    };
    let site = site()
        .page(
            "content/articles/a.md",
            "title = \"A\"\nweight = \"x\"",
            "\nSee [[nowhere]].\n\n<div>\n",
        )
        .page(
            "content/articles/b.md",
            "title = \"B\"\naliases = [\"/techniques/mirror-therapy/\"]",
            "\nText \u{7}.\n",
        )
        .page(
            "content/articles/c.md",
            "title = \"C\"",
            "\nSee [[nowhere]].\n\n<div>\n",
        );
    let rules = rules_of(&site);
    let expected = [
        ("content/articles/a.md", "front-matter"),
        ("content/articles/b.md", "alias"),
        ("content/articles/b.md", "control-character"),
        ("content/articles/c.md", "link"),
        ("content/articles/c.md", "markdown"),
    ];
    for (path, rule) in expected {
        assert!(
            rules.contains(&(path.to_string(), rule.to_string())),
            "{path} {rule}: {rules:?}"
        );
    }
    assert!(rules.iter().all(|(_, rule)| rule != "build"), "{rules:?}");
    site.write(
        "site.toml",
        format!("{}descripton = \"x\"\n", crate::common::MINIMAL_SITE_TOML),
    );
    assert_eq!(rules_of(&site), [("site.toml".to_string(), "site-toml".to_string())]);
}

/// Raw TOML parser text without a hint, and hints that pointed the wrong
/// way (issue 25, point 11).
#[test]
fn toml_mistakes_get_plain_words_and_the_fix() {
    let page = |front_matter: &str| {
        site()
            .page(
                "content/articles/a.md",
                &format!("title = \"A\"\n{front_matter}"),
                "\nText.\n",
            )
            .build()
    };
    let shown = page("last_reviewed = October 1, 2026").assert_diagnostic(
        "content/articles/a.md:3:17",
        "`October 1, 2026` is not a date Praxis can read",
    );
    assert!(shown.contains("last_reviewed = 2026-10-01"), "{shown}");
    let shown = page("description: \"Sciatica\"").assert_diagnostic("content/articles/a.md", "uses `=`");
    assert!(shown.contains("hint: write description = \"Sciatica\""), "{shown}");
    let shown = page("description = \"never closed").assert_diagnostic("content/articles/a.md", "has no closing \"");
    assert!(shown.contains("triple quotes"), "{shown}");
    let shown = page("weight = 2026-01-02")
        .assert_diagnostic("content/articles/a.md:3:10", "a date, where a whole number is expected");
    assert!(shown.contains("weight = 3"), "{shown}");
    // An application does not list its techniques.
    let shown = site()
        .page(
            "content/applications/knee.md",
            "title = \"Knee\"\ntechniques = [\"mirror-therapy\"]",
            "\nText.\n",
        )
        .build()
        .assert_diagnostic(
            "content/applications/knee.md:3:1",
            "`techniques` is not a key of application pages",
        );
    assert!(
        shown.contains("add this page's slug to `applications` in each technique's front matter"),
        "{shown}"
    );
    // A key of another table.
    let shown = site()
        .file(
            "site.toml",
            format!(
                "{}[links]\nprimary_colour = \"#123456\"\n",
                crate::common::MINIMAL_SITE_TOML
            ),
        )
        .build()
        .assert_diagnostic("site.toml:4:1", "unknown key `primary_colour` in [links]");
    assert!(
        shown.contains("did you mean `primary_color` in [theme_options]?"),
        "{shown}"
    );
}
