//! "A build that fails leaves an existing output folder exactly as it was"
//! (SPEC section 4): snapshot `public/` byte for byte, fail a build, compare.

mod common;

use common::SiteBuilder;

fn site() -> SiteBuilder {
    SiteBuilder::new()
        .page(
            "content/techniques/mirror-therapy.md",
            "title = \"Mirror therapy\"",
            "\nFirst version.\n",
        )
        .page(
            "content/about/about.md",
            "title = \"About\"",
            "\nSee [[mirror-therapy]].\n",
        )
        .file("static/note.txt", "static file\n")
}

/// Names in the site folder left by the write stage's temporary folders.
fn leftovers(site: &SiteBuilder) -> Vec<String> {
    std::fs::read_dir(site.root())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".praxis-build-") || name.starts_with(".praxis-old-"))
        .collect()
}

#[test]
fn failed_build_leaves_the_output_untouched() {
    let site = site();
    site.build().assert_success();
    let before = site.files_under("public");
    assert!(before.contains_key("techniques/mirror-therapy/index.html"));

    site.write(
        "content/techniques/mirror-therapy.md",
        "+++\ntitle = \"Mirror therapy\"\naplications = []\n+++\nSecond version.\n",
    );
    let run = site.build();
    run.assert_error("content/techniques/mirror-therapy.md:3:1", "unknown key");
    assert!(run.stderr.contains("left unchanged"), "{}", run.stderr);
    assert!(
        site.files_under("public") == before,
        "public/ changed after a failed build"
    );
    assert_eq!(leftovers(&site), Vec::<String>::new());

    site.write(
        "content/techniques/mirror-therapy.md",
        "+++\ntitle = \"Mirror therapy\"\n+++\nSecond version.\n",
    );
    site.remove("static/note.txt");
    site.build().assert_success();
    let html = site.read("public/techniques/mirror-therapy/index.html");
    assert!(
        html.contains("Second version.") && !html.contains("First version."),
        "{html}"
    );
    assert!(
        !site.exists("public/note.txt"),
        "files gone from the sources are gone from the output"
    );
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn failed_link_stage_leaves_the_output_untouched() {
    let site = site();
    site.build().assert_success();
    let before = site.files_under("public");
    site.write(
        "content/about/about.md",
        "+++\ntitle = \"About\"\n+++\nSee [[mirror-therapi]].\n",
    );
    site.build()
        .assert_error("content/about/about.md:4:5", "[[mirror-therapi]]");
    assert!(site.files_under("public") == before);
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn rebuilding_unchanged_content_is_byte_identical() {
    let site = site();
    site.build().assert_success();
    let first = site.files_under("public");
    site.build().assert_success();
    let second = site.files_under("public");
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
    for (path, bytes) in &first {
        assert!(
            second[path] == *bytes,
            "{path} differs between two builds of the same content"
        );
    }
}

#[test]
fn failed_build_into_a_custom_output_leaves_it_untouched() {
    let site = site();
    let out = site.path("out/www");
    let out_arg = out.to_str().unwrap();
    site.build_with(&["--output", out_arg]).assert_success();
    let before = site.files_under("out/www");
    site.write("content/about/about.md", "");
    site.build_with(&["--output", out_arg])
        .assert_error("content/about/about.md:1:1", "empty file");
    assert!(site.files_under("out/www") == before);
    let names: Vec<_> = std::fs::read_dir(site.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        vec![std::ffi::OsString::from("www")],
        "no temporary folders beside the output"
    );
}

#[test]
fn output_folder_that_holds_the_site_is_refused() {
    let site = site();
    let root = site.root().to_str().unwrap().to_string();
    let run = site.build_with(&["--output", &root]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    assert!(
        site.exists("site.toml") && site.exists("content/about/about.md"),
        "the sources survive"
    );
    let run = site.build_with(&["--output", site.path("content").to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(site.exists("content/techniques/mirror-therapy.md"));
}
