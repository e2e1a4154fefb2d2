//! Tests of `cargo xtask update-spec` / `spec-diff` and their change report.
//!
//! Each folder of tests/spec-bumps/ is one case: `new.json` (compared with `base.json`, or
//! with the case's own `old.json`) and `expected.json`, which lists every change the report
//! must find as [level, kind, subject], the bump it implies for a 0.x crate, and text the
//! Markdown must show. A case's test fails on a missing, extra or misclassified change.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use xtask::spec_diff::{self, Change};

const CRATE_VERSION: &str = "0.3.1";

fn next(bump: &str) -> &'static str {
    match bump {
        "minor" => "0.4.0",
        "patch" => "0.3.2",
        _ => "0.3.1",
    }
}

fn root() -> PathBuf {
    xtask::root()
}

fn fixtures() -> PathBuf {
    root().join("tests/spec-bumps")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs the xtask binary with these arguments.
fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env_remove("MEIBEL_OPENAPI_URL")
        .output()
        .expect("xtask runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// {section heading: [bullet text]} of a rendered report, headings in order.
fn sections(markdown: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in markdown.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            out.push((h.to_string(), Vec::new()));
        } else if let Some(b) = line.strip_prefix("- ")
            && let Some(last) = out.last_mut()
        {
            last.1.push(b.to_string());
        }
    }
    out
}

fn section<'a>(secs: &'a [(String, Vec<String>)], name: &str) -> Option<&'a Vec<String>> {
    secs.iter().find(|(h, _)| h == name).map(|(_, b)| b)
}

fn check_case(name: &str) {
    let folder = fixtures().join(name);
    let old =
        if folder.join("old.json").exists() { folder.join("old.json") } else { fixtures().join("base.json") };
    let new = folder.join("new.json");
    let expected = read_json(&folder.join("expected.json"));
    let (old, new) = (old.display().to_string(), new.display().to_string());

    // The classification, through the command line's JSON output.
    let proc = xtask(&["spec-diff", &old, &new, "--json", "--crate-version", CRATE_VERSION]);
    assert!(proc.status.success(), "{}", stderr(&proc));
    let got: Value = serde_json::from_str(&stdout(&proc)).expect("JSON report");
    let key = |c: &Value| -> Vec<String> {
        ["level", "kind", "subject"].iter().map(|k| c[k].as_str().unwrap_or("").to_string()).collect()
    };
    let mut got_keys: Vec<Vec<String>> =
        got["changes"].as_array().expect("changes").iter().map(key).collect();
    got_keys.sort();
    let mut want_keys: Vec<Vec<String>> = expected["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            c.as_array().expect("a triple").iter().map(|x| x.as_str().unwrap_or("").to_string()).collect()
        })
        .collect();
    want_keys.sort();
    assert_eq!(got_keys, want_keys, "{name}: {}", expected["description"]);
    let bump = expected["bump"].as_str().expect("bump");
    assert_eq!(got["bump"], json!(bump), "{name}");
    assert_eq!(got["version"], json!(next(bump)), "{name}");

    // The Markdown: heading, one bullet per change under its section, mentions.
    let proc = xtask(&["spec-diff", &old, &new, "--crate-version", CRATE_VERSION, "--date", "2030-01-02"]);
    assert!(proc.status.success(), "{}", stderr(&proc));
    let md = stdout(&proc);
    if bump == "none" {
        assert!(md.starts_with("## No API changes"), "{md}");
        assert!(!md.contains("### "), "{md}");
    } else {
        assert!(md.starts_with(&format!("## [{}] - 2030-01-02\n", next(bump))), "{md}");
        assert!(md.contains(&format!("Version bump: {bump} ({CRATE_VERSION} -> {})", next(bump))), "{md}");
    }
    let secs = sections(&md);
    let mut want: Vec<(String, Vec<String>)> = Vec::new();
    for c in got["changes"].as_array().expect("changes") {
        let s = spec_diff::section(c["level"].as_str().unwrap_or("")).to_string();
        let text = c["text"].as_str().unwrap_or("").to_string();
        match want.iter_mut().find(|(h, _)| *h == s) {
            Some(slot) => slot.1.push(text),
            None => want.push((s, vec![text])),
        }
    }
    want.sort_by_key(|(h, _)| ["Breaking", "Added", "Changed"].iter().position(|x| x == h));
    assert_eq!(secs, want, "{md}");
    for text in expected["mentions"].as_array().into_iter().flatten() {
        assert!(md.contains(text.as_str().unwrap_or("")), "{name}: {text} not in\n{md}");
    }
}

/// One test per folder of tests/spec-bumps/; `every_case_has_a_test` keeps the list whole.
macro_rules! cases {
    ($($test:ident => $folder:literal,)*) => {
        const CASES: &[&str] = &[$($folder),*];
        $(#[test] fn $test() { check_case($folder); })*
    };
}

cases! {
    content_type_changed => "content-type-changed",
    enum_value_added => "enum-value-added",
    enum_value_removed => "enum-value-removed",
    field_type_changed => "field-type-changed",
    field_type_changed_integer_bounds => "field-type-changed-integer-bounds",
    field_type_changed_string_format => "field-type-changed-string-format",
    form_field_added_required => "form-field-added-required",
    mixed => "mixed",
    no_change_reformatted => "no-change-reformatted",
    operation_added => "operation-added",
    operation_removed => "operation-removed",
    operation_renamed => "operation-renamed",
    parameter_enum_value_added => "parameter-enum-value-added",
    parameter_made_optional => "parameter-made-optional",
    parameter_made_required => "parameter-made-required",
    parameter_optional_added => "parameter-optional-added",
    parameter_removed => "parameter-removed",
    parameter_required_added => "parameter-required-added",
    parameter_type_changed => "parameter-type-changed",
    request_field_added_optional => "request-field-added-optional",
    request_field_added_required => "request-field-added-required",
    request_field_made_nullable => "request-field-made-nullable",
    request_field_made_optional => "request-field-made-optional",
    request_field_made_required => "request-field-made-required",
    response_array_field_made_required => "response-array-field-made-required",
    response_field_added => "response-field-added",
    response_field_added_required => "response-field-added-required",
    response_field_made_nullable => "response-field-made-nullable",
    response_field_made_optional => "response-field-made-optional",
    response_field_made_required => "response-field-made-required",
    response_field_no_longer_nullable => "response-field-no-longer-nullable",
    response_field_removed => "response-field-removed",
    response_nullable_field_made_required => "response-nullable-field-made-required",
    response_optional_field_made_nullable => "response-optional-field-made-nullable",
    schema_added => "schema-added",
    schema_removed => "schema-removed",
    shared_field_made_optional => "shared-field-made-optional",
    version_and_docs => "version-and-docs",
}

fn case_folders() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .expect("tests/spec-bumps")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_case_has_a_test() {
    assert_eq!(case_folders(), CASES.iter().map(|s| s.to_string()).collect::<Vec<_>>());
}

#[test]
fn every_case_folder_is_complete() {
    let names = case_folders();
    assert!(names.len() >= 30, "{names:?}");
    for n in names {
        for f in ["new.json", "expected.json"] {
            assert!(fixtures().join(&n).join(f).is_file(), "{n}/{f}");
        }
    }
}

#[test]
fn fixtures_are_valid_documents() {
    let mut seen = 0;
    let mut stack = vec![fixtures()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable").filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if ["base.json", "old.json", "new.json"].iter().any(|f| path.ends_with(f)) {
                assert_eq!(
                    spec_diff::problems(&read_json(&path)),
                    Vec::<String>::new(),
                    "{}",
                    path.display()
                );
                seen += 1;
            }
        }
    }
    assert!(seen > 30, "{seen}");
}

#[test]
fn every_change_kind_of_the_brief_is_covered() {
    let mut kinds = std::collections::BTreeSet::new();
    for n in case_folders() {
        for c in read_json(&fixtures().join(n).join("expected.json"))["changes"].as_array().expect("changes")
        {
            kinds.insert((c[0].as_str().unwrap_or("").to_string(), c[1].as_str().unwrap_or("").to_string()));
        }
    }
    for (level, kind) in [
        ("added", "operation-added"),
        ("breaking", "operation-removed"),
        ("breaking", "operation-renamed"),
        ("added", "parameter-added"),
        ("breaking", "parameter-added"),
        ("breaking", "parameter-removed"),
        ("added", "field-added"),
        ("breaking", "field-removed"),
        ("breaking", "field-added"),
        ("breaking", "field-required-changed"),
        ("changed", "field-required-changed"),
        ("breaking", "field-nullability-changed"),
        ("changed", "field-nullability-changed"),
        ("breaking", "field-type-changed"),
        ("added", "enum-value-added"),
        ("breaking", "enum-value-removed"),
        ("breaking", "content-type-changed"),
        ("added", "schema-added"),
        ("breaking", "schema-removed"),
    ] {
        assert!(kinds.contains(&(level.to_string(), kind.to_string())), "{level} {kind}");
    }
}

// ----------------------------------------------------------------------------- rules

fn base() -> Value {
    read_json(&fixtures().join("base.json"))
}

fn keys(new: &Value) -> Vec<(String, String, String)> {
    let mut k: Vec<_> = spec_diff::diff(&base(), new).iter().map(Change::key).collect();
    k.sort();
    k
}

fn key(level: &str, kind: &str, subject: &str) -> (String, String, String) {
    (level.into(), kind.into(), subject.into())
}

#[test]
fn names_follow_the_generator() {
    use meibel_codegen::naming::{field_name, method_name, type_name};
    assert_eq!(method_name("listWidgets"), "list_widgets");
    assert_eq!(method_name("getHTTPStatus"), "get_http_status");
    assert_eq!(type_name("HTTPValidationError"), "HttpValidationError");
    assert_eq!(type_name("Body_uploadContent"), "BodyUploadContent");
    assert_eq!(type_name("listWidgets") + &type_name("sort_order"), "ListWidgetsSortOrder");
    assert_eq!(spec_diff::variant_name("in_progress"), "InProgress");
    assert_eq!(spec_diff::variant_name("+1"), "Plus1");
    assert_eq!(spec_diff::variant_name("Other"), "OtherValue1");
    assert_eq!(field_name("type"), "type_");
    assert_eq!(field_name("createdAt"), "created_at");
    assert_eq!(field_name("2fa"), "x_2fa");
}

#[test]
fn integer_types_follow_the_type_generator() {
    let t = |s: Value| spec_diff::inner_type(&s, "X");
    assert_eq!(t(json!({"type": "integer"})), "i64");
    assert_eq!(t(json!({"type": "integer", "minimum": 0})), "u64");
    assert_eq!(t(json!({"type": "integer", "minimum": 1, "maximum": 999})), "NonZeroU64");
    assert_eq!(t(json!({"type": "integer", "minimum": 0, "maximum": 999})), "i64");
    assert_eq!(t(json!({"type": "integer", "format": "int32"})), "i32");
}

#[test]
fn display_types_drop_the_identity_details() {
    assert_eq!(
        spec_diff::short("Option<types::X (one of: String | types::Y (a String newtype))>"),
        "Option<types::X>"
    );
    assert_eq!(spec_diff::short("Vec<types::X (all of: A + B)>"), "Vec<types::X>");
    assert_eq!(spec_diff::short("types::Élan (one of: a | b) and more"), "types::Élan and more");
}

#[test]
fn both_nullable_forms_are_the_same() {
    let mut new = base();
    new["components"]["schemas"]["Widget"]["properties"]["size"] =
        json!({"type": ["integer", "null"], "title": "Size"});
    assert_eq!(keys(&new), vec![]);
}

#[test]
fn a_rename_with_other_changes_reports_both() {
    let mut new = base();
    let op = &mut new["paths"]["/widgets/{widget_id}"]["get"];
    op["operationId"] = json!("fetchWidget");
    op["parameters"]
        .as_array_mut()
        .expect("parameters")
        .push(json!({"name": "verbose", "in": "query", "required": false, "schema": {"type": "boolean"}}));
    assert_eq!(
        keys(&new),
        vec![
            key("added", "parameter-added", "fetchWidget.verbose"),
            key("breaking", "operation-renamed", "getWidget->fetchWidget")
        ]
    );
}

#[test]
fn a_multipart_body_is_reported_with_its_operation_only() {
    let mut new = base();
    new["components"]["schemas"]["Body_uploadWidgetFile"]["properties"]["label"] = json!({"type": "string"});
    assert_eq!(keys(&new), vec![key("added", "parameter-added", "uploadWidgetFile.label")]);
}

#[test]
fn a_reference_to_another_type_is_a_type_change() {
    let mut new = base();
    new["paths"]["/widgets/{widget_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] =
        json!({"$ref": "#/components/schemas/WidgetStatus"});
    assert_eq!(keys(&new), vec![key("breaking", "response-type-changed", "getWidget")]);
}

#[test]
fn bumps() {
    let one = |level: &str| {
        vec![Change { level: level.into(), kind: "x".into(), subject: "y".into(), text: "z".into() }]
    };
    assert_eq!(spec_diff::bump_kind(&one("breaking"), "0.1.0"), "minor");
    assert_eq!(spec_diff::bump_kind(&one("added"), "0.1.0"), "patch");
    assert_eq!(spec_diff::bump_kind(&one("breaking"), "1.2.3"), "major");
    assert_eq!(spec_diff::bump_kind(&one("added"), "1.2.3"), "minor");
    assert_eq!(spec_diff::bump_kind(&[], "0.1.0"), "none");
    assert_eq!(spec_diff::next_version("0.1.0", "minor").unwrap(), "0.2.0");
    assert_eq!(spec_diff::next_version("0.1.9", "patch").unwrap(), "0.1.10");
    assert_eq!(spec_diff::next_version("1.2.3", "major").unwrap(), "2.0.0");
    assert!(spec_diff::next_version("one", "major").is_err());
}

#[test]
fn default_crate_version_is_read_from_cargo_toml() {
    let version = xtask::update_spec::crate_version(&root()).expect("Cargo.toml has a version");
    let (b, n) = (fixtures().join("base.json"), fixtures().join("operation-removed/new.json"));
    let proc = xtask(&["spec-diff", &b.display().to_string(), &n.display().to_string(), "--json"]);
    assert!(proc.status.success(), "{}", stderr(&proc));
    let got: Value = serde_json::from_str(&stdout(&proc)).expect("JSON");
    assert_eq!(got["version"], json!(spec_diff::next_version(&version, "minor").unwrap()));
}

// ----------------------------------------------------------------------------- update-spec

/// A temporary folder holding a copy of the vendored spec; removed when dropped.
struct Scratch {
    dir: PathBuf,
    vendored: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = xtask::temp_dir("update-spec-test").expect("temp dir");
        let vendored = dir.join("api-v2.json");
        std::fs::copy(root().join("openapi/api-v2.json"), &vendored).expect("copy");
        Scratch { dir, vendored }
    }
    fn write(&self, name: &str, text: &str) -> String {
        let path = self.dir.join(name);
        std::fs::write(&path, text).expect("write");
        path.display().to_string()
    }
    fn vendored(&self) -> String {
        self.vendored.display().to_string()
    }
    fn bytes(&self) -> Vec<u8> {
        std::fs::read(&self.vendored).expect("read")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn the_vendored_spec_is_already_normalised() {
    let s = Scratch::new();
    let v = s.vendored();
    let proc =
        xtask(&["update-spec", &v, "--spec", &v, "--check", "--crate-version", "0.1.0", "--no-validate"]);
    assert_eq!(proc.status.code(), Some(0), "{}", stderr(&proc));
    let version = read_json(&s.vendored)["info"]["version"].as_str().unwrap().to_string();
    assert!(stdout(&proc).starts_with(&format!("## No API changes (API {version})")), "{}", stdout(&proc));
}

#[test]
fn end_to_end_with_the_superset_variant() {
    let s = Scratch::new();
    let v = s.vendored();
    let mut superset = xtask::variants::superset(&read_json(&s.vendored));
    let old_version = superset["info"]["version"].as_str().unwrap().to_string();
    // Served without indentation and with non-ASCII text, as an upstream might.
    superset["info"]["version"] = json!("99.0.0");
    let description = format!("{} été – ✓", superset["info"]["description"].as_str().unwrap());
    superset["info"]["description"] = json!(description);
    let source = s.write("served.json", &serde_json::to_string(&superset).unwrap());
    let before = s.bytes();

    let check = xtask(&[
        "update-spec",
        &source,
        "--spec",
        &v,
        "--check",
        "--crate-version",
        "0.1.0",
        "--date",
        "2030-01-02",
        "--no-validate",
    ]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert_eq!(s.bytes(), before, "--check must not write");

    let proc =
        xtask(&["update-spec", &source, "--spec", &v, "--crate-version", "0.1.0", "--date", "2030-01-02"]);
    assert_eq!(proc.status.code(), Some(0), "{}", stderr(&proc));
    assert_eq!(stdout(&proc), stdout(&check));
    let written = s.bytes();
    let mut expected = serde_json::to_vec_pretty(&superset).unwrap();
    expected.push(b'\n');
    assert_eq!(written, expected);
    assert!(String::from_utf8(written.clone()).unwrap().contains("été – ✓"));
    // The document's own key order is kept (FastAPI: openapi, info, servers, ...).
    let back: Value = serde_json::from_slice(&written).unwrap();
    assert_eq!(back.as_object().unwrap().keys().take(3).collect::<Vec<_>>(), ["openapi", "info", "servers"]);
    assert_eq!(
        back["paths"].as_object().unwrap().keys().collect::<Vec<_>>(),
        superset["paths"].as_object().unwrap().keys().collect::<Vec<_>>()
    );

    let md = stdout(&proc);
    assert!(md.starts_with("## [0.1.1] - 2030-01-02\n"), "{md}");
    assert!(
        md.contains(&format!("API {old_version} -> 99.0.0. Version bump: patch (0.1.0 -> 0.1.1)")),
        "{md}"
    );
    let secs = sections(&md);
    assert!(section(&secs, "Breaking").is_none(), "{md}");
    let added = section(&secs, "Added").expect("Added");
    for line in [
        "`getWidget` (`GET /widgets/{widget_id}`): new method `Client::get_widget()`.",
        "New type `types::Widget` (schema `Widget`).",
        "New enum `types::WidgetShape` (schema `WidgetShape`).",
    ] {
        assert!(added.iter().any(|l| l == line), "{line} not in {added:?}");
    }
    let changed = section(&secs, "Changed").expect("Changed");
    let api = format!("API version {old_version} -> 99.0.0 (`meibel::spec::API_VERSION`).");
    assert!(changed.contains(&api), "{changed:?}");

    // A re-run changes nothing, byte for byte.
    let again = xtask(&["update-spec", &source, "--spec", &v, "--crate-version", "0.1.0", "--no-validate"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(s.bytes(), written);
    assert!(stdout(&again).starts_with("## No API changes"), "{}", stdout(&again));
    let check = xtask(&[
        "update-spec",
        &source,
        "--spec",
        &v,
        "--check",
        "--crate-version",
        "0.1.0",
        "--no-validate",
    ]);
    assert_eq!(check.status.code(), Some(0));
}

#[test]
fn a_file_url_is_fetched_like_any_url() {
    let s = Scratch::new();
    let target = s.dir.join("vendored.json");
    std::fs::copy(fixtures().join("base.json"), &target).unwrap();
    let new = fixtures().join("enum-value-added/new.json");
    let url = url::Url::from_file_path(&new).unwrap().to_string();
    let proc = xtask(&[
        "update-spec",
        &url,
        "--spec",
        &target.display().to_string(),
        "--crate-version",
        "0.1.0",
        "--no-validate",
    ]);
    assert_eq!(proc.status.code(), Some(0), "{}", stderr(&proc));
    assert!(stdout(&proc).contains("types::WidgetShape::Hexagon"), "{}", stdout(&proc));
    let mut expected = serde_json::to_vec_pretty(&read_json(&new)).unwrap();
    expected.push(b'\n');
    assert_eq!(std::fs::read(&target).unwrap(), expected);
}

#[test]
fn only_whitespace_differs_so_check_fails_but_nothing_is_reported() {
    let s = Scratch::new();
    let compact = serde_json::to_string(&read_json(&s.vendored)).unwrap();
    std::fs::write(&s.vendored, compact).unwrap();
    let source = root().join("openapi/api-v2.json").display().to_string();
    let proc = xtask(&[
        "update-spec",
        &source,
        "--spec",
        &s.vendored(),
        "--check",
        "--crate-version",
        "0.1.0",
        "--no-validate",
    ]);
    assert_eq!(proc.status.code(), Some(1), "{}", stderr(&proc));
    assert!(stdout(&proc).starts_with("## No API changes"));
}

#[test]
fn bad_inputs_are_refused_and_nothing_is_written() {
    let s = Scratch::new();
    let before = s.bytes();
    let doc = |v: Value| v.to_string();
    let cases = [
        ("not-json.json", "{".to_string(), "not valid JSON"),
        ("swagger.json", doc(json!({"swagger": "2.0", "info": {}, "paths": {}})), "OpenAPI 3.x"),
        (
            "no-components.json",
            doc(json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}})),
            "components.schemas",
        ),
        ("duplicate.json", r#"{"openapi": "3.1.0", "openapi": "3.0.0"}"#.to_string(), "appears twice"),
        (
            "no-operation-id.json",
            doc(
                json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {}}}}, "components": {"schemas": {}}}),
            ),
            "no operationId",
        ),
        ("nan.json", r#"{"openapi": "3.1.0", "x": NaN}"#.to_string(), "not valid JSON"),
    ];
    for (name, text, message) in cases {
        let path = s.write(name, &text);
        let proc = xtask(&["update-spec", &path, "--spec", &s.vendored(), "--crate-version", "0.1.0"]);
        assert_eq!(proc.status.code(), Some(2), "{name}: {}", stdout(&proc));
        assert!(stderr(&proc).contains(message), "{name}: {}", stderr(&proc));
        assert_eq!(stdout(&proc), "", "{name}");
        assert_eq!(s.bytes(), before, "{name}");
    }
    let missing = s.dir.join("missing.json").display().to_string();
    let proc = xtask(&["update-spec", &missing, "--spec", &s.vendored(), "--crate-version", "0.1.0"]);
    assert_eq!(proc.status.code(), Some(2));
    assert!(stderr(&proc).contains("cannot read"), "{}", stderr(&proc));
}

#[test]
fn a_document_using_uuid_needs_no_new_dependency() {
    let s = Scratch::new();
    let target = s.dir.join("vendored.json");
    std::fs::copy(fixtures().join("base.json"), &target).unwrap();
    let t = target.display().to_string();
    let new = fixtures().join("field-type-changed-string-format/new.json").display().to_string();
    let proc =
        xtask(&["update-spec", &new, "--spec", &t, "--check", "--crate-version", "0.1.0", "--no-validate"]);
    assert_eq!(proc.status.code(), Some(1), "{}", stderr(&proc));
    // `uuid` and `regress` are dependencies of the crate whatever the document says, so a
    // document that starts using them needs no Cargo.toml edit and draws no warning.
    assert!(!stderr(&proc).contains("warning"), "{}", stderr(&proc));
    let other = fixtures().join("enum-value-added/new.json").display().to_string();
    let proc =
        xtask(&["update-spec", &other, "--spec", &t, "--check", "--crate-version", "0.1.0", "--no-validate"]);
    assert!(!stderr(&proc).contains("warning"), "{}", stderr(&proc));
}

#[test]
#[ignore = "needs openapi-spec-validator (tools/.venv): cargo xtask test"]
fn a_document_the_validator_rejects_is_not_written() {
    assert!(
        root().join("tools/.venv/bin/openapi-spec-validator").exists(),
        "run `cargo xtask test` once to install it"
    );
    let s = Scratch::new();
    let mut doc = base();
    doc["paths"]["/widgets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] =
        json!({"$ref": "#/components/schemas/Missing"});
    let before = s.bytes();
    let path = s.write("broken.json", &doc.to_string());
    let proc = xtask(&["update-spec", &path, "--spec", &s.vendored(), "--crate-version", "0.1.0"]);
    assert_eq!(proc.status.code(), Some(2), "{}", stderr(&proc));
    assert!(stderr(&proc).contains("fails OpenAPI validation"), "{}", stderr(&proc));
    assert_eq!(s.bytes(), before);
}

#[test]
fn the_variants_are_documents_the_crate_takes() {
    let spec = read_json(&root().join("openapi/api-v2.json"));
    let count = |d: &Value| -> usize {
        d["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|i| spec_diff::METHODS.iter().filter(|m| i.get(**m).is_some()).count())
            .sum()
    };
    let (subset, superset) = (xtask::variants::subset(&spec), xtask::variants::superset(&spec));
    assert_eq!(count(&subset), count(&spec).div_ceil(2));
    assert_eq!(count(&superset), count(&spec) + 1);
    assert_eq!(spec_diff::problems(&subset), Vec::<String>::new());
    assert_eq!(spec_diff::problems(&superset), Vec::<String>::new());
    let changes = spec_diff::diff(&spec, &superset);
    assert!(changes.iter().all(|c| c.level != "breaking"), "{changes:?}");
}
