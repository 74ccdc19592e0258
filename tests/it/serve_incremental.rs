//! `serve`'s incremental rebuilds equal a full build: after each kind of
//! edit, the file map that the session built from its last one (re-reading
//! only the changed files, linking pages in place, rendering only what the
//! edit affects) is byte for byte the file map of a fresh session that
//! builds everything from disk.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use praxis::build::BuildOptions;
use praxis::output::FileContents;
use praxis::serve::session::{Change, FileMap, Session};

use crate::common::SiteBuilder;

/// A file map as comparable bytes: output path -> contents (a file copied
/// from disk as its bytes).
fn contents(map: &FileMap) -> BTreeMap<String, Vec<u8>> {
    map.iter()
        .map(|(path, file)| {
            let bytes = match &file.contents {
                FileContents::Text(text) => text.as_bytes().to_vec(),
                FileContents::Embedded(bytes) => bytes.to_vec(),
                FileContents::Copy(source) => std::fs::read(source).unwrap_or_default(),
            };
            (path.clone(), bytes)
        })
        .collect()
}

fn session(site: &SiteBuilder) -> Session {
    Session::new(BuildOptions {
        root: site.root().to_path_buf(),
        base_url: Some("http://127.0.0.1:1111".into()),
        ..BuildOptions::default()
    })
}

/// Rebuilds `live` after `change` and compares its files with a fresh
/// full build of the same folder.
fn assert_same_as_full_build(site: &SiteBuilder, live: &mut Session, change: Change, edit: &str) {
    let incremental = live
        .rebuild(&change)
        .unwrap_or_else(|report| panic!("{edit}: the rebuild failed:\n{}", report.render()));
    let full = session(site)
        .rebuild(&Change::Everything)
        .unwrap_or_else(|report| panic!("{edit}: the full build failed:\n{}", report.render()));
    let (incremental_files, full_files) = (contents(&incremental.files), contents(&full.files));
    let paths = |files: &BTreeMap<String, Vec<u8>>| files.keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(
        paths(&incremental_files),
        paths(&full_files),
        "{edit}: the incremental rebuild has other files than a full build"
    );
    for (path, bytes) in &full_files {
        assert!(
            incremental_files[path] == *bytes,
            "{edit}: {path} differs from a full build\n--- incremental\n{}\n--- full\n{}",
            String::from_utf8_lossy(&incremental_files[path]),
            String::from_utf8_lossy(bytes)
        );
    }
}

fn content(site: &SiteBuilder, paths: &[&str]) -> Change {
    Change::Content(paths.iter().map(|path| site.path(path)).collect::<BTreeSet<PathBuf>>())
}

#[test]
fn every_kind_of_edit_rebuilds_to_what_a_full_build_makes() {
    let site = SiteBuilder::fixture("clinic");
    let mut live = session(&site);
    live.rebuild(&Change::Everything).expect("the fixture builds");
    let mirror = "content/techniques/mirror-therapy.md";
    let mirror_text = std::fs::read_to_string(site.path(mirror)).unwrap();

    // A body edit: the page keeps its place and is linked alone.
    site.write(mirror, mirror_text.replace("uses a mirror", "uses a tall mirror"));
    assert_same_as_full_build(&site, &mut live, content(&site, &[mirror]), "body edit");

    // A title edit: lists and the pages that show its card change.
    site.write(
        mirror,
        mirror_text.replace("title = \"Mirror therapy\"", "title = \"Mirror box therapy\""),
    );
    assert_same_as_full_build(&site, &mut live, content(&site, &[mirror]), "title edit");

    // A relation edit: the other side of the relation changes.
    let balance = "content/techniques/balance-training.md";
    let balance_text = std::fs::read_to_string(site.path(balance)).unwrap();
    site.write(
        balance,
        balance_text.replace("+++\n\n", "+++\n\nSee [[stroke]] too.\n\n"),
    );
    assert_same_as_full_build(&site, &mut live, content(&site, &[balance]), "a new link");

    // A page added, then deleted.
    let added = "content/articles/walking-again.md";
    site.write(
        added,
        "+++\ntitle = \"Walking again\"\ndate = 2026-01-10\ntags = [\"gait\"]\n+++\n\nMirror therapy and balance training help.\n",
    );
    assert_same_as_full_build(&site, &mut live, content(&site, &[added]), "page added");
    site.remove(added);
    assert_same_as_full_build(&site, &mut live, content(&site, &[added]), "page deleted");

    // A broken link fails the rebuild; fixing it builds what a full build does.
    site.write(
        mirror,
        mirror_text.replace("uses a mirror", "uses a mirror ([[no-such-page]])"),
    );
    assert!(
        live.rebuild(&content(&site, &[mirror])).is_err(),
        "a broken link is an error"
    );
    site.write(mirror, mirror_text.clone());
    assert_same_as_full_build(&site, &mut live, content(&site, &[mirror]), "broken link fixed");

    // A section's _index.md, a file beside the pages, a static file.
    let section = "content/techniques/_index.md";
    let section_text = std::fs::read_to_string(site.path(section)).unwrap();
    site.write(section, format!("{section_text}\nMore about our treatments.\n"));
    assert_same_as_full_build(&site, &mut live, content(&site, &[section]), "section intro");
    let image = "content/techniques/mirror.svg";
    site.write(image, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    assert_same_as_full_build(&site, &mut live, content(&site, &[image]), "image beside a page");
    site.write("static/robots-note.txt", "hello");
    assert_same_as_full_build(&site, &mut live, Change::Everything, "static file");

    // A template override and site.toml.
    site.write("templates/partials/footer-note.html", "<p>Thanks for reading.</p>");
    assert_same_as_full_build(&site, &mut live, Change::Everything, "template");
    let config = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        config.replace("A small site that uses every kind of page.", "Every kind of page."),
    );
    assert_same_as_full_build(&site, &mut live, Change::Everything, "site.toml");

    // A draft made public, and a page edited after a failed rebuild.
    let draft = "content/articles/draft-article.md";
    let draft_text = std::fs::read_to_string(site.path(draft)).unwrap();
    site.write(draft, draft_text.replace("draft = true", "draft = false"));
    assert_same_as_full_build(&site, &mut live, content(&site, &[draft]), "draft published");
    site.write(balance, "+++\ntitle = \n+++\n");
    assert!(live.rebuild(&content(&site, &[balance])).is_err());
    site.write(
        mirror,
        mirror_text.replace("Practise often", "Practise a little every day"),
    );
    assert!(
        live.rebuild(&content(&site, &[mirror])).is_err(),
        "the other page is still broken"
    );
    site.write(balance, balance_text);
    assert_same_as_full_build(&site, &mut live, content(&site, &[balance]), "after a failed rebuild");
}

/// `serve` refuses a third-party request as `build` does, on an edit linked
/// in place too, and takes the page back once it is fixed.
#[test]
fn serve_refuses_a_third_party_request_in_an_edited_page() {
    let site = SiteBuilder::fixture("clinic");
    let mut live = session(&site);
    live.rebuild(&Change::Everything).expect("the fixture builds");
    let mirror = "content/techniques/mirror-therapy.md";
    let text = std::fs::read_to_string(site.path(mirror)).unwrap();
    site.write(
        mirror,
        text.replace(
            "## How it works",
            "![Still](https://cdn.example.com/still.png)\n\n## How it works",
        ),
    );
    let report = match live.rebuild(&content(&site, &[mirror])) {
        Ok(_) => panic!("a remote image was accepted"),
        Err(report) => report.render(),
    };
    assert!(report.contains("a remote image from cdn.example.com"), "{report}");
    site.write(mirror, text);
    assert_same_as_full_build(&site, &mut live, content(&site, &[mirror]), "the image removed");
}
