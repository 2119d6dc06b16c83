//! `loa publish` (SPEC §4): the programme and what aired, for the commune
//! web portal. See [`crate::publish`].

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::i18n::{Lang, PageWords, Usage, Words};
use crate::kinds::Outcome;
use crate::sound::audio::AudioCache;

/// The most weeks back `--weeks` takes: a year.
pub const MAX_WEEKS: u32 = 52;

/// Where to publish and how enclosures are addressed.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The folder the portal serves (made if missing). loa writes
    /// index.html, feed.xml, audio/ and .loa-publish.json there, and
    /// leaves everything else in it alone.
    #[arg(long)]
    pub out: PathBuf,
    /// The folder's address on the portal (http:// or https://), e.g.
    /// https://xa.example.vn/loa/: each enclosure URL in feed.xml is this
    /// plus the file's relative path. Without it, enclosure URLs are
    /// relative paths (audio/…), which some podcast apps do not follow.
    #[arg(long)]
    pub base_url: Option<String>,
    /// How many weeks back to show what aired, 1 to 52.
    #[arg(long, default_value = "4")]
    pub weeks: String,
}

/// Publishes what the arguments ask for.
pub fn command(config: &Config, lang: Lang, now: DateTime<Utc>, args: Args) -> ExitCode {
    let usage = |u: Usage| {
        eprintln!("{}", u.render(lang));
        ExitCode::from(2)
    };
    let Some(weeks) = args
        .weeks
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|w| (1..=MAX_WEEKS).contains(w))
    else {
        return usage(Usage::Weeks {
            value: args.weeks,
            max: MAX_WEEKS,
        });
    };
    let base_url = match args.base_url.as_deref().map(crate::publish::base_url) {
        None => None,
        Some(Ok(u)) => Some(u),
        Some(Err(fault)) => {
            return usage(Usage::BaseUrl {
                value: args.base_url.unwrap_or_default(),
                fault,
            });
        }
    };
    if let Err(u) = super::guard::folder(config, "--out", &args.out) {
        return usage(u);
    }
    let mut cache = AudioCache::persistent(config.state_dir.join("audio.json"));
    let w = Words::new(lang);
    let coming: Vec<crate::publish::Coming> = super::next::items(config, &mut cache, now, 7)
        .iter()
        .filter_map(|i| {
            Some(crate::publish::Coming {
                local: i.local?,
                broadcast: i.broadcast.clone(),
                topic: i.topic.clone(),
                output: i.output.clone(),
                sounds: matches!(i.outcome, Outcome::Played | Outcome::Interrupted),
                notes: super::next::notes(i, &w, false),
            })
        })
        .collect();
    cache.save();
    let opts = crate::publish::Options {
        out: args.out.clone(),
        base_url,
        weeks,
    };
    let p = PageWords::new(lang);
    match crate::publish::run(config, lang, now, &opts, &coming) {
        Ok(s) => {
            if s.skipped_lines > 0 {
                eprintln!("{}", p.skipped_note(s.skipped_lines));
            }
            if s.changed > 0 {
                eprintln!("{}", p.changed_note(s.changed));
            }
            for f in &s.foreign {
                eprintln!("{}", p.foreign_note(f));
            }
            println!(
                "{}",
                p.done(
                    &args.out.display().to_string(),
                    s.aired,
                    s.copied,
                    s.removed
                )
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", p.failed(&e));
            ExitCode::from(1)
        }
    }
}
