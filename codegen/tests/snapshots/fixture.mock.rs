/// Typed mocks on an [`httpmock::MockServer`], one method per operation.
pub trait MockServerExt {
    /**Mocks [`Client::get_note`](crate::Client::get_note) (`GET /notes/{note_id}`, Get a note).

Matches `GET` on the path under any base path; `config` adds matchers to the `When` and sets the reply on the `Then`.*/
    fn get_note<F>(&self, config: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::GetNoteWhen, operations::GetNoteThen);
    /**Mocks [`Client::list_notes`](crate::Client::list_notes) (`GET /notes`, listNotes).

Matches `GET` on the path under any base path; `config` adds matchers to the `When` and sets the reply on the `Then`.*/
    fn list_notes<F>(&self, config: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::ListNotesWhen, operations::ListNotesThen);
    /**Mocks [`Client::create_note_notes_post`](crate::Client::create_note_notes_post) (`POST /notes`, create_note_notes_post).

Matches `POST` on the path under any base path; `config` adds matchers to the `When` and sets the reply on the `Then`.*/
    fn create_note_notes_post<F>(&self, config: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(
            operations::CreateNoteNotesPostWhen,
            operations::CreateNoteNotesPostThen,
        );
    /**Mocks [`Client::attach_file`](crate::Client::attach_file) (`POST /notes/{note_id}/attachments`, attachFile).

Matches `POST` on the path under any base path; `config` adds matchers to the `When` and sets the reply on the `Then`.*/
    fn attach_file<F>(&self, config: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::AttachFileWhen, operations::AttachFileThen);
    /**Mocks [`Client::watch_note`](crate::Client::watch_note) (`GET /notes/{note_id}/events`, watchNote).

Matches `GET` on the path under any base path; `config` adds matchers to the `When` and sets the reply on the `Then`.*/
    fn watch_note<F>(&self, config: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::WatchNoteWhen, operations::WatchNoteThen);
}
impl MockServerExt for ::httpmock::MockServer {
    fn get_note<F>(&self, config: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::GetNoteWhen, operations::GetNoteThen),
    {
        self.mock(|when, then| config(
            operations::GetNoteWhen::new(when),
            operations::GetNoteThen::new(then),
        ))
    }
    fn list_notes<F>(&self, config: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::ListNotesWhen, operations::ListNotesThen),
    {
        self.mock(|when, then| config(
            operations::ListNotesWhen::new(when),
            operations::ListNotesThen::new(then),
        ))
    }
    fn create_note_notes_post<F>(&self, config: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(
            operations::CreateNoteNotesPostWhen,
            operations::CreateNoteNotesPostThen,
        ),
    {
        self.mock(|when, then| config(
            operations::CreateNoteNotesPostWhen::new(when),
            operations::CreateNoteNotesPostThen::new(then),
        ))
    }
    fn attach_file<F>(&self, config: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::AttachFileWhen, operations::AttachFileThen),
    {
        self.mock(|when, then| config(
            operations::AttachFileWhen::new(when),
            operations::AttachFileThen::new(then),
        ))
    }
    fn watch_note<F>(&self, config: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::WatchNoteWhen, operations::WatchNoteThen),
    {
        self.mock(|when, then| config(
            operations::WatchNoteWhen::new(when),
            operations::WatchNoteThen::new(then),
        ))
    }
}
/// The `When` and `Then` wrappers of every operation.
pub mod operations {
    #[allow(unused_imports)]
    use super::*;
    ///Matchers for a request to `getNote`.
    pub struct GetNoteWhen(::httpmock::When);
    impl GetNoteWhen {
        /// Wraps `inner`, matching the operation's method and path.
        pub fn new(inner: ::httpmock::When) -> Self {
            Self(
                inner
                    .method(::httpmock::Method::GET)
                    .path_matches(
                        ::regex::Regex::new("^(?:/.*)?/notes/[^/]+$")
                            .expect("a generated path pattern is valid"),
                    ),
            )
        }
        /// httpmock's `When`, for any other matcher.
        pub fn into_inner(self) -> ::httpmock::When {
            self.0
        }
        /// Adds any other httpmock matcher.
        pub fn and(
            self,
            f: impl ::std::ops::FnOnce(::httpmock::When) -> ::httpmock::When,
        ) -> Self {
            Self(f(self.0))
        }
        ///Matches the path parameter `note_id`, taken literally.
        pub fn note_id(self, value: impl ::std::string::ToString) -> Self {
            let re = format!(
                "{}{}{}", "^(?:/.*)?/notes/", ::regex::escape(& crate
                ::path::encode_segment(& value.to_string())), "$"
            );
            Self(
                self
                    .0
                    .path_matches(
                        ::regex::Regex::new(&re)
                            .expect("an escaped path is a valid pattern"),
                    ),
            )
        }
        ///Matches the header `x-trace` with the value the client sends for `value`.
        pub fn x_trace(self, value: impl ::serde::Serialize) -> Self {
            Self(self.0.header("x-trace", crate::mock::text(&value)))
        }
        ///Matches a request without the header `x-trace`.
        pub fn x_trace_missing(self) -> Self {
            Self(self.0.header_missing("x-trace"))
        }
    }
    ///The reply to a request to `getNote`.
    pub struct GetNoteThen(::httpmock::Then);
    impl GetNoteThen {
        /// Wraps `inner`.
        pub fn new(inner: ::httpmock::Then) -> Self {
            Self(inner)
        }
        /// httpmock's `Then`, for anything else.
        pub fn into_inner(self) -> ::httpmock::Then {
            self.0
        }
        /// Sets the status; combine with [`detail`](Self::detail), [`json`](Self::json)
        /// or a documented reply.
        pub fn status(self, status: u16) -> Self {
            Self(self.0.status(status))
        }
        /// Sets a header of the reply.
        pub fn header(
            self,
            name: impl ::std::convert::Into<::std::string::String>,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            Self(self.0.header(name, value))
        }
        /// Replies with FastAPI's plain error body, `{"detail": "<message>"}`, with the
        /// status set by [`status`](Self::status) (200 if none).
        pub fn detail(
            self,
            message: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            Self(
                self
                    .0
                    .header("content-type", "application/json")
                    .json_body(::serde_json::json!({ "detail" : message.into() })),
            )
        }
        /// Replies with any JSON body, with the status set by [`status`](Self::status).
        pub fn json(self, value: impl ::serde::Serialize) -> Self {
            Self(
                self
                    .0
                    .header("content-type", "application/json")
                    .json_body(
                        ::serde_json::to_value(value).expect("the reply serializes"),
                    ),
            )
        }
        ///Replies 200 with the documented body (ok).
        ///
        ///Takes the type or its builder; panics if a builder misses a required field.
        pub fn ok<V>(self, value: V) -> Self
        where
            V: ::std::convert::TryInto<crate::types::Note>,
            V::Error: ::std::fmt::Display,
        {
            let value: crate::types::Note = crate::mock::built(value);
            Self(
                self
                    .0
                    .status(200u16)
                    .header("content-type", "application/json")
                    .json_body(
                        ::serde_json::to_value(&value).expect("a typed reply serializes"),
                    ),
            )
        }
        ///Replies 404 with the documented body (missing).
        ///
        ///Takes the type or its builder; panics if a builder misses a required field.
        pub fn not_found<V>(self, value: V) -> Self
        where
            V: ::std::convert::TryInto<crate::types::GetNoteErrorReply>,
            V::Error: ::std::fmt::Display,
        {
            let value: crate::types::GetNoteErrorReply = crate::mock::built(value);
            Self(
                self
                    .0
                    .status(404u16)
                    .header("content-type", "application/json")
                    .json_body(
                        ::serde_json::to_value(&value).expect("a typed reply serializes"),
                    ),
            )
        }
        ///Replies 422 with the documented body (invalid).
        ///
        ///Takes the type or its builder; panics if a builder misses a required field.
        pub fn unprocessable_entity<V>(self, value: V) -> Self
        where
            V: ::std::convert::TryInto<crate::types::GetNoteErrorReply>,
            V::Error: ::std::fmt::Display,
        {
            let value: crate::types::GetNoteErrorReply = crate::mock::built(value);
            Self(
                self
                    .0
                    .status(422u16)
                    .header("content-type", "application/json")
                    .json_body(
                        ::serde_json::to_value(&value).expect("a typed reply serializes"),
                    ),
            )
        }
    }
    ///Matchers for a request to `listNotes`.
    pub struct ListNotesWhen(::httpmock::When);
    impl ListNotesWhen {
        /// Wraps `inner`, matching the operation's method and path.
        pub fn new(inner: ::httpmock::When) -> Self {
            Self(
                inner
                    .method(::httpmock::Method::GET)
                    .path_matches(
                        ::regex::Regex::new("^(?:/.*)?/notes$")
                            .expect("a generated path pattern is valid"),
                    ),
            )
        }
        /// httpmock's `When`, for any other matcher.
        pub fn into_inner(self) -> ::httpmock::When {
            self.0
        }
        /// Adds any other httpmock matcher.
        pub fn and(
            self,
            f: impl ::std::ops::FnOnce(::httpmock::When) -> ::httpmock::When,
        ) -> Self {
            Self(f(self.0))
        }
        ///Matches the query parameter `offset` with the value the client sends for `value`.
        pub fn offset(self, value: impl ::serde::Serialize) -> Self {
            Self(self.0.query_param("offset", crate::mock::text(&value)))
        }
        ///Matches a request without the query parameter `offset`.
        pub fn offset_missing(self) -> Self {
            Self(self.0.query_param_missing("offset"))
        }
        ///Matches the query parameter `limit` with the value the client sends for `value`.
        pub fn limit(self, value: impl ::serde::Serialize) -> Self {
            Self(self.0.query_param("limit", crate::mock::text(&value)))
        }
        ///Matches a request without the query parameter `limit`.
        pub fn limit_missing(self) -> Self {
            Self(self.0.query_param_missing("limit"))
        }
        ///Matches the query parameter `kind` with the value the client sends for `value`.
        pub fn kind(self, value: impl ::serde::Serialize) -> Self {
            Self(self.0.query_param("kind", crate::mock::text(&value)))
        }
        ///Matches a request without the query parameter `kind`.
        pub fn kind_missing(self) -> Self {
            Self(self.0.query_param_missing("kind"))
        }
    }
    ///The reply to a request to `listNotes`.
    pub struct ListNotesThen(::httpmock::Then);
    impl ListNotesThen {
        /// Wraps `inner`.
        pub fn new(inner: ::httpmock::Then) -> Self {
            Self(inner)
        }
        /// httpmock's `Then`, for anything else.
        pub fn into_inner(self) -> ::httpmock::Then {
            self.0
        }
        /// Sets the status; combine with [`detail`](Self::detail), [`json`](Self::json)
        /// or a documented reply.
        pub fn status(self, status: u16) -> Self {
            Self(self.0.status(status))
        }
        /// Sets a header of the reply.
        pub fn header(
            self,
            name: impl ::std::convert::Into<::std::string::String>,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            Self(self.0.header(name, value))
        }
        /// Replies with FastAPI's plain error body, `{"detail": "<message>"}`, with the
        /// status set by [`status`](Self::status) (200 if none).
        pub fn detail(
            self,
            message: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            Self(
                self
                    .0
                    .header("content-type", "application/json")
                    .json_body(::serde_json::json!({ "detail" : message.into() })),
            )
        }
        /// Replies with any JSON body, with the status set by [`status`](Self::status).
        pub fn json(self, value: impl ::serde::Serialize) -> Self {
            Self(
                self
                    .0
                    .header("content-type", "application/json")
                    .json_body(
                        ::serde_json::to_value(value).expect("the reply serializes"),
                    ),
            )
        }
        ///Replies 200 with the documented body (ok).
        ///
        ///Takes the type or its builder; panics if a builder misses a required field.
        pub fn ok<V>(self, value: V) -> Self
        where
            V: ::std::convert::TryInto<crate::types::NotePage>,
            V::Error: ::std::fmt::Display,
        {
            let value: crate::types::NotePage = crate::mock::built(value);
            Self(
                self
                    .0
                    .status(200u16)
                    .header("content-type", "application/json")
                    .json_body(
                        ::serde_json::to_value(&value).expect("a typed reply serializes"),
                    ),
            )
        }
        ///Replies 422 with the documented body (invalid).
        ///
        ///Takes the type or its builder; panics if a builder misses a required field.
        pub fn unprocessable_entity<V>(self, value: V) -> Self
        where
            V: ::std::convert::TryInto<crate::types::HttpValidationError>,
            V::Error: ::std::fmt::Display,
        {
            let value: crate::types::HttpValidationError = crate::mock::built(value);
            Self(
                self
                    .0
                    .status(422u16)
                    .header("content-type", "application/json")
                    .json_body(
                        ::serde_json::to_value(&value).expect("a typed reply serializes"),
                    ),
            )
        }
    }
    ///Matchers for a request to `create_note_notes_post`.
    pub struct CreateNoteNotesPostWhen(::httpmock::When);
    impl CreateNoteNotesPostWhen {
        /// Wraps `inner`, matching the operation's method and path.
        pub fn new(inner: ::httpmock::When) -> Self {
            Self(
                inner
                    .method(::httpmock::Method::POST)
                    .path_matches(
                        ::regex::Regex::new("^(?:/.*)?/notes$")
                            .expect("a generated path pattern is valid"),
                    ),
            )
        }
        /// httpmock's `When`, for any other matcher.
        pub fn into_inner(self) -> ::httpmock::When {
            self.0
        }
        /// Adds any other httpmock matcher.
        pub fn and(
            self,
            f: impl ::std::ops::FnOnce(::httpmock::When) -> ::httpmock::When,
        ) -> Self {
            Self(f(self.0))
        }
        /// Matches the JSON body: takes what the client's `body(...)` takes, the
        /// type or its builder. Panics if a builder misses a required field.
        pub fn body<B>(self, value: B) -> Self
        where
            B: ::std::convert::TryInto<crate::types::Note>,
            B::Error: ::std::fmt::Display,
        {
            let value: crate::types::Note = crate::mock::built(value);
            Self(
                self
                    .0
                    .json_body(
                        ::serde_json::to_value(&value).expect("a typed body serializes"),
                    ),
            )
        }
    }
    ///The reply to a request to `create_note_notes_post`.
    pub struct CreateNoteNotesPostThen(::httpmock::Then);
    impl CreateNoteNotesPostThen {
        /// Wraps `inner`.
        pub fn new(inner: ::httpmock::Then) -> Self {
            Self(inner)
        }
        /// httpmock's `Then`, for anything else.
        pub fn into_inner(self) -> ::httpmock::Then {
            self.0
        }
        /// Sets the status; combine with [`detail`](Self::detail), [`json`](Self::json)
        /// or a documented reply.
        pub fn status(self, status: u16) -> Self {
            Self(self.0.status(status))
        }
        /// Sets a header of the reply.
        pub fn header(
            self,
            name: impl ::std::convert::Into<::std::string::String>,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            Self(self.0.header(name, value))
        }
        /// Replies with FastAPI's plain error body, `{"detail": "<message>"}`, with the
        /// status set by [`status`](Self::status) (200 if none).
        pub fn detail(
            self,
            message: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            Self(
                self
                    .0
                    .header("content-type", "application/json")
                    .json_body(::serde_json::json!({ "detail" : message.into() })),
            )
        }
        /// Replies with any JSON body, with the status set by [`status`](Self::status).
        pub fn json(self, value: impl ::serde::Serialize) -> Self {
            Self(
                self
                    .0
                    .header("content-type", "application/json")
                    .json_body(
                        ::serde_json::to_value(value).expect("the reply serializes"),
                    ),
            )
        }
        ///Replies 200 with the documented body (ok).
        ///
        ///Takes the type or its builder; panics if a builder misses a required field.
        pub fn ok<V>(self, value: V) -> Self
        where
            V: ::std::convert::TryInto<crate::types::Note>,
            V::Error: ::std::fmt::Display,
        {
            let value: crate::types::Note = crate::mock::built(value);
            Self(
                self
                    .0
                    .status(200u16)
                    .header("content-type", "application/json")
                    .json_body(
                        ::serde_json::to_value(&value).expect("a typed reply serializes"),
                    ),
            )
        }
        ///Replies 422 with the documented body (invalid).
        ///
        ///Takes the type or its builder; panics if a builder misses a required field.
        pub fn unprocessable_entity<V>(self, value: V) -> Self
        where
            V: ::std::convert::TryInto<crate::types::HttpValidationError>,
            V::Error: ::std::fmt::Display,
        {
            let value: crate::types::HttpValidationError = crate::mock::built(value);
            Self(
                self
                    .0
                    .status(422u16)
                    .header("content-type", "application/json")
                    .json_body(
                        ::serde_json::to_value(&value).expect("a typed reply serializes"),
                    ),
            )
        }
    }
    ///Matchers for a request to `attachFile`.
    pub struct AttachFileWhen(::httpmock::When);
    impl AttachFileWhen {
        /// Wraps `inner`, matching the operation's method and path.
        pub fn new(inner: ::httpmock::When) -> Self {
            Self(
                inner
                    .method(::httpmock::Method::POST)
                    .path_matches(
                        ::regex::Regex::new("^(?:/.*)?/notes/[^/]+/attachments$")
                            .expect("a generated path pattern is valid"),
                    ),
            )
        }
        /// httpmock's `When`, for any other matcher.
        pub fn into_inner(self) -> ::httpmock::When {
            self.0
        }
        /// Adds any other httpmock matcher.
        pub fn and(
            self,
            f: impl ::std::ops::FnOnce(::httpmock::When) -> ::httpmock::When,
        ) -> Self {
            Self(f(self.0))
        }
        ///Matches the path parameter `note_id`, taken literally.
        pub fn note_id(self, value: impl ::std::string::ToString) -> Self {
            let re = format!(
                "{}{}{}", "^(?:/.*)?/notes/", ::regex::escape(& crate
                ::path::encode_segment(& value.to_string())), "/attachments$"
            );
            Self(
                self
                    .0
                    .path_matches(
                        ::regex::Regex::new(&re)
                            .expect("an escaped path is a valid pattern"),
                    ),
            )
        }
        ///Matches a file sent in the form field `file` with this file name and these contents (call it once per file to expect several).
        pub fn file(
            self,
            file_name: impl ::std::convert::Into<::std::string::String>,
            contents: impl ::std::convert::AsRef<[u8]>,
        ) -> Self {
            let file_name = file_name.into();
            let contents = contents.as_ref().to_vec();
            Self(
                self
                    .0
                    .is_true(move |req: &::httpmock::HttpMockRequest| {
                        crate::mock::form_has(req, "file", Some(&file_name), &contents)
                    }),
            )
        }
        ///Matches the form field `caption` with the text the client sends for `value`.
        pub fn caption(self, value: impl ::serde::Serialize) -> Self {
            let text = crate::mock::text(&value).into_bytes();
            Self(
                self
                    .0
                    .is_true(move |req: &::httpmock::HttpMockRequest| {
                        crate::mock::form_has(req, "caption", None, &text)
                    }),
            )
        }
    }
    ///The reply to a request to `attachFile`.
    pub struct AttachFileThen(::httpmock::Then);
    impl AttachFileThen {
        /// Wraps `inner`.
        pub fn new(inner: ::httpmock::Then) -> Self {
            Self(inner)
        }
        /// httpmock's `Then`, for anything else.
        pub fn into_inner(self) -> ::httpmock::Then {
            self.0
        }
        /// Sets the status; combine with [`detail`](Self::detail), [`json`](Self::json)
        /// or a documented reply.
        pub fn status(self, status: u16) -> Self {
            Self(self.0.status(status))
        }
        /// Sets a header of the reply.
        pub fn header(
            self,
            name: impl ::std::convert::Into<::std::string::String>,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            Self(self.0.header(name, value))
        }
        /// Replies with FastAPI's plain error body, `{"detail": "<message>"}`, with the
        /// status set by [`status`](Self::status) (200 if none).
        pub fn detail(
            self,
            message: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            Self(
                self
                    .0
                    .header("content-type", "application/json")
                    .json_body(::serde_json::json!({ "detail" : message.into() })),
            )
        }
        /// Replies with any JSON body, with the status set by [`status`](Self::status).
        pub fn json(self, value: impl ::serde::Serialize) -> Self {
            Self(
                self
                    .0
                    .header("content-type", "application/json")
                    .json_body(
                        ::serde_json::to_value(value).expect("the reply serializes"),
                    ),
            )
        }
        ///Replies 200 with the documented body (ok).
        ///
        ///Takes the type or its builder; panics if a builder misses a required field.
        pub fn ok<V>(self, value: V) -> Self
        where
            V: ::std::convert::TryInto<crate::types::Note>,
            V::Error: ::std::fmt::Display,
        {
            let value: crate::types::Note = crate::mock::built(value);
            Self(
                self
                    .0
                    .status(200u16)
                    .header("content-type", "application/json")
                    .json_body(
                        ::serde_json::to_value(&value).expect("a typed reply serializes"),
                    ),
            )
        }
    }
    ///Matchers for a request to `watchNote`.
    pub struct WatchNoteWhen(::httpmock::When);
    impl WatchNoteWhen {
        /// Wraps `inner`, matching the operation's method and path.
        pub fn new(inner: ::httpmock::When) -> Self {
            Self(
                inner
                    .method(::httpmock::Method::GET)
                    .path_matches(
                        ::regex::Regex::new("^(?:/.*)?/notes/[^/]+/events$")
                            .expect("a generated path pattern is valid"),
                    ),
            )
        }
        /// httpmock's `When`, for any other matcher.
        pub fn into_inner(self) -> ::httpmock::When {
            self.0
        }
        /// Adds any other httpmock matcher.
        pub fn and(
            self,
            f: impl ::std::ops::FnOnce(::httpmock::When) -> ::httpmock::When,
        ) -> Self {
            Self(f(self.0))
        }
        ///Matches the path parameter `note_id`, taken literally.
        pub fn note_id(self, value: impl ::std::string::ToString) -> Self {
            let re = format!(
                "{}{}{}", "^(?:/.*)?/notes/", ::regex::escape(& crate
                ::path::encode_segment(& value.to_string())), "/events$"
            );
            Self(
                self
                    .0
                    .path_matches(
                        ::regex::Regex::new(&re)
                            .expect("an escaped path is a valid pattern"),
                    ),
            )
        }
    }
    ///The reply to a request to `watchNote`.
    pub struct WatchNoteThen(::httpmock::Then);
    impl WatchNoteThen {
        /// Wraps `inner`.
        pub fn new(inner: ::httpmock::Then) -> Self {
            Self(inner)
        }
        /// httpmock's `Then`, for anything else.
        pub fn into_inner(self) -> ::httpmock::Then {
            self.0
        }
        /// Sets the status; combine with [`detail`](Self::detail), [`json`](Self::json)
        /// or a documented reply.
        pub fn status(self, status: u16) -> Self {
            Self(self.0.status(status))
        }
        /// Sets a header of the reply.
        pub fn header(
            self,
            name: impl ::std::convert::Into<::std::string::String>,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            Self(self.0.header(name, value))
        }
        /// Replies with FastAPI's plain error body, `{"detail": "<message>"}`, with the
        /// status set by [`status`](Self::status) (200 if none).
        pub fn detail(
            self,
            message: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            Self(
                self
                    .0
                    .header("content-type", "application/json")
                    .json_body(::serde_json::json!({ "detail" : message.into() })),
            )
        }
        /// Replies with any JSON body, with the status set by [`status`](Self::status).
        pub fn json(self, value: impl ::serde::Serialize) -> Self {
            Self(
                self
                    .0
                    .header("content-type", "application/json")
                    .json_body(
                        ::serde_json::to_value(value).expect("the reply serializes"),
                    ),
            )
        }
        ///Replies 200 with the documented body (events).
        ///
        ///The events are sent as a `text/event-stream` body, in order.
        pub fn ok(
            self,
            events: impl ::std::iter::IntoIterator<Item = crate::events::WatchNoteEvent>,
        ) -> Self {
            let events: ::std::vec::Vec<_> = events.into_iter().collect();
            let body = crate::events::to_body(&events).expect("typed events serialize");
            Self(
                self
                    .0
                    .status(200u16)
                    .header("content-type", "text/event-stream")
                    .body(body),
            )
        }
    }
}
/// Mounts the typed mock of `operation_id`, matching the arguments a call through
/// the contract dispatcher sends and answering `reply`. Returns the mock and the
/// body it serves, or why it could not be built. Only for the test builds that
/// compile the dispatcher (hidden feature `__contract`).
#[doc(hidden)]
#[cfg(feature = "__contract")]
pub fn __mock_operation<'a>(
    server: &'a ::httpmock::MockServer,
    operation_id: &str,
    args: &crate::__contract::Args,
    reply: &crate::mock::Reply,
) -> ::std::result::Result<
    (::httpmock::Mock<'a>, crate::mock::Reply),
    ::std::string::String,
> {
    #[allow(unused_imports)]
    use crate::__contract::arg;
    let mut failure: ::std::option::Option<::std::string::String> = None;
    let mut served = crate::mock::Reply::Empty;
    let mock = match operation_id {
        "getNote" => {
            server
                .get_note(|when, then| {
                    let when = match args.path.get("note_id") {
                        Some(v) => when.note_id(crate::mock::text(v)),
                        None => when,
                    };
                    let when = match args.header.get("x-trace") {
                        Some(v) => when.x_trace(v),
                        None => when.x_trace_missing(),
                    };
                    let _ = when;
                    match reply {
                        crate::mock::Reply::Json(v) => {
                            match arg::<crate::types::Note>("reply", v) {
                                Ok(v) => {
                                    served = crate::mock::Reply::Json(
                                        ::serde_json::to_value(&v).unwrap_or_default(),
                                    );
                                    then.ok(v);
                                }
                                Err(e) => failure = Some(e),
                            }
                        }
                        other => {
                            failure = Some(
                                format!("{} answers JSON, not {other:?}", "getNote"),
                            );
                        }
                    }
                })
        }
        "listNotes" => {
            server
                .list_notes(|when, then| {
                    let when = match args.query.get("offset") {
                        Some(v) => when.offset(v),
                        None => when.offset_missing(),
                    };
                    let when = match args.query.get("limit") {
                        Some(v) => when.limit(v),
                        None => when.limit_missing(),
                    };
                    let when = match args.query.get("kind") {
                        Some(v) => when.kind(v),
                        None => when.kind_missing(),
                    };
                    let _ = when;
                    match reply {
                        crate::mock::Reply::Json(v) => {
                            match arg::<crate::types::NotePage>("reply", v) {
                                Ok(v) => {
                                    served = crate::mock::Reply::Json(
                                        ::serde_json::to_value(&v).unwrap_or_default(),
                                    );
                                    then.ok(v);
                                }
                                Err(e) => failure = Some(e),
                            }
                        }
                        other => {
                            failure = Some(
                                format!("{} answers JSON, not {other:?}", "listNotes"),
                            );
                        }
                    }
                })
        }
        "create_note_notes_post" => {
            server
                .create_note_notes_post(|when, then| {
                    let when = match &args.body {
                        Some(b) => {
                            match arg::<crate::types::Note>("body", b) {
                                Ok(v) => when.body(v),
                                Err(e) => {
                                    failure = Some(e);
                                    when
                                }
                            }
                        }
                        None => when,
                    };
                    let _ = when;
                    match reply {
                        crate::mock::Reply::Json(v) => {
                            match arg::<crate::types::Note>("reply", v) {
                                Ok(v) => {
                                    served = crate::mock::Reply::Json(
                                        ::serde_json::to_value(&v).unwrap_or_default(),
                                    );
                                    then.ok(v);
                                }
                                Err(e) => failure = Some(e),
                            }
                        }
                        other => {
                            failure = Some(
                                format!(
                                    "{} answers JSON, not {other:?}", "create_note_notes_post"
                                ),
                            );
                        }
                    }
                })
        }
        "attachFile" => {
            server
                .attach_file(|when, then| {
                    let when = match args.path.get("note_id") {
                        Some(v) => when.note_id(crate::mock::text(v)),
                        None => when,
                    };
                    let mut when = when;
                    for f in args.files.iter().filter(|f| f.field == "file") {
                        when = when.file(f.file_name.clone(), f.bytes.clone());
                    }
                    let when = match args.form.get("caption") {
                        Some(v) => when.caption(v),
                        None => when,
                    };
                    let _ = when;
                    match reply {
                        crate::mock::Reply::Json(v) => {
                            match arg::<crate::types::Note>("reply", v) {
                                Ok(v) => {
                                    served = crate::mock::Reply::Json(
                                        ::serde_json::to_value(&v).unwrap_or_default(),
                                    );
                                    then.ok(v);
                                }
                                Err(e) => failure = Some(e),
                            }
                        }
                        other => {
                            failure = Some(
                                format!("{} answers JSON, not {other:?}", "attachFile"),
                            );
                        }
                    }
                })
        }
        "watchNote" => {
            server
                .watch_note(|when, then| {
                    let when = match args.path.get("note_id") {
                        Some(v) => when.note_id(crate::mock::text(v)),
                        None => when,
                    };
                    let _ = when;
                    match reply {
                        crate::mock::Reply::Events(raw) => {
                            let mut typed = ::std::vec::Vec::new();
                            for r in raw {
                                match <crate::events::WatchNoteEvent as crate::events::EventKind>::from_event(
                                    r,
                                ) {
                                    Ok(t) => typed.push(t),
                                    Err(err) => {
                                        failure = Some(format!("event {}: {err}", r.event));
                                    }
                                }
                            }
                            served = crate::mock::Reply::Events(
                                typed
                                    .iter()
                                    .filter_map(|t| crate::events::EventKind::to_event(t).ok())
                                    .collect(),
                            );
                            then.ok(typed);
                        }
                        other => {
                            failure = Some(
                                format!("{} answers events, not {other:?}", "watchNote"),
                            );
                        }
                    }
                })
        }
        other => return Err(format!("no mock for operation {other}")),
    };
    match failure {
        Some(e) => Err(e),
        None => Ok((mock, served)),
    }
}
