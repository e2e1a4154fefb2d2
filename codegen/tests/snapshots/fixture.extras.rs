/// Every operation of the spec the crate was built from, in document order.
pub const OPERATIONS: &[crate::spec::Operation] = &[
    crate::spec::Operation {
        operation_id: "getNote",
        method_name: "get_note",
        http_method: "GET",
        path: "/notes/{note_id}",
        tags: &[],
        summary: "Get a note",
        support: crate::spec::Support::Generated,
    },
    crate::spec::Operation {
        operation_id: "listNotes",
        method_name: "list_notes",
        http_method: "GET",
        path: "/notes",
        tags: &[],
        summary: "",
        support: crate::spec::Support::Generated,
    },
    crate::spec::Operation {
        operation_id: "create_note_notes_post",
        method_name: "create_note_notes_post",
        http_method: "POST",
        path: "/notes",
        tags: &[],
        summary: "",
        support: crate::spec::Support::Generated,
    },
    crate::spec::Operation {
        operation_id: "attachFile",
        method_name: "attach_file",
        http_method: "POST",
        path: "/notes/{note_id}/attachments",
        tags: &[],
        summary: "",
        support: crate::spec::Support::BuildStep("multipart/form-data request body"),
    },
    crate::spec::Operation {
        operation_id: "watchNote",
        method_name: "watch_note",
        http_method: "GET",
        path: "/notes/{note_id}/events",
        tags: &[],
        summary: "",
        support: crate::spec::Support::BuildStep(
            "cookie parameter, text/event-stream response",
        ),
    },
];
/// The `info.version` of the spec the crate was built from.
pub const API_VERSION: &str = "1.0.0";
/// The `info.title` of the spec the crate was built from.
pub const API_TITLE: &str = "Snapshot fixture";
/// The header that carries the API key.
pub const API_KEY_HEADER: &str = "Meibel-API-Key";
#[doc(hidden)]
pub const API_KEY_HEADER_LOWER: &str = "meibel-api-key";
