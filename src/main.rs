//! The `praxis` binary: parses arguments and hands over to the library.

fn main() -> std::process::ExitCode {
    // Rust ignores SIGPIPE, so printing into a closed pipe (`praxis check |
    // head`) would panic; like other command-line tools, end quietly instead.
    #[cfg(unix)]
    // SAFETY: setting a signal's action to the default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    praxis::cli::main()
}
