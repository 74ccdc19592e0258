//! What the last build wrote into an output folder, and what else is there.
//!
//! Every build writes `.praxis-manifest` into the output: the path of each
//! file it wrote. The next build replaces exactly those. Anything else in
//! the folder was put there by someone else: dot-files and dot-folders
//! (`.git/`, `.nojekyll`, `.well-known/`) and a top-level `CNAME` (GitHub
//! Pages, deploy repositories) are carried into the new output; any other
//! such file stops the build, listed, unless `--delete-foreign` allows
//! deleting it. A folder that is no Praxis output at all is never replaced.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::WriteError;

/// The manifest's file name, at the top of the output.
pub(crate) const MANIFEST: &str = ".praxis-manifest";

/// The manifest's first line: its format, so a later format can tell.
const MANIFEST_HEADER: &str = "praxis output manifest 1";

/// Written by builds from before the manifest: the static search index's
/// manifest, and the generator tag of the home page (before search).
const LEGACY_MARK: &str = "search-index/manifest.js";
const LEGACY_GENERATOR: &[u8] = b"<meta name=\"generator\" content=\"Praxis\">";

/// What an existing output folder is.
#[derive(Debug)]
pub(crate) enum PreviousOutput {
    /// Missing, empty, or holding only files a build keeps.
    Empty,
    /// An output with a manifest: the files it lists.
    Listed(HashSet<String>),
    /// An output of a Praxis from before the manifest: every file but the
    /// kept ones is taken as the build's.
    Legacy,
    /// A folder of someone else's files; never replaced.
    Foreign,
}

/// Classifies `folder` from its top level (cheap: one listing and a read).
pub(crate) fn previous_output(folder: &Path) -> PreviousOutput {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return PreviousOutput::Empty;
    };
    let only_kept = entries.flatten().all(|entry| {
        entry
            .file_name()
            .to_str()
            .is_some_and(|name| is_kept_at_top(name) && name != MANIFEST)
    });
    if only_kept {
        return PreviousOutput::Empty;
    }
    if let Ok(text) = std::fs::read_to_string(folder.join(MANIFEST))
        && let Some(paths) = parse_manifest(&text)
    {
        return PreviousOutput::Listed(paths);
    }
    let mark = std::fs::read(folder.join(LEGACY_MARK)).unwrap_or_default();
    let home = std::fs::read(folder.join("index.html")).unwrap_or_default();
    if mark.starts_with(b"PraxisSearch.receive(") || home.windows(LEGACY_GENERATOR.len()).any(|w| w == LEGACY_GENERATOR)
    {
        return PreviousOutput::Legacy;
    }
    PreviousOutput::Foreign
}

/// Whether a top-level entry of this name is someone else's to keep.
fn is_kept_at_top(name: &str) -> bool {
    name.starts_with('.') || name == "CNAME"
}

/// Whether a file at `rel` (slash-separated) is kept: under a dot-named
/// folder or a dot-file anywhere, or the top-level `CNAME`.
fn is_kept(rel: &str) -> bool {
    rel != MANIFEST && (rel == "CNAME" || rel.split('/').any(|part| part.starts_with('.')))
}

/// The manifest text for these output paths.
pub(crate) fn manifest_text<'a>(paths: impl IntoIterator<Item = &'a str>) -> String {
    let mut paths: Vec<&str> = paths.into_iter().collect();
    paths.sort_unstable();
    let mut text = String::with_capacity(paths.iter().map(|p| p.len() + 1).sum::<usize>() + 32);
    text.push_str(MANIFEST_HEADER);
    text.push('\n');
    for path in paths {
        // A file name may hold a newline; `\` escapes it and itself.
        text.push_str(&path.replace('\\', "\\\\").replace('\n', "\\n"));
        text.push('\n');
    }
    text
}

fn parse_manifest(text: &str) -> Option<HashSet<String>> {
    let mut lines = text.lines();
    if lines.next()? != MANIFEST_HEADER {
        return None;
    }
    Some(lines.map(unescape).collect())
}

fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// The files of an earlier output that are not the build's to replace.
#[derive(Debug, Default)]
pub(crate) struct Survey {
    /// Kept entries to carry into the new output (folders before their
    /// contents), as paths relative to the output.
    pub(crate) kept: Vec<PathBuf>,
    /// How many of them are files (or links), not folders.
    pub(crate) kept_files: usize,
    /// Files no build wrote and that are not kept, relative to the output.
    pub(crate) foreign: Vec<String>,
}

/// Walks the earlier output at `folder`.
pub(crate) fn survey(folder: &Path, previous: &PreviousOutput) -> Result<Survey, WriteError> {
    let mut survey = Survey::default();
    let written = match previous {
        PreviousOutput::Listed(paths) => Some(paths),
        PreviousOutput::Legacy | PreviousOutput::Empty => None,
        PreviousOutput::Foreign => return Ok(survey),
    };
    if !folder.is_dir() {
        return Ok(survey);
    }
    // Unsorted: a folder still comes before what it holds, and the foreign
    // files are sorted at the end (only for the message).
    for entry in walkdir::WalkDir::new(folder).min_depth(1) {
        let entry = entry.map_err(|err| WriteError::Io {
            path: err.path().unwrap_or(folder).to_path_buf(),
            source: err.into(),
        })?;
        let Ok(rel_path) = entry.path().strip_prefix(folder) else {
            continue;
        };
        let rel = rel_path.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/");
        let is_dir = entry.file_type().is_dir();
        if is_kept(&rel) {
            if !written.is_some_and(|paths| paths.contains(&rel)) {
                survey.kept.push(rel_path.to_path_buf());
                survey.kept_files += usize::from(!is_dir);
            }
            continue;
        }
        if is_dir || rel == MANIFEST {
            continue;
        }
        if let Some(paths) = written
            && !paths.contains(&rel)
        {
            survey.foreign.push(rel);
        }
    }
    survey.foreign.sort_unstable();
    Ok(survey)
}

/// Carries the kept entries of the earlier output at `from` into the new
/// one at `to`, where the new build wrote nothing at their path. Files are
/// hard-linked where the file system allows (a `.git/` of thousands of
/// files costs no copy, and the earlier output keeps them until the swap,
/// so a kill at any moment loses nothing), else copied.
pub(crate) fn carry_kept(from: &Path, to: &Path, kept: &[PathBuf]) -> Result<(), WriteError> {
    for rel in kept {
        let source = from.join(rel);
        let target = to.join(rel);
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| WriteError::Io { path, source }
        };
        let meta = std::fs::symlink_metadata(&source).map_err(io(&source))?;
        if meta.is_dir() {
            std::fs::create_dir_all(&target).map_err(io(&target))?;
            continue;
        }
        if std::fs::symlink_metadata(&target).is_ok() {
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        if meta.file_type().is_symlink() {
            copy_symlink(&source, &target).map_err(io(&target))?;
        } else if std::fs::hard_link(&source, &target).is_err() {
            std::fs::copy(&source, &target).map_err(io(&target))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn copy_symlink(source: &Path, target: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(std::fs::read_link(source)?, target)
}

#[cfg(not(unix))]
fn copy_symlink(source: &Path, target: &Path) -> std::io::Result<()> {
    std::fs::copy(source, target).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_round_trips_odd_names() {
        let names = ["a/index.html", "b\\c.txt", "line\nbreak.txt", "x\\n.txt"];
        let text = manifest_text(names.iter().copied());
        let parsed = parse_manifest(&text).unwrap();
        assert_eq!(parsed, names.iter().map(|s| s.to_string()).collect());
        assert!(parse_manifest("something else\na\n").is_none(), "not a manifest");
    }

    #[test]
    fn kept_paths() {
        assert!(is_kept("CNAME"));
        assert!(is_kept(".git/objects/ab/cdef"));
        assert!(is_kept("docs/.htaccess"));
        assert!(!is_kept("docs/CNAME"), "only the top-level CNAME is GitHub Pages'");
        assert!(!is_kept(MANIFEST), "the manifest is the build's own");
        assert!(!is_kept("notes.txt"));
    }

    #[test]
    fn classifies_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        assert!(matches!(previous_output(&out), PreviousOutput::Empty), "missing");
        std::fs::create_dir_all(out.join(".git")).unwrap();
        std::fs::write(out.join("CNAME"), "example.org").unwrap();
        assert!(
            matches!(previous_output(&out), PreviousOutput::Empty),
            "only kept files"
        );
        std::fs::write(out.join("index.html"), "<p>Hugo</p>").unwrap();
        assert!(matches!(previous_output(&out), PreviousOutput::Foreign));
        std::fs::write(out.join("index.html"), LEGACY_GENERATOR).unwrap();
        assert!(matches!(previous_output(&out), PreviousOutput::Legacy));
        std::fs::write(out.join(MANIFEST), "{}").unwrap();
        assert!(
            matches!(previous_output(&out), PreviousOutput::Legacy),
            "a bad manifest is none"
        );
        std::fs::write(out.join(MANIFEST), manifest_text(["index.html"])).unwrap();
        let PreviousOutput::Listed(paths) = previous_output(&out) else {
            panic!("a manifest")
        };
        assert!(paths.contains("index.html"));
    }

    #[test]
    fn survey_finds_foreign_and_kept_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        for file in [
            "index.html",
            "a/index.html",
            "notes.txt",
            "a/extra.html",
            ".git/HEAD",
            "CNAME",
            ".well-known/x",
        ] {
            let path = out.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, file).unwrap();
        }
        std::fs::write(
            out.join(MANIFEST),
            manifest_text(["index.html", "a/index.html", ".well-known/x"]),
        )
        .unwrap();
        let previous = previous_output(out);
        let survey = survey(out, &previous).unwrap();
        assert_eq!(survey.foreign, vec!["a/extra.html", "notes.txt"]);
        let mut kept: Vec<_> = survey.kept.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        let git = kept.iter().position(|k| k == ".git").unwrap();
        let head = kept.iter().position(|k| k == ".git/HEAD").unwrap();
        assert!(git < head, "a folder comes before what it holds: {kept:?}");
        kept.sort();
        assert_eq!(kept, vec![".git", ".git/HEAD", ".well-known", "CNAME"]);

        let new = tempfile::tempdir().unwrap();
        std::fs::write(new.path().join("CNAME"), "the build's own").unwrap();
        carry_kept(out, new.path(), &survey.kept).unwrap();
        assert_eq!(
            std::fs::read_to_string(new.path().join(".git/HEAD")).unwrap(),
            ".git/HEAD"
        );
        assert_eq!(
            std::fs::read_to_string(new.path().join("CNAME")).unwrap(),
            "the build's own"
        );
        assert!(
            !new.path().join(".well-known/x").exists(),
            "the build's file, not carried"
        );
    }
}
