#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

#[cfg(feature = "__contract")]
#[doc(hidden)]
#[path = "contract.rs"]
pub mod __contract;
mod client;
pub mod download;
pub mod error;
mod generated;
mod hooks;
mod open_enum;
pub mod paginate;
mod path;
pub mod progress;
pub mod retry;
pub mod spec;
pub mod sse;
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
    pub use crate::generated::extra_ops::builder::*;
}

/// Typed mocks for testing code that uses this crate (feature `mock`).
///
/// Every operation of the spec gets a method on [`httpmock::MockServer`] through
/// [`mock::MockServerExt`], with typed matchers for its parameters and body and typed
/// replies:
///
/// ```
/// use meibel::mock::MockServerExt;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let server = httpmock::MockServer::start_async().await;
/// let mock = server.get_ingest_status(|when, then| {
///     when.datasource_id("ds_1");
///     then.ok(&meibel::types::IngestStatusResponse::builder()
///         .datasource_id("ds_1")
///         .status(meibel::types::IngestStatus::Completed)
///         .try_into()
///         .unwrap());
/// });
/// let client = meibel::Client::builder().api_key("test").base_url(server.base_url()).build().unwrap();
/// let status = client.get_ingest_status().datasource_id("ds_1").send().await.unwrap();
/// assert_eq!(status.status, meibel::types::IngestStatus::Completed);
/// mock.assert();
/// # });
/// ```
#[cfg(feature = "mock")]
pub mod mock {
    pub use crate::generated::mock::*;
}

/// Types used as operation parameters and responses.
pub mod types {
    pub use crate::generated::client::types::*;
    pub use crate::generated::open_enums::*;
}

/// The client type, under the name the other Meibel SDKs use.
pub type MeibelClient = Client;
