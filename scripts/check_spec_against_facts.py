#!/usr/bin/env python3
"""Check that an OpenAPI document carries every operation and schema of the API facts.

Usage: scripts/check_spec_against_facts.py FACTS.json SPEC.json

Compares, for each operation of the facts: operationId, method, path, summary, tag,
parameters (name, location, required, type, nullability, default, minimum, maximum),
request body (content type, schema, nullability, required) and responses (status,
content type, schema). For each schema: kind, every field's presence, type (in the
facts' type grammar, see facts["info"]["type_grammar"]), nullability (3.1 form: anyOf
with {"type": "null"}), enum values (a single value may be rendered as `const`),
default, minimum and maximum, the required list, extra keys allowed or not, and that
the spec has no fields beyond the facts. Titles and descriptions are not compared.

Prints one line per mismatch, then `spec-vs-facts: N passed, M failed`; exits 1 if any
check failed (2 on bad usage or unreadable input).
"""
import argparse
import json
import re
import sys

REF_PREFIX = "#/components/schemas/"
MISSING = object()
PRIMITIVES = {"string", "integer", "number", "boolean"}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class TypeGrammarError(ValueError):
    pass


def parse_type(text):
    """Parse a type of the facts' grammar into a nested tuple.

    ("prim", name) | ("format", base, format) | ("any",) | ("object",) | ("ref", name)
    | ("array", T) | ("map", T) | ("union", [T, ...])
    """
    text = text.strip()
    if text in PRIMITIVES:
        return ("prim", text)
    if text == "any":
        return ("any",)
    if text == "object":
        return ("object",)
    if text in ("string:date-time", "string:binary"):
        base, fmt = text.split(":")
        return ("format", base, fmt)
    m = re.fullmatch(r"ref:([A-Za-z_][\w.-]*)", text)
    if m:
        return ("ref", m.group(1))
    m = re.fullmatch(r"(array|map|union)<(.*)>", text)
    if m:
        kind, inner = m.groups()
        if kind == "union":
            parts = split_top_level(inner)
            if len(parts) < 2:
                raise TypeGrammarError(f"union with fewer than two members: {text!r}")
            return ("union", [parse_type(p) for p in parts])
        return (kind, parse_type(inner))
    raise TypeGrammarError(f"not in the type grammar: {text!r}")


def split_top_level(inner):
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
            if depth < 0:
                raise TypeGrammarError(f"unbalanced brackets in {inner!r}")
        elif ch == "|" and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    if depth != 0:
        raise TypeGrammarError(f"unbalanced brackets in {inner!r}")
    parts.append(inner[start:])
    return parts


def show(value):
    if value is MISSING:
        return "<absent>"
    return json.dumps(value, sort_keys=True)


def same_value(a, b):
    """Equality that keeps booleans apart from numbers (JSON true is not 1)."""
    if a is MISSING or b is MISSING:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def is_null(schema):
    return isinstance(schema, dict) and schema.get("type") == "null" and len(
        {k for k in schema if k not in ("title", "description")}
    ) == 1


def split_null(schema):
    """(has a null branch, the schema without it) for an anyOf-with-null schema."""
    if not isinstance(schema, dict) or not isinstance(schema.get("anyOf"), list):
        return False, schema
    branches = schema["anyOf"]
    rest = [b for b in branches if not is_null(b)]
    if len(rest) == len(branches):
        return False, schema
    if len(rest) == 1:
        return True, rest[0]
    return True, {"anyOf": rest}


def ref_target(schema):
    """The component name a schema refers to ($ref, or allOf with one $ref)."""
    if not isinstance(schema, dict):
        return None
    ref = schema.get("$ref")
    if ref is None and isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
        ref = schema["allOf"][0].get("$ref") if isinstance(schema["allOf"][0], dict) else None
    if isinstance(ref, str) and ref.startswith(REF_PREFIX):
        return ref[len(REF_PREFIX):]
    return None


def type_problem(node, schema, components, items_nullable=False):
    """None if `schema` has the type `node`, else a short reason."""
    if not isinstance(schema, dict):
        return f"schema is not an object: {show(schema)}"
    kind = node[0]
    if kind == "any":
        typed = [k for k in ("type", "anyOf", "oneOf", "allOf", "$ref", "items", "properties", "enum", "const")
                 if k in schema]
        return f"expected any value (no constraints), spec has {typed}" if typed else None
    if kind == "ref":
        target = ref_target(schema)
        if target != node[1]:
            return f"expected $ref {REF_PREFIX}{node[1]}, spec has {show(schema)}"
        if target not in components:
            return f"$ref {REF_PREFIX}{target} does not resolve"
        return None
    if kind == "union":
        branches = schema.get("anyOf")
        if not isinstance(branches, list):
            return f"expected anyOf of {len(node[1])} types, spec has {show(schema)}"
        if len(branches) != len(node[1]):
            return f"expected anyOf of {len(node[1])} types, spec has {len(branches)}"
        free = list(branches)
        for member in node[1]:
            hit = next((b for b in free if type_problem(member, b, components) is None), None)
            if hit is None:
                return f"no anyOf branch matches {render(member)}"
            free.remove(hit)
        return None
    stype = schema.get("type")
    if kind == "prim":
        if stype != node[1]:
            return f"expected type {node[1]}, spec has type {show(schema.get('type', MISSING))}"
        if node[1] == "string" and "format" in schema:
            return f"expected a plain string, spec has format {schema['format']}"
        return None
    if kind == "format":
        if stype != node[1] or schema.get("format") != node[2]:
            return (f"expected type {node[1]} format {node[2]}, spec has type "
                    f"{show(schema.get('type', MISSING))} format {show(schema.get('format', MISSING))}")
        return None
    if kind == "object":
        if stype != "object":
            return f"expected type object, spec has type {show(schema.get('type', MISSING))}"
        if schema.get("additionalProperties", True) not in (True, {}):
            return f"expected a free-form object, spec has additionalProperties {show(schema['additionalProperties'])}"
        if "properties" in schema:
            return "expected a free-form object, spec declares properties"
        return None
    if kind == "array":
        if stype != "array":
            return f"expected type array, spec has type {show(schema.get('type', MISSING))}"
        if "items" not in schema:
            return "array without items"
        items = schema["items"]
        items_null, items = split_null(items)
        if items_null != items_nullable:
            return f"items nullable: facts {items_nullable}, spec {items_null}"
        problem = type_problem(node[1], items, components)
        return f"items: {problem}" if problem else None
    if kind == "map":
        if stype != "object":
            return f"expected type object (map), spec has type {show(schema.get('type', MISSING))}"
        values = schema.get("additionalProperties", MISSING)
        if not isinstance(values, dict):
            return f"expected additionalProperties with a schema, spec has {show(values)}"
        problem = type_problem(node[1], values, components)
        return f"additionalProperties: {problem}" if problem else None
    raise AssertionError(kind)


def render(node):
    kind = node[0]
    if kind == "prim":
        return node[1]
    if kind == "format":
        return f"{node[1]}:{node[2]}"
    if kind in ("any", "object"):
        return kind
    if kind == "ref":
        return f"ref:{node[1]}"
    if kind == "union":
        return "union<" + "|".join(render(n) for n in node[1]) + ">"
    return f"{kind}<{render(node[1])}>"


def bound(schema, key):
    """minimum/maximum of a (non-null) schema: its own, or the one all its branches share."""
    if not isinstance(schema, dict):
        return MISSING
    if key in schema:
        return schema[key]
    branches = schema.get("anyOf")
    if isinstance(branches, list):
        values = [b.get(key, MISSING) for b in branches if isinstance(b, dict)]
        if values and all(same_value(v, values[0]) for v in values):
            return values[0]
        if any(v is not MISSING for v in values):
            return [show(v) for v in values]
    return MISSING


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, where, message):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"{where}: {message}")
        return ok

    def equal(self, where, what, fact, spec):
        return self.check(same_value(fact, spec), where, f"{what}: facts {show(fact)}, spec {show(spec)}")


def check_typed(report, where, spec_schema, fact, components):
    """Type, nullability, enum, default and bounds of a field or parameter."""
    if not report.check(isinstance(spec_schema, dict), where, f"schema is not an object: {show(spec_schema)}"):
        return
    nullable, core = split_null(spec_schema)
    report.equal(where, "nullable", bool(fact.get("nullable")), nullable)

    if "enum" in fact:
        values = fact["enum"]
        if len(values) == 1:
            spec_values = [core["const"]] if "const" in core else core.get("enum", MISSING)
        else:
            spec_values = core.get("enum", MISSING)
        ok = isinstance(spec_values, list) and sorted(map(show, spec_values)) == sorted(map(show, values))
        report.check(ok, where, f"enum: facts {show(values)}, spec {show(spec_values)}")

    try:
        node = parse_type(fact["type"])
    except TypeGrammarError as e:
        report.check(False, where, f"type: {e}")
    else:
        problem = type_problem(node, core, components, bool(fact.get("items_nullable")))
        report.check(problem is None, where, f"type {fact['type']}: {problem}")

    report.equal(where, "default", fact.get("default", MISSING), spec_schema.get("default", MISSING))
    for key in ("minimum", "maximum"):
        report.equal(where, key, fact.get(key, MISSING), bound(core, key))


def check_schemas(report, facts, spec):
    components = spec.get("components", {}).get("schemas", {})
    for name, fact in sorted(facts["schemas"].items()):
        where = f"schema {name}"
        if not report.check(name in components, where, "missing from components.schemas"):
            continue
        s = components[name]
        if fact["kind"] == "enum":
            report.equal(where, "type", fact["type"], s.get("type", MISSING))
            spec_values = s.get("enum", MISSING)
            ok = isinstance(spec_values, list) and sorted(map(show, spec_values)) == sorted(map(show, fact["values"]))
            report.check(ok, where, f"enum: facts {show(fact['values'])}, spec {show(spec_values)}")
            continue
        report.equal(where, "type", "object", s.get("type", MISSING))
        props = s.get("properties", {})
        for field in fact["fields"]:
            fwhere = f"{where}.{field['name']}"
            if report.check(field["name"] in props, fwhere, "field missing from the spec"):
                check_typed(report, fwhere, props[field["name"]], field, components)
        extra = sorted(set(props) - {f["name"] for f in fact["fields"]})
        report.check(not extra, where, f"fields not in the facts: {extra}")
        required = sorted(f["name"] for f in fact["fields"] if f.get("required"))
        spec_required = s.get("required", [])
        report.check(
            sorted(spec_required) == required and len(set(spec_required)) == len(spec_required),
            where,
            f"required: facts {show(required)}, spec {show(sorted(spec_required))}",
        )
        report.equal(where, "additionalProperties allowed", bool(fact.get("additional_properties")),
                     s.get("additionalProperties") is True)
    extra = sorted(set(components) - set(facts["schemas"]))
    report.check(not extra, "components.schemas", f"schemas not in the facts: {extra}")


def response_type(text):
    """Responses name components without the ref: prefix; accept both spellings."""
    if re.fullmatch(r"[A-Z]\w*", text):
        return "ref:" + text
    return text


def check_operation(report, fact, op, components):
    where = f"operation {fact['operationId']} ({fact['method'].upper()} {fact['path']})"
    report.equal(where, "operationId", fact["operationId"], op.get("operationId", MISSING))
    report.equal(where, "summary", fact["summary"], op.get("summary", MISSING))
    report.equal(where, "tags", [fact["tag"]], op.get("tags", MISSING))

    spec_params = {}
    for p in op.get("parameters", []):
        spec_params[(p.get("name"), p.get("in"))] = p
    for p in fact["params"]:
        pwhere = f"{where} param {p['in']} {p['name']}"
        sp = spec_params.get((p["name"], p["in"]))
        if not report.check(sp is not None, pwhere, "missing from the spec"):
            continue
        report.equal(pwhere, "required", bool(p["required"]), sp.get("required", False))
        check_typed(report, pwhere, sp.get("schema", MISSING), p, components)
    extra = sorted(f"{i} {n}" for (n, i) in set(spec_params) - {(p["name"], p["in"]) for p in fact["params"]})
    report.check(not extra, where, f"parameters not in the facts: {extra}")

    req = fact["request"]
    body = op.get("requestBody", MISSING)
    if req is None:
        report.check(body is MISSING, where, "request body: facts none, spec has one")
    elif report.check(isinstance(body, dict), where, "request body: missing from the spec"):
        bwhere = f"{where} request body"
        content = body.get("content", {})
        report.equal(bwhere, "content types", [req["content_type"]], sorted(content))
        report.equal(bwhere, "required", bool(req.get("required")), body.get("required", False))
        schema = content.get(req["content_type"], {}).get("schema", MISSING)
        nullable, core = split_null(schema)
        report.equal(bwhere, "nullable", bool(req.get("nullable")), nullable)
        problem = type_problem(("ref", req["schema"]), core, components)
        report.check(problem is None, bwhere, f"schema {req['schema']}: {problem}")

    responses = op.get("responses", {})
    for r in fact["responses"]:
        rwhere = f"{where} response {r['status']}"
        resp = responses.get(r["status"])
        if not report.check(isinstance(resp, dict), rwhere, "missing from the spec"):
            continue
        content = resp.get("content", {})
        ct = r.get("content_type")
        report.equal(rwhere, "content types", [ct] if ct else [], sorted(content))
        if not ct or ct not in content:
            continue
        schema = content[ct].get("schema", MISSING)
        if r.get("events"):
            branches = schema.get("anyOf") if isinstance(schema, dict) else None
            names = [ref_target(b) for b in branches] if isinstance(branches, list) else MISSING
            report.check(
                names is not MISSING and sorted(map(str, names)) == sorted(r["events"]),
                rwhere,
                f"events: facts {show(sorted(r['events']))}, spec {show(names)}",
            )
            missing = [e for e in r["events"] if e not in components]
            report.check(not missing, rwhere, f"event schemas missing from components: {missing}")
        elif r.get("schema") is None:
            report.check(schema is MISSING, rwhere, f"schema: facts none, spec {show(schema)}")
        else:
            try:
                node = parse_type(response_type(r["schema"]))
            except TypeGrammarError as e:
                report.check(False, rwhere, f"schema: {e}")
            else:
                problem = type_problem(node, schema, components)
                report.check(problem is None, rwhere, f"schema {r['schema']}: {problem}")
    extra = sorted(set(responses) - {r["status"] for r in fact["responses"]})
    report.check(not extra, where, f"responses not in the facts: {extra}")


def check_operations(report, facts, spec):
    components = spec.get("components", {}).get("schemas", {})
    paths = spec.get("paths", {})
    seen = set()
    for fact in facts["operations"]:
        method = fact["method"].lower()
        seen.add((fact["path"], method))
        op = paths.get(fact["path"], {}).get(method)
        where = f"operation {fact['operationId']} ({fact['method'].upper()} {fact['path']})"
        if report.check(isinstance(op, dict), where, "missing from the spec"):
            check_operation(report, fact, op, components)
    extra = sorted(
        f"{m.upper()} {p}" for p, item in paths.items() for m in item if m in METHODS and (p, m) not in seen
    )
    report.check(not extra, "paths", f"operations not in the facts: {extra}")


def check_info(report, facts, spec):
    info = facts["info"]
    report.equal("openapi", "version", info["openapi"], spec.get("openapi", MISSING))
    report.equal("info", "title", info["title"], spec.get("info", {}).get("title", MISSING))
    report.equal("info", "version", info["api_version"], spec.get("info", {}).get("version", MISSING))
    report.equal("servers", "urls", [s["url"] for s in info["servers"]],
                 [s.get("url") for s in spec.get("servers", [])])
    report.equal("tags", "declared", info["tags"], [t.get("name") for t in spec.get("tags", [])])
    auth = info["auth"]
    scheme = spec.get("components", {}).get("securitySchemes", {}).get(auth["scheme_name"], MISSING)
    expected = {"type": auth["type"], "in": auth["in"], "name": auth["name"]}
    got = {k: scheme.get(k) for k in expected} if isinstance(scheme, dict) else scheme
    report.equal(f"securitySchemes.{auth['scheme_name']}", "scheme", expected, got)
    report.equal("security", "top level", [], spec.get("security", MISSING))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("facts", help="the API facts (JSON)")
    parser.add_argument("spec", help="the OpenAPI document (JSON)")
    args = parser.parse_args(argv)
    try:
        with open(args.facts, encoding="utf-8") as f:
            facts = json.load(f)
        with open(args.spec, encoding="utf-8") as f:
            spec = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    report = Report()
    check_info(report, facts, spec)
    check_operations(report, facts, spec)
    check_schemas(report, facts, spec)
    print(f"spec-vs-facts: {report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
