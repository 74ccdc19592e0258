//! `praxis serve`.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::build::site_root;
use crate::serve::{ServeOptions, run as serve};

pub(crate) fn run(root: Option<PathBuf>, bind: IpAddr, port: u16, drafts: bool, timings: bool) -> ExitCode {
    let options = ServeOptions {
        root: site_root(root.as_deref()),
        bind,
        port,
        drafts,
        timings,
    };
    match serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(1)
        }
    }
}
