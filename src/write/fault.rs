//! Faults injected by the tests, in debug builds only: `PRAXIS_FAULT=NAME` (several: comma-separated)
//! kills the process (SIGKILL, no clean-up of any kind) when the write stage
//! reaches the point NAME, or, for `no-exchange`, makes the one-step swap
//! unavailable, so the whole-site tests can kill a build between any two
//! steps and check what the next build finds. Release builds compile this
//! to nothing.

/// The environment variable naming the fault.
#[cfg(debug_assertions)]
const FAULT_VAR: &str = "PRAXIS_FAULT";

/// Kills the process here when the fault `name` is asked for.
pub(crate) fn point(name: &str) {
    #[cfg(debug_assertions)]
    if std::env::var(FAULT_VAR).is_ok_and(|fault| fault.split(',').any(|f| f == name)) {
        kill_self();
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}

/// Whether the tests asked for the two-rename swap.
pub(crate) fn exchange_disabled() -> bool {
    #[cfg(debug_assertions)]
    return std::env::var(FAULT_VAR).is_ok_and(|fault| fault.split(',').any(|f| f == "no-exchange"));
    #[cfg(not(debug_assertions))]
    false
}

#[cfg(debug_assertions)]
fn kill_self() -> ! {
    #[cfg(unix)]
    // SAFETY: kill(2) with this process's own id; SIGKILL ends it at once.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGKILL);
    }
    std::process::abort()
}
