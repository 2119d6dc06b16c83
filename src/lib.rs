//! loa: the broadcast scheduling daemon of a commune loudspeaker station.
//!
//! Data flows through the modules in this order: [`config`] and [`schedule`]
//! (files to a validated model, with located errors), [`plan`] (pure: model
//! and a time range to occurrences), [`player`] (the output trait and its
//! backends), [`playlog`] (the tamper-evident record: append, read back,
//! verify, repair) and [`report`] (the log to the reviewer's report).
//! [`daemon`] wires them together; [`cli`] is the command line.

pub mod address;
pub mod chars;
pub mod cli;
pub mod clock;
pub mod config;
pub mod daemon;
pub mod device;
pub mod escape;
pub mod forms;
pub mod hash;
pub mod i18n;
pub mod kinds;
pub mod limits;
pub mod lock;
pub mod logging;
pub mod names;
pub mod numbers;
pub mod onair;
pub mod owner;
pub mod period;
pub mod plan;
pub mod player;
pub mod playlog;
pub mod preview;
pub mod program;
pub mod publish;
pub mod report;
pub mod schedule;
pub mod sound;
pub mod station;
pub mod status;
pub mod text;
pub mod units;
pub mod whole;
pub mod yaml;
