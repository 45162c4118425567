//! The last stage of every command: results → text for people (human.rs) or for
//! programs (json.rs). Must not search or extract.

pub mod human;
pub mod json;
