#!/usr/bin/env python3
"""Derive spec variants from the vendored spec, to prove the crate builds against
other documents of the same form.

  subset.json    every other operation removed (schemas kept as they are)
  superset.json  a new tag and operation (GET /widgets/{widget_id} -> Widget, with a new
                 enum), a new field on every response object schema, and a new value
                 appended to every string enum

Usage: scripts/spec_variants.py openapi/api-v2.json OUT_DIR
"""
import copy
import json
import os
import sys

METHODS = ["get", "put", "post", "delete", "patch"]


def subset(spec):
    s = copy.deepcopy(spec)
    n = 0
    for path in list(s["paths"]):
        item = s["paths"][path]
        for m in [m for m in METHODS if m in item]:
            if n % 2 == 1:
                del item[m]
            n += 1
        if not any(m in item for m in METHODS):
            del s["paths"][path]
    return s


def walk_enums(node):
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list) and all(isinstance(v, str) for v in node["enum"]):
            node["enum"].append("added_in_a_later_version")
        if "const" in node and isinstance(node["const"], str):
            node["enum"] = [node["const"], "added_in_a_later_version"]
            del node["const"]
        for v in node.values():
            walk_enums(v)
    elif isinstance(node, list):
        for v in node:
            walk_enums(v)


def superset(spec):
    s = copy.deepcopy(spec)
    schemas = s["components"]["schemas"]
    walk_enums(schemas)
    for name, schema in schemas.items():
        if schema.get("type") == "object" and "properties" in schema and not name.startswith("Body_"):
            schema["properties"]["added_later"] = {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "title": "Added Later",
            }
    schemas["WidgetShape"] = {"type": "string", "enum": ["round", "square"], "title": "WidgetShape"}
    schemas["Widget"] = {
        "properties": {
            "id": {"type": "string", "title": "Id"},
            "shape": {"$ref": "#/components/schemas/WidgetShape"},
            "size": {"anyOf": [{"type": "integer"}, {"type": "null"}], "title": "Size"},
        },
        "type": "object",
        "required": ["id", "shape"],
        "title": "Widget",
    }
    s.setdefault("tags", []).append({"name": "Widgets", "description": "A tag added later"})
    s["paths"]["/widgets/{widget_id}"] = {
        "get": {
            "tags": ["Widgets"],
            "summary": "Get Widget",
            "operationId": "getWidget",
            "parameters": [
                {"name": "widget_id", "in": "path", "required": True,
                 "schema": {"type": "string", "title": "Widget Id"}},
                {"name": "verbose", "in": "query", "required": False,
                 "schema": {"type": "boolean", "default": False, "title": "Verbose"}},
            ],
            "responses": {
                "200": {"description": "Successful Response",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}}},
                "422": {"description": "Validation Error",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}},
            },
            "security": [{"APIKeyHeader": []}],
        }
    }
    return s


def main():
    spec = json.load(open(sys.argv[1], encoding="utf-8"))
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for name, doc in [("subset", subset(spec)), ("superset", superset(spec))]:
        with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
