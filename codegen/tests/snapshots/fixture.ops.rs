impl crate::Client {
    /**attachFile

Sends a `POST` request to `/notes/{note_id}/attachments`; sends a multipart/form-data body; files are streamed, never read into memory whole.*/
    #[doc(alias = "/notes/{note_id}/attachments")]
    #[doc(alias = "POST /notes/{note_id}/attachments")]
    #[doc(alias = "attachFile")]
    pub fn attach_file(&self) -> builder::AttachFile<'_> {
        builder::AttachFile::new(self)
    }
    /**watchNote

Sends a `GET` request to `/notes/{note_id}/events`; reads the reply as a stream of server-sent events.*/
    #[doc(alias = "/notes/{note_id}/events")]
    #[doc(alias = "GET /notes/{note_id}/events")]
    #[doc(alias = "watchNote")]
    pub fn watch_note(&self) -> builder::WatchNote<'_> {
        builder::WatchNote::new(self)
    }
}
/// Builders for the methods that send multipart bodies or read event streams.
pub mod builder {
    #[allow(unused_imports)]
    use progenitor_client::{ClientInfo, ResponseValue};
    ///Builder for [`Client::attach_file`](crate::Client::attach_file).
    #[derive(Debug)]
    pub struct AttachFile<'a> {
        client: &'a crate::Client,
        note_id: ::std::option::Option<::std::string::String>,
        file: ::std::option::Option<crate::upload::FilePart>,
        caption: ::std::option::Option<::std::string::String>,
    }
    impl<'a> AttachFile<'a> {
        /// A builder with nothing set.
        pub fn new(client: &'a crate::Client) -> Self {
            Self {
                client,
                note_id: None,
                file: None,
                caption: None,
            }
        }
        ///Sets the required path parameter `note_id`.
        pub fn note_id(
            mut self,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.note_id = Some(value.into());
            self
        }
        ///Sets the required form field `file`.
        pub fn file(
            mut self,
            file: impl ::std::convert::Into<crate::upload::FilePart>,
        ) -> Self {
            self.file = Some(file.into());
            self
        }
        ///Sets the optional form field `caption`.
        pub fn caption(
            mut self,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.caption = Some(value.into());
            self
        }
        ///Sends the `POST` request to `/notes/{note_id}/attachments`.
        pub async fn send(
            self,
        ) -> ::std::result::Result<ResponseValue<crate::types::Note>, crate::Error> {
            const OP: crate::hooks::Operation = crate::hooks::Operation {
                id: "attachFile",
                method: "POST",
                path: "/notes/{note_id}/attachments",
            };
            let Self { client, note_id, file, caption } = self;
            let note_id = note_id
                .ok_or_else(|| OP.invalid("note_id is required by attachFile"))?;
            let file = file.ok_or_else(|| OP.invalid("file is required by attachFile"))?;
            let url = format!(
                "{}/notes/{}/attachments", client.baseurl(), crate
                ::path::segment("note_id", & note_id.to_string()).map_err(| m | OP
                .invalid(m)) ?
            );
            #[allow(unused_mut)]
            let mut query: ::std::vec::Vec<(&str, ::std::string::String)> = ::std::vec::Vec::new();
            let mut form = ::reqwest::multipart::Form::new();
            let mut parts = 0usize;
            {
                let v = file;
                let part = v.into_part().await.map_err(|e| OP.invalid(e.to_string()))?;
                form = form.part("file", part);
                parts += 1;
            }
            if let Some(v) = caption {
                form = form.text("caption", v);
                parts += 1;
            }
            #[allow(unused_mut)]
            let mut request = client
                .client()
                .post(url)
                .header(::reqwest::header::ACCEPT, "application/json")
                .header(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        <crate::Client as ClientInfo<crate::ClientState>>::api_version(),
                    ),
                )
                .query(&query);
            if parts > 0 {
                request = request.multipart(form);
            }
            let request = request.build().map_err(|e| OP.unbuildable(e))?;
            let (response, call) = crate::hooks::send(client, request, &OP).await?;
            match response.status().as_u16() {
                200u16 => call.json(response).await,
                _ => Err(call.unexpected(response).await),
            }
        }
    }
    ///Builder for [`Client::watch_note`](crate::Client::watch_note).
    #[derive(Debug)]
    pub struct WatchNote<'a> {
        client: &'a crate::Client,
        note_id: ::std::option::Option<::std::string::String>,
        session: ::std::option::Option<::std::string::String>,
    }
    impl<'a> WatchNote<'a> {
        /// A builder with nothing set.
        pub fn new(client: &'a crate::Client) -> Self {
            Self {
                client,
                note_id: None,
                session: None,
            }
        }
        ///Sets the required path parameter `note_id`.
        pub fn note_id(
            mut self,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.note_id = Some(value.into());
            self
        }
        ///Sets the optional cookie `session`.
        pub fn session(
            mut self,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.session = Some(value.into());
            self
        }
        ///Sends the `GET` request to `/notes/{note_id}/events`.
        pub async fn send(
            self,
        ) -> ::std::result::Result<
            ResponseValue<crate::sse::EventStream>,
            crate::Error,
        > {
            const OP: crate::hooks::Operation = crate::hooks::Operation {
                id: "watchNote",
                method: "GET",
                path: "/notes/{note_id}/events",
            };
            let Self { client, note_id, session } = self;
            let note_id = note_id
                .ok_or_else(|| OP.invalid("note_id is required by watchNote"))?;
            let url = format!(
                "{}/notes/{}/events", client.baseurl(), crate ::path::segment("note_id",
                & note_id.to_string()).map_err(| m | OP.invalid(m)) ?
            );
            #[allow(unused_mut)]
            let mut query: ::std::vec::Vec<(&str, ::std::string::String)> = ::std::vec::Vec::new();
            #[allow(unused_mut)]
            let mut request = client
                .client()
                .get(url)
                .header(::reqwest::header::ACCEPT, "text/event-stream")
                .header(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        <crate::Client as ClientInfo<crate::ClientState>>::api_version(),
                    ),
                )
                .query(&query);
            let mut cookies: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
            if let Some(v) = session {
                cookies
                    .push(format!("{}={}", "session", crate ::path::cookie_value(& v)));
            }
            if !cookies.is_empty() {
                request = request.header(::reqwest::header::COOKIE, cookies.join("; "));
            }
            let request = request.build().map_err(|e| OP.unbuildable(e))?;
            let streams = crate::sse::stream_client(client);
            let (response, call) = crate::hooks::send(&streams, request, &OP).await?;
            match response.status().as_u16() {
                200u16 => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    let idle = client.inner().stream_idle_timeout();
                    let events = crate::sse::EventStream::from_response(response, idle)
                        .with_max_event_bytes(client.inner().max_event_bytes());
                    Ok(ResponseValue::new(events, status, headers))
                }
                _ => Err(call.unexpected(response).await),
            }
        }
    }
}
impl<'a> crate::builder::ListNotes<'a> {
    ///Every item of [`Client::list_notes`](crate::Client::list_notes) across pages, as a lazily fetched stream; pages of 20 items unless [`page_size`](crate::paginate::Paginator::page_size) says otherwise. The builder's own `offset`, `limit` and cursor settings are replaced page by page.
    pub fn paginate(
        self,
    ) -> crate::paginate::Paginator<'a, crate::types::Note, crate::Error> {
        crate::paginate::Paginator::new(
            20u64,
            move |cursor, size| {
                let request = self.clone();
                async move {
                    let offset = match cursor {
                        crate::paginate::Cursor::Offset(o) => o,
                        _ => 0,
                    };
                    let request = request.offset(offset);
                    let request = request.limit(size);
                    let page = request.send().await?.into_inner();
                    let items: ::std::vec::Vec<crate::types::Note> = crate::paginate::IntoItems::into_items(
                        page.items,
                    );
                    #[allow(unused_variables)]
                    let received = items.len();
                    let next = crate::paginate::next_offset(
                        offset,
                        size,
                        received,
                        crate::paginate::AsCount::as_count(&page.total),
                    );
                    Ok(crate::paginate::Page {
                        items,
                        next,
                    })
                }
            },
        )
    }
}
