#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "__contract")]
#[doc(hidden)]
#[path = "contract.rs"]
pub mod __contract;
mod client;
pub mod download;
pub mod error;
pub mod events;
mod generated;
mod hooks;
mod open_enum;
pub mod paginate;
mod path;
pub mod progress;
pub mod retry;
pub mod spec;
pub mod sse;
pub mod tags;
pub mod upload;
pub mod wait;

pub use client::{
    API_KEY_HEADER, ClientBuilder, ClientState, ConfigError, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_USER_AGENT, ENV_API_KEY, ENV_BASE_URL, redirect_policy,
};
pub use error::{Error, ErrorKind};
pub use generated::client::{ByteStream, Client, ClientInfo, ResponseValue, prelude};
pub use retry::RetryPolicy;

/// Request builders, one per operation: `client.<operation>()` returns one.
pub mod builder {
    pub use crate::generated::client::builder::*;
    // Empty for a document without uploads, event streams or cookie parameters.
    #[allow(unused_imports)]
    pub use crate::generated::extra_ops::builder::*;
}

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

/// Types used as operation parameters and responses.
pub mod types {
    pub use crate::generated::client::types::*;
    // Empty for a document without string enums.
    #[allow(unused_imports)]
    pub use crate::generated::open_enums::*;
}

/// The client type, under the name the other Meibel SDKs use.
pub type MeibelClient = Client;
