//! Path parameters: each value fills exactly one path segment.
//!
//! A value is percent-encoded so that nothing in it can end its segment or be read by
//! the URL parser as a step up or sideways: everything but the unreserved characters of
//! RFC 3986 (`A-Z a-z 0-9 - . _ ~`) is encoded, `/`, `\`, `?`, `#` and `%` included. The
//! values the URL parser would resolve as a directory step (`""`, `.`, `..`) are refused
//! before anything is sent.

use std::borrow::Cow;

/// Encodes one path segment; every byte outside the unreserved set becomes `%XX`.
pub fn encode_segment(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if unreserved(b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

/// Checks and encodes the value of the path parameter `name`.
///
/// An empty value, `.` or `..` would leave the parameter's segment (an empty one reaches
/// the collection's route, a dot segment is resolved away by the URL parser), so each is
/// refused with a message naming the parameter.
///
/// A value made only of unreserved characters (the usual id) is returned as it is,
/// without a copy.
// Called by the generated methods of operations with path parameters: a document
// without any leaves it unused.
#[allow(dead_code)]
pub fn segment<'v>(name: &str, value: &'v str) -> Result<Cow<'v, str>, String> {
    match value {
        "" => Err(format!("path parameter `{name}` is empty")),
        "." | ".." => {
            Err(format!("path parameter `{name}` is {value:?}, which would leave its path segment"))
        }
        _ if value.bytes().all(unreserved) => Ok(Cow::Borrowed(value)),
        _ => Ok(Cow::Owned(encode_segment(value))),
    }
}

/// The unreserved characters of RFC 3986, the only ones a segment keeps as they are.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// A cookie value as sent in the `Cookie` header: bytes outside the cookie-octet set
/// (controls, space, `"`, `,`, `;`, `\\`, non-ASCII) and `%` are percent-encoded, the way
/// web frameworks decode them.
// Called by generated code only when the document has cookie parameters.
#[allow(dead_code)]
pub fn cookie_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        let plain = matches!(b, 0x21 | 0x23..=0x24 | 0x26..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E);
        if plain {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_are_encoded() {
        assert_eq!(encode_segment("..\\agents\\agent-7"), "..%5Cagents%5Cagent-7");
        assert_eq!(encode_segment("a/b?c#d%e f"), "a%2Fb%3Fc%23d%25e%20f");
        assert_eq!(encode_segment("ünï"), "%C3%BCn%C3%AF");
        assert_eq!(encode_segment("Az09-._~"), "Az09-._~");
        assert_eq!(encode_segment("%2e%2e"), "%252e%252e");
        assert_eq!(encode_segment(";,=:@!$&'()*+[]"), "%3B%2C%3D%3A%40%21%24%26%27%28%29%2A%2B%5B%5D");
    }

    #[test]
    fn dot_segments_and_empty_values_are_refused() {
        for bad in ["", ".", ".."] {
            let e = segment("datasource_id", bad).unwrap_err();
            assert!(e.contains("`datasource_id`"), "{e}");
        }
        assert_eq!(segment("id", "...").unwrap(), "...");
        assert_eq!(segment("id", ".hidden").unwrap(), ".hidden");
    }

    #[test]
    fn cookie_values_keep_plain_octets_and_encode_the_rest() {
        assert_eq!(super::cookie_value("s3ss10n-A_b.c"), "s3ss10n-A_b.c");
        assert_eq!(super::cookie_value("a b;c,d\"e\\%é"), "a%20b%3Bc%2Cd%22e%5C%25%C3%A9");
    }
}
