//! Checks that hold for whichever spec the crate was built from, plus checks specific to
//! the variants made by `cargo xtask variants` (run with `MEIBEL_OPENAPI_SPEC`).

use serde_json::Value;

fn built_spec() -> Value {
    let path = match option_env!("MEIBEL_OPENAPI_SPEC") {
        Some(p) => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(p),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/api-v2.json"),
    };
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn operation_table_matches_the_spec_built_from() {
    let spec = built_spec();
    let mut expected: Vec<String> = Vec::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                expected.push(id.to_string());
            }
        }
    }
    expected.sort();
    let mut got: Vec<String> = meibel::spec::OPERATIONS.iter().map(|o| o.operation_id.to_string()).collect();
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(meibel::spec::API_VERSION, spec["info"]["version"].as_str().unwrap());
}

#[cfg(meibel_spec = "superset")]
mod superset {
    use meibel::types;
    use serde_json::json;
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    #[tokio::test]
    async fn a_new_operation_type_and_enum_appear_in_the_api() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v2/widgets/w1"))
            .and(query_param("verbose", "true"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "id": "w1", "shape": "square", "size": 3, "added_later": "x"
            })))
            .mount(&server)
            .await;
        let client =
            meibel::Client::builder().api_key("k").base_url(format!("{}/v2", server.uri())).build().unwrap();
        let widget: types::Widget =
            client.get_widget().widget_id("w1").verbose(true).send().await.unwrap().into_inner();
        assert_eq!(widget.shape, types::WidgetShape::Square);
        assert_eq!(widget.size, Some(3));
        // A field added to an existing schema is a field of its type.
        let status: types::IngestStatusResponse =
            serde_json::from_value(json!({"datasource_id": "d", "status": "running", "added_later": "y"}))
                .unwrap();
        assert_eq!(status.added_later.as_deref(), Some("y"));
        let op = meibel::spec::operation("getWidget").unwrap();
        assert_eq!(op.tags, &["Widgets"]);
        assert_eq!(op.method_name, "get_widget");
    }

    #[test]
    fn new_enum_values_are_known_variants() {
        assert!(types::IngestStatus::KNOWN.contains(&"added_in_a_later_version"));
        assert!(!types::IngestStatus::from("added_in_a_later_version").is_other());
    }
}

#[cfg(meibel_spec = "subset")]
#[test]
fn the_subset_has_fewer_operations() {
    assert!(meibel::spec::OPERATIONS.len() < 60, "{}", meibel::spec::OPERATIONS.len());
}
