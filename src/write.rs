//! Write stage: rendered files -> output folder, atomically.
//!
//! Everything is written into a fresh temporary folder beside the output
//! (same file system, so renames are atomic), and only when all of it is on
//! disk is the old folder renamed away and the new one renamed into place.
//! A failure at any point leaves the previous output exactly as it was.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::{FileContents, OutputFile};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("refusing to use {0} as the output folder: {1}")]
    UnsafeOutput(PathBuf, String),
    #[error("output path `{0}` would leave the output folder")]
    EscapingPath(String),
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What was written.
#[derive(Debug, Clone, Copy)]
pub struct WriteReport {
    pub files: usize,
    pub bytes: u64,
}

/// Writes `files` as the new content of `output` (later entries win on a
/// clash of paths), replacing the old folder only on success.
pub fn write_output(site_root: &Path, output: &Path, files: &[OutputFile]) -> Result<WriteReport, WriteError> {
    guard_output(site_root, output)?;
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io_error(parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".praxis-build-")
        .tempdir_in(parent)
        .map_err(io_error(parent))?;

    let mut last_by_path: HashMap<&str, &OutputFile> = HashMap::with_capacity(files.len());
    for file in files {
        if file.path.split('/').any(|part| part == ".." || part.is_empty()) || file.path.starts_with('/') {
            return Err(WriteError::EscapingPath(file.path.clone()));
        }
        last_by_path.insert(file.path.as_str(), file);
    }
    let folders: BTreeSet<&str> = last_by_path
        .keys()
        .filter_map(|p| p.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    for folder in folders {
        std::fs::create_dir_all(staging.path().join(folder)).map_err(io_error(&output.join(folder)))?;
    }
    // An error names the file as it would be in the output, not in the
    // staging folder that is about to vanish.
    let bytes: u64 = last_by_path
        .par_iter()
        .map(|(path, file)| {
            write_one(&staging.path().join(path), &file.contents).map_err(|err| match err {
                WriteError::Io { source, .. } => WriteError::Io {
                    path: output.join(path),
                    source,
                },
                other => other,
            })
        })
        .collect::<Result<Vec<u64>, WriteError>>()?
        .into_iter()
        .sum();

    swap_into_place(staging, output, parent)?;
    Ok(WriteReport {
        files: last_by_path.len(),
        bytes,
    })
}

fn write_one(target: &Path, contents: &FileContents) -> Result<u64, WriteError> {
    match contents {
        FileContents::Text(text) => std::fs::write(target, text).map(|_| text.len() as u64),
        FileContents::Embedded(bytes) => std::fs::write(target, bytes).map(|_| bytes.len() as u64),
        FileContents::Copy(source) => std::fs::copy(source, target),
    }
    .map_err(io_error(target))
}

/// Renames the finished staging folder to `output`, moving an old output
/// aside first and deleting it only after the new one is in place.
fn swap_into_place(staging: tempfile::TempDir, output: &Path, parent: &Path) -> Result<(), WriteError> {
    if output.exists() {
        let old = tempfile::Builder::new()
            .prefix(".praxis-old-")
            .tempdir_in(parent)
            .map_err(io_error(parent))?;
        let old_path = old.path().join("previous");
        std::fs::rename(output, &old_path).map_err(io_error(output))?;
        if let Err(source) = std::fs::rename(staging.path(), output) {
            // Put the previous output back before reporting.
            let _ = std::fs::rename(&old_path, output);
            return Err(WriteError::Io {
                path: output.to_path_buf(),
                source,
            });
        }
        let _ = staging.keep();
        remove_tree_parallel(&old_path);
        drop(old); // removes what is left of the previous output
    } else {
        std::fs::rename(staging.path(), output).map_err(io_error(output))?;
        let _ = staging.keep();
    }
    Ok(())
}

/// Deletes a folder tree with every core. An old 10,000-page output holds
/// tens of thousands of entries; one thread deleting them one by one spent
/// most of a rebuild's write stage waiting on the disk.
fn remove_tree_parallel(path: &Path) {
    let entries: Vec<PathBuf> = match std::fs::read_dir(path) {
        Ok(entries) => entries.flatten().map(|entry| entry.path()).collect(),
        Err(_) => return,
    };
    entries
        .par_iter()
        .for_each(|entry| match std::fs::symlink_metadata(entry) {
            Ok(metadata) if metadata.is_dir() => remove_tree_parallel(entry),
            _ => {
                let _ = std::fs::remove_file(entry);
            }
        });
    let _ = std::fs::remove_dir(path);
}

/// The output folder must not be the site folder or one of its ancestors,
/// nor inside its sources or cache, nor a file, nor a folder of files that
/// no build wrote: replacing it would delete them (and an output inside
/// `static/` would be copied into itself).
fn guard_output(site_root: &Path, output: &Path) -> Result<(), WriteError> {
    match unsafe_output(site_root, output) {
        Some(reason) => Err(WriteError::UnsafeOutput(output.to_path_buf(), reason)),
        None => Ok(()),
    }
}

/// Folders of a site that the output must stay out of.
const SITE_FOLDERS: &[&str] = &["content", "static", "templates", "themes", ".praxis"];

/// Why `output` cannot be the output folder of the site at `site_root`, or
/// `None` when it can. Paths are compared as the file system resolves them
/// (`public/../content` is `content`, a symlink is followed), so no spelling
/// gets around the check.
pub fn unsafe_output(site_root: &Path, output: &Path) -> Option<String> {
    let root = resolve(site_root);
    let out = resolve(output);
    if root.starts_with(&out) {
        return Some("it holds the site itself".into());
    }
    if let Some(folder) = SITE_FOLDERS.iter().find(|folder| out.starts_with(root.join(folder))) {
        return Some(format!("it is inside the site's `{folder}/` folder"));
    }
    if std::fs::metadata(&out).is_ok_and(|metadata| !metadata.is_dir()) {
        return Some("it is a file, not a folder".into());
    }
    if holds_foreign_files(&out) {
        return Some(format!(
            "it already holds files that no Praxis build wrote (a Praxis output has `{BUILD_MARK}`), \
             and a build replaces the whole folder; empty it, or choose a new folder"
        ));
    }
    None
}

/// A file every Praxis build writes (the static search index's manifest),
/// by which the write stage knows a folder it may replace.
pub const BUILD_MARK: &str = "search-index/manifest.js";

/// Whether `folder` exists, is not empty, and is not the output of an
/// earlier build. Replacing such a folder would delete someone's files:
/// `--output ~` must not empty a home folder. An output is known by the
/// search manifest, or (written before search existed) by the default
/// theme's generator tag on its home page.
fn holds_foreign_files(folder: &Path) -> bool {
    let Ok(mut entries) = std::fs::read_dir(folder) else {
        return false;
    };
    if entries.next().is_none() {
        return false;
    }
    let mark = std::fs::read(folder.join(BUILD_MARK)).unwrap_or_default();
    let home = std::fs::read(folder.join("index.html")).unwrap_or_default();
    let generator = b"<meta name=\"generator\" content=\"Praxis\">";
    !mark.starts_with(b"PraxisSearch.receive(") && !home.windows(generator.len()).any(|w| w == generator)
}

/// `path` as the file system sees it: absolute, every part that exists with
/// its symlinks resolved, and `.` and `..` applied to the rest.
fn resolve(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut resolved = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            other => {
                resolved.push(other);
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_old_output_and_keeps_last_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("stale")).unwrap();
        std::fs::write(out.join("stale/index.html"), "old").unwrap();
        mark_as_built(&out);
        let files = vec![
            OutputFile::text("a/index.html", "first".into()),
            OutputFile::text("a/index.html", "second".into()),
        ];
        let report = write_output(dir.path(), &out, &files).unwrap();
        assert_eq!(report.files, 1);
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "second");
        assert!(!out.join("stale").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    /// Makes `folder` look like an earlier build's output.
    fn mark_as_built(folder: &Path) {
        std::fs::create_dir_all(folder.join("search-index")).unwrap();
        std::fs::write(folder.join(BUILD_MARK), "PraxisSearch.receive(\"manifest.js\",{});").unwrap();
    }

    #[test]
    fn replaces_only_an_empty_folder_or_an_earlier_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("search-index")).unwrap();
        assert!(holds_foreign_files(&out), "a folder is not empty");
        // A file of the mark's name but not its contents is not the mark.
        std::fs::write(out.join(BUILD_MARK), "{}").unwrap();
        let err = write_output(dir.path(), &out, &[]).unwrap_err();
        assert!(err.to_string().contains("no Praxis build wrote"), "{err}");
        assert!(out.join(BUILD_MARK).exists(), "left as it was");
        mark_as_built(&out);
        assert!(!holds_foreign_files(&out));
        std::fs::remove_dir_all(out.join("search-index")).unwrap();
        std::fs::write(out.join("index.html"), "<p>Hugo</p>").unwrap();
        assert!(holds_foreign_files(&out));
        std::fs::write(out.join("index.html"), "<meta name=\"generator\" content=\"Praxis\">").unwrap();
        assert!(!holds_foreign_files(&out), "an output from before search");
        std::fs::remove_dir_all(&out).unwrap();
        std::fs::create_dir(&out).unwrap();
        assert!(!holds_foreign_files(&out), "an empty folder");
        assert!(!holds_foreign_files(&dir.path().join("missing")));
    }

    #[test]
    fn refuses_to_replace_the_site_folder() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_output(dir.path(), dir.path(), &[]).unwrap_err();
        assert!(matches!(err, WriteError::UnsafeOutput(..)));
    }

    #[test]
    fn no_spelling_of_a_source_folder_gets_through() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/notes")).unwrap();
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("site.toml"), "").unwrap();
        let refused = |output: &str| unsafe_output(root, &root.join(output));
        assert_eq!(
            refused("public/../content").unwrap(),
            "it is inside the site's `content/` folder"
        );
        assert!(refused("./content/notes/../notes").is_some());
        assert!(
            refused("static/out").is_some(),
            "an output inside static/ would be copied into itself"
        );
        assert!(refused("..").is_some());
        assert!(refused("public/..").is_some());
        assert!(refused(".praxis/out").is_some());
        assert_eq!(refused("site.toml").unwrap(), "it is a file, not a folder");
        assert_eq!(refused("public"), None);
        assert_eq!(refused("out/../public"), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("content"), root.join("link")).unwrap();
            assert!(refused("link").is_some(), "a symlink to content/ is content/");
        }
    }

    #[test]
    fn refuses_paths_leaving_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_output(
            dir.path(),
            &dir.path().join("public"),
            &[OutputFile::text("../x", String::new())],
        )
        .unwrap_err();
        assert!(matches!(err, WriteError::EscapingPath(_)));
        assert!(!dir.path().join("public").exists());
    }
}
