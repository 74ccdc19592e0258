//! The folders a build works in beside the output, and what a killed build
//! leaves of them.
//!
//! Each such folder `.praxis-build-XXXX/` (the new site being written) or
//! `.praxis-old-XXXX/` (an earlier output moved aside) has a lock file
//! beside it, `.praxis-build-XXXX.lock`, created and locked before the
//! folder and held until the folder is gone. A lock that nobody holds
//! belongs to a build that was killed: the next build removes its folder,
//! or, for an aside copy whose output is missing (killed between the two
//! renames of a swap without `RENAME_EXCHANGE`), puts it back. Folders
//! with no lock file come from a Praxis older than the locks and are
//! removed once they are an hour old.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// What a work folder is for: its name's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WorkFolder {
    /// The new output being written.
    Build,
    /// An earlier output moved aside during a swap.
    Aside,
}

impl WorkFolder {
    fn prefix(self) -> &'static str {
        match self {
            WorkFolder::Build => ".praxis-build-",
            WorkFolder::Aside => ".praxis-old-",
        }
    }

    fn of_name(name: &str) -> Option<WorkFolder> {
        [WorkFolder::Build, WorkFolder::Aside]
            .into_iter()
            .find(|kind| name.starts_with(kind.prefix()))
    }
}

const LOCK_SUFFIX: &str = ".lock";

/// A folder without a lock file older than this is a leftover.
const UNLOCKED_FOLDER_AGE: Duration = Duration::from_secs(3600);

/// A locked work folder beside the output; removed when dropped unless
/// [`WorkDir::release`] was called after it moved away.
#[derive(Debug)]
pub(crate) struct WorkDir {
    path: PathBuf,
    lock_path: PathBuf,
    // Held (locked) for as long as the folder may exist.
    _lock: File,
    removed: bool,
}

impl WorkDir {
    /// Creates the lock file, locks it, then the folder itself (or, with
    /// `create_folder` false, only reserves its name, for a rename onto it).
    /// The lock file records `output_name`, the output the folder belongs to.
    pub(crate) fn create(
        parent: &Path,
        kind: WorkFolder,
        output_name: &str,
        create_folder: bool,
    ) -> std::io::Result<WorkDir> {
        loop {
            let (mut file, lock_path) = tempfile::Builder::new()
                .prefix(kind.prefix())
                .suffix(LOCK_SUFFIX)
                .tempfile_in(parent)?
                .keep()
                .map_err(|err| err.error)?;
            file.lock()?;
            // Another build's cleanup may have taken and removed this lock
            // file between its creation and our lock: then it is not ours.
            if !same_file(&file, &lock_path) {
                continue;
            }
            file.write_all(output_name.as_bytes())?;
            let name = lock_path
                .file_name()
                .and_then(|name| name.to_str())
                .and_then(|name| name.strip_suffix(LOCK_SUFFIX))
                .expect("tempfile names the file with our prefix and suffix")
                .to_string();
            let path = parent.join(name);
            if create_folder && let Err(err) = std::fs::create_dir(&path) {
                let _ = std::fs::remove_file(&lock_path);
                return Err(err);
            }
            return Ok(WorkDir {
                path,
                lock_path,
                _lock: file,
                removed: false,
            });
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The folder was renamed away (into place as the output); only the
    /// lock file is left to remove.
    pub(crate) fn release(mut self) {
        self.removed = true;
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if !self.removed {
            remove_tree_parallel(&self.path);
        }
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

/// Puts back the aside copy of an earlier output when a killed swap left
/// no output in its place, then removes every work folder in `parent` that
/// no running build holds. Errors are ignored: what cannot be removed now is
/// tried again by the next build, and nothing here is needed for this one.
pub(crate) fn recover_and_clean(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let names: Vec<String> = entries
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| WorkFolder::of_name(name).is_some())
        .collect();
    for name in &names {
        let Some(folder) = name.strip_suffix(LOCK_SUFFIX) else {
            if !names.contains(&format!("{name}{LOCK_SUFFIX}")) && is_old(&parent.join(name)) {
                remove_tree_parallel(&parent.join(name));
            }
            continue;
        };
        let lock_path = parent.join(name);
        let Ok(mut lock) = File::options().read(true).write(true).open(&lock_path) else {
            continue;
        };
        if lock.try_lock().is_err() {
            continue; // a running build's
        }
        let folder = parent.join(folder);
        let mut owner = String::new();
        let _ = std::io::Read::read_to_string(&mut lock, &mut owner);
        // The aside copy of any output here, not only this build's: it may
        // be another output's only copy.
        let is_plain_name = !owner.is_empty() && !owner.contains(['/', '\\']) && owner != "..";
        let output = parent.join(&owner);
        let put_back = WorkFolder::of_name(name) == Some(WorkFolder::Aside)
            && is_plain_name
            && folder.is_dir()
            && std::fs::symlink_metadata(&output).is_err()
            && std::fs::rename(&folder, &output).is_ok();
        if !put_back {
            remove_tree_parallel(&folder);
        }
        let _ = std::fs::remove_file(&lock_path);
    }
}

fn is_old(path: &Path) -> bool {
    std::fs::symlink_metadata(path)
        .and_then(|meta| meta.modified())
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok())
        .is_some_and(|age| age > UNLOCKED_FOLDER_AGE)
}

/// Deletes a folder tree with every core. An old 10,000-page output holds
/// tens of thousands of entries; one thread deleting them one by one spent
/// most of a rebuild's write stage waiting on the disk. Never follows a
/// symlink: a link inside is removed, not what it points to.
pub(crate) fn remove_tree_parallel(path: &Path) {
    use rayon::prelude::*;
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            let _ = std::fs::remove_file(path);
            return;
        }
        Err(_) => return,
    }
    let entries: Vec<PathBuf> = match std::fs::read_dir(path) {
        Ok(entries) => entries.flatten().map(|entry| entry.path()).collect(),
        Err(_) => return,
    };
    entries.par_iter().for_each(|entry| remove_tree_parallel(entry));
    let _ = std::fs::remove_dir(path);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::tests::names;

    #[test]
    fn a_dropped_work_folder_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let work = WorkDir::create(dir.path(), WorkFolder::Build, "public", true).unwrap();
        std::fs::write(work.path().join("x"), "x").unwrap();
        assert_eq!(names(dir.path()).len(), 2, "the folder and its lock");
        drop(work);
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn cleanup_spares_held_folders_and_removes_abandoned_ones() {
        let dir = tempfile::tempdir().unwrap();
        let held = WorkDir::create(dir.path(), WorkFolder::Build, "public", true).unwrap();
        // An abandoned one, as a killed build leaves it: the folder and its
        // lock file, which nobody holds.
        let abandoned_path = dir.path().join(".praxis-build-abc123");
        std::fs::create_dir_all(abandoned_path.join("techniques")).unwrap();
        std::fs::write(dir.path().join(".praxis-build-abc123.lock"), "public").unwrap();
        // One from before the locks, an hour old, and one just made.
        let unlocked_old = dir.path().join(".praxis-build-old999");
        std::fs::create_dir(&unlocked_old).unwrap();
        let hour_ago = SystemTime::now() - Duration::from_secs(3700);
        File::open(&unlocked_old).unwrap().set_modified(hour_ago).unwrap();
        std::fs::create_dir(dir.path().join(".praxis-build-new999")).unwrap();
        std::fs::create_dir(dir.path().join("notes")).unwrap();
        recover_and_clean(dir.path());
        let left = names(dir.path());
        assert!(left.contains(&"notes".to_string()));
        assert!(left.iter().any(|n| held.path().ends_with(n)), "{left:?}");
        assert!(!abandoned_path.exists(), "{left:?}");
        assert!(!unlocked_old.exists(), "{left:?}");
        assert_eq!(
            left.len(),
            4,
            "held folder, its lock, a new unlocked one, notes: {left:?}"
        );
    }
}
