//! A strict reader of `multipart/form-data` bodies, independent of the client's
//! encoder: checks the framing (boundaries, CRLFs, the closing delimiter) and reads each
//! part's name, file name (quoted-string escapes undone), content type and bytes.

use std::collections::BTreeMap;

/// One part of a received `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPart {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// A text field as it should arrive.
pub fn text_part(name: &str, value: &str) -> FormPart {
    FormPart { name: name.into(), file_name: None, content_type: None, body: value.as_bytes().to_vec() }
}

/// A file part as it should arrive.
pub fn file_part(name: &str, file_name: &str, content_type: &str, body: &[u8]) -> FormPart {
    FormPart {
        name: name.into(),
        file_name: Some(file_name.into()),
        content_type: Some(content_type.into()),
        body: body.to_vec(),
    }
}

fn position(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > hay.len() {
        return None;
    }
    hay[from..].windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

fn boundary_of(content_type: &str) -> String {
    let (essence, params) = content_type.split_once(';').expect("content type without parameters");
    assert_eq!(essence.trim(), "multipart/form-data", "request content type");
    params
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .expect("no boundary parameter")
        .trim_matches('"')
        .to_owned()
}

/// The parameters of a `Content-Disposition` value, keys lower-cased; quoted values
/// are unescaped (`\x` -> `x`).
fn disposition_params(value: &str) -> (String, BTreeMap<String, String>) {
    let (kind, mut rest) = match value.split_once(';') {
        Some((kind, rest)) => (kind.trim().to_owned(), rest),
        None => (value.trim().to_owned(), ""),
    };
    let mut params = BTreeMap::new();
    loop {
        let current = rest.trim_start();
        if current.is_empty() {
            break;
        }
        let (key, after) = current.split_once('=').expect("parameter without '='");
        let (val, remaining) = if let Some(quoted) = after.strip_prefix('"') {
            let mut out = String::new();
            let mut end = None;
            let mut chars = quoted.char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => out.push(chars.next().expect("escape at the end").1),
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    c => out.push(c),
                }
            }
            (out, &quoted[end.expect("unterminated quoted value")..])
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        let previous = params.insert(key.trim().to_ascii_lowercase(), val);
        assert!(previous.is_none(), "parameter {key} given twice in {value:?}");
        let remaining = remaining.trim_start();
        rest = match remaining.strip_prefix(';') {
            Some(r) => r,
            None => {
                assert!(remaining.is_empty(), "garbage after a parameter in {value:?}");
                ""
            }
        };
    }
    (kind, params)
}

/// The parts of `body`, sent with the header `Content-Type: content_type`; panics on
/// anything malformed.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<FormPart> {
    let boundary = boundary_of(content_type);
    let opening = format!("--{boundary}");
    let delimiter = format!("\r\n--{boundary}");
    assert!(body.starts_with(opening.as_bytes()), "body does not start with the boundary");
    let mut at = opening.len();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            assert_eq!(&body[at + 2..], b"\r\n", "bytes after the closing boundary");
            return parts;
        }
        assert!(body[at..].starts_with(b"\r\n"), "boundary line not ended by CRLF");
        at += 2;
        let head_end = position(body, b"\r\n\r\n", at).expect("part headers not ended by a blank line");
        let head = std::str::from_utf8(&body[at..head_end]).expect("part headers are UTF-8");
        let content_start = head_end + 4;
        let content_end =
            position(body, delimiter.as_bytes(), content_start).expect("part not followed by a boundary");
        let mut part =
            FormPart { name: String::new(), file_name: None, content_type: None, body: Vec::new() };
        let mut saw_disposition = false;
        for line in head.split("\r\n") {
            let (key, value) = line.split_once(':').expect("part header line without ':'");
            match key.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    let (kind, params) = disposition_params(value.trim());
                    assert_eq!(kind, "form-data");
                    part.name = params.get("name").expect("part without a name").clone();
                    part.file_name = params.get("filename").cloned();
                    saw_disposition = true;
                }
                "content-type" => part.content_type = Some(value.trim().to_owned()),
                other => panic!("unexpected part header {other}"),
            }
        }
        assert!(saw_disposition, "part without Content-Disposition: {head:?}");
        part.body = body[content_start..content_end].to_vec();
        parts.push(part);
        at = content_end + delimiter.len();
    }
}
