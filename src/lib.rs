//! jieyue (解约): cancel memberships and turn auto-renewal off in a real browser, with
//! tamper-evident evidence. Stages: script → plan → run → evidence.

pub mod browser;
pub mod demo;
pub mod locate;
pub mod script;
pub mod secret;
