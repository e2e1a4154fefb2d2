pub mod operations {
    //! [`When`](::httpmock::When) and [`Then`](::httpmock::Then)
    //! wrappers for each operation. Each can be converted to
    //! its inner type with a call to `into_inner()`. This can
    //! be used to explicitly deviate from permitted values.
    use crate::*;
    pub struct GetNoteWhen(::httpmock::When);
    impl GetNoteWhen {
        pub fn new(inner: ::httpmock::When) -> Self {
            Self(
                inner
                    .method(::httpmock::Method::GET)
                    .path_matches(regex::Regex::new("^/notes/[^/]*$").unwrap()),
            )
        }
        pub fn into_inner(self) -> ::httpmock::When {
            self.0
        }
        pub fn note_id(self, value: &::uuid::Uuid) -> Self {
            let re = regex::Regex::new(
                    &format!(
                        "^/notes/{}$", ::regex::escape(& crate ::path::encode_segment(&
                        value.to_string()))
                    ),
                )
                .unwrap();
            Self(self.0.path_matches(re))
        }
        pub fn x_trace<'a, T>(self, value: T) -> Self
        where
            T: Into<Option<&'a str>>,
        {
            if let Some(value) = value.into() {
                Self(self.0.header("x-trace", value.to_string()))
            } else {
                Self(self.0.header_missing("x-trace"))
            }
        }
    }
    pub struct GetNoteThen(::httpmock::Then);
    impl GetNoteThen {
        pub fn new(inner: ::httpmock::Then) -> Self {
            Self(inner)
        }
        pub fn into_inner(self) -> ::httpmock::Then {
            self.0
        }
        pub fn ok(self, value: &types::Note) -> Self {
            Self(
                self
                    .0
                    .status(200u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
        pub fn not_found(self, value: &types::GetNoteErrorReply) -> Self {
            Self(
                self
                    .0
                    .status(404u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
        pub fn unprocessable_entity(self, value: &types::GetNoteErrorReply) -> Self {
            Self(
                self
                    .0
                    .status(422u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
    }
    pub struct ListNotesWhen(::httpmock::When);
    impl ListNotesWhen {
        pub fn new(inner: ::httpmock::When) -> Self {
            Self(
                inner
                    .method(::httpmock::Method::GET)
                    .path_matches(regex::Regex::new("^/notes$").unwrap()),
            )
        }
        pub fn into_inner(self) -> ::httpmock::When {
            self.0
        }
        pub fn kind<'a, T>(self, value: T) -> Self
        where
            T: Into<Option<&'a crate::types::Kind>>,
        {
            if let Some(value) = value.into() {
                Self(self.0.query_param("kind", value.to_string()))
            } else {
                Self(self.0.query_param_missing("kind"))
            }
        }
        pub fn limit<T>(self, value: T) -> Self
        where
            T: Into<Option<i64>>,
        {
            if let Some(value) = value.into() {
                Self(self.0.query_param("limit", value.to_string()))
            } else {
                Self(self.0.query_param_missing("limit"))
            }
        }
        pub fn offset<T>(self, value: T) -> Self
        where
            T: Into<Option<i64>>,
        {
            if let Some(value) = value.into() {
                Self(self.0.query_param("offset", value.to_string()))
            } else {
                Self(self.0.query_param_missing("offset"))
            }
        }
    }
    pub struct ListNotesThen(::httpmock::Then);
    impl ListNotesThen {
        pub fn new(inner: ::httpmock::Then) -> Self {
            Self(inner)
        }
        pub fn into_inner(self) -> ::httpmock::Then {
            self.0
        }
        pub fn ok(self, value: &types::NotePage) -> Self {
            Self(
                self
                    .0
                    .status(200u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
        pub fn unprocessable_entity(self, value: &types::HttpValidationError) -> Self {
            Self(
                self
                    .0
                    .status(422u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
    }
    pub struct CreateNoteNotesPostWhen(::httpmock::When);
    impl CreateNoteNotesPostWhen {
        pub fn new(inner: ::httpmock::When) -> Self {
            Self(
                inner
                    .method(::httpmock::Method::POST)
                    .path_matches(regex::Regex::new("^/notes$").unwrap()),
            )
        }
        pub fn into_inner(self) -> ::httpmock::When {
            self.0
        }
        pub fn body(self, value: &types::Note) -> Self {
            Self(self.0.json_body_obj(value))
        }
    }
    pub struct CreateNoteNotesPostThen(::httpmock::Then);
    impl CreateNoteNotesPostThen {
        pub fn new(inner: ::httpmock::Then) -> Self {
            Self(inner)
        }
        pub fn into_inner(self) -> ::httpmock::Then {
            self.0
        }
        pub fn ok(self, value: &types::Note) -> Self {
            Self(
                self
                    .0
                    .status(200u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
        pub fn unprocessable_entity(self, value: &types::HttpValidationError) -> Self {
            Self(
                self
                    .0
                    .status(422u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
    }
}
/// An extension trait for [`MockServer`](::httpmock::MockServer) that
/// adds a method for each operation. These are the equivalent of
/// type-checked [`mock()`](::httpmock::MockServer::mock) calls.
pub trait MockServerExt {
    fn get_note<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::GetNoteWhen, operations::GetNoteThen);
    fn list_notes<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::ListNotesWhen, operations::ListNotesThen);
    fn create_note_notes_post<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(
            operations::CreateNoteNotesPostWhen,
            operations::CreateNoteNotesPostThen,
        );
}
impl MockServerExt for ::httpmock::MockServer {
    fn get_note<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::GetNoteWhen, operations::GetNoteThen),
    {
        self.mock(|when, then| {
            config_fn(
                operations::GetNoteWhen::new(when),
                operations::GetNoteThen::new(then),
            )
        })
    }
    fn list_notes<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::ListNotesWhen, operations::ListNotesThen),
    {
        self.mock(|when, then| {
            config_fn(
                operations::ListNotesWhen::new(when),
                operations::ListNotesThen::new(then),
            )
        })
    }
    fn create_note_notes_post<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(
            operations::CreateNoteNotesPostWhen,
            operations::CreateNoteNotesPostThen,
        ),
    {
        self.mock(|when, then| {
            config_fn(
                operations::CreateNoteNotesPostWhen::new(when),
                operations::CreateNoteNotesPostThen::new(then),
            )
        })
    }
}
