//! `cargo xtask update-spec`: replace the vendored API description with a new one and
//! report what changes for users of the crate; `cargo xtask spec-diff`: the report alone.

use crate::spec_diff;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the published description is looked for, in order, when no source is given: the
/// documentation site's copy (its reference pages load `/api-v2.json`), then the API
/// server's FastAPI default.
pub const DEFAULT_URLS: [&str; 2] =
    ["https://docs.meibel.ai/api-v2.json", "https://api.meibel.ai/v2/openapi.json"];

/// The usage text of `update-spec`.
pub const USAGE: &str = "\
Replace the vendored API description with a new one and report what changes for users of
the crate.

  cargo xtask update-spec [SOURCE] [--check] [options]
  cargo xtask spec-diff OLD NEW [--json] [options]

SOURCE is a URL (http, https or file) or a local path; without it, the URL in
$MEIBEL_OPENAPI_URL, else https://docs.meibel.ai/api-v2.json and then
https://api.meibel.ai/v2/openapi.json. The document must be OpenAPI 3.x JSON with `paths`
and `components`; it is written to openapi/api-v2.json in its own key order, with a
2-space indent, UTF-8 and a final newline, so that a re-run with the same input changes
nothing. When tools/.venv/bin/openapi-spec-validator exists (`cargo xtask test` installs
it), the new document must pass it.

The change report (Markdown, on stdout) is a CHANGELOG.md section: the version the crate
needs next and the changes under Breaking, Added and Changed, in terms of the Rust API.

  --check               report only; exit 1 if openapi/api-v2.json would change
  --report-only OLD NEW compare two files; nothing is written (what spec-diff does)
  --json                print the changes as JSON instead of Markdown
  --no-validate         skip openapi-spec-validator
  --spec PATH           the vendored file (default: openapi/api-v2.json)
  --root DIR            the workspace the command works on (default: this one)
  --crate-version X.Y.Z the version the bump starts from (default: Cargo.toml's)
  --date YYYY-MM-DD     the date in the heading (default: today)

Exit status: 0 done (or nothing to change), 1 `--check` found a change, 2 error.";

/// Options of `update-spec` and `spec-diff`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The new document: URL or path.
    pub source: Option<String>,
    /// Report only; fail when the vendored file would change.
    pub check: bool,
    /// Compare these two files and write nothing.
    pub report_only: Option<(String, String)>,
    /// Print JSON instead of Markdown.
    pub json: bool,
    /// Skip openapi-spec-validator.
    pub no_validate: bool,
    /// The vendored file.
    pub spec: Option<PathBuf>,
    /// The workspace root.
    pub root: Option<PathBuf>,
    /// The version the bump starts from.
    pub crate_version: Option<String>,
    /// The date in the heading.
    pub date: Option<String>,
}

impl Options {
    /// Reads the command line (without the subcommand).
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let mut o = Options::default();
        let mut it = args.iter();
        let mut positional = Vec::new();
        while let Some(a) = it.next() {
            let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
            match a.as_str() {
                "--check" => o.check = true,
                "--json" => o.json = true,
                "--no-validate" => o.no_validate = true,
                "--report-only" => o.report_only = Some((value(a)?, value(a)?)),
                "--spec" => o.spec = Some(value(a)?.into()),
                "--root" => o.root = Some(value(a)?.into()),
                "--crate-version" => o.crate_version = Some(value(a)?),
                "--date" => o.date = Some(value(a)?),
                s if s.starts_with("--") => return Err(format!("unknown option {s}")),
                _ => positional.push(a.clone()),
            }
        }
        match positional.len() {
            0 => {}
            1 => o.source = positional.pop(),
            _ => return Err("more than one SOURCE".into()),
        }
        if o.report_only.is_some() && (o.source.is_some() || o.check) {
            return Err("--report-only takes no SOURCE and no --check".into());
        }
        Ok(o)
    }
}

// ----------------------------------------------------------------------------- reading

/// A JSON value read strictly: a key twice in one object is an error.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{v} is not JSON")))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.into()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("the key {key:?} appears twice in one object")));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Parses JSON text strictly (no key twice in one object).
pub fn parse(text: &str, place: &str) -> Result<Value, String> {
    match serde_json::from_str::<Strict>(text) {
        Ok(Strict(v)) => Ok(v),
        Err(e) if e.is_data() => Err(format!("{place}: {e}")),
        Err(e) => Err(format!("{place}: not valid JSON (line {}, column {}): {e}", e.line(), e.column())),
    }
}

fn decode(data: Vec<u8>, source: &str) -> Result<String, String> {
    let mut text = String::from_utf8(data).map_err(|e| format!("{source}: not UTF-8 ({e})"))?;
    if text.starts_with('\u{feff}') {
        text.remove(0);
    }
    Ok(text)
}

/// The text of `source`: an http(s) or file URL, or a path.
pub fn fetch(source: &str) -> Result<String, String> {
    if !source.contains("://") {
        let data = std::fs::read(source).map_err(|e| format!("cannot read {source}: {e}"))?;
        return decode(data, source);
    }
    let url = url::Url::parse(source).map_err(|e| format!("cannot fetch {source}: {e}"))?;
    if url.scheme() == "file" {
        let path = url.to_file_path().map_err(|()| format!("cannot fetch {source}: not a local file"))?;
        let data = std::fs::read(&path).map_err(|e| format!("cannot read {source}: {e}"))?;
        return decode(data, source);
    }
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .user_agent("meibel-update-spec")
        .build()
        .map_err(|e| format!("cannot fetch {source}: {e}"))?;
    let reply = client
        .get(url)
        .header("Accept", "application/json")
        .send()
        .and_then(|r| r.error_for_status())
        .map_err(|e| format!("cannot fetch {source}: {e}"))?;
    let data = reply.bytes().map_err(|e| format!("cannot fetch {source}: {e}"))?;
    decode(data.to_vec(), source)
}

/// Reads and checks a document the crate could be built from.
pub fn load(source: &str) -> Result<Value, String> {
    let doc = parse(&fetch(source)?, source)?;
    let found = spec_diff::problems(&doc);
    if !found.is_empty() {
        return Err(format!(
            "{source} is not a document the crate can be built from:\n  - {}",
            found.join("\n  - ")
        ));
    }
    Ok(doc)
}

/// The document as it is vendored: its own key order, 2-space indent, UTF-8, final newline.
pub fn normalise(doc: &Value) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(doc).expect("a JSON value serializes");
    out.push(b'\n');
    out
}

fn validate(root: &Path, data: &[u8]) -> Result<(), String> {
    let validator = root.join("tools/.venv/bin/openapi-spec-validator");
    if !validator.exists() {
        eprintln!(
            "update-spec: tools/.venv/bin/openapi-spec-validator not installed: OpenAPI validation skipped (`cargo xtask test` installs it)"
        );
        return Ok(());
    }
    let dir = crate::temp_dir("update-spec-validate")?;
    let path = dir.join("api-v2.json");
    let result = std::fs::write(&path, data)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
        .and_then(|()| {
            std::process::Command::new(&validator)
                .arg(&path)
                .output()
                .map_err(|e| format!("cannot run {}: {e}", validator.display()))
        });
    let _ = std::fs::remove_dir_all(&dir);
    let run = result?;
    if !run.status.success() {
        let text =
            format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
        return Err(format!("the new document fails OpenAPI validation:\n{}", text.trim()));
    }
    Ok(())
}

/// The lines of one `[section]` of a TOML file, as `(key, value)` pairs of its top level.
fn toml_section(text: &str, section: &str) -> Vec<(String, String)> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == format!("[{section}]");
            continue;
        }
        if inside && let Some((k, v)) = line.split_once('=') {
            out.push((k.trim().trim_matches('"').to_string(), v.trim().to_string()));
        }
    }
    out
}

/// The version in the `[package]` table of `root/Cargo.toml`.
pub fn crate_version(root: &Path) -> Result<String, String> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!("cannot read the crate version from {} ({e}); pass --crate-version", path.display())
    })?;
    toml_section(&text, "package")
        .into_iter()
        .find(|(k, _)| k == "version")
        .map(|(_, v)| v.trim_matches('"').to_string())
        .ok_or_else(|| "cannot read the crate version from Cargo.toml; pass --crate-version".into())
}

fn warn_missing_crates(root: &Path, doc: &Value) {
    let Ok(text) = std::fs::read_to_string(root.join("Cargo.toml")) else { return };
    let deps: Vec<String> = toml_section(&text, "dependencies").into_iter().map(|(k, _)| k).collect();
    for (krate, place) in spec_diff::crate_needs(doc) {
        if !deps.contains(&krate) {
            eprintln!(
                "update-spec: warning: the generated code will use the `{krate}` crate (first needed by {place}), which Cargo.toml does not list: the build fails until it is added"
            );
        }
    }
}

/// Today's date (UTC) as YYYY-MM-DD.
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn report(old: &Value, new: &Value, o: &Options, version: &str) -> Result<String, String> {
    let changes = spec_diff::diff(old, new);
    if o.json {
        let v = spec_diff::to_json(&changes, version)?;
        return Ok(serde_json::to_string_pretty(&v).expect("serializes") + "\n");
    }
    spec_diff::render(&changes, old, new, version, o.date.as_deref().unwrap_or(&today()))
}

/// Runs the command: the report goes to `out`, messages to stderr. Returns the exit status.
pub fn run(o: &Options, out: &mut dyn Write) -> i32 {
    match run_inner(o, out) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("update-spec: {e}");
            2
        }
    }
}

fn run_inner(o: &Options, out: &mut dyn Write) -> Result<i32, String> {
    let root = o.root.clone().unwrap_or_else(crate::root);
    let version = match &o.crate_version {
        Some(v) => v.clone(),
        None => crate_version(&root)?,
    };
    spec_diff::next_version(&version, "patch")?;
    let emit = |out: &mut dyn Write, text: &str| {
        out.write_all(text.as_bytes()).map_err(|e| format!("cannot write the report: {e}"))
    };

    if let Some((old, new)) = &o.report_only {
        let (old, new) = (load(old)?, load(new)?);
        emit(out, &report(&old, &new, o, &version)?)?;
        return Ok(0);
    }

    let new = match &o.source {
        Some(s) => load(s)?,
        None => match std::env::var("MEIBEL_OPENAPI_URL") {
            Ok(url) if !url.is_empty() => load(&url)?,
            _ => {
                let mut failures = Vec::new();
                let mut found = None;
                for url in DEFAULT_URLS {
                    match load(url) {
                        Ok(doc) => {
                            eprintln!("update-spec: read {url}");
                            found = Some(doc);
                            break;
                        }
                        Err(e) => failures.push(e),
                    }
                }
                found.ok_or_else(|| failures.join("\n"))?
            }
        },
    };
    let data = normalise(&new);
    if !o.no_validate {
        validate(&root, &data)?;
    }
    warn_missing_crates(&root, &new);
    let spec = o.spec.clone().unwrap_or_else(|| root.join("openapi/api-v2.json"));
    let current = match std::fs::read(&spec) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", spec.display())),
    };
    let shown = spec.display();
    match &current {
        None => emit(out, &format!("## New spec\n\n{shown} did not exist: nothing to compare with.\n"))?,
        Some(bytes) => {
            let text = decode(bytes.clone(), &shown.to_string())?;
            let old = parse(&text, &shown.to_string())?;
            emit(out, &report(&old, &new, o, &version)?)?;
        }
    }
    if current.as_deref() == Some(&data[..]) {
        eprintln!("update-spec: {shown} is up to date");
        return Ok(0);
    }
    if o.check {
        eprintln!("update-spec: {shown} would change (run without --check to write it)");
        return Ok(1);
    }
    let folder = spec.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let tmp = folder.join(format!(".api-v2.{}.json", std::process::id()));
    std::fs::write(&tmp, &data).and_then(|()| std::fs::rename(&tmp, &spec)).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {shown}: {e}")
    })?;
    eprintln!("update-spec: wrote {shown} ({} bytes)", data.len());
    Ok(0)
}
