use super::*;
#[allow(unused_imports)]
use serde_json::Value;
/// Every operationId the dispatcher knows.
pub const OPERATION_IDS: &[&str] = &[
    "getNote",
    "listNotes",
    "create_note_notes_post",
    "attachFile",
    "watchNote",
];
/// Call the operation `operation_id` with `args`; errors are rendered as text.
pub async fn call(
    client: &crate::Client,
    operation_id: &str,
    args: &Args,
) -> Result<Outcome, String> {
    match operation_id {
        "getNote" => {
            let b = client.get_note();
            let b = match args.path.get("note_id") {
                Some(v) => b.note_id(arg::<::uuid::Uuid>("note_id", v)?),
                None => b,
            };
            let b = match args.header.get("x-trace") {
                Some(v) => b.x_trace(arg::<::std::string::String>("x-trace", v)?),
                None => b,
            };
            let r = b.send().await.map_err(|e| render(&e))?;
            serde_json::to_value(r.into_inner())
                .map(Outcome::Json)
                .map_err(|e| e.to_string())
        }
        "listNotes" => {
            let b = client.list_notes();
            let b = match args.query.get("offset") {
                Some(v) => b.offset(arg::<i64>("offset", v)?),
                None => b,
            };
            let b = match args.query.get("limit") {
                Some(v) => b.limit(arg::<i64>("limit", v)?),
                None => b,
            };
            let b = match args.query.get("kind") {
                Some(v) => b.kind(arg::<crate::types::Kind>("kind", v)?),
                None => b,
            };
            let r = b.send().await.map_err(|e| render(&e))?;
            serde_json::to_value(r.into_inner())
                .map(Outcome::Json)
                .map_err(|e| e.to_string())
        }
        "create_note_notes_post" => {
            let b = client.create_note_notes_post();
            let b = match &args.body {
                Some(v) => b.body(arg::<crate::types::Note>("body", v)?),
                None => b,
            };
            let r = b.send().await.map_err(|e| render(&e))?;
            serde_json::to_value(r.into_inner())
                .map(Outcome::Json)
                .map_err(|e| e.to_string())
        }
        "attachFile" => {
            let b = client.attach_file();
            let b = match args.path.get("note_id") {
                Some(v) => b.note_id(arg::<::std::string::String>("note_id", v)?),
                None => b,
            };
            let b = match args.files.iter().find(|f| f.field == "file") {
                Some(f) => {
                    b.file(
                        crate::upload::FilePart::bytes(
                            f.bytes.clone(),
                            f.file_name.clone(),
                        ),
                    )
                }
                None => b,
            };
            let b = match args.form.get("caption") {
                Some(v) => b.caption(arg::<::std::string::String>("caption", v)?),
                None => b,
            };
            let r = b.send().await.map_err(|e| render(&e))?;
            serde_json::to_value(r.into_inner())
                .map(Outcome::Json)
                .map_err(|e| e.to_string())
        }
        "watchNote" => {
            let b = client.watch_note();
            let b = match args.path.get("note_id") {
                Some(v) => b.note_id(arg::<::std::string::String>("note_id", v)?),
                None => b,
            };
            let b = match args.cookie.get("session") {
                Some(v) => b.session(arg::<::std::string::String>("session", v)?),
                None => b,
            };
            let r = b.send().await.map_err(|e| render(&e))?;
            Ok(
                Outcome::Events(
                    r.into_inner().collect_all().await.map_err(|e| e.to_string())?,
                ),
            )
        }
        other => Err(format!("no operation {other:?}")),
    }
}
