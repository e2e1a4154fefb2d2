"""Compare two OpenAPI 3.x documents (FastAPI's form) by their effect on the Rust API that
`build.rs` generates from them, and render the result as a CHANGELOG.md section.

Used by `scripts/update-spec`; the rules follow `codegen/`:

- every operation is a method `Client::<snake_case(operationId)>()` returning a builder;
  each parameter (and each multipart form field) is a setter, and `send()` fails with
  `Error::InvalidRequest` when a required one was not set;
- every component schema is a type `types::<PascalCase(name)>`; object properties are
  struct fields, `Option<T>` when the property is nullable or neither required nor
  defaulted; each type also has a `builder()` whose `try_into()` fails with "no value
  supplied" for a required field left unset;
- every string enum (`enum`/`const`, inline ones included) is an open, non-exhaustive enum
  with an `Other(String)` variant;
- an operation whose success response is `text/event-stream` returns an `EventStream`;
  other non-JSON success responses return a byte stream.

Classification (for code written against the previous version of the crate):

- breaking: anything removed (operation, parameter, body, type, field, enum value); a
  rename; something that must now be set (required parameter or request field added,
  optional -> required); a changed Rust type (type change, `T` <-> `Option<T>` of a field
  that is read from a response, a success or error type, a content type that changes what
  `send()` returns or takes);
- added: new operations, optional parameters, types, fields (of responses; of requests
  when optional), enum values;
- changed: everything else that changes the generated code (required -> optional for
  inputs, a nullability or requiredness change that keeps the Rust type, a moved path,
  other content types, the API version, documentation).

Struct literals of request types are outside this policy: a new optional request field
is "added", although a struct literal must then name it (the `builder()` API is stable).
"""

import copy
import re
from dataclasses import dataclass

METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
LEVELS = ["breaking", "added", "changed"]
SECTION = {"breaking": "Breaking", "added": "Added", "changed": "Changed"}


# --------------------------------------------------------------------------- names
# Ports of the naming rules of `heck` 0.5, `codegen/enums.rs` and `codegen/extras.rs`.

def _words(s):
    words = []
    for chunk in re.split(r"[^\w]|_", s):
        n = len(chunk)
        init, mode, i = 0, None, 0
        while i < n:
            c = chunk[i]
            if i + 1 < n:
                nxt = chunk[i + 1]
                next_mode = "lower" if c.islower() else "upper" if c.isupper() else mode
                if next_mode == "lower" and nxt.isupper():
                    words.append(chunk[init:i + 1])
                    init, mode = i + 1, None
                elif mode == "upper" and c.isupper() and nxt.islower():
                    words.append(chunk[init:i])
                    init, mode = i, None
                else:
                    mode = next_mode
            else:
                words.append(chunk[init:])
            i += 1
    return [w for w in words if w]


def pascal(s):
    return "".join(w[0].upper() + w[1:].lower() for w in _words(s))


def snake(s):
    return "_".join(w.lower() for w in _words(s))


def type_name(name):
    """The Rust type name of a schema name (`codegen/enums.rs::type_name`)."""
    cleaned = "".join(c if (c.isalnum() or c == "_") else "-" for c in name.replace("'", ""))
    out = pascal(cleaned)
    if not out:
        return "X"
    return out if out[0].isalpha() else "X" + out


def method_name(operation_id):
    """The method name of an operationId (`codegen/extras.rs::method_name`)."""
    out, prev_lower = "", False
    for ch in operation_id:
        if ch.isascii() and ch.isupper():
            if prev_lower:
                out += "_"
            out += ch.lower()
            prev_lower = False
        elif ch.isascii() and ch.isalnum():
            out += ch
            prev_lower = True
        else:
            if out and not out.endswith("_"):
                out += "_"
            prev_lower = False
    return out.rstrip("_")


RUST_KEYWORDS = set(
    "_ abstract as async await become box break const continue crate do dyn else enum extern "
    "false final fn for gen if impl in let loop macro match mod move mut override priv pub "
    "ref return Self self static struct super trait true try type typeof unsafe unsized use "
    "virtual where while yield".split()
)


def field_name(prop):
    """The struct field (or setter) name of a property or parameter."""
    if prop == "+1":
        out = "plus1"
    elif prop == "-1":
        out = "minus1"
    else:
        out = snake("".join(c if (c.isalnum() or c == "_") else "-" for c in prop.replace("'", "")))
    if not out:
        out = "x"
    elif not (out[0].isalpha() or out[0] == "_"):
        out = "x_" + out
    return out + "_" if out in RUST_KEYWORDS else out


def variant_name(value):
    """The variant an enum value gets (`codegen/enums.rs::variant_names`, without the
    de-duplication suffixes)."""
    if value == "+1":
        return "Plus1"
    if value == "-1":
        return "Minus1"
    if value == "":
        return "Empty"
    v = type_name(value)
    return "SelfValue" if v in ("Self", "Self_") else ("OtherValue1" if v == "Other" else v)


# --------------------------------------------------------------------------- checks

class SpecError(Exception):
    pass


def problems(doc):
    """What keeps `doc` from being a document this crate can be generated from."""
    out = []
    if not isinstance(doc, dict):
        return ["the document is not a JSON object"]
    version = doc.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        out.append(f"`openapi` is {version!r}, not an OpenAPI 3.x version")
    if not isinstance(doc.get("info"), dict):
        out.append("no `info` object")
    if not isinstance(doc.get("paths"), dict):
        out.append("no `paths` object")
        return out
    comps = doc.get("components")
    if not isinstance(comps, dict) or not isinstance(comps.get("schemas"), dict):
        out.append("no `components.schemas` object")
    seen = {}
    for path, item in doc["paths"].items():
        if not isinstance(item, dict):
            out.append(f"paths[{path!r}] is not an object")
            continue
        for m in METHODS:
            op = item.get(m)
            if op is None:
                continue
            where = f"{m.upper()} {path}"
            if not isinstance(op, dict):
                out.append(f"{where}: not an object")
                continue
            oid = op.get("operationId")
            if not isinstance(oid, str) or not oid:
                out.append(f"{where}: no operationId")
            elif oid in seen:
                out.append(f"{where}: operationId {oid!r} already used by {seen[oid]}")
            else:
                seen[oid] = where
            if not isinstance(op.get("responses"), dict):
                out.append(f"{where}: no `responses` object")
    return out


# --------------------------------------------------------------------------- schemas

def _is_null(s):
    if not isinstance(s, dict):
        return False
    null = s.get("type") == "null" or s.get("enum") == [None] or ("const" in s and s["const"] is None)
    return null and all(k in ("type", "enum", "const", "title", "description") for k in s)


def unwrap_null(s):
    """(the schema without its null alternative, whether null is allowed)."""
    if s is True or s is None:
        return {}, False
    if not isinstance(s, dict):
        return s, False
    nullable = s.get("nullable") is True
    s = {k: v for k, v in s.items() if k != "nullable"}
    t = s.get("type")
    if isinstance(t, list) and "null" in t:
        nullable = True
        rest = [x for x in t if x != "null"]
        if len(rest) == 1:
            s["type"] = rest[0]
        elif not rest:
            s.pop("type")
        else:
            s["type"] = rest
    for key in ("anyOf", "oneOf"):
        branches = s.get(key)
        if isinstance(branches, list) and any(_is_null(b) for b in branches):
            nullable = True
            rest = [b for b in branches if not _is_null(b)]
            s.pop(key)
            if len(rest) == 1 and isinstance(rest[0], dict):
                merged = dict(s)
                for k, v in rest[0].items():
                    merged.setdefault(k, v)
                s, inner_null = unwrap_null(merged)
                nullable = nullable or inner_null
            elif len(rest) > 1:
                s[key] = rest
    return s, nullable


def enum_values(s):
    """The values of a string enum schema (`const` counts as a one-value enum), else None."""
    if not isinstance(s, dict) or "$ref" in s:
        return None
    if isinstance(s.get("enum"), list):
        vals = [v for v in s["enum"] if v is not None]
    elif "const" in s and s["const"] is not None:
        vals = [s["const"]]
    else:
        return None
    if not vals or not all(isinstance(v, str) for v in vals):
        return None
    return vals


def _ref_name(s):
    if not isinstance(s, dict):
        return None
    r = s.get("$ref")
    if r is None:
        all_of = s.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict):
            r = all_of[0].get("$ref")
    if isinstance(r, str) and r.startswith("#/components/schemas/"):
        return r[len("#/components/schemas/"):].replace("~1", "/").replace("~0", "~")
    return None


_INT_FORMATS = [
    ("int8", "i8", "NonZeroU8", -2**7, 2**7 - 1),
    ("uint8", "u8", "NonZeroU8", 0, 2**8 - 1),
    ("int16", "i16", "NonZeroU16", -2**15, 2**15 - 1),
    ("uint16", "u16", "NonZeroU16", 0, 2**16 - 1),
    ("int", "i32", "NonZeroU32", -2**31, 2**31 - 1),
    ("int32", "i32", "NonZeroU32", -2**31, 2**31 - 1),
    ("uint", "u32", "NonZeroU32", 0, 2**32 - 1),
    ("uint32", "u32", "NonZeroU32", 0, 2**32 - 1),
    ("int64", "i64", "NonZeroU64", -2**63, 2**63 - 1),
    ("uint64", "u64", "NonZeroU64", 0, 2**64 - 1),
]


def _int_type(s):
    """The integer type the type generator picks (typify's `convert_integer`)."""
    def num(k):
        v = s.get(k)
        return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None
    lo, hi = num("minimum"), num("maximum")
    emin, emax = s.get("exclusiveMinimum"), s.get("exclusiveMaximum")
    if isinstance(emin, (int, float)) and not isinstance(emin, bool):
        lo = emin + 1 if lo is None else max(lo, emin + 1)
    elif emin is True and lo is not None:
        lo += 1
    if isinstance(emax, (int, float)) and not isinstance(emax, bool):
        hi = emax - 1 if hi is None else min(hi, emax - 1)
    elif emax is True and hi is not None:
        hi -= 1
    fmt = s.get("format")
    for f, ty, nz, imin, imax in _INT_FORMATS:
        if f == fmt:
            if s.get("multipleOf") is None and (lo is None or lo >= imin) and (hi is None or hi <= imax):
                return nz if lo == 1 else ty
            lo = imin if lo is None else lo
            hi = imax if hi is None else hi
            break
    rev = list(reversed(_INT_FORMATS))
    if lo is None and hi is not None:
        return next((ty for _, ty, _, _, imax in rev if imax == hi), "i64")
    if lo is not None and hi is None:
        if lo == 1:
            return rev[0][2]
        return next((ty for _, ty, _, imin, _ in rev if imin == lo), "i64")
    if lo is not None and hi is not None:
        if lo == 1:
            return rev[0][2]
        return next((ty for _, ty, _, imin, imax in rev if imin == lo and imax == hi), "i64")
    return "i64"


def is_struct(s):
    return isinstance(s, dict) and "$ref" not in s and isinstance(s.get("properties"), dict) and bool(
        s["properties"]) and s.get("type", "object") == "object"


def inner_type(s, hint):
    """The Rust type of a schema that is not null, as a string that is also its identity.
    `hint` is the name an inline type gets."""
    if s is True or s is None or s == {}:
        return "serde_json::Value"
    if not isinstance(s, dict):
        return "serde_json::Value"
    name = _ref_name(s)
    if name is not None:
        return f"types::{type_name(name)}"
    if enum_values(s) is not None:
        return f"types::{hint}"
    if isinstance(s.get("allOf"), list) and s["allOf"]:
        parts = sorted(inner_type(unwrap_null(b)[0], hint) for b in s["allOf"])
        return f"types::{hint} (all of: {' + '.join(parts)})"
    for key in ("anyOf", "oneOf"):
        if isinstance(s.get(key), list) and s[key]:
            parts = sorted(rust_type(b, hint) for b in s[key])
            return f"types::{hint} (one of: {' | '.join(parts)})"
    t = s.get("type")
    if isinstance(t, list):
        parts = sorted(inner_type(dict(s, type=x), hint) for x in t)
        return f"types::{hint} (one of: {' | '.join(parts)})"
    if is_struct(s):
        return f"types::{hint}"
    if t == "string":
        fmt = s.get("format")
        known = {"date-time": "chrono::DateTime<Utc>", "date": "chrono::NaiveDate", "uuid": "uuid::Uuid",
                 "ip": "std::net::IpAddr", "ipv4": "std::net::Ipv4Addr", "ipv6": "std::net::Ipv6Addr"}
        if fmt in known:
            return known[fmt]
        if any(k in s for k in ("minLength", "maxLength", "pattern")):
            return f"types::{hint} (a String newtype)"
        return "String"
    if t == "integer":
        return _int_type(s)
    if t == "number":
        return "f32" if s.get("format") == "float" else "f64"
    if t == "boolean":
        return "bool"
    if t == "array":
        return f"Vec<{rust_type(s.get('items', {}), hint + 'Item')}>"
    if t == "object" or "additionalProperties" in s:
        ap = s.get("additionalProperties")
        if isinstance(ap, dict) and ap:
            return f"Map<String, {rust_type(ap, hint + 'Value')}>"
        return "Map<String, serde_json::Value>"
    return "serde_json::Value"


def rust_type(s, hint):
    inner, null = unwrap_null(s)
    t = inner_type(inner, hint)
    return f"Option<{t}>" if null else t


def ops_field_type(doc, s, hint):
    """The setter type of a parameter or form field of an operation the build step emits
    itself (`codegen/ops.rs::field_type`)."""
    s, _ = unwrap_null(s)
    name = _ref_name(s)
    if name is not None:
        target = doc.get("components", {}).get("schemas", {}).get(name)
        if target is None:
            return "serde_json::Value"
        if enum_values(unwrap_null(target)[0]) is not None:
            return f"types::{type_name(name)}"
        return ops_field_type(doc, target, type_name(name))
    if not isinstance(s, dict):
        return "serde_json::Value"

    def binary(x):
        return isinstance(x, dict) and x.get("type") == "string" and (
            x.get("format") == "binary" or "contentMediaType" in x)
    if binary(s):
        return "FilePart"
    if s.get("type") == "array" and binary(unwrap_null(s.get("items", {}))[0]):
        return "Vec<FilePart>"
    if enum_values(s) is not None:
        return f"types::{hint}"
    return {"string": "String", "integer": "i64", "number": "f64", "boolean": "bool"}.get(
        s.get("type"), "serde_json::Value")


def _refs(node, out):
    if isinstance(node, dict):
        r = node.get("$ref")
        if isinstance(r, str) and r.startswith("#/components/schemas/"):
            out.add(r[len("#/components/schemas/"):].replace("~1", "/").replace("~0", "~"))
        for v in node.values():
            _refs(v, out)
    elif isinstance(node, list):
        for v in node:
            _refs(v, out)
    return out


# --------------------------------------------------------------------------- operations

@dataclass
class Param:
    name: str
    location: str
    required: bool
    schema: object
    rust: str
    hint: str


@dataclass
class Op:
    id: str
    method: str
    path: str
    obj: dict
    split: bool
    params: dict
    body_kind: str
    body_required: bool
    body_schema: object
    body_types: list
    success_code: str
    success_kind: str
    success_schema: object
    success_types: list
    error_type: str


def _resolve(doc, node):
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 20:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            break
        target = doc
        for tok in ref[2:].split("/"):
            tok = tok.replace("~1", "/").replace("~0", "~")
            target = target.get(tok) if isinstance(target, dict) else None
        if target is None:
            break
        if ref.startswith("#/components/schemas/"):
            return node
        node, seen = target, seen + 1
    return node


def _content_kind(content, request):
    if not isinstance(content, dict) or not content:
        return "none", None, []
    types = list(content)
    if any(t.startswith("text/event-stream") for t in types) and not request:
        return "stream", content[next(t for t in types if t.startswith("text/event-stream"))].get("schema"), types
    if request and any(t.startswith("multipart/") for t in types):
        return "form", content[next(t for t in types if t.startswith("multipart/"))].get("schema"), types
    if "application/json" in content:
        return "json", (content["application/json"] or {}).get("schema", {}), types
    return ("other" if request else "bytes"), None, types


def operations(doc):
    ops = {}
    for path, item in doc.get("paths", {}).items():
        if not isinstance(item, dict):
            continue
        shared = [_resolve(doc, p) for p in item.get("parameters", []) if isinstance(p, dict)]
        for m in METHODS:
            o = item.get(m)
            if not isinstance(o, dict) or not isinstance(o.get("operationId"), str):
                continue
            oid = o["operationId"]
            body = _resolve(doc, o.get("requestBody")) or {}
            body_kind, body_schema, body_types = _content_kind(body.get("content"), True)
            responses = o.get("responses", {}) if isinstance(o.get("responses"), dict) else {}
            success_code = next((c for c in responses if str(c).startswith("2")), "")
            resp = _resolve(doc, responses.get(success_code)) or {}
            succ_kind, succ_schema, succ_types = _content_kind(resp.get("content"), False)
            split = body_kind == "form" or any(
                str(c).startswith("2") and _content_kind((_resolve(doc, r) or {}).get("content"), False)[0] == "stream"
                for c, r in responses.items())
            errors = set()
            for c, r in responses.items():
                if str(c)[:1] in ("4", "5") or c == "default":
                    sch = ((_resolve(doc, r) or {}).get("content") or {}).get("application/json", {})
                    if isinstance(sch, dict) and "schema" in sch:
                        errors.add(rust_type(sch["schema"], type_name(oid) + "Error"))
            error_type = " | ".join(sorted(errors)) if errors else "()"

            params = {}
            merged = {}
            for p in shared + [_resolve(doc, p) for p in o.get("parameters", []) if isinstance(p, dict)]:
                if isinstance(p, dict) and isinstance(p.get("name"), str):
                    merged[(p["name"], p.get("in"))] = p
            for (name, loc), p in merged.items():
                hint = type_name(oid) + type_name(name)
                sch = p.get("schema", {})
                rust = ops_field_type(doc, sch, hint) if split else inner_type(unwrap_null(sch)[0], hint)
                params[name] = Param(name, loc or "query", bool(p.get("required")) or loc == "path", sch, rust, hint)
            if body_kind == "form":
                target = body_schema
                base = type_name(oid) + "Body"
                ref = _ref_name(body_schema)
                if ref is not None:
                    target = doc.get("components", {}).get("schemas", {}).get(ref, {})
                    base = type_name(ref)
                target = unwrap_null(target)[0]
                req = set(target.get("required", [])) if isinstance(target, dict) else set()
                for name, fs in (target.get("properties", {}) if isinstance(target, dict) else {}).items():
                    if name in params:
                        continue
                    hint = base + type_name(name)
                    params[name] = Param(name, "form", name in req, fs, ops_field_type(doc, fs, hint), hint)
            ops[oid] = Op(oid, m, path, o, split, params, body_kind, bool(body.get("required")), body_schema,
                          body_types, str(success_code), succ_kind, succ_schema, succ_types, error_type)
    return ops


def directions(doc):
    """For each component schema: whether it is sent ("in"), received ("out"), or both.
    A schema no operation reaches counts as both. Also returns the schemas that are only
    multipart form bodies (their fields are setters, reported with the operation)."""
    schemas = doc.get("components", {}).get("schemas", {})
    roots = {"in": set(), "out": set()}
    form_roots, elsewhere = set(), set()
    for item in doc.get("paths", {}).values():
        if not isinstance(item, dict):
            continue
        for m in METHODS:
            o = item.get(m)
            if not isinstance(o, dict):
                continue
            for refs in (roots["in"], elsewhere):
                _refs(item.get("parameters", []), refs)
                _refs(o.get("parameters", []), refs)
            content = (_resolve(doc, o.get("requestBody")) or {}).get("content") or {}
            for ct, media in content.items():
                if ct.startswith("multipart/") and isinstance(media, dict):
                    name = _ref_name(media.get("schema"))
                    if name is not None:
                        form_roots.add(name)
                        roots["in"].add(name)
                        _refs({k: v for k, v in media.get("schema", {}).items() if k not in ("$ref", "allOf")},
                              elsewhere)
                        continue
                _refs(media, roots["in"])
                _refs(media, elsewhere)
            _refs(o.get("responses", {}), roots["out"])
            _refs(o.get("responses", {}), elsewhere)
    out = {}
    for d, start in roots.items():
        stack, seen = list(start), set()
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            out.setdefault(n, set()).add(d)
            stack.extend(_refs(schemas.get(n, {}), set()))
    for name, sch in schemas.items():
        elsewhere |= _refs(sch, set()) - {name}
    for name in schemas:
        out.setdefault(name, {"in", "out"})
    form_only = {n for n in form_roots if n not in elsewhere}
    return out, form_only


# --------------------------------------------------------------------------- the diff

@dataclass
class Change:
    level: str
    kind: str
    subject: str
    text: str

    def key(self):
        return (self.level, self.kind, self.subject)


def _worst(levels):
    return min(levels, key=LEVELS.index)


def _opt(schema, required, hint="X"):
    """Whether a struct field is `Option<T>`: when it is nullable, or optional without a
    default, except arrays and maps, which stay `Vec`/`Map` (empty when absent)."""
    inner, null = unwrap_null(schema)
    if null:
        return True
    if required or (isinstance(schema, dict) and "default" in schema):
        return False
    return not inner_type(inner, hint).startswith(("Vec<", "Map<"))


def _shown(schema, required, hint):
    inner = inner_type(unwrap_null(schema)[0], hint)
    return f"Option<{inner}>" if _opt(schema, required, hint) else inner


def _short(t):
    """A type for display: without the identity details of unions and newtypes."""
    return re.sub(r" \((one of|all of|a String newtype)[^()]*(\([^()]*\)[^()]*)*\)", "", t)


class Differ:
    def __init__(self, old, new):
        self.old, self.new = old, new
        self.changes = []
        self.old_dirs, self.old_form = directions(old)
        self.new_dirs, self.new_form = directions(new)

    def add(self, level, kind, subject, text):
        self.changes.append(Change(level, kind, subject, text))

    # ----- enums
    def compare_enum(self, old, new, subject, rust, where):
        ov, nv = enum_values(old) or [], enum_values(new) or []
        for v in ov:
            if v not in nv:
                self.add("breaking", "enum-value-removed", f"{subject}::{v}",
                         f"{where}: value `\"{v}\"` removed: the variant `{rust}::{variant_name(v)}` is gone "
                         f"(the value now decodes as `{rust}::Other`).")
        for v in nv:
            if v not in ov:
                self.add("added", "enum-value-added", f"{subject}::{v}",
                         f"{where}: new value `\"{v}\"`, the variant `{rust}::{variant_name(v)}` "
                         f"(it decoded as `{rust}::Other(\"{v}\")` before).")

    # ----- nested inline types (same Rust type on both sides)
    def compare_nested(self, old, new, subject, hint, dirs):
        old, new = unwrap_null(old)[0], unwrap_null(new)[0]
        if not isinstance(old, dict) or not isinstance(new, dict) or _ref_name(old) or _ref_name(new):
            return
        if enum_values(old) is not None and enum_values(new) is not None:
            self.compare_enum(old, new, subject, f"types::{hint}", f"`types::{hint}` (`{subject}`)")
        elif is_struct(old) and is_struct(new):
            self.compare_props(old, new, subject, hint, dirs, inline=True)
        elif old.get("type") == "array" and new.get("type") == "array":
            self.compare_nested(old.get("items", {}), new.get("items", {}), subject + "[]", hint + "Item", dirs)
        elif isinstance(old.get("additionalProperties"), dict) and isinstance(new.get("additionalProperties"), dict):
            self.compare_nested(old["additionalProperties"], new["additionalProperties"], subject + "{}",
                                hint + "Value", dirs)

    # ----- struct fields
    def compare_props(self, old, new, subject, hint, dirs, inline=False):
        op_, np_ = old.get("properties", {}), new.get("properties", {})
        oreq, nreq = set(old.get("required", [])), set(new.get("required", []))
        ty = f"types::{hint}"
        where = f"`{ty}`" + (f" (`{subject}`)" if inline else "")
        builder = f"`{hint}::builder()`"
        for p in list(op_) + [p for p in np_ if p not in op_]:
            f = field_name(p)
            sub = f"{subject}.{p}"
            phint = hint + type_name(p)
            if p not in np_:
                self.add("breaking", "field-removed", sub, f"{where}: field `{f}` removed.")
                continue
            ns = np_[p]
            nr = p in nreq
            shown = _shown(ns, nr, phint)
            if p not in op_:
                needs = nr and not (isinstance(ns, dict) and "default" in ns)
                if "in" in dirs and needs:
                    self.add("breaking", "field-added", sub,
                             f"{where}: new required field `{f}: {_short(shown)}`: it must be set "
                             f"({builder} fails with \"no value supplied for {f}\" without it, and struct "
                             f"literals must name it).")
                else:
                    note = "" if dirs == {"out"} else " (struct literals of the type must name it)"
                    self.add("added", "field-added", sub, f"{where}: new field `{f}: {_short(shown)}`{note}.")
                continue
            os_ = op_[p]
            orq = p in oreq
            o_inner = inner_type(unwrap_null(os_)[0], phint)
            n_inner = inner_type(unwrap_null(ns)[0], phint)
            o_shown = _shown(os_, orq, phint)
            if o_inner != n_inner:
                self.add("breaking", "field-type-changed", sub,
                         f"{where}: field `{f}` is now `{_short(shown)}` (was `{_short(o_shown)}`).")
                continue
            o_null, n_null = unwrap_null(os_)[1], unwrap_null(ns)[1]
            o_opt, n_opt = _opt(os_, orq, phint), _opt(ns, nr, phint)
            o_def = isinstance(os_, dict) and "default" in os_
            n_def = isinstance(ns, dict) and "default" in ns
            if (orq, o_null, o_opt) != (nr, n_null, n_opt):
                kind = "field-required-changed" if orq != nr else "field-nullability-changed"
                levels = []
                if "out" in dirs:
                    levels.append("breaking" if o_opt != n_opt else "changed")
                if "in" in dirs:
                    needs_o, needs_n = orq and not o_def, nr and not n_def
                    levels.append("breaking" if (needs_n and not needs_o) or (o_opt and not n_opt) else "changed")
                level = _worst(levels)
                what = []
                if orq != nr:
                    what.append("now required" if nr else "now optional")
                if o_null != n_null:
                    what.append("now nullable" if n_null else "no longer nullable")
                text = f"{where}: field `{f}` is {' and '.join(what)}"
                if o_opt != n_opt:
                    text += f": its type is now `{_short(shown)}` (was `{_short(o_shown)}`)"
                    if "in" in dirs and "out" not in dirs and level != "breaking":
                        text += f"; {builder} callers are unaffected, struct literals wrap it in `Some`"
                else:
                    text += f"; its Rust type stays `{_short(shown)}`"
                if "in" in dirs and nr and not orq and not n_def:
                    text += f"; {builder} fails with \"no value supplied for {f}\" without it"
                if "out" in dirs and nr and not orq and not n_def:
                    text += "; decoding now requires the key to be present"
                self.add(level, kind, sub, text + ".")
            self.compare_nested(os_, ns, sub, phint, dirs)

    # ----- components
    def compare_schemas(self):
        olds = self.old.get("components", {}).get("schemas", {})
        news = self.new.get("components", {}).get("schemas", {})
        for name in list(olds) + [n for n in news if n not in olds]:
            # A multipart body's fields are setters of its operation, reported there.
            if (name in self.old_form or name not in olds) and (name in self.new_form or name not in news):
                continue
            ty = type_name(name)
            if name not in news:
                self.add("breaking", "schema-removed", name, f"`types::{ty}` removed (schema `{name}`).")
                continue
            if name not in olds:
                what = "enum" if enum_values(unwrap_null(news[name])[0]) is not None else "type"
                self.add("added", "schema-added", name, f"New {what} `types::{ty}` (schema `{name}`).")
                continue
            dirs = self.old_dirs.get(name, set()) | self.new_dirs.get(name, set())
            o, onull = unwrap_null(olds[name])
            n, nnull = unwrap_null(news[name])
            okind, nkind = self.schema_kind(o, ty), self.schema_kind(n, ty)
            if okind != nkind or onull != nnull:
                self.add("breaking", "schema-type-changed", name,
                         f"`types::{ty}` changed shape: now {_short(nkind)}{' (nullable)' if nnull else ''} "
                         f"(was {_short(okind)}{' (nullable)' if onull else ''}).")
                continue
            if okind == "an open enum":
                self.compare_enum(o, n, name, f"types::{ty}", f"`types::{ty}`")
            elif okind == "a struct":
                self.compare_props(o, n, name, ty, dirs)

    @staticmethod
    def schema_kind(s, ty):
        if enum_values(s) is not None:
            return "an open enum"
        if is_struct(s):
            return "a struct"
        return f"`{inner_type(s, ty)}`"

    # ----- operations
    def compare_operations(self):
        olds, news = operations(self.old), operations(self.new)
        removed = [i for i in olds if i not in news]
        added = [i for i in news if i not in olds]

        def route(op):
            return (op.method, re.sub(r"\{[^}]*\}", "{}", op.path))
        renamed = {}
        for i in removed:
            match = [j for j in added if route(news[j]) == route(olds[i]) and j not in renamed.values()]
            if len(match) == 1:
                renamed[i] = match[0]
        for i in olds:
            o = olds[i]
            if i in renamed:
                n = news[renamed[i]]
                self.add("breaking", "operation-renamed", f"{i}->{n.id}",
                         f"`{i}` renamed to `{n.id}` (`{n.method.upper()} {n.path}`): "
                         f"`Client::{method_name(i)}()` is now `Client::{method_name(n.id)}()`.")
                self.compare_op(o, n)
            elif i not in news:
                self.add("breaking", "operation-removed", i,
                         f"`{i}` (`{o.method.upper()} {o.path}`) removed: `Client::{method_name(i)}()` is gone.")
            else:
                self.compare_op(o, news[i])
        for j in added:
            if j in renamed.values():
                continue
            n = news[j]
            self.add("added", "operation-added", j,
                     f"`{j}` (`{n.method.upper()} {n.path}`): new method `Client::{method_name(j)}()`.")

    def _success(self, op):
        if op.success_kind == "stream":
            return "`EventStream`"
        if op.success_kind == "bytes":
            return "a byte stream"
        if op.success_kind == "none":
            return "`()`"
        return f"`{_short(rust_type(op.success_schema, type_name(op.id) + 'Response'))}`"

    def compare_op(self, o, n):
        oid = n.id
        call = f"`Client::{method_name(oid)}()`"
        where = f"`{oid}`"
        if (o.method, o.path) != (n.method, n.path):
            self.add("changed", "operation-moved", oid,
                     f"{where}: now `{n.method.upper()} {n.path}` (was `{o.method.upper()} {o.path}`); "
                     f"{call} is unchanged.")
        if bool(o.obj.get("deprecated")) != bool(n.obj.get("deprecated")):
            self.add("changed", "operation-deprecated", oid,
                     f"{where}: {'now deprecated' if n.obj.get('deprecated') else 'no longer deprecated'}.")

        # parameters and form fields
        for name in list(o.params) + [p for p in n.params if p not in o.params]:
            sub = f"{oid}.{name}"
            setter = f"`.{field_name(name)}(..)`"
            if name not in n.params:
                op_ = o.params[name]
                self.add("breaking", "parameter-removed", sub,
                         f"{where}: {_loc(op_.location)} `{name}` removed: the setter {setter} is gone.")
                continue
            np_ = n.params[name]
            if name not in o.params:
                if np_.required:
                    self.add("breaking", "parameter-added", sub,
                             f"{where}: new required {_loc(np_.location)} `{name}` "
                             f"({setter}, `{_short(np_.rust)}`): `send()` fails with `Error::InvalidRequest` "
                             f"until it is set.")
                else:
                    self.add("added", "parameter-added", sub,
                             f"{where}: new optional {_loc(np_.location)} `{name}`: setter {setter} "
                             f"(`{_short(np_.rust)}`).")
                continue
            op_ = o.params[name]
            if op_.rust != np_.rust:
                self.add("breaking", "parameter-type-changed", sub,
                         f"{where}: {_loc(np_.location)} `{name}` now takes `{_short(np_.rust)}` "
                         f"(was `{_short(op_.rust)}`).")
            elif np_.location == op_.location or "form" not in (np_.location, op_.location):
                self.compare_nested(op_.schema, np_.schema, sub, np_.hint, {"in"})
            if op_.required != np_.required:
                if np_.required:
                    self.add("breaking", "parameter-required-changed", sub,
                             f"{where}: {_loc(np_.location)} `{name}` is now required: `send()` fails with "
                             f"`Error::InvalidRequest` unless {setter} is called.")
                else:
                    self.add("changed", "parameter-required-changed", sub,
                             f"{where}: {_loc(np_.location)} `{name}` is now optional.")
            if op_.location != np_.location and "form" not in (op_.location, np_.location):
                self.add("changed", "parameter-location-changed", sub,
                         f"{where}: `{name}` is now sent as a {_loc(np_.location)} (was a "
                         f"{_loc(op_.location)}); the setter {setter} is unchanged.")

        # request body
        ob, nb = o.body_kind, n.body_kind
        if ob != nb:
            if ob == "none":
                if n.body_required:
                    self.add("breaking", "request-body-added", oid,
                             f"{where}: now takes a required {_body(nb)}: `send()` fails without it.")
                else:
                    self.add("added", "request-body-added", oid, f"{where}: now takes an optional {_body(nb)}.")
            elif nb == "none":
                self.add("breaking", "request-body-removed", oid,
                         f"{where}: the {_body(ob)} is gone" + (": `.body(..)` is removed." if ob == "json" else "."))
            else:
                self.add("breaking", "content-type-changed", f"{oid}.request",
                         f"{where}: the request body is now {_types(n.body_types)} (was {_types(o.body_types)}): "
                         f"{'its fields are setters' if nb == 'form' else 'it is set with `.body(..)`'} now.")
        elif nb != "none":
            if nb == "json":
                hint = type_name(oid) + "Body"
                ot, nt = rust_type(o.body_schema, hint), rust_type(n.body_schema, hint)
                if ot != nt:
                    self.add("breaking", "request-body-type-changed", oid,
                             f"{where}: `.body(..)` now takes `{_short(nt)}` (was `{_short(ot)}`).")
                else:
                    self.compare_nested(o.body_schema, n.body_schema, f"{oid}.body", hint, {"in"})
            if o.body_required != n.body_required and nb != "form":
                if n.body_required:
                    self.add("breaking", "request-body-required-changed", oid,
                             f"{where}: the request body is now required: `send()` fails without `.body(..)`.")
                else:
                    self.add("changed", "request-body-required-changed", oid,
                             f"{where}: the request body is now optional.")
            if o.body_types != n.body_types:
                self.add("changed", "content-type-changed", f"{oid}.request",
                         f"{where}: request content types now {_types(n.body_types)} "
                         f"(were {_types(o.body_types)}).")

        # success response
        if o.success_kind != n.success_kind:
            self.add("breaking", "content-type-changed", f"{oid}.response",
                     f"{where}: the success response is now {_types(n.success_types)} (was "
                     f"{_types(o.success_types)}): `send()` returns {self._success(n)} (was {self._success(o)}).")
        else:
            hint = type_name(oid) + "Response"
            if n.success_kind in ("json", "stream"):
                ot, nt = rust_type(o.success_schema, hint), rust_type(n.success_schema, hint)
                if ot != nt and n.success_kind == "json":
                    self.add("breaking", "response-type-changed", oid,
                             f"{where}: `send()` now returns `{_short(nt)}` (was `{_short(ot)}`).")
                elif ot != nt:
                    self.add("changed", "response-type-changed", oid,
                             f"{where}: the events of the stream are now `{_short(nt)}` (were `{_short(ot)}`).")
                elif n.success_kind == "json":
                    self.compare_nested(o.success_schema, n.success_schema, f"{oid}.response", hint, {"out"})
            if o.success_types != n.success_types:
                self.add("changed", "content-type-changed", f"{oid}.response",
                         f"{where}: success content types now {_types(n.success_types)} "
                         f"(were {_types(o.success_types)}).")
        if o.success_code != n.success_code:
            self.add("changed", "success-status-changed", oid,
                     f"{where}: succeeds with status {n.success_code or 'none'} (was {o.success_code or 'none'}).")
        if o.error_type != n.error_type:
            self.add("breaking", "error-type-changed", oid,
                     f"{where}: `send()` errors now carry `Error<{_short(n.error_type)}>` "
                     f"(was `Error<{_short(o.error_type)}>`).")

    # ----- everything else
    def compare_info(self):
        ov = self.old.get("info", {}).get("version")
        nv = self.new.get("info", {}).get("version")
        if ov != nv:
            self.add("changed", "api-version-changed", "info.version",
                     f"API version {ov} -> {nv} (`meibel::spec::API_VERSION`).")
        count = _doc_changes(self.old, self.new)
        if count:
            self.add("changed", "documentation-changed", "docs",
                     f"Documentation (summaries and descriptions) changed in {count} "
                     f"place{'s' if count != 1 else ''}: doc comments only.")

    def run(self):
        self.compare_operations()
        self.compare_schemas()
        self.compare_info()
        seen, out = set(), []
        for c in self.changes:
            if (c.key(), c.text) not in seen:
                seen.add((c.key(), c.text))
                out.append(c)
        return out


def _loc(location):
    return {"query": "query parameter", "path": "path parameter", "header": "header",
            "cookie": "cookie", "form": "form field"}.get(location, f"{location} parameter")


def _body(kind):
    return {"json": "JSON body (`.body(..)`)", "form": "multipart form body",
            "other": "request body"}.get(kind, "request body")


def _types(types):
    return ", ".join(f"`{t}`" for t in types) if types else "empty"


def _doc_strings(node, ptr, out, objects):
    if isinstance(node, dict):
        objects.add(ptr)
        for k, v in node.items():
            p = f"{ptr}/{k}"
            if k in ("summary", "description") and isinstance(v, str):
                out[p] = v
            elif k not in ("example", "examples", "default", "enum", "const"):
                _doc_strings(v, p, out, objects)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _doc_strings(v, f"{ptr}/{i}", out, objects)
    return out


def _doc_changes(old, new):
    """How many summaries and descriptions differ, on objects present in both documents."""
    ao, bo = set(), set()
    a, b = _doc_strings(old, "", {}, ao), _doc_strings(new, "", {}, bo)
    both = ao & bo
    return sum(1 for p in set(a) | set(b) if a.get(p) != b.get(p) and p.rsplit("/", 1)[0] in both)


def diff(old, new):
    """Every change from `old` to `new`, as a list of `Change`, in report order."""
    return Differ(copy.deepcopy(old), copy.deepcopy(new)).run()


# --------------------------------------------------------------------------- build needs

def crate_needs(doc):
    """Crates the generated code uses because of what the document holds:
    {crate: JSON pointer of the first schema that needs it}. `format: uuid` makes
    `uuid::Uuid` fields; a string `pattern` (without a format the type generator knows)
    makes a newtype checked with `regress`."""
    natives = ("uuid", "date", "date-time", "ip", "ipv4", "ipv6")
    found = {}

    def walk(node, ptr):
        if isinstance(node, dict):
            if node.get("type") == "string" or (isinstance(node.get("type"), list) and "string" in node["type"]):
                if node.get("format") == "uuid":
                    found.setdefault("uuid", ptr)
                elif "pattern" in node and node.get("format") not in natives:
                    found.setdefault("regress", ptr)
            for k, v in node.items():
                walk(v, f"{ptr}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{ptr}/{i}")
    walk(doc.get("components", {}).get("schemas", {}), "/components/schemas")
    walk(doc.get("paths", {}), "/paths")
    return found


# --------------------------------------------------------------------------- versions

def bump_kind(changes, current="0.1.0"):
    """`major`, `minor`, `patch` or `none`: the release a crate at version `current` needs.
    Before 1.0 a breaking change takes a minor bump and anything else a patch bump."""
    levels = {c.level for c in changes}
    if not levels:
        return "none"
    major = int(current.split(".")[0])
    if "breaking" in levels:
        return "minor" if major == 0 else "major"
    if "added" in levels and major > 0:
        return "minor"
    return "patch"


def next_version(current, kind):
    m = re.match(r"^(\d+)\.(\d+)\.(\d+)", current)
    if not m:
        raise SpecError(f"cannot read the crate version {current!r}")
    major, minor, patch = map(int, m.groups())
    if kind == "major":
        return f"{major + 1}.0.0"
    if kind == "minor":
        return f"{major}.{minor + 1}.0"
    if kind == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return current


def render(changes, old, new, current, date):
    """The Markdown section for CHANGELOG.md."""
    kind = bump_kind(changes, current)
    ov = (old or {}).get("info", {}).get("version", "?")
    nv = (new or {}).get("info", {}).get("version", "?")
    if kind == "none":
        api = f"API {nv}" if ov == nv else f"API {ov} -> {nv}"
        return (f"## No API changes ({api})\n\n"
                f"Operations, parameters, schemas, fields and enum values are the same: the crate "
                f"stays at {current}.\n")
    version = next_version(current, kind)
    why = {"major": "breaking changes", "minor": "breaking changes" if current.startswith("0.") else "additions",
           "patch": "no breaking changes"}[kind]
    lines = [f"## [{version}] - {date}", "",
             f"API {ov} -> {nv}. Version bump: {kind} ({current} -> {version}), {why}.", ""]
    for level in LEVELS:
        items = [c for c in changes if c.level == level]
        if not items:
            continue
        lines += [f"### {SECTION[level]}", ""]
        lines += [f"- {c.text}" for c in items]
        lines.append("")
    return "\n".join(lines)


def to_json(changes, current):
    kind = bump_kind(changes, current)
    return {"bump": kind, "version": next_version(current, kind), "changes": [c.__dict__ for c in changes]}
