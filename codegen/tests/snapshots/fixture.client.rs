#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///`BodyAttachFile`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct BodyAttachFile {
        #[serde(default)]
        pub caption: ::std::string::String,
        pub file: ::std::string::String,
    }
    impl BodyAttachFile {
        pub fn builder() -> builder::BodyAttachFile {
            Default::default()
        }
    }
    ///The error replies documented for `getNote`: one of these bodies.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    #[serde(untagged)]
    pub enum GetNoteErrorReply {
        Problem(Problem),
        HttpValidationError(HttpValidationError),
    }
    impl ::std::convert::From<Problem> for GetNoteErrorReply {
        fn from(value: Problem) -> Self {
            Self::Problem(value)
        }
    }
    impl ::std::convert::From<HttpValidationError> for GetNoteErrorReply {
        fn from(value: HttpValidationError) -> Self {
            Self::HttpValidationError(value)
        }
    }
    ///`HttpValidationError`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default)]
    pub struct HttpValidationError {
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub detail: ::std::vec::Vec<ValidationError>,
    }
    impl HttpValidationError {
        pub fn builder() -> builder::HttpValidationError {
            Default::default()
        }
    }
    ///`Note`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct Note {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub gone: ::std::option::Option<::serde_json::Value>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::uuid::Uuid>,
        #[serde(default = "defaults::note_kind")]
        pub kind: crate::types::Kind,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub tags: ::std::vec::Vec<::std::string::String>,
        pub title: NoteTitle,
    }
    impl Note {
        pub fn builder() -> builder::Note {
            Default::default()
        }
    }
    ///`NotePage`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct NotePage {
        pub items: ::std::vec::Vec<Note>,
        pub total: i64,
    }
    impl NotePage {
        pub fn builder() -> builder::NotePage {
            Default::default()
        }
    }
    ///`NoteTitle`
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
    #[serde(transparent)]
    pub struct NoteTitle(::std::string::String);
    impl ::std::ops::Deref for NoteTitle {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<NoteTitle> for ::std::string::String {
        fn from(value: NoteTitle) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for NoteTitle {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() > 80usize {
                return Err("longer than 80 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for NoteTitle {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for NoteTitle {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for NoteTitle {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///`Problem`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct Problem {
        pub detail: ::std::string::String,
    }
    impl Problem {
        pub fn builder() -> builder::Problem {
            Default::default()
        }
    }
    ///`ValidationError`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct ValidationError {
        pub loc: ::std::vec::Vec<ValidationErrorLocItem>,
        pub msg: ::std::string::String,
        #[serde(rename = "type")]
        pub type_: ::std::string::String,
    }
    impl ValidationError {
        pub fn builder() -> builder::ValidationError {
            Default::default()
        }
    }
    ///`ValidationErrorLocItem`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    #[serde(untagged)]
    pub enum ValidationErrorLocItem {
        String(::std::string::String),
        Integer(i64),
    }
    impl ::std::fmt::Display for ValidationErrorLocItem {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self {
                Self::String(x) => x.fmt(f),
                Self::Integer(x) => x.fmt(f),
            }
        }
    }
    impl ::std::convert::From<i64> for ValidationErrorLocItem {
        fn from(value: i64) -> Self {
            Self::Integer(value)
        }
    }
    /// Types for composing complex structures.
    pub mod builder {
        #[derive(Clone, Debug)]
        pub struct BodyAttachFile {
            caption: ::std::result::Result<::std::string::String, ::std::string::String>,
            file: ::std::result::Result<::std::string::String, ::std::string::String>,
        }
        impl ::std::default::Default for BodyAttachFile {
            fn default() -> Self {
                Self {
                    caption: Ok(Default::default()),
                    file: Err("no value supplied for file".to_string()),
                }
            }
        }
        impl BodyAttachFile {
            pub fn caption<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.caption = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for caption: {e}")
                    });
                self
            }
            pub fn file<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.file = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for file: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<BodyAttachFile> for super::BodyAttachFile {
            type Error = super::error::ConversionError;
            fn try_from(
                value: BodyAttachFile,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    caption: value.caption?,
                    file: value.file?,
                })
            }
        }
        impl ::std::convert::From<super::BodyAttachFile> for BodyAttachFile {
            fn from(value: super::BodyAttachFile) -> Self {
                Self {
                    caption: Ok(value.caption),
                    file: Ok(value.file),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct HttpValidationError {
            detail: ::std::result::Result<
                ::std::vec::Vec<super::ValidationError>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for HttpValidationError {
            fn default() -> Self {
                Self {
                    detail: Ok(Default::default()),
                }
            }
        }
        impl HttpValidationError {
            pub fn detail<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::ValidationError>>,
                T::Error: ::std::fmt::Display,
            {
                self.detail = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for detail: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<HttpValidationError>
        for super::HttpValidationError {
            type Error = super::error::ConversionError;
            fn try_from(
                value: HttpValidationError,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self { detail: value.detail? })
            }
        }
        impl ::std::convert::From<super::HttpValidationError> for HttpValidationError {
            fn from(value: super::HttpValidationError) -> Self {
                Self { detail: Ok(value.detail) }
            }
        }
        #[derive(Clone, Debug)]
        pub struct Note {
            gone: ::std::result::Result<
                ::std::option::Option<::serde_json::Value>,
                ::std::string::String,
            >,
            id: ::std::result::Result<
                ::std::option::Option<::uuid::Uuid>,
                ::std::string::String,
            >,
            kind: ::std::result::Result<crate::types::Kind, ::std::string::String>,
            tags: ::std::result::Result<
                ::std::vec::Vec<::std::string::String>,
                ::std::string::String,
            >,
            title: ::std::result::Result<super::NoteTitle, ::std::string::String>,
        }
        impl ::std::default::Default for Note {
            fn default() -> Self {
                Self {
                    gone: Ok(Default::default()),
                    id: Ok(Default::default()),
                    kind: Ok(super::defaults::note_kind()),
                    tags: Ok(Default::default()),
                    title: Err("no value supplied for title".to_string()),
                }
            }
        }
        impl Note {
            pub fn gone<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::serde_json::Value>>,
                T::Error: ::std::fmt::Display,
            {
                self.gone = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for gone: {e}")
                    });
                self
            }
            pub fn id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::uuid::Uuid>>,
                T::Error: ::std::fmt::Display,
            {
                self.id = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for id: {e}"));
                self
            }
            pub fn kind<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<crate::types::Kind>,
                T::Error: ::std::fmt::Display,
            {
                self.kind = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for kind: {e}")
                    });
                self
            }
            pub fn tags<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.tags = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for tags: {e}")
                    });
                self
            }
            pub fn title<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<super::NoteTitle>,
                T::Error: ::std::fmt::Display,
            {
                self.title = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for title: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<Note> for super::Note {
            type Error = super::error::ConversionError;
            fn try_from(
                value: Note,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    gone: value.gone?,
                    id: value.id?,
                    kind: value.kind?,
                    tags: value.tags?,
                    title: value.title?,
                })
            }
        }
        impl ::std::convert::From<super::Note> for Note {
            fn from(value: super::Note) -> Self {
                Self {
                    gone: Ok(value.gone),
                    id: Ok(value.id),
                    kind: Ok(value.kind),
                    tags: Ok(value.tags),
                    title: Ok(value.title),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct NotePage {
            items: ::std::result::Result<
                ::std::vec::Vec<super::Note>,
                ::std::string::String,
            >,
            total: ::std::result::Result<i64, ::std::string::String>,
        }
        impl ::std::default::Default for NotePage {
            fn default() -> Self {
                Self {
                    items: Err("no value supplied for items".to_string()),
                    total: Err("no value supplied for total".to_string()),
                }
            }
        }
        impl NotePage {
            pub fn items<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::Note>>,
                T::Error: ::std::fmt::Display,
            {
                self.items = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for items: {e}")
                    });
                self
            }
            pub fn total<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<i64>,
                T::Error: ::std::fmt::Display,
            {
                self.total = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for total: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<NotePage> for super::NotePage {
            type Error = super::error::ConversionError;
            fn try_from(
                value: NotePage,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    items: value.items?,
                    total: value.total?,
                })
            }
        }
        impl ::std::convert::From<super::NotePage> for NotePage {
            fn from(value: super::NotePage) -> Self {
                Self {
                    items: Ok(value.items),
                    total: Ok(value.total),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct Problem {
            detail: ::std::result::Result<::std::string::String, ::std::string::String>,
        }
        impl ::std::default::Default for Problem {
            fn default() -> Self {
                Self {
                    detail: Err("no value supplied for detail".to_string()),
                }
            }
        }
        impl Problem {
            pub fn detail<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.detail = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for detail: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<Problem> for super::Problem {
            type Error = super::error::ConversionError;
            fn try_from(
                value: Problem,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self { detail: value.detail? })
            }
        }
        impl ::std::convert::From<super::Problem> for Problem {
            fn from(value: super::Problem) -> Self {
                Self { detail: Ok(value.detail) }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ValidationError {
            loc: ::std::result::Result<
                ::std::vec::Vec<super::ValidationErrorLocItem>,
                ::std::string::String,
            >,
            msg: ::std::result::Result<::std::string::String, ::std::string::String>,
            type_: ::std::result::Result<::std::string::String, ::std::string::String>,
        }
        impl ::std::default::Default for ValidationError {
            fn default() -> Self {
                Self {
                    loc: Err("no value supplied for loc".to_string()),
                    msg: Err("no value supplied for msg".to_string()),
                    type_: Err("no value supplied for type_".to_string()),
                }
            }
        }
        impl ValidationError {
            pub fn loc<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::vec::Vec<super::ValidationErrorLocItem>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.loc = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for loc: {e}")
                    });
                self
            }
            pub fn msg<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.msg = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for msg: {e}")
                    });
                self
            }
            pub fn type_<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.type_ = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for type_: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ValidationError> for super::ValidationError {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ValidationError,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    loc: value.loc?,
                    msg: value.msg?,
                    type_: value.type_?,
                })
            }
        }
        impl ::std::convert::From<super::ValidationError> for ValidationError {
            fn from(value: super::ValidationError) -> Self {
                Self {
                    loc: Ok(value.loc),
                    msg: Ok(value.msg),
                    type_: Ok(value.type_),
                }
            }
        }
    }
    /// Generation of default values for serde.
    pub mod defaults {
        pub(super) fn note_kind() -> crate::types::Kind {
            ::serde_json::from_str::<crate::types::Kind>("\"text\"").unwrap()
        }
    }
    /// Error types.
    pub mod error {
        /// Error from a `TryFrom` or `FromStr` implementation.
        pub struct ConversionError(::std::borrow::Cow<'static, str>);
        impl ::std::error::Error for ConversionError {}
        impl ::std::fmt::Display for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }
        impl ::std::fmt::Debug for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }
        impl From<&'static str> for ConversionError {
            fn from(value: &'static str) -> Self {
                Self(value.into())
            }
        }
        impl From<String> for ConversionError {
            fn from(value: String) -> Self {
                Self(value.into())
            }
        }
    }
}
/**The client of the API: one method per operation, each returning a request builder.

Build one with [`Client::builder`] (or [`Client::from_env`]), which checks the key and
the base URL; clone it freely, clones share one connection pool.

```no_run
let client = meibel::Client::builder()
    .api_key(std::env::var("MEIBEL_API_KEY")?)
    .build()?;
# Ok::<(), Box<dyn std::error::Error>>(())
```

Every `send()` returns `Result<_, meibel::Error>`.

*/
#[derive(Clone, Debug)]
/**Client for Snapshot fixture

Build one with [`Client::builder`](crate::Client::builder) or [`Client::from_env`](crate::Client::from_env).

API version: 1.0.0 (the `info.version` of the API description this client was generated from).*/
#[doc = concat!("\n\nCrate version: meibel ", env!("CARGO_PKG_VERSION"), ".")]
pub struct Client {
    pub(crate) baseurl: String,
    pub(crate) client: reqwest::Client,
    pub(crate) inner: crate::ClientState,
}
impl Client {
    /// Construct a new client with an existing `reqwest::Client`,
    /// allowing more control over its configuration.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub(crate) fn new_with_client(
        baseurl: &str,
        client: reqwest::Client,
        inner: crate::ClientState,
    ) -> Self {
        Self {
            baseurl: baseurl.to_string(),
            client,
            inner,
        }
    }
}
impl ClientInfo<crate::ClientState> for Client {
    fn api_version() -> &'static str {
        "1.0.0"
    }
    fn baseurl(&self) -> &str {
        self.baseurl.as_str()
    }
    fn client(&self) -> &reqwest::Client {
        &self.client
    }
    fn inner(&self) -> &crate::ClientState {
        &self.inner
    }
}
impl ClientHooks<crate::ClientState> for &Client {}
impl Client {
    /**Get a note

Sends a `GET` request to `/notes/{note_id}`

```text
let response = client.get_note()
    .note_id(note_id)
    .x_trace(x_trace)
    .send()
    .await;
```*/
    #[doc(alias = "/notes/{note_id}")]
    #[doc(alias = "GET /notes/{note_id}")]
    #[doc(alias = "getNote")]
    pub fn get_note(&self) -> builder::GetNote<'_> {
        builder::GetNote::new(self)
    }
    /**Sends a `GET` request to `/notes`

```text
let response = client.list_notes()
    .kind(kind)
    .limit(limit)
    .offset(offset)
    .send()
    .await;
```*/
    #[doc(alias = "/notes")]
    #[doc(alias = "GET /notes")]
    #[doc(alias = "listNotes")]
    pub fn list_notes(&self) -> builder::ListNotes<'_> {
        builder::ListNotes::new(self)
    }
    /**Sends a `POST` request to `/notes`

```text
let response = client.create_note_notes_post()
    .body(body)
    .send()
    .await;
```*/
    #[doc(alias = "/notes")]
    #[doc(alias = "POST /notes")]
    pub fn create_note_notes_post(&self) -> builder::CreateNoteNotesPost<'_> {
        builder::CreateNoteNotesPost::new(self)
    }
}
/// Types for composing operation parameters.
#[allow(clippy::all)]
pub mod builder {
    use super::types;
    #[allow(unused_imports)]
    use super::{
        encode_path, ByteStream, ClientInfo, ClientHooks, Error, OperationInfo,
        RequestBuilderExt, ResponseValue,
    };
    /**Builder for [`Client::get_note`]

[`Client::get_note`]: super::Client::get_note*/
    #[derive(Debug, Clone)]
    pub struct GetNote<'a> {
        client: &'a super::Client,
        note_id: Result<::uuid::Uuid, String>,
        x_trace: Result<Option<::std::string::String>, String>,
    }
    impl<'a> GetNote<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                note_id: Err("note_id was not initialized".to_string()),
                x_trace: Ok(None),
            }
        }
        pub fn note_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::uuid::Uuid>,
        {
            self.note_id = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: uuid :: Uuid` for note_id failed".to_string()
                });
            self
        }
        pub fn x_trace<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.x_trace = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for x_trace failed"
                        .to_string()
                });
            self
        }
        ///Sends a `GET` request to `/notes/{note_id}`
        pub async fn send(self) -> Result<ResponseValue<types::Note>, crate::Error> {
            const OP: crate::hooks::Operation = crate::hooks::Operation {
                id: "get_note",
                method: "GET",
                path: "/notes/{note_id}",
            };
            let Self { client, note_id, x_trace } = self;
            let note_id = note_id.map_err(|m: ::std::string::String| OP.invalid(m))?;
            let x_trace = x_trace.map_err(|m: ::std::string::String| OP.invalid(m))?;
            let url = format!(
                "{}/notes/{}", client.baseurl, crate ::path::segment("note_id", & { use
                crate ::path:: { AsText as _, ToText as _ }; (& crate ::path::Text(&
                note_id)).text() }).map_err(| m : ::std::string::String | OP.invalid(m))
                ?,
            );
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            if let Some(value) = x_trace {
                header_map
                    .append(
                        "x-trace",
                        value
                            .to_string()
                            .try_into()
                            .map_err(|_: ::reqwest::header::InvalidHeaderValue| {
                                OP
                                    .invalid(
                                        "header `x-trace`: the value cannot be sent in a header",
                                    )
                            })?,
                    );
            }
            #[allow(unused_mut)]
            let mut request = client
                .client
                .get(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .headers(header_map)
                .build()
                .map_err(|e| OP.unbuildable(e))?;
            let (response, call) = crate::hooks::send(client, request, &OP).await?;
            match response.status().as_u16() {
                200u16 => call.json(response).await,
                404u16 => {
                    Err(call.error_json::<types::GetNoteErrorReply>(response).await)
                }
                422u16 => {
                    Err(call.error_json::<types::GetNoteErrorReply>(response).await)
                }
                _ => Err(call.unexpected(response).await),
            }
        }
    }
    /**Builder for [`Client::list_notes`]

[`Client::list_notes`]: super::Client::list_notes*/
    #[derive(Debug, Clone)]
    pub struct ListNotes<'a> {
        client: &'a super::Client,
        kind: Result<Option<crate::types::Kind>, String>,
        limit: Result<Option<i64>, String>,
        offset: Result<Option<i64>, String>,
    }
    impl<'a> ListNotes<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                kind: Ok(None),
                limit: Ok(None),
                offset: Ok(None),
            }
        }
        pub fn kind<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<crate::types::Kind>,
        {
            self.kind = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `crate :: types :: Kind` for kind failed".to_string()
                });
            self
        }
        pub fn limit<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<i64>,
        {
            self.limit = value
                .try_into()
                .map(Some)
                .map_err(|_| "conversion to `i64` for limit failed".to_string());
            self
        }
        pub fn offset<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<i64>,
        {
            self.offset = value
                .try_into()
                .map(Some)
                .map_err(|_| "conversion to `i64` for offset failed".to_string());
            self
        }
        ///Sends a `GET` request to `/notes`
        pub async fn send(self) -> Result<ResponseValue<types::NotePage>, crate::Error> {
            const OP: crate::hooks::Operation = crate::hooks::Operation {
                id: "list_notes",
                method: "GET",
                path: "/notes",
            };
            let Self { client, kind, limit, offset } = self;
            let kind = kind.map_err(|m: ::std::string::String| OP.invalid(m))?;
            let limit = limit.map_err(|m: ::std::string::String| OP.invalid(m))?;
            let offset = offset.map_err(|m: ::std::string::String| OP.invalid(m))?;
            let url = format!("{}/notes", client.baseurl,);
            let rebuild = || -> ::std::result::Result<::reqwest::Request, crate::Error> {
                Ok(
                    client
                        .client
                        .get(&url)
                        .header(
                            ::reqwest::header::ACCEPT,
                            ::reqwest::header::HeaderValue::from_static(
                                "application/json",
                            ),
                        )
                        .query(&progenitor_client::QueryParam::new("kind", &kind))
                        .query(&progenitor_client::QueryParam::new("limit", &limit))
                        .query(&progenitor_client::QueryParam::new("offset", &offset))
                        .header(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(
                                super::Client::api_version(),
                            ),
                        )
                        .build()
                        .map_err(|e| OP.unbuildable(e))?,
                )
            };
            let (response, call) = crate::hooks::send_rebuilt(
                    client,
                    rebuild()?,
                    &rebuild,
                    &OP,
                )
                .await?;
            match response.status().as_u16() {
                200u16 => call.json(response).await,
                422u16 => {
                    Err(call.error_json::<types::HttpValidationError>(response).await)
                }
                _ => Err(call.unexpected(response).await),
            }
        }
    }
    /**Builder for [`Client::create_note_notes_post`]

[`Client::create_note_notes_post`]: super::Client::create_note_notes_post*/
    #[derive(Debug, Clone)]
    pub struct CreateNoteNotesPost<'a> {
        client: &'a super::Client,
        body: Result<types::builder::Note, String>,
    }
    impl<'a> CreateNoteNotesPost<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                body: Ok(::std::default::Default::default()),
            }
        }
        pub fn body<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<types::Note>,
            <V as std::convert::TryInto<types::Note>>::Error: std::fmt::Display,
        {
            self.body = value
                .try_into()
                .map(From::from)
                .map_err(|s| format!("conversion to `Note` for body failed: {}", s));
            self
        }
        pub fn body_map<F>(mut self, f: F) -> Self
        where
            F: std::ops::FnOnce(types::builder::Note) -> types::builder::Note,
        {
            self.body = self.body.map(f);
            self
        }
        ///Sends a `POST` request to `/notes`
        pub async fn send(self) -> Result<ResponseValue<types::Note>, crate::Error> {
            const OP: crate::hooks::Operation = crate::hooks::Operation {
                id: "create_note_notes_post",
                method: "POST",
                path: "/notes",
            };
            let Self { client, body } = self;
            let body = body
                .and_then(|v| types::Note::try_from(v).map_err(|e| e.to_string()))
                .map_err(|m: ::std::string::String| OP.invalid(m))?;
            let url = format!("{}/notes", client.baseurl,);
            let rebuild = || -> ::std::result::Result<::reqwest::Request, crate::Error> {
                Ok(
                    client
                        .client
                        .post(&url)
                        .header(
                            ::reqwest::header::ACCEPT,
                            ::reqwest::header::HeaderValue::from_static(
                                "application/json",
                            ),
                        )
                        .json(&body)
                        .header(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(
                                super::Client::api_version(),
                            ),
                        )
                        .build()
                        .map_err(|e| OP.unbuildable(e))?,
                )
            };
            let (response, call) = crate::hooks::send_rebuilt(
                    client,
                    rebuild()?,
                    &rebuild,
                    &OP,
                )
                .await?;
            match response.status().as_u16() {
                200u16 => call.json(response).await,
                422u16 => {
                    Err(call.error_json::<types::HttpValidationError>(response).await)
                }
                _ => Err(call.unexpected(response).await),
            }
        }
    }
}
/// Items consumers will typically use such as the Client.
pub mod prelude {
    pub use self::super::Client;
}
