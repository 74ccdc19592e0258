//! Putting a finished output in place of the earlier one, with a complete
//! output at every instant.
//!
//! Where the system can swap two folders in one step (Linux's
//! `renameat2(RENAME_EXCHANGE)`, macOS's `RENAME_SWAP`), the new folder and
//! the old trade names at once, and the old one, now at the work folder's
//! name, is deleted after. Elsewhere, or on a file system that refuses the
//! swap, it takes two renames: the old output aside (as a locked work
//! folder recording which output it is), then the new one in place. A
//! build killed between them leaves no output for a moment; the next build
//! puts the aside copy back before anything else (`staging`).

use std::path::Path;

use super::WriteError;
use super::fault;
use super::staging::{WorkDir, WorkFolder};

/// Renames the finished `staging` folder to `output` (a real path: no
/// symlink), deleting the earlier output only once the new one is there.
pub(crate) fn swap_into_place(
    staging: WorkDir,
    output: &Path,
    parent: &Path,
    output_name: &str,
) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: output.to_path_buf(),
        source,
    };
    if std::fs::symlink_metadata(output).is_err() {
        std::fs::rename(staging.path(), output).map_err(io)?;
        staging.release();
        return Ok(());
    }
    match exchange(staging.path(), output) {
        Ok(()) => {
            fault::point("after-exchange");
            // The work folder now holds the earlier output: dropping it
            // deletes that.
            drop(staging);
            Ok(())
        }
        Err(err) if is_unsupported(&err) => {
            let aside = WorkDir::create(parent, WorkFolder::Aside, output_name, false).map_err(io)?;
            std::fs::rename(output, aside.path()).map_err(io)?;
            fault::point("after-aside");
            if let Err(source) = std::fs::rename(staging.path(), output) {
                // Put the earlier output back before reporting.
                if std::fs::rename(aside.path(), output).is_ok() {
                    aside.release();
                }
                return Err(io(source));
            }
            staging.release();
            drop(aside);
            Ok(())
        }
        Err(err) => Err(io(err)),
    }
}

/// Swaps the names of two existing folders in one step.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    if fault::exchange_disabled() {
        return Err(std::io::Error::from(std::io::ErrorKind::Unsupported));
    }
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Whether the swap failed because the system or file system cannot do it
/// (old kernels: ENOSYS; file systems without it: EINVAL or ENOTSUP).
fn is_unsupported(err: &std::io::Error) -> bool {
    #[cfg(unix)]
    if let Some(code) = err.raw_os_error() {
        return [libc::ENOSYS, libc::EINVAL, libc::ENOTSUP, libc::EOPNOTSUPP].contains(&code);
    }
    err.kind() == std::io::ErrorKind::Unsupported
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staged(parent: &Path, text: &str) -> WorkDir {
        let work = WorkDir::create(parent, WorkFolder::Build, "public", true).unwrap();
        std::fs::write(work.path().join("index.html"), text).unwrap();
        work
    }

    #[test]
    fn swaps_in_the_new_output_and_removes_the_old() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        swap_into_place(staged(dir.path(), "one"), &output, dir.path(), "public").unwrap();
        assert_eq!(std::fs::read_to_string(output.join("index.html")).unwrap(), "one");
        swap_into_place(staged(dir.path(), "two"), &output, dir.path(), "public").unwrap();
        assert_eq!(std::fs::read_to_string(output.join("index.html")).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("public")],
            "nothing left beside it"
        );
    }

    #[test]
    fn an_aside_copy_left_by_a_kill_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        // As a build killed between the two renames leaves it.
        let aside = dir.path().join(".praxis-old-k1ll3d");
        std::fs::create_dir(&aside).unwrap();
        std::fs::write(aside.join("index.html"), "earlier").unwrap();
        std::fs::write(dir.path().join(".praxis-old-k1ll3d.lock"), "public").unwrap();
        // Whichever build comes next puts it back, whatever its own output.
        super::super::staging::recover_and_clean(dir.path());
        let output = dir.path().join("public");
        assert_eq!(std::fs::read_to_string(output.join("index.html")).unwrap(), "earlier");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }
}
