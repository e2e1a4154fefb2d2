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

/// A path parameter's value, to be read as text by [`AsText`] or [`ToText`].
///
/// The generated methods write `(&Text(&value)).text()`: method lookup picks
/// [`AsText`] when the value already is a `String` or a `str` (its text is borrowed, not
/// copied) and [`ToText`] for anything else that implements `Display` (a number, a UUID,
/// an enum), whose text is formatted as `to_string` does.
// Used only by documents with path parameters.
#[allow(dead_code)]
pub struct Text<'a, T: ?Sized>(pub &'a T);

/// The text of a value that already is a string, borrowed. See [`Text`].
#[allow(dead_code)]
pub trait AsText<'a> {
    /// The value as it is.
    fn text(&self) -> Cow<'a, str>;
}

impl<'a> AsText<'a> for Text<'a, String> {
    fn text(&self) -> Cow<'a, str> {
        Cow::Borrowed(self.0.as_str())
    }
}

impl<'a> AsText<'a> for Text<'a, str> {
    fn text(&self) -> Cow<'a, str> {
        Cow::Borrowed(self.0)
    }
}

/// The text of any other value, as `to_string` makes it. See [`Text`].
#[allow(dead_code)]
pub trait ToText<'a> {
    /// The value formatted with `Display`.
    fn text(&self) -> Cow<'a, str>;
}

impl<'a, T: std::fmt::Display + ?Sized> ToText<'a> for &Text<'a, T> {
    fn text(&self) -> Cow<'a, str> {
        Cow::Owned(self.0.to_string())
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
    // Written as the generated methods write it: the borrow picks the trait.
    #[allow(clippy::needless_borrow)]
    fn a_string_id_is_borrowed_and_any_other_value_is_formatted() {
        // As the generated methods call it.
        #[derive(Debug)]
        enum Kind {
            Fast,
        }
        impl std::fmt::Display for Kind {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("fast lane")
            }
        }
        let id = String::from("agent-7");
        let text = (&Text(&id)).text();
        assert!(matches!(text, Cow::Borrowed("agent-7")), "{text:?}");
        assert!(std::ptr::eq(text.as_ptr(), id.as_ptr()), "a string id is not copied");
        let text = (&Text("agent-8")).text();
        assert!(matches!(text, Cow::Borrowed("agent-8")), "{text:?}");
        let text = (&Text(&-42i64)).text();
        assert!(matches!(&text, Cow::Owned(s) if s == "-42"), "{text:?}");
        let text = (&Text(&1.5f64)).text();
        assert_eq!(text, 1.5f64.to_string());
        let text = (&Text(&Kind::Fast)).text();
        assert!(matches!(&text, Cow::Owned(s) if s == "fast lane"), "{text:?}");
        assert_eq!(segment("kind", &(&Text(&Kind::Fast)).text()).unwrap(), "fast%20lane");
    }

    #[test]
    fn cookie_values_keep_plain_octets_and_encode_the_rest() {
        assert_eq!(super::cookie_value("s3ss10n-A_b.c"), "s3ss10n-A_b.c");
        assert_eq!(super::cookie_value("a b;c,d\"e\\%é"), "a%20b%3Bc%2Cd%22e%5C%25%C3%A9");
    }
}
