#!/usr/bin/env python3
"""Write openapi/api-v2.json from the structured facts of the upstream v2 API.

This is the bootstrap for the vendored spec: it renders the facts in the form the
upstream service publishes (OpenAPI 3.1.0 as emitted by FastAPI + Pydantic v2). Once
an upstream file is available it replaces the output of this script unchanged
(see scripts/update-spec).

Usage: scripts/spec_from_facts.py FACTS.json SEED.md > openapi/api-v2.json
"""
import json
import re
import sys

import yaml

NULL = {"type": "null"}

TAG_DESCRIPTIONS = {
    "Datasources": "Create, inspect and remove datasources",
    "Data Elements": "Read, update and search the elements of a datasource",
    "File Upload": "Send files into a datasource and follow the upload",
    "Ingest": "Start ingestion of a datasource and check on it",
    "Datasource Downloads": "Export the content of a datasource as a zip archive",
    "Table Descriptions": "Describe tables and their columns",
    "Metadata Model Catalog": "Browse the catalog of metadata models",
    "Confidence Scoring": "Confidence scoring jobs and their summaries",
    "Documents": "Parse documents and turn them into structured data",
    "Agents": "Define, version and publish agents",
    "Sessions": "Run agent sessions and chat with them",
    "Artifact Schemas": "Schemas for the artifacts agents produce",
}


def title_of(name: str) -> str:
    # Pydantic's rule for a field title.
    return name.title().replace("_", " ")


def split_union(inner: str):
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == "|" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def core(t: str, constraints=None):
    """The schema of a type in the facts' grammar, without nullability."""
    constraints = constraints or {}
    if t.startswith("union<"):
        return {"anyOf": [core(p, constraints) for p in split_union(t[6:-1])]}
    if t.startswith("array<"):
        return {"items": core(t[6:-1]), "type": "array"}
    if t.startswith("map<"):
        return {"additionalProperties": core(t[4:-1]), "type": "object"}
    if t.startswith("ref:"):
        return {"$ref": "#/components/schemas/" + t[4:]}
    if t == "any":
        return {}
    if t == "object":
        return {"additionalProperties": True, "type": "object"}
    if t == "string:date-time":
        return {"type": "string", "format": "date-time"}
    if t == "string:binary":
        return {"type": "string", "format": "binary"}
    if t in ("string", "integer", "number", "boolean"):
        s = {"type": t}
        for k in ("maximum", "minimum"):
            if k in constraints and t in ("integer", "number"):
                s[k] = constraints[k]
        return s
    raise SystemExit(f"unknown type {t!r}")


def nullable_items(s):
    if s.get("type") == "array":
        s = dict(s)
        s["items"] = {"anyOf": [s["items"], NULL]}
    return s


def field_schema(f, title):
    c = {k: f[k] for k in ("minimum", "maximum") if k in f}
    base = core(f["type"], c)
    if f.get("items_nullable"):
        base = nullable_items(base)
    if "enum" in f:
        vals = f["enum"]
        base = {"type": "string", "const": vals[0]} if len(vals) == 1 else {"type": "string", "enum": vals}
    if f.get("nullable"):
        if "anyOf" in base and len(base) == 1:
            s = {"anyOf": base["anyOf"] + [NULL]}
        else:
            s = {"anyOf": [base, NULL]}
    else:
        s = dict(base)
    # Pydantic gives a plain model reference no title of its own.
    if set(s) != {"$ref"}:
        s["title"] = title
    elif "default" not in f:
        return s
    if "default" in f:
        s["default"] = f["default"]
    return s


def object_schema(name, spec):
    props, required = {}, []
    for f in spec["fields"]:
        props[f["name"]] = field_schema(f, title_of(f["name"]))
        if f.get("required"):
            required.append(f["name"])
    s = {"properties": props}
    if spec.get("additional_properties"):
        s["additionalProperties"] = True
    s["type"] = "object"
    if required:
        s["required"] = required
    s["title"] = name
    return s


def enum_schema(name, spec):
    return {"type": spec["type"], "enum": spec["values"], "title": name}


def param(p):
    c = {k: p[k] for k in ("minimum", "maximum") if k in p}
    s = core(p["type"], c)
    if p.get("nullable"):
        s = {"anyOf": [s, NULL]}
    s["title"] = title_of(p["name"])
    if "default" in p:
        s["default"] = p["default"]
    out = {"name": p["name"], "in": p["in"], "required": bool(p["required"])}
    notes = p.get("notes", "")
    choices = [v.strip() for v in notes.split(";")[0].split("|")] if "|" in notes else []
    if choices and all(re.fullmatch(r"[A-Za-z_]+", v) for v in choices):
        s["description"] = "One of: " + ", ".join(choices)
    out["schema"] = s
    return out


def response_schema(op, r):
    t = r.get("schema")
    if t is None:
        return None
    if t.startswith("ref:") or re.fullmatch(r"[A-Z]\w*", t):
        return {"$ref": "#/components/schemas/" + t.removeprefix("ref:")}
    s = core(t)
    if s:
        s["title"] = "Response " + op["operationId"][0].upper() + op["operationId"][1:]
    return s


def operation(op, event_schemas):
    o = {"tags": [op["tag"]], "summary": op["summary"], "operationId": op["operationId"]}
    if op["params"]:
        o["parameters"] = [param(p) for p in op["params"]]
    req = op["request"]
    if req:
        ref = {"$ref": "#/components/schemas/" + req["schema"]}
        if req.get("nullable"):
            ref = {"anyOf": [ref, NULL], "title": "Body"}
        body = {}
        if req.get("required"):
            body["required"] = True
        body["content"] = {req["content_type"]: {"schema": ref}}
        o["requestBody"] = body
    responses = {}
    for r in op["responses"]:
        status = r["status"]
        if status == "422":
            responses[status] = {
                "description": "Validation Error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}},
            }
            continue
        resp = {"description": "Successful Response"}
        ct = r.get("content_type")
        if ct == "text/event-stream":
            events = [{"$ref": "#/components/schemas/" + e} for e in r["events"]]
            missing = [e for e in r["events"] if e not in event_schemas]
            if missing:
                raise SystemExit(f"{op['operationId']}: unknown events {missing}")
            resp["content"] = {ct: {"schema": {"anyOf": events}}}
        elif ct:
            resp["content"] = {ct: {"schema": response_schema(op, r)}}
        responses[status] = resp
    o["responses"] = responses
    o["security"] = [{"APIKeyHeader": []}]
    return o


def seed_components(seed_path):
    text = open(seed_path, encoding="utf-8").read()
    block = text.split("````yaml", 1)[1].split("\n", 1)[1].split("````", 1)[0]
    doc = yaml.safe_load(block)
    return doc


def strip_descriptions(s):
    if isinstance(s, dict):
        return {k: strip_descriptions(v) for k, v in s.items() if k != "description"}
    if isinstance(s, list):
        return [strip_descriptions(v) for v in s]
    return s


def main():
    facts = json.load(open(sys.argv[1], encoding="utf-8"))
    seed = seed_components(sys.argv[2])
    info = facts["info"]
    schemas = {}
    for name, spec in sorted(facts["schemas"].items()):
        schemas[name] = object_schema(name, spec) if spec["kind"] == "object" else enum_schema(name, spec)
    # The seed fragment is upstream's own rendering: where it and the facts-derived
    # rendering differ in structure, the seed wins (descriptions are ours).
    for name, s in seed["components"]["schemas"].items():
        schemas[name] = strip_descriptions(s)
    event_schemas = {n for n, s in facts["schemas"].items() if s.get("sse_event")}

    paths = {}
    for op in facts["operations"]:
        paths.setdefault(op["path"], {})[op["method"].lower()] = operation(op, event_schemas)

    seed_op = seed["paths"]["/batch-executions/id/{execution_id}/cancel"]["post"]
    seed_op = {k: v for k, v in seed_op.items() if not k.startswith("x-")}
    ours = paths["/batch-executions/id/{execution_id}/cancel"]["post"]
    if ours != seed_op:
        raise SystemExit("cancelExecution does not render as the seed does:\n"
                         + json.dumps(ours, indent=1) + "\n" + json.dumps(seed_op, indent=1))

    servers = [
        {"url": "https://api.meibel.ai/v2", "description": "Production"},
        {"url": "https://api.dev.meibel.ai/v2", "description": "Development"},
        {"url": "http://localhost:8000/v2", "description": "Local"},
    ]
    doc = {
        "openapi": info["openapi"],
        "info": {
            "title": info["title"],
            "summary": info["summary"],
            "description": "The Meibel AI platform API, version 2. Every operation is authenticated "
            "with an API key sent in the `Meibel-API-Key` header.",
            "version": info["api_version"],
        },
        "servers": servers,
        "security": [],
        "tags": [{"name": t, "description": TAG_DESCRIPTIONS[t]} for t in info["tags"]],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "APIKeyHeader": {"type": "apiKey", "in": "header", "name": info["auth"]["name"]}
            },
        },
    }
    json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
