//! What the crate knows about the spec it was built from.

/// How an operation of the spec is exposed by this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// A method generated on [`Client`](crate::Client) from the spec.
    Generated,
    /// A method on [`Client`](crate::Client) emitted by the crate's own build step, for
    /// a construct the general generator does not cover; the string names it.
    BuildStep(&'static str),
}

/// One operation of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The `operationId`.
    pub operation_id: &'static str,
    /// The name of the method on [`Client`](crate::Client).
    pub method_name: &'static str,
    /// The HTTP method, upper case.
    pub http_method: &'static str,
    /// The path template, relative to the base URL.
    pub path: &'static str,
    /// The operation's tags.
    pub tags: &'static [&'static str],
    /// The operation's summary.
    pub summary: &'static str,
    /// How the crate exposes it.
    pub support: Support,
}

pub use crate::generated::spec_tables::*;

/// Look up an operation by its `operationId`.
pub fn operation(operation_id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|o| o.operation_id == operation_id)
}
