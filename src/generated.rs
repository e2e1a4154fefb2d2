//! Everything the build step writes to `$OUT_DIR`, included in one place. The crate root
//! re-exports what users see; nothing here is written by hand.

/// The generator's client, builders and types.
#[allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    unused_imports,
    dead_code,
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags
)]
pub(crate) mod client {
    include!(concat!(env!("OUT_DIR"), "/meibel_client.rs"));
}
pub(crate) use client::Client;

/// Methods for multipart uploads and event streams, emitted by the build step.
#[allow(clippy::all, unused_imports)]
pub(crate) mod extra_ops {
    include!(concat!(env!("OUT_DIR"), "/meibel_ops.rs"));
}

/// The string enums of the API, each open to values added after this crate was built.
pub(crate) mod open_enums {
    include!(concat!(env!("OUT_DIR"), "/meibel_enums.rs"));
}

/// The operation table and the API's version and title.
pub(crate) mod spec_tables {
    include!(concat!(env!("OUT_DIR"), "/meibel_extras.rs"));
}

/// The contract tests' dispatcher (hidden feature `__contract`): its generated code reads
/// the support types of [`crate::__contract`] from here.
#[cfg(feature = "__contract")]
pub(crate) mod contract {
    #[allow(unused_imports)]
    use crate::__contract::{Args, FileArg, Outcome, arg, render};

    #[allow(clippy::all, unused_imports)]
    pub(crate) mod dispatch {
        include!(concat!(env!("OUT_DIR"), "/meibel_contract.rs"));
    }
}
