#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[doc(hidden)]
#[path = "contract.rs"]
pub mod __contract;
mod client;
pub mod download;
pub mod error;
pub mod events;
mod open_enum;
pub mod paginate;
mod path;
pub mod retry;
pub mod spec;
pub mod sse;
pub mod tags;
pub mod upload;
pub mod wait;

#[allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    unused_imports,
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/meibel_client.rs"));
}

pub use client::{
    API_KEY_HEADER, ClientBuilder, ClientState, ConfigError, DEFAULT_BASE_URL, DEFAULT_USER_AGENT,
    ENV_API_KEY, ENV_BASE_URL, redirect_policy,
};
pub use error::{ApiError, ErrorExt};
pub use generated::{ByteStream, Client, ClientInfo, Error, ResponseValue, prelude};
pub use retry::RetryPolicy;

/// Request builders, one per operation: `client.<operation>()` returns one.
pub mod builder {
    pub use crate::extra_ops::builder::*;
    pub use crate::generated::builder::*;
}

/// Methods for multipart uploads and event streams, emitted by the build step.
#[allow(clippy::all, unused_imports)]
mod extra_ops {
    include!(concat!(env!("OUT_DIR"), "/meibel_ops.rs"));
}

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

/// Types used as operation parameters and responses.
pub mod types {
    pub use crate::generated::types::*;
    pub use crate::open_enums::*;
}

/// The string enums of the API, each open to values added after this crate was built.
mod open_enums {
    include!(concat!(env!("OUT_DIR"), "/meibel_enums.rs"));
}

/// The client type, under the name the other Meibel SDKs use.
pub type MeibelClient = Client;
