//! End to end against a real FastAPI server: the crate built from the document the zoo
//! app in `tests/fastapi-zoo/` produces calls every operation of that app on loopback.
//! Echo routes answer with what they received, and each call compares.
//!
//! Compiled only when the crate is built from that document:
//! ```text
//! python tests/fastapi-zoo/app.py dump target/fastapi-zoo/fastapi-zoo.json
//! MEIBEL_OPENAPI_SPEC=target/fastapi-zoo/fastapi-zoo.json CARGO_TARGET_DIR=target/fastapi-zoo \
//!     cargo test --features patterns --test fastapi_zoo -- --include-ignored
//! ```
//! `ZOO_PYTHON` names the interpreter (default `tests/fastapi-zoo/.venv/bin/python`).
#![cfg(meibel_spec = "fastapi-zoo")]

use meibel::types;
use serde_json::{Value, json};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The zoo app on a free loopback port; killed when dropped.
struct Zoo {
    child: Child,
    base: String,
}

impl Zoo {
    fn start() -> Zoo {
        let root = env!("CARGO_MANIFEST_DIR");
        let python = std::env::var("ZOO_PYTHON")
            .unwrap_or_else(|_| format!("{root}/tests/fastapi-zoo/.venv/bin/python"));
        let port =
            TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("address").port();
        let child = Command::new(&python)
            .arg(format!("{root}/tests/fastapi-zoo/app.py"))
            .arg("serve")
            .arg(port.to_string())
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {python}: {e}"));
        let zoo = Zoo { child, base: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the zoo did not listen within 30 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        zoo
    }

    fn client(&self) -> meibel::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::AUTHORIZATION, "Bearer zoo-token".parse().expect("header"));
        let http = reqwest::Client::builder().default_headers(headers).build().expect("client");
        meibel::Client::builder()
            .api_key("zoo-key")
            .base_url(self.base.clone())
            .http_client(http)
            .build()
            .expect("client")
    }
}

impl Drop for Zoo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("serializes")
}

/// `v` as the generated type `T` writes it.
fn canon<T: serde::de::DeserializeOwned + serde::Serialize>(v: Value) -> Value {
    to_json(&from_json::<T>(v))
}

fn from_json<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("fits the generated type")
}

#[tokio::test]
#[ignore = "needs Python and FastAPI: cargo xtask test"]
async fn every_operation_round_trips() {
    let zoo = Zoo::start();
    let c = zoo.client();
    let mut called = std::collections::BTreeSet::new();
    let mut done = |id: &str| {
        called.insert(id.to_string());
    };

    // Parameters in path, query, header and cookie; UUID, datetime, date, Decimal, enum, list.
    let id = "6f1c2b1e-8d2a-4c3e-9b1a-0c2d3e4f5a6b";
    let p = c
        .read_item_items_item_id_get()
        .item_id(id)
        .when("2024-05-06T07:08:09Z")
        .day("2024-05-06")
        .amount(json!("12.50"))
        .color(types::Color::Blue)
        .tags(vec!["a".to_string(), "b c".to_string()])
        .limit(7)
        .x_trace("trace-1")
        .session("s3ss10n")
        .send()
        .await
        .expect("read_item")
        .into_inner();
    assert_eq!(p.item_id.to_string(), id);
    assert_eq!(p.when.expect("when").to_rfc3339(), "2024-05-06T07:08:09+00:00");
    assert_eq!(p.day.expect("day").to_string(), "2024-05-06");
    assert_eq!(to_json(&p.amount), json!("12.50"));
    assert_eq!(p.color, Some(types::Color::Blue));
    assert_eq!(p.tags, vec!["a", "b c"]);
    assert_eq!(p.limit, 7);
    assert_eq!(p.trace.as_deref(), Some("trace-1"));
    assert_eq!(p.session.as_deref(), Some("s3ss10n"));
    // Optional nullable header and cookie left out: they arrive as absent.
    let p = c.read_item_items_item_id_get().item_id(id).send().await.expect("read_item bare").into_inner();
    assert_eq!((p.trace, p.session, p.limit), (None, None, 10));
    done("read_item_items__item_id__get");

    // Header parameters sent by the generator's own code (no cookie on this operation): a
    // required one, an optional nullable one, and a value no header can carry, refused
    // before anything is sent, naming the header.
    let h = c.echo_headers_headers_get().x_tenant("acme").x_request_tag("t-1").send().await;
    let h = h.expect("headers").into_inner();
    assert_eq!(h.get("tenant"), Some(&Some("acme".to_string())));
    assert_eq!(h.get("tag"), Some(&Some("t-1".to_string())));
    let h = c.echo_headers_headers_get().x_tenant("acme").send().await.expect("headers bare").into_inner();
    assert_eq!(h.get("tag"), Some(&None));
    let bad = c.echo_headers_headers_get().x_tenant("two\nlines").send().await;
    match bad {
        Err(e) => {
            assert_eq!(e.kind(), meibel::error::ErrorKind::InvalidArgument, "{e:?}");
            assert_eq!(e.attempts(), 0, "{e:?}");
            assert!(e.to_string().contains("header `x-tenant`"), "{e}");
        }
        Ok(_) => panic!("a header value with a line break was sent"),
    }
    done("echo_headers_headers_get");

    // Union-typed path and query parameters.
    let r = c.lookup_lookup_key_get().key(id).alt("42").send().await.expect("lookup").into_inner();
    assert_eq!(r.get("key").map(String::as_str), Some(id));
    assert_eq!(r.get("alt").map(String::as_str), Some("42"));
    done("lookup_lookup__key__get");

    // An array query parameter whose items carry a constraint.
    let codes: Vec<types::ConstrainedConstrainedGetCodesItem> =
        vec!["ab".parse().expect("fits"), "cde".parse().expect("fits")];
    let r = c.constrained_constrained_get().codes(codes).send().await.expect("constrained").into_inner();
    assert_eq!(r, vec!["ab", "cde"]);
    assert!("a".parse::<types::ConstrainedConstrainedGetCodesItem>().is_err(), "minLength is checked");
    done("constrained_constrained_get");

    // Every schema construct in one body: it comes back as sent.
    let everything = json!({
        "id": id,
        "code": "ABC-12",
        "secret": "password",
        "when": "2024-05-06T07:08:09Z",
        "day": "2024-05-06",
        "amount": "3.25",
        "color": "red",
        "priority": 2,
        "pet": {"kind": "dog", "name": "rex", "good": false},
        "anything": {"free": [1, 2]},
        "tags": {"x": "green"},
        "pair": [5, "five"],
        "tree": {"label": "root", "children": [{"label": "leaf", "children": []}]},
        "gone": null,
        "defaults": {"text": "t", "number": 2.5, "count": 4, "flag": true, "items": [3],
                     "mapping": {"k": 2}, "color": "blue", "nothing": "x", "odd": "odd"}
    });
    let body: types::EverythingInput = from_json(everything.clone());
    let back = c.echo_everything_everything_post().body(body).send().await.expect("everything").into_inner();
    let back = to_json(&back);
    // Compared as the generated output type writes them (it leaves out empty lists that
    // default to empty).
    let everything = canon::<types::EverythingOutput>(everything);
    for key in ["id", "code", "secret", "day", "color", "priority", "pet", "anything", "tags", "pair", "tree"]
    {
        assert_eq!(back[key], everything[key], "{key}");
    }
    assert_eq!(back["amount"], json!("3.25"));
    assert_eq!(back["defaults"]["odd"], json!("odd"));
    let bare = from_json::<types::EverythingInput>(
        json!({"id": id, "code": "ABC-1", "when": "2024-05-06T07:08:09Z",
        "day": "2024-05-06", "amount": 1, "color": "red", "pet": {"kind": "cat", "name": "c"}}),
    );
    let bare_back =
        to_json(&c.echo_everything_everything_post().body(bare).send().await.expect("bare").into_inner());
    assert_eq!(bare_back["defaults"]["odd"], json!(true), "the server's default arrives as it is");
    assert_eq!(bare_back["pair"], json!([1, "one"]));
    assert_eq!(bare_back["anything"], json!("plain"));
    assert_eq!(back["defaults"]["mapping"], json!({"k": 2}));
    assert_eq!(back["when"].as_str().map(|s| s.starts_with("2024-05-06T07:08:09")), Some(true));
    // A constrained string refuses what its pattern refuses, before sending.
    assert!("abc".parse::<types::EverythingInputCode>().is_err());
    done("echo_everything_everything_post");

    // Defaults: an empty body is filled in by the server.
    let d: types::Defaults = from_json(json!({}));
    let back = to_json(&c.echo_defaults_defaults_post().body(d).send().await.expect("defaults").into_inner());
    assert_eq!(back["text"], json!("hello"));
    assert_eq!(back["items"], json!([1, 2]));
    assert_eq!(back["mapping"], json!({"a": 1}));
    assert_eq!(back["color"], json!("green"));
    assert_eq!(back["odd"], json!(true), "the server keeps its contradicting default");
    done("echo_defaults_defaults_post");

    // Discriminated union body.
    for pet in [
        json!({"kind": "cat", "name": "tom", "lives": 3}),
        json!({"kind": "dog", "name": "rex", "good": true}),
    ] {
        let body: types::EchoPetPetsPostBody = from_json(pet.clone());
        let back = c.echo_pet_pets_post().body(body).send().await.expect("pet").into_inner();
        assert_eq!(to_json(&back), pet);
    }
    done("echo_pet_pets_post");

    // Plain union of model, dict and string.
    for value in
        [json!({"kind": "cat", "name": "tom", "lives": 1}), json!({"any": "thing"}), json!("just text")]
    {
        let body: types::EchoUnionUnionsPostBody = from_json(value.clone());
        let back = c.echo_union_unions_post().body(body).send().await.expect("union").into_inner();
        assert_eq!(to_json(&back), value);
    }
    done("echo_union_unions_post");

    // Recursive model.
    let tree =
        json!({"label": "a", "children": [{"label": "b", "children": [{"label": "c", "children": []}]}]});
    let back =
        c.echo_tree_tree_post().body(from_json::<types::NodeInput>(tree.clone())).send().await.expect("tree");
    assert_eq!(to_json(&back.into_inner()), canon::<types::NodeOutput>(tree));
    done("echo_tree_tree_post");

    // Free-form dict and dict[str, Enum] bodies.
    let free = json!({"n": 1, "s": "x", "l": [true, null], "o": {"deep": 1.5}});
    let back =
        c.echo_dict_dict_post().body(from_json::<serde_json::Map<String, Value>>(free.clone())).send().await;
    assert_eq!(Value::Object(back.expect("dict").into_inner()), free);
    done("echo_dict_dict_post");
    let colors = json!({"a": "red", "b": "blue"});
    let back = c
        .echo_colors_colors_post()
        .body(from_json::<std::collections::HashMap<String, types::Color>>(colors.clone()));
    assert_eq!(to_json(&back.send().await.expect("colors").into_inner()), colors);
    done("echo_colors_colors_post");

    // Tuple.
    let back =
        c.echo_pair_pair_post().body([json!(9), json!("nine")]).send().await.expect("pair").into_inner();
    assert_eq!(to_json(&back), json!([9, "nine"]));
    done("echo_pair_pair_post");

    // Several body fields (FastAPI's embedded body), one with a default.
    let body: types::BodyEchoEmbeddedEmbeddedPost = from_json(json!({"name": "n"}));
    let back = c.echo_embedded_embedded_post().body(body).send().await.expect("embedded").into_inner();
    assert_eq!(Value::Object(back), json!({"name": "n", "count": 2}));
    done("echo_embedded_embedded_post");

    // Uploads: one file with a form field, several files with an enum field.
    let data: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
    let r = c
        .upload_one_upload_post()
        .file(meibel::upload::FilePart::bytes(data.clone(), "one.bin"))
        .note("hi")
        .send()
        .await
        .expect("upload one")
        .into_inner();
    assert_eq!(r.note, "hi");
    assert_eq!(r.files.len(), 1);
    assert_eq!((r.files[0].name.as_deref(), r.files[0].size), (Some("one.bin"), data.len() as i64));
    assert_eq!(r.files[0].sha, sha256_hex(&data));
    done("upload_one_upload_post");
    let r = c
        .upload_many_upload_many_post()
        .files([
            meibel::upload::FilePart::bytes(b"first".to_vec(), "a.txt"),
            meibel::upload::FilePart::bytes(Vec::new(), "empty.txt"),
        ])
        .note("many")
        .kind(types::Color::Red)
        .send()
        .await
        .expect("upload many")
        .into_inner();
    let names: Vec<_> = r.files.iter().map(|f| (f.name.clone().unwrap_or_default(), f.size)).collect();
    assert_eq!(names, vec![("a.txt".to_string(), 5), ("empty.txt".to_string(), 0)]);
    assert_eq!((r.note.as_str(), r.kind), ("many", Some(types::Color::Red)));
    done("upload_many_upload_many_post");

    // OAuth2 password form (form-urlencoded).
    let form: types::BodyLoginTokenPost =
        from_json(json!({"username": "ann", "password": "pw &=%", "scope": "read write"}));
    let t = c.login_token_post().body(form).send().await.expect("token").into_inner();
    assert_eq!(t.access_token, "ann:pw &=%:read write");
    assert_eq!(t.token_type, "bearer");
    done("login_token_post");

    // One operation, two body forms: JSON through the generated method, multipart
    // through `_multipart`.
    let r = c.create_note().body(types::Problem { detail: "j".into() }).send().await.expect("json note");
    assert_eq!(r.into_inner().detail, "json:j");
    let r = c
        .create_note_multipart()
        .detail("m")
        .file(meibel::upload::FilePart::bytes(b"body".to_vec(), "n.txt"))
        .send()
        .await
        .expect("multipart note");
    assert_eq!(r.into_inner().detail, "multipart:m:body");
    done("createNote");

    // Documented error replies decode into their types.
    let ok = c.get_thing_things_thing_id_get().thing_id(5).send().await.expect("thing").into_inner();
    assert_eq!(ok.name, "thing-5");
    for (code, expected) in [
        (404, json!({"detail": "no such thing"})),
        (409, json!({"detail": "taken", "existing": "00000000-0000-0000-0000-000000000199"})),
    ] {
        match c.get_thing_things_thing_id_get().thing_id(code).send().await {
            Err(e) if e.status().map(|s| s.as_u16()) == Some(code as u16) => {
                let typed = e.error_body::<types::GetThingThingsThingIdGetErrorReply>();
                let typed = typed.unwrap_or_else(|| panic!("{code}: the reply is not typed: {e:?}"));
                assert_eq!(to_json(typed), expected);
                assert_eq!(e.kind(), meibel::ErrorKind::Status);
            }
            other => panic!("{code}: expected a typed error reply, got {other:?}"),
        }
    }
    match c.lookup_lookup_key_get().key(id).alt("x").send().await {
        Ok(_) => {}
        Err(e) => panic!("lookup with text alt: {e:?}"),
    }
    done("get_thing_things__thing_id__get");
    c.delete_thing_things_thing_id_delete().thing_id(3).send().await.expect("delete");
    done("delete_thing_things__thing_id__delete");
    let body: types::BodyPutFlagThingsThingIdFlagPut = from_json(json!({"flag": true}));
    let r = c.put_flag_things_thing_id_flag_put().thing_id(8).body(body).send().await.expect("flag");
    assert_eq!(r.into_inner().get("8"), Some(&true));
    done("put_flag_things__thing_id__flag_put");

    // Plain text and HTML replies, also as errors.
    let text = c.get_text_text_get().send().await.expect("text").into_inner();
    assert_eq!(&meibel::download::to_bytes(text, 1 << 20).await.expect("text body")[..], b"plain text");
    match c.get_text_text_get().fail(true).send().await {
        Err(e) if e.status().map(|s| s.as_u16()) == Some(400) => {
            assert_eq!(e.content_type(), Some("text/plain; charset=utf-8"), "{e:?}");
            assert_eq!(e.text(), Some("bad text"), "{e:?}");
        }
        Err(other) => panic!("text error: {other:?}"),
        Ok(_) => panic!("text error: succeeded"),
    }
    done("get_text_text_get");
    let html = c.get_html_html_get().send().await.expect("html").into_inner();
    assert_eq!(&meibel::download::to_bytes(html, 1 << 20).await.expect("html body")[..], b"<p>hello</p>");
    match c.get_html_html_get().fail(true).send().await {
        Err(e) if e.status().map(|s| s.as_u16()) == Some(503) => {
            assert_eq!(e.content_type(), Some("text/html; charset=utf-8"), "{e:?}");
            assert_eq!(e.text(), Some("<p>down</p>"), "{e:?}");
        }
        Err(other) => panic!("html error: {other:?}"),
        Ok(_) => panic!("html error: succeeded"),
    }
    done("get_html_html_get");

    // Event stream, whole.
    let events = c.stream_events_events_get().count(4).send().await.expect("events").into_inner();
    let events = events.collect_all().await.expect("whole stream");
    let ticks: Vec<Value> =
        events.iter().filter(|e| e.event == "tick").filter_map(|e| e.data_json()).collect();
    assert_eq!(ticks.len(), 4);
    for (i, t) in ticks.iter().enumerate() {
        assert_eq!(t, &json!({"seq": i, "text": "x".repeat(i)}));
    }
    assert_eq!(events.last().map(|e| e.event.as_str()), Some("done"));
    done("stream_events_events_get");

    // Binary download, whole.
    let body = c.download_download_get().send().await.expect("download").into_inner();
    let bytes = meibel::download::to_bytes(body, 1 << 20).await.expect("download body");
    let expected: Vec<u8> = (0..256 * 1024).map(|i| (i % 256) as u8).collect();
    assert_eq!(bytes.len(), expected.len());
    assert!(bytes[..] == expected[..], "download arrives whole");
    done("download_download_get");

    // camelCase operationIds with acronyms.
    let r = c.get_jsonl_open_ai_export().name("set").send().await.expect("export").into_inner();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].get("name").map(String::as_str), Some("set"));
    done("getJSONLOpenAIExport");
    assert_eq!(c.list_ur_ls().send().await.expect("urls").into_inner(), vec!["http://a", "http://b"]);
    done("listURLs");

    // Security schemes: the API key goes in the document's header, the bearer token as set.
    let who = c.whoami_me_get().send().await.expect("whoami").into_inner();
    assert_eq!(who.api_key.as_deref(), Some("zoo-key"));
    assert_eq!(who.bearer.as_deref(), Some("zoo-token"));
    assert_eq!(meibel::API_KEY_HEADER, "X-Zoo-Key");
    done("whoami_me_get");

    // Offset and cursor pagination, every item once.
    use futures_util::TryStreamExt;
    let pets: Vec<types::PageItemsItem> =
        c.list_pets_pets_get().paginate().page_size(3).try_collect().await.expect("pets");
    let names: Vec<Value> = pets.iter().map(|p| to_json(p)["name"].clone()).collect();
    assert_eq!(
        names,
        (0..7)
            .map(|i| json!(if i % 2 == 0 { format!("cat{i}") } else { format!("dog{i}") }))
            .collect::<Vec<_>>()
    );
    done("list_pets_pets_get");
    let nodes: Vec<types::NodeOutput> =
        c.list_nodes_nodes_get().paginate().page_size(2).try_collect().await.expect("nodes");
    let labels: Vec<_> = nodes.iter().map(|n| n.label.clone()).collect();
    assert_eq!(labels, ["n0", "n1", "n2", "n3", "n4"]);
    done("list_nodes_nodes_get");

    // Every operation of the document was called above.
    let all: std::collections::BTreeSet<String> =
        meibel::spec::OPERATIONS.iter().map(|o| o.operation_id.to_string()).collect();
    assert_eq!(called, all, "operations not called: {:?}", all.difference(&called).collect::<Vec<_>>());
}

/// SHA-256 as lowercase hex (small, for comparing with the server's digest).
fn sha256_hex(data: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];
    let mut h: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([chunk[4 * i], chunk[4 * i + 1], chunk[4 * i + 2], chunk[4 * i + 3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7].wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), v[0], v[1], v[2], v[3].wrapping_add(t1), v[4], v[5], v[6]];
        }
        for (a, b) in h.iter_mut().zip(v) {
            *a = a.wrapping_add(b);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}
