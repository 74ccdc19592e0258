//! Watching the site folders and turning file events into [`Change`]s.
//!
//! Only what a build reads is watched: `content/`, `templates/`, `themes/`,
//! `static/` recursively, the site folder itself without recursion (for
//! site.toml and a synonyms file beside it), and the folder of a synonyms
//! file kept elsewhere (`[search] synonyms = "search/synonyms.toml"`). The
//! output folder and `.praxis/` are never watched, so serving can not
//! trigger itself.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher};

use crate::load::is_ignored_name;
use crate::serve::session::{Change, relative_path};

/// Folders whose changes rebuild the site, watched recursively.
const WATCHED_FOLDERS: [&str; 4] = ["content", "templates", "themes", "static"];

/// Editors save in bursts (write, rename, chmod): events closer than this
/// are one change.
const QUIET: Duration = Duration::from_millis(20);

/// A running watcher; dropping it stops watching.
pub(crate) struct SiteWatcher {
    watcher: RecommendedWatcher,
    root: PathBuf,
    watched: BTreeSet<String>,
    /// Files whose change rebuilds everything (see [`canonical_file_path`]),
    /// shared with the thread that classifies events.
    extra_files: Arc<Mutex<BTreeSet<PathBuf>>>,
    /// Folders watched (without recursion) for those files.
    extra_folders: BTreeSet<PathBuf>,
}

impl SiteWatcher {
    /// Starts watching `root`; changes are sent to `changes`.
    pub(crate) fn start(root: &Path, changes: Sender<Change>) -> notify::Result<SiteWatcher> {
        let (paths_tx, paths_rx) = channel();
        let watcher = notify::recommended_watcher(move |result: notify::Result<Event>| {
            // Reads (the build's own, an editor opening a file) change nothing.
            if let Ok(event) = result
                && !event.kind.is_access()
            {
                for path in event.paths {
                    let _ = paths_tx.send(path);
                }
            }
        })?;
        let event_root = root.to_path_buf();
        let extra_files = Arc::new(Mutex::new(BTreeSet::new()));
        let event_extra = extra_files.clone();
        std::thread::Builder::new()
            .name("praxis-watch".into())
            .spawn(move || debounce(&event_root, &event_extra, &paths_rx, &changes))?;
        let mut site_watcher = SiteWatcher {
            watcher,
            root: root.to_path_buf(),
            watched: BTreeSet::new(),
            extra_files,
            extra_folders: BTreeSet::new(),
        };
        site_watcher.watcher.watch(root, RecursiveMode::NonRecursive)?;
        site_watcher.watch_new_folders();
        Ok(site_watcher)
    }

    /// Watches the site folders as they are now: one created since the
    /// last call (a `templates/` folder added while serving), and one
    /// deleted and created again (`content/` restored from a copy), whose
    /// old watch went with the old folder.
    pub(crate) fn watch_new_folders(&mut self) {
        for folder in WATCHED_FOLDERS {
            let path = self.root.join(folder);
            if self.watched.remove(folder) {
                let _ = self.watcher.unwatch(&path);
            }
            if path.is_dir() && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok() {
                self.watched.insert(folder.to_string());
            }
        }
    }

    /// Watches `files` (relative to the root, such as the synonyms file;
    /// `./`, `../` and absolute paths too) besides the site folders: a change
    /// to one rebuilds everything. Each file's folder is watched without
    /// recursion, or while it does not exist, its nearest existing parent,
    /// so that the folder coming back is seen. Called after every rebuild,
    /// it watches afresh: a folder deleted since lost its watch.
    pub(crate) fn watch_files(&mut self, files: &[String]) {
        for folder in std::mem::take(&mut self.extra_folders) {
            let _ = self.watcher.unwatch(&folder);
        }
        // The site folder has its own watch, which must stay.
        let root = self.root.canonicalize().unwrap_or_else(|_| self.root.clone());
        let mut paths = BTreeSet::new();
        for file in files {
            let path = canonical_file_path(&self.root.join(file));
            let watched_by_site = relative_path(&self.root, &path)
                .is_some_and(|rel| rel.contains('/') && WATCHED_FOLDERS.contains(&rel.split('/').next().unwrap_or("")));
            let folder = path.ancestors().skip(1).find(|folder| folder.is_dir());
            if let Some(folder) = folder
                && folder != root
                && !watched_by_site
                && !self.extra_folders.contains(folder)
                && self.watcher.watch(folder, RecursiveMode::NonRecursive).is_ok()
            {
                self.extra_folders.insert(folder.to_path_buf());
            }
            paths.insert(path);
        }
        *self.extra_files.lock().unwrap_or_else(PoisonError::into_inner) = paths;
    }
}

/// `path` with its folder resolved as the file system does (symlinks,
/// `.` and `..`), so that an event's path and a configured path compare
/// equal; as given when the folder does not exist.
fn canonical_file_path(path: &Path) -> PathBuf {
    match (
        path.parent().and_then(|folder| folder.canonicalize().ok()),
        path.file_name(),
    ) {
        (Some(folder), Some(name)) => folder.join(name),
        _ => path.to_path_buf(),
    }
}

/// Gathers paths until the file system has been quiet for [`QUIET`], then
/// sends what they mean as one change.
fn debounce(root: &Path, extra_files: &Mutex<BTreeSet<PathBuf>>, paths: &Receiver<PathBuf>, changes: &Sender<Change>) {
    while let Ok(first) = paths.recv() {
        let mut batch = vec![first];
        loop {
            match paths.recv_timeout(QUIET) {
                Ok(path) => batch.push(path),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let extra = extra_files.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if let Some(change) = classify(root, &extra, batch)
            && changes.send(change).is_err()
        {
            return;
        }
    }
}

/// What a batch of changed paths means for the site, if anything;
/// `extra_files` (see [`canonical_file_path`]) rebuild everything, and so
/// does a folder holding one coming or going (outside the site folder's
/// own line of parents).
pub(crate) fn classify(
    root: &Path,
    extra_files: &BTreeSet<PathBuf>,
    paths: impl IntoIterator<Item = PathBuf>,
) -> Option<Change> {
    let mut content = BTreeSet::new();
    let mut everything = false;
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for path in paths {
        if !extra_files.is_empty() {
            let path = canonical_file_path(&path);
            if extra_files
                .iter()
                .any(|file| *file == path || (file.starts_with(&path) && !canonical_root.starts_with(&path)))
            {
                everything = true;
                continue;
            }
        }
        let Some(rel) = relative_path(root, &path) else {
            continue;
        };
        if rel.split('/').any(is_ignored_name) {
            continue;
        }
        let top = rel.split('/').next().unwrap_or("");
        match top {
            "content" if rel != "content" => {
                content.insert(PathBuf::from(rel));
            }
            "content" | "templates" | "themes" | "static" => everything = true,
            _ if !rel.contains('/') && rel.ends_with(".toml") => everything = true,
            _ => {}
        }
    }
    if everything {
        Some(Change::Everything)
    } else if content.is_empty() {
        None
    } else {
        Some(Change::Content(content))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify_rel(paths: &[&str]) -> Option<Change> {
        let extra = std::iter::once(PathBuf::from("search/synonyms.toml")).collect();
        classify(Path::new("/nowhere"), &extra, paths.iter().map(PathBuf::from))
    }

    #[test]
    fn content_edits_are_content_changes() {
        assert_eq!(
            classify_rel(&["content/a.md", "content/.a.md.swp", "content/b.md~"]),
            Some(Change::Content(
                std::iter::once(PathBuf::from("content/a.md")).collect()
            ))
        );
    }

    #[test]
    fn templates_config_and_static_rebuild_everything() {
        for path in [
            "templates/page.html",
            "site.toml",
            "synonyms.toml",
            "search/synonyms.toml",
            "static/logo.svg",
            "themes/x/a.html",
        ] {
            assert_eq!(
                classify_rel(&[path, "content/a.md"]),
                Some(Change::Everything),
                "{path}"
            );
        }
    }

    #[test]
    fn output_and_cache_folders_are_ignored() {
        assert_eq!(
            classify_rel(&[
                "public/index.html",
                ".praxis/index/meta.json",
                "notes.txt",
                "search/notes.toml"
            ]),
            None
        );
    }
}
