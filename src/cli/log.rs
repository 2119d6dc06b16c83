//! `loa log verify`: the play log's chain, order and outcomes.

use std::process::ExitCode;

use crate::config::Config;
use crate::i18n::{Lang, Words};

/// Checks the whole log; exit 1 and the first bad line when anything is wrong.
pub fn verify(config: &Config, lang: Lang) -> ExitCode {
    let words = Words::new(lang);
    let dir = config.shown(&config.playlog_dir).display().to_string();
    // An intact log is checked as a stream, in memory that does not grow
    // with it; any fault, and the whole log is read again to name them all.
    if let Some(v) = crate::playlog::verify(&config.playlog_dir) {
        if v.files.is_empty() {
            eprintln!("{}", words.verify_no_log(&dir));
            return ExitCode::from(1);
        }
        let mut out = String::new();
        for (id, at) in &v.open {
            out.push_str(&words.verify_open(id, &format!("{dir}/{at}")));
            out.push('\n');
        }
        out.push_str(&words.verify_ok(v.files.len(), v.lines));
        out.push('\n');
        out.push_str(&format!("{}: {}\n", words.head(), v.head));
        print!("{out}");
        return ExitCode::SUCCESS;
    }
    let scan = crate::playlog::scan(&config.playlog_dir);
    if scan.files.is_empty() {
        // Nothing to vouch for is not an intact log: a wrong `playlog:` in
        // config.yaml, or a log that was moved away, must not pass.
        eprintln!("{}", words.verify_no_log(&dir));
        return ExitCode::from(1);
    }
    let mut out = String::new();
    for (id, at) in &scan.open {
        out.push_str(&words.verify_open(id, &format!("{dir}/{at}")));
        out.push('\n');
    }
    let code = match scan.first_fault() {
        None => {
            out.push_str(&words.verify_ok(scan.files.len(), scan.lines.len()));
            out.push('\n');
            ExitCode::SUCCESS
        }
        Some(first) => {
            let mut err = String::new();
            for f in &scan.faults {
                err.push_str(&format!(
                    "{dir}/{}: {}\n",
                    f.location(),
                    words.problem(&f.problem)
                ));
            }
            err.push_str(
                &words.verify_bad(scan.faults.len(), &format!("{dir}/{}", first.location())),
            );
            eprintln!("{err}");
            ExitCode::from(1)
        }
    };
    out.push_str(&format!("{}: {}\n", words.head(), scan.head));
    print!("{out}");
    // See `report`: exit without freeing a year of lines one by one.
    std::mem::forget(scan);
    code
}
