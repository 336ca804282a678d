//! jieyue (解约): cancel memberships and turn auto-renewal off in a real browser, with
//! tamper-evident evidence. Stages: script → plan → run → evidence.

// The message catalogue (every file in `locales/`): what a person reads, in 中文 and English.
rust_i18n::i18n!("locales", fallback = "en");

pub mod browser;
pub mod cli;
pub mod demo;
pub mod evidence;
pub mod locate;
pub mod outcome;
pub mod record;
pub mod runner;
pub mod said;
pub mod script;
pub mod secret;
