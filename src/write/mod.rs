//! Write stage: rendered files -> output folder, atomically, deleting
//! nothing that no build wrote.
//!
//! The output path is resolved to its real folder first (`target`): a
//! symlinked output is built into the folder it points to. Everything is
//! written into a fresh work folder beside it (same file system, so renames
//! are atomic), together with the files of the earlier output that are not
//! the build's to delete (`manifest`: dot-files, `CNAME`), and a manifest of
//! what this build wrote. Only when all of it is on disk does it take the
//! earlier output's place (`swap`), in one step where the system allows. A
//! failure at any point leaves the previous output exactly as it was, and a
//! build killed at any point leaves nothing the next build does not tidy
//! (`staging`).

mod fault;
mod manifest;
mod staging;
mod swap;
mod target;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::output::{FileContents, OutputFile};

pub(crate) use manifest::MANIFEST;
pub(crate) use target::{real_path, unsafe_output};

use staging::{WorkDir, WorkFolder};

/// How many foreign files an error lists by name.
const FOREIGN_LISTED: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("refusing to use {0} as the output folder: {1}")]
    UnsafeOutput(PathBuf, String),
    #[error("output path `{0}` would leave the output folder")]
    EscapingPath(String),
    #[error("output path `{0}` is the build's own manifest; rename the file that would go there")]
    ReservedPath(String),
    #[error(
        "{} holds {} that no Praxis build wrote, and a build replaces the folder: {}\n  = hint: move {} out of the folder, \
         or run the build with --delete-foreign to delete {}; dot-files, dot-folders and a top-level CNAME are always kept",
        folder.display(),
        count(files.len()),
        list_names(files),
        if files.len() == 1 { "it" } else { "them" },
        if files.len() == 1 { "it" } else { "them" },
    )]
    ForeignFiles { folder: PathBuf, files: Vec<String> },
}

fn count(files: usize) -> String {
    if files == 1 {
        "1 file".into()
    } else {
        format!("{files} files")
    }
}

fn list_names(files: &[String]) -> String {
    let mut listed: Vec<String> = files.iter().take(FOREIGN_LISTED).map(|f| format!("`{f}`")).collect();
    if files.len() > FOREIGN_LISTED {
        listed.push(format!("and {} more", files.len() - FOREIGN_LISTED));
    }
    listed.join(", ")
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What the write stage may do beyond the usual.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Delete files in an earlier output that no build wrote, instead of
    /// stopping (`--delete-foreign`). Never applies to a folder that is no
    /// Praxis output at all.
    pub delete_foreign: bool,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct WriteReport {
    pub files: usize,
    pub bytes: u64,
    /// The folder written, symlinks resolved.
    pub folder: PathBuf,
    /// Files of the earlier output carried over (dot-files, `CNAME`).
    pub kept: usize,
}

/// Puts back an earlier output that a build killed mid-swap left aside, and
/// removes what killed builds left beside `output`. The write stage does
/// this too; a build calls it first so that even a failing one restores.
pub(crate) fn recover_interrupted(output: &Path) {
    let folder = real_path(output);
    if let Some(parent) = folder.parent()
        && parent.is_dir()
    {
        staging::recover_and_clean(parent);
    }
}

/// Writes `files` as the new content of `output` (later entries win on a
/// clash of paths), replacing the old folder only on success.
pub fn write_output(
    site_root: &Path,
    output: &Path,
    files: &[OutputFile],
    options: WriteOptions,
) -> Result<WriteReport, WriteError> {
    let folder = real_path(output);
    if let Some(reason) = target::unsafe_location(site_root, &folder) {
        return Err(WriteError::UnsafeOutput(output.to_path_buf(), reason));
    }
    let (Some(parent), Some(name)) = (folder.parent(), folder.file_name().and_then(|name| name.to_str())) else {
        return Err(WriteError::UnsafeOutput(
            output.to_path_buf(),
            "it has no folder name of its own".into(),
        ));
    };
    std::fs::create_dir_all(parent).map_err(io_error(parent))?;
    staging::recover_and_clean(parent);
    if let Some(reason) = target::foreign_folder(&folder) {
        return Err(WriteError::UnsafeOutput(output.to_path_buf(), reason));
    }
    let previous = manifest::previous_output(&folder);
    let survey = manifest::survey(&folder, &previous)?;
    if !survey.foreign.is_empty() && !options.delete_foreign {
        return Err(WriteError::ForeignFiles {
            folder: output.to_path_buf(),
            files: survey.foreign,
        });
    }

    let mut last_by_path: HashMap<&str, &OutputFile> = HashMap::with_capacity(files.len());
    for file in files {
        if file.path.split('/').any(|part| part == ".." || part.is_empty()) || file.path.starts_with('/') {
            return Err(WriteError::EscapingPath(file.path.clone()));
        }
        if file.path == MANIFEST {
            return Err(WriteError::ReservedPath(file.path.clone()));
        }
        last_by_path.insert(file.path.as_str(), file);
    }
    let staging = WorkDir::create(parent, WorkFolder::Build, name, true).map_err(io_error(parent))?;
    let bytes = write_files(staging.path(), output, &last_by_path)?;
    fault::point("after-writing");
    manifest::carry_kept(&folder, staging.path(), &survey.kept)?;
    let manifest_path = staging.path().join(MANIFEST);
    std::fs::write(&manifest_path, manifest::manifest_text(last_by_path.keys().copied()))
        .map_err(io_error(&manifest_path))?;

    swap::swap_into_place(staging, &folder, parent, name)?;
    Ok(WriteReport {
        files: last_by_path.len(),
        bytes,
        folder,
        kept: survey.kept_files,
    })
}

/// Writes the files into the work folder, every core at once; returns the
/// bytes written.
fn write_files(staging: &Path, output: &Path, files: &HashMap<&str, &OutputFile>) -> Result<u64, WriteError> {
    let folders: BTreeSet<&str> = files
        .keys()
        .filter_map(|p| p.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    for folder in folders {
        std::fs::create_dir_all(staging.join(folder)).map_err(io_error(&output.join(folder)))?;
    }
    // An error names the file as it would be in the output, not in the
    // work folder that is about to vanish.
    let bytes = files
        .par_iter()
        .map(|(path, file)| {
            write_one(&staging.join(path), &file.contents).map_err(|err| match err {
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
    Ok(bytes)
}

fn write_one(target: &Path, contents: &FileContents) -> Result<u64, WriteError> {
    match contents {
        FileContents::Text(text) => std::fs::write(target, text).map(|_| text.len() as u64),
        FileContents::Embedded(bytes) => std::fs::write(target, bytes).map(|_| bytes.len() as u64),
        FileContents::Copy(source) => std::fs::copy(source, target),
    }
    .map_err(io_error(target))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn write(root: &Path, out: &Path, files: &[(&str, &str)]) -> Result<WriteReport, WriteError> {
        let files: Vec<OutputFile> = files
            .iter()
            .map(|(path, text)| OutputFile::text(*path, text.to_string()))
            .collect();
        write_output(root, out, &files, WriteOptions::default())
    }

    /// The entries of `dir`, sorted.
    pub(crate) fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_old_output_and_keeps_last_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(dir.path(), &out, &[("stale/index.html", "old")]).unwrap();
        let report = write(
            dir.path(),
            &out,
            &[("a/index.html", "first"), ("a/index.html", "second")],
        )
        .unwrap();
        assert_eq!(report.files, 1);
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "second");
        assert!(!out.join("stale").exists());
        assert_eq!(names(dir.path()), vec!["public"]);
        assert_eq!(names(&out), vec![MANIFEST, "a"]);
    }

    #[test]
    fn keeps_dot_files_and_cname_and_stops_at_other_foreign_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(dir.path(), &out, &[("index.html", "one")]).unwrap();
        std::fs::create_dir_all(out.join(".git/refs")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/main").unwrap();
        std::fs::write(out.join("CNAME"), "clinic.example.org").unwrap();
        let report = write(dir.path(), &out, &[("index.html", "two")]).unwrap();
        assert_eq!(report.kept, 2, "two files (in two folders)");
        assert_eq!(
            std::fs::read_to_string(out.join(".git/HEAD")).unwrap(),
            "ref: refs/heads/main"
        );
        assert!(out.join(".git/refs").is_dir(), "empty folders too");
        assert_eq!(
            std::fs::read_to_string(out.join("CNAME")).unwrap(),
            "clinic.example.org"
        );

        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = write(dir.path(), &out, &[("index.html", "three")]).unwrap_err();
        assert!(
            matches!(&err, WriteError::ForeignFiles { files, .. } if files == &["notes.txt"]),
            "{err}"
        );
        assert!(err.to_string().contains("--delete-foreign"), "{err}");
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two",
            "untouched"
        );
        assert_eq!(names(dir.path()), vec!["public"], "no work folder left");

        let files = [OutputFile::text("index.html", "three".into())];
        write_output(dir.path(), &out, &files, WriteOptions { delete_foreign: true }).unwrap();
        assert!(!out.join("notes.txt").exists());
        assert!(out.join(".git/HEAD").exists() && out.join("CNAME").exists());
    }

    #[test]
    fn replaces_an_output_from_before_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("search-index")).unwrap();
        std::fs::write(
            out.join("search-index/manifest.js"),
            "PraxisSearch.receive(\"manifest.js\",{});",
        )
        .unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        write(dir.path(), &out, &[("index.html", "new")]).unwrap();
        assert_eq!(names(&out), vec![MANIFEST, "index.html"]);
        // Not a Praxis output: refused, even with --delete-foreign.
        let other = dir.path().join("hugo");
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(other.join("index.html"), "<p>Hugo</p>").unwrap();
        let files = [OutputFile::text("index.html", String::new())];
        let err = write_output(dir.path(), &other, &files, WriteOptions { delete_foreign: true }).unwrap_err();
        assert!(err.to_string().contains("no Praxis build wrote"), "{err}");
        assert_eq!(
            std::fs::read_to_string(other.join("index.html")).unwrap(),
            "<p>Hugo</p>"
        );
    }

    #[cfg(unix)]
    #[test]
    fn builds_through_a_symlink_into_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let html = dir.path().join("www/html");
        std::fs::create_dir_all(&site).unwrap();
        std::fs::create_dir_all(&html).unwrap();
        let link = site.join("public");
        std::os::unix::fs::symlink(&html, &link).unwrap();
        write(&site, &link, &[("index.html", "one")]).unwrap();
        write(&site, &link, &[("index.html", "two")]).unwrap();
        assert!(
            std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(),
            "the link stays"
        );
        assert_eq!(std::fs::read_to_string(html.join("index.html")).unwrap(), "two");
        // A file in the target that no build wrote stops the build.
        std::fs::write(html.join("keep-me.txt"), "x").unwrap();
        assert!(write(&site, &link, &[("index.html", "three")]).is_err());
        assert!(html.join("keep-me.txt").exists());
        assert_eq!(names(dir.path().join("www").as_path()), vec!["html"]);
    }

    #[test]
    fn refuses_to_replace_the_site_folder() {
        let dir = tempfile::tempdir().unwrap();
        let err = write(dir.path(), dir.path(), &[]).unwrap_err();
        assert!(matches!(err, WriteError::UnsafeOutput(..)));
    }

    #[test]
    fn refuses_paths_leaving_the_output_or_taking_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let err = write(dir.path(), &dir.path().join("public"), &[("../x", "")]).unwrap_err();
        assert!(matches!(err, WriteError::EscapingPath(_)));
        let err = write(dir.path(), &dir.path().join("public"), &[(MANIFEST, "")]).unwrap_err();
        assert!(matches!(err, WriteError::ReservedPath(_)));
        assert!(!dir.path().join("public").exists());
    }
}
