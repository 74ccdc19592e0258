//! The `praxis` binary: parses arguments and hands over to the library.

fn main() -> std::process::ExitCode {
    praxis::cli::main()
}
