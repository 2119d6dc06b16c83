//! `loa status`: the daemon's status file, for people or as JSON.

use std::process::ExitCode;

use chrono::{DateTime, FixedOffset, Utc};

use crate::config::Config;
use crate::i18n::{Lang, StatusPart, Words};
use crate::status::{Liveness, Status};

/// Prints the status; exit 0 when the daemon is up.
pub fn command(config: &Config, lang: Lang, now: DateTime<Utc>, json: bool) -> ExitCode {
    use crate::status;
    let s = match status::read(&config.state_dir) {
        Ok(s) => s,
        Err(e) => {
            let file = config.shown(&config.state_dir.join(status::FILE));
            eprintln!("{}: {e}", file.display());
            eprintln!("{}", Words::new(lang).never_ran());
            return ExitCode::from(1);
        }
    };
    let live = status::liveness(&s, now);
    if json {
        let mut v = serde_json::to_value(&s).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.insert(
                "state".into(),
                serde_json::to_value(live).unwrap_or_default(),
            );
        }
        println!("{v}");
    } else {
        print!("{}", render(&s, live, now, lang));
    }
    if live == Liveness::Up {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `HH:MM:SS` of an RFC 3339 time, or the text as it is.
fn clock(t: &str) -> String {
    DateTime::<FixedOffset>::parse_from_rfc3339(t)
        .map(|t| t.format("%H:%M:%S").to_string())
        .unwrap_or_else(|_| t.to_string())
}

/// `loa status` for people.
fn render(s: &Status, live: Liveness, now: DateTime<Utc>, lang: Lang) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    let age = DateTime::parse_from_rfc3339(&s.updated_at)
        .map(|t| (now - t.with_timezone(&Utc)).num_seconds())
        .unwrap_or(0);
    let since = s.updated_at.replace('T', " ");
    let words = crate::i18n::Words::new(lang);
    let _ = writeln!(
        o,
        "{}",
        match live {
            Liveness::Up => words.status_up(s.pid, &s.started_at.replace('T', " "), age),
            Liveness::Stale => words.status_stale(s.pid, age),
            Liveness::Down => words.status_down(&since),
        }
    );
    if live == Liveness::Up {
        let several = s.outputs.len() > 1;
        for p in &s.on_air {
            let output = if several {
                format!(" [{}]", p.output)
            } else {
                String::new()
            };
            let _ = writeln!(
                o,
                "{}{output}: {} ({}, {}), {} {}",
                words.status_heading(StatusPart::OnAir),
                p.broadcast,
                p.topic,
                words.priority(p.priority),
                words.until(),
                clock(&p.until)
            );
            if let Some(src) = &p.source {
                let _ = writeln!(o, "  {}: {src}", words.relaying());
            }
        }
        if s.on_air.is_empty() {
            let _ = writeln!(o, "{}", words.status_heading(StatusPart::NothingOnAir));
        }
    }
    if !s.warnings.is_empty() {
        let _ = writeln!(o, "\n{}:", words.status_heading(StatusPart::Warnings));
        for w in &s.warnings {
            let _ = writeln!(o, "  ⚠ {}", w.message(lang));
        }
    }
    if !s.next.is_empty() {
        let _ = writeln!(o, "\n{}:", words.status_heading(StatusPart::Next));
        for n in &s.next {
            let skip = n
                .skip
                .as_ref()
                .map(|r| format!("  ({})", crate::report::labels::reason(lang, r)))
                .unwrap_or_default();
            let output = if s.outputs.len() > 1 {
                format!(" → {}", n.output)
            } else {
                String::new()
            };
            let _ = writeln!(
                o,
                "  {}  {}  [{}, {}]{output}{skip}",
                n.time.replace('T', " ").get(..19).unwrap_or(&n.time),
                n.broadcast,
                n.topic,
                crate::i18n::Words::new(lang).priority(n.priority)
            );
        }
    }
    if !s.last.is_empty() {
        let _ = writeln!(o, "\n{}:", words.status_heading(StatusPart::Last));
        for l in &s.last {
            let why = l
                .reason
                .as_ref()
                .map(|r| format!(": {}", crate::report::labels::reason(lang, r)))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "  {}  {}  {}{why}",
                l.scheduled
                    .replace('T', " ")
                    .get(..19)
                    .unwrap_or(&l.scheduled),
                l.broadcast,
                crate::report::labels::outcome(lang, Some(l.outcome))
            );
        }
    }
    if !s.refused.is_empty() {
        let _ = writeln!(o, "\n{}:", words.status_heading(StatusPart::Refused));
        for r in &s.refused {
            for d in &r.diagnostics {
                let _ = writeln!(o, "{}", d.render(lang));
            }
        }
    }
    o
}
