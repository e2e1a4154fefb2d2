#![doc = include_str!("../README.md")]

mod client;
mod open_enum;
pub mod spec;

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
pub use generated::{ByteStream, Client, ClientInfo, Error, ResponseValue, builder, prelude};

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
