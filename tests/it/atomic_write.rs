//! "A build that fails leaves an existing output folder exactly as it was"
//! (docs/commands.md, "What a build does to the output folder"): snapshot `public/` byte for byte, fail a build, compare.

use crate::common::SiteBuilder;

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

/// Issue 25, data loss 1: `public -> /var/www/html` was moved aside and the
/// target emptied through it, and `public` became a real folder.
#[cfg(unix)]
#[test]
fn a_symlinked_output_is_built_into_its_target_and_stays_a_link() {
    let site = site();
    let www = tempfile::tempdir().unwrap();
    let html = www.path().join("html");
    std::fs::create_dir(&html).unwrap();
    std::os::unix::fs::symlink(&html, site.path("public")).unwrap();
    let run = site.build();
    run.assert_success();
    assert!(run.stdout.contains("(a link to "), "{}", run.stdout);
    site.build().assert_success();
    let link = std::fs::symlink_metadata(site.path("public")).unwrap();
    assert!(link.file_type().is_symlink(), "public is still the link");
    assert!(html.join("techniques/mirror-therapy/index.html").exists());
    // A relative link: its target is what gets the new site.
    std::fs::remove_file(site.path("public")).unwrap();
    std::fs::create_dir(site.path("deploy")).unwrap();
    std::os::unix::fs::symlink("deploy/site", site.path("public")).unwrap();
    site.build().assert_success();
    site.write(
        "content/techniques/mirror-therapy.md",
        "+++\ntitle = \"Mirror therapy\"\n+++\nNew.\n",
    );
    site.build().assert_success();
    assert!(
        site.read("deploy/site/techniques/mirror-therapy/index.html")
            .contains("New.")
    );
    assert!(
        std::fs::symlink_metadata(site.path("public"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A target holding someone else's files (a web server's default page)
    // is refused, and kept.
    let nginx = www.path().join("nginx");
    std::fs::create_dir(&nginx).unwrap();
    std::fs::write(nginx.join("index.html"), "<p>nginx</p>").unwrap();
    std::fs::remove_file(site.path("public")).unwrap();
    std::os::unix::fs::symlink(&nginx, site.path("public")).unwrap();
    let run = site.build();
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("no Praxis build wrote"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(nginx.join("index.html")).unwrap(),
        "<p>nginx</p>"
    );
    assert_eq!(
        std::fs::read_dir(www.path()).unwrap().count(),
        2,
        "nothing beside the targets"
    );
}

/// Issue 25, data loss 2: a `CNAME`, `.git/` or `notes.txt` in the output
/// disappeared on the next build.
#[test]
fn files_no_build_wrote_are_kept_or_stop_the_build() {
    let site = site();
    site.build().assert_success();
    site.write("public/CNAME", "clinic.example.org\n");
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    site.write("public/.git/objects/ab/cdef", "blob");
    let run = site.build();
    run.assert_success();
    assert!(run.stdout.contains("Kept 3 file(s)"), "{}", run.stdout);
    assert_eq!(site.read("public/CNAME"), "clinic.example.org\n");
    assert_eq!(site.read("public/.git/objects/ab/cdef"), "blob");

    site.write("public/notes.txt", "my notes");
    site.write("public/techniques/draft.html", "<p>mine</p>");
    let before = site.files_under("public");
    let run = site.build();
    assert_eq!(run.code, 1, "{run:?}");
    let message = &run.stderr;
    assert!(
        message.contains("2 files that no Praxis build wrote")
            && message.contains("`notes.txt`")
            && message.contains("`techniques/draft.html`")
            && message.contains("--delete-foreign"),
        "{message}"
    );
    assert!(site.files_under("public") == before, "nothing changed");
    assert_eq!(leftovers(&site), Vec::<String>::new());

    site.build_with(&["--delete-foreign"]).assert_success();
    assert!(!site.exists("public/notes.txt") && !site.exists("public/techniques/draft.html"));
    assert_eq!(site.read("public/CNAME"), "clinic.example.org\n", "still kept");
}

fn build_killed_at(site: &SiteBuilder, fault: &str) -> crate::common::Run {
    let root = site.root().to_str().unwrap().to_string();
    crate::common::run_praxis_with_env(&["build", "--root", &root], site.root(), &[("PRAXIS_FAULT", fault)])
}

/// Issue 25, data loss 3 and 4: a kill between the two renames of a swap
/// left no output; killed builds left their folders forever.
#[test]
fn a_build_killed_at_any_step_leaves_a_complete_output() {
    let site = site();
    site.build().assert_success();
    let first = site.files_under("public");
    site.write(
        "content/techniques/mirror-therapy.md",
        "+++\ntitle = \"Mirror therapy\"\n+++\nSecond.\n",
    );

    // Killed after writing, before the swap: the old output, untouched.
    let run = build_killed_at(&site, "after-writing");
    assert_eq!(run.code, -1, "killed: {run:?}");
    assert!(site.files_under("public") == first);
    assert_eq!(
        leftovers(&site).len(),
        2,
        "a work folder and its lock: {:?}",
        leftovers(&site)
    );

    // Killed right after the one-step swap: the new output, complete.
    let run = build_killed_at(&site, "after-exchange");
    assert_eq!(run.code, -1, "killed: {run:?}");
    assert!(
        site.read("public/techniques/mirror-therapy/index.html")
            .contains("Second.")
    );
    assert_eq!(
        leftovers(&site).len(),
        2,
        "the earlier work folder went; the new kill left one"
    );

    // Without the one-step swap, killed between the two renames: no output
    // for a moment, and the next run, even a failing one, puts it back.
    let second = site.files_under("public");
    let run = build_killed_at(&site, "no-exchange,after-aside");
    assert_eq!(run.code, -1, "killed: {run:?}");
    assert!(!site.exists("public"), "the window this test is about");
    site.write("content/about/about.md", "");
    site.build().assert_error("content/about/about.md:1:1", "empty file");
    assert!(site.files_under("public") == second, "put back whole");
    assert_eq!(leftovers(&site), Vec::<String>::new());

    // The two-rename swap, not killed, works as the one-step one.
    site.write("content/about/about.md", "+++\ntitle = \"About\"\n+++\nThird.\n");
    let root = site.root().to_str().unwrap().to_string();
    crate::common::run_praxis_with_env(
        &["build", "--root", &root],
        site.root(),
        &[("PRAXIS_FAULT", "no-exchange")],
    )
    .assert_success();
    assert!(site.read("public/about/about/index.html").contains("Third."));
    assert_eq!(leftovers(&site), Vec::<String>::new());
}
