//! The generated client and its hand-written `reqwest` equivalent, and a server for the
//! operations both call.
// Each benchmark uses its own part of this module.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use meibel::ClientInfo;
use meibel::types::{AgentDetailResponse, AgentListResponse, CreateDatasourceRequest, DatasourceResponse};
use reqwest::header::{ACCEPT, HeaderName, HeaderValue, USER_AGENT};

use testkit::bench::*;

/// The hand-written equivalent of the generated client: the same `reqwest` settings, the
/// same four headers, the same decode.
pub struct Raw {
    http: reqwest::Client,
    base: String,
    key: HeaderValue,
    agent: HeaderValue,
    api_version: HeaderValue,
}

impl Raw {
    pub fn new(addr: SocketAddr) -> Raw {
        let mut key = HeaderValue::from_static(API_KEY);
        key.set_sensitive(true);
        Raw {
            http: reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(10))
                .read_timeout(Duration::from_secs(300))
                .redirect(meibel::redirect_policy())
                .build()
                .expect("reqwest client"),
            base: format!("http://{addr}/v2"),
            key,
            agent: HeaderValue::from_static(meibel::DEFAULT_USER_AGENT),
            api_version: HeaderValue::from_static(meibel::Client::api_version()),
        }
    }

    fn with_headers(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        rb.header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(HeaderName::from_static("api-version"), self.api_version.clone())
            .header(HeaderName::from_static("meibel-api-key"), self.key.clone())
            .header(USER_AGENT, self.agent.clone())
    }

    async fn decode<T: serde::de::DeserializeOwned>(rb: reqwest::RequestBuilder) -> T {
        let resp = rb.send().await.expect("send");
        assert!(resp.status().is_success(), "status {}", resp.status());
        let body = resp.bytes().await.expect("body");
        serde_json::from_slice(&body).expect("decode")
    }

    pub async fn get_agent(&self, id: &str) -> AgentDetailResponse {
        Self::decode(self.with_headers(self.http.get(format!("{}/agents/{id}", self.base)))).await
    }

    pub async fn list_agents(&self) -> AgentListResponse {
        Self::decode(self.with_headers(self.http.get(format!("{}/agents", self.base)))).await
    }

    pub async fn create_datasource(&self, body: &CreateDatasourceRequest) -> DatasourceResponse {
        Self::decode(self.with_headers(self.http.post(format!("{}/datasources", self.base)).json(body))).await
    }
}

pub fn generated(addr: SocketAddr, policy: meibel::RetryPolicy) -> meibel::Client {
    meibel::Client::builder()
        .api_key(API_KEY)
        .base_url(format!("http://{addr}/v2"))
        .retry_policy(policy)
        .build()
        .expect("client")
}

/// A server answering the three operations used here: `GET /v2/agents/{id}`,
/// `GET /v2/agents` (with `list_len` items) and `POST /v2/datasources`.
pub fn server(list_len: usize) -> SocketAddr {
    let detail = json_reply(&agent_detail());
    let list = json_reply(&agent_list(list_len));
    let ds = json_reply(&datasource());
    start_server(Arc::new(move |method, path| match (method, path) {
        ("GET", "/v2/agents") => list.clone(),
        ("GET", _) => detail.clone(),
        _ => ds.clone(),
    }))
}
