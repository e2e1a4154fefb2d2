"""Tests of scripts/update-spec and its change report (scripts/spec_diff.py).

Each folder of tests/spec-bumps/ is one case: `new.json` (compared with `base.json`, or
with the case's own `old.json`) and `expected.json`, which lists every change the report
must find as [level, kind, subject], the bump it implies for a 0.x crate, and text the
Markdown must show. A case's test fails on a missing, extra or misclassified change.

Run from the repository root: python3 -m unittest -v scripts/test_update_spec.py
"""
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURES = os.path.join(ROOT, "tests", "spec-bumps")
UPDATE_SPEC = os.path.join(HERE, "update-spec")
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import spec_diff  # noqa: E402

CRATE_VERSION = "0.3.1"
NEXT = {"minor": "0.4.0", "patch": "0.3.2", "none": "0.3.1"}


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, UPDATE_SPEC, *args], capture_output=True, text=True, cwd=cwd)


def sections(markdown):
    """{section heading: [bullet text]} of a rendered report."""
    out, current = {}, None
    for line in markdown.splitlines():
        if line.startswith("### "):
            current = line[4:]
            out[current] = []
        elif line.startswith("- ") and current:
            out[current].append(line[2:])
    return out


class FixtureCases(unittest.TestCase):
    """One test per folder of tests/spec-bumps/ (added below)."""

    def check_case(self, name):
        folder = os.path.join(FIXTURES, name)
        old_path = os.path.join(folder, "old.json")
        if not os.path.exists(old_path):
            old_path = os.path.join(FIXTURES, "base.json")
        new_path = os.path.join(folder, "new.json")
        expected = read_json(os.path.join(folder, "expected.json"))

        # The classification, through the command line's JSON output.
        proc = run("--report-only", old_path, new_path, "--json", "--crate-version", CRATE_VERSION)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        got = json.loads(proc.stdout)
        self.assertEqual(sorted(tuple(c[k] for k in ("level", "kind", "subject")) for c in got["changes"]),
                         sorted(tuple(c) for c in expected["changes"]),
                         f"{name}: {expected['description']}")
        self.assertEqual(got["bump"], expected["bump"], name)
        self.assertEqual(got["version"], NEXT[expected["bump"]], name)

        # The Markdown: heading, one bullet per change under its section, mentions.
        proc = run("--report-only", old_path, new_path, "--crate-version", CRATE_VERSION, "--date", "2030-01-02")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        md = proc.stdout
        if expected["bump"] == "none":
            self.assertTrue(md.startswith("## No API changes"), md)
            self.assertNotIn("### ", md)
        else:
            self.assertTrue(md.startswith(f"## [{NEXT[expected['bump']]}] - 2030-01-02\n"), md)
            self.assertIn(f"Version bump: {expected['bump']} ({CRATE_VERSION} -> {NEXT[expected['bump']]})", md)
        secs = sections(md)
        want = {}
        for c in got["changes"]:
            want.setdefault(spec_diff.SECTION[c["level"]], []).append(c["text"])
        self.assertEqual(secs, want, md)
        self.assertEqual(list(secs), [s for s in ("Breaking", "Added", "Changed") if s in secs])
        for text in expected.get("mentions", []):
            self.assertIn(text, md)


def _add_case_tests():
    for name in sorted(os.listdir(FIXTURES)):
        if os.path.isfile(os.path.join(FIXTURES, name, "expected.json")):
            def test(self, name=name):
                self.check_case(name)
            setattr(FixtureCases, "test_" + name.replace("-", "_"), test)


_add_case_tests()


class Fixtures(unittest.TestCase):
    def test_every_case_folder_is_complete(self):
        names = [n for n in os.listdir(FIXTURES) if os.path.isdir(os.path.join(FIXTURES, n))]
        self.assertGreaterEqual(len(names), 30)
        for n in names:
            for f in ("new.json", "expected.json"):
                self.assertTrue(os.path.isfile(os.path.join(FIXTURES, n, f)), f"{n}/{f}")

    def test_fixtures_are_valid_documents(self):
        for root, _, files in os.walk(FIXTURES):
            for f in files:
                if f in ("base.json", "old.json", "new.json"):
                    self.assertEqual(spec_diff.problems(read_json(os.path.join(root, f))), [], os.path.join(root, f))

    def test_every_change_kind_of_the_brief_is_covered(self):
        kinds = set()
        for n in os.listdir(FIXTURES):
            p = os.path.join(FIXTURES, n, "expected.json")
            if os.path.isfile(p):
                kinds |= {(c[0], c[1]) for c in read_json(p)["changes"]}
        for k in [("added", "operation-added"), ("breaking", "operation-removed"),
                  ("breaking", "operation-renamed"), ("added", "parameter-added"),
                  ("breaking", "parameter-added"), ("breaking", "parameter-removed"),
                  ("added", "field-added"), ("breaking", "field-removed"), ("breaking", "field-added"),
                  ("breaking", "field-required-changed"), ("changed", "field-required-changed"),
                  ("breaking", "field-nullability-changed"), ("changed", "field-nullability-changed"),
                  ("breaking", "field-type-changed"), ("added", "enum-value-added"),
                  ("breaking", "enum-value-removed"), ("breaking", "content-type-changed"),
                  ("added", "schema-added"), ("breaking", "schema-removed")]:
            self.assertIn(k, kinds)


class Rules(unittest.TestCase):
    """Details of the report beyond the fixtures."""

    def setUp(self):
        self.base = read_json(os.path.join(FIXTURES, "base.json"))

    def keys(self, new):
        return sorted(c.key() for c in spec_diff.diff(self.base, new))

    def test_names_follow_the_generator(self):
        self.assertEqual(spec_diff.method_name("listWidgets"), "list_widgets")
        self.assertEqual(spec_diff.method_name("getHTTPStatus"), "get_httpstatus")
        self.assertEqual(spec_diff.type_name("HTTPValidationError"), "HttpValidationError")
        self.assertEqual(spec_diff.type_name("Body_uploadContent"), "BodyUploadContent")
        self.assertEqual(spec_diff.type_name("listWidgets") + spec_diff.type_name("sort_order"),
                         "ListWidgetsSortOrder")
        self.assertEqual(spec_diff.variant_name("in_progress"), "InProgress")
        self.assertEqual(spec_diff.variant_name("+1"), "Plus1")
        self.assertEqual(spec_diff.field_name("type"), "type_")
        self.assertEqual(spec_diff.field_name("createdAt"), "created_at")

    def test_integer_types_follow_the_type_generator(self):
        self.assertEqual(spec_diff.inner_type({"type": "integer"}, "X"), "i64")
        self.assertEqual(spec_diff.inner_type({"type": "integer", "minimum": 0}, "X"), "u64")
        self.assertEqual(spec_diff.inner_type({"type": "integer", "minimum": 1, "maximum": 999}, "X"), "NonZeroU64")
        self.assertEqual(spec_diff.inner_type({"type": "integer", "minimum": 0, "maximum": 999}, "X"), "i64")
        self.assertEqual(spec_diff.inner_type({"type": "integer", "format": "int32"}, "X"), "i32")

    def test_both_nullable_forms_are_the_same(self):
        new = copy.deepcopy(self.base)
        new["components"]["schemas"]["Widget"]["properties"]["size"] = {"type": ["integer", "null"], "title": "Size"}
        self.assertEqual(self.keys(new), [])

    def test_a_rename_with_other_changes_reports_both(self):
        new = copy.deepcopy(self.base)
        op = new["paths"]["/widgets/{widget_id}"]["get"]
        op["operationId"] = "fetchWidget"
        op["parameters"].append({"name": "verbose", "in": "query", "required": False, "schema": {"type": "boolean"}})
        self.assertEqual(self.keys(new), [("added", "parameter-added", "fetchWidget.verbose"),
                                          ("breaking", "operation-renamed", "getWidget->fetchWidget")])

    def test_a_multipart_body_is_reported_with_its_operation_only(self):
        new = copy.deepcopy(self.base)
        new["components"]["schemas"]["Body_uploadWidgetFile"]["properties"]["label"] = {"type": "string"}
        self.assertEqual(self.keys(new), [("added", "parameter-added", "uploadWidgetFile.label")])

    def test_a_reference_to_another_type_is_a_type_change(self):
        new = copy.deepcopy(self.base)
        new["paths"]["/widgets/{widget_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
            "$ref": "#/components/schemas/WidgetStatus"}
        self.assertEqual(self.keys(new), [("breaking", "response-type-changed", "getWidget")])

    def test_bumps(self):
        added = [spec_diff.Change("added", "x", "y", "z")]
        breaking = [spec_diff.Change("breaking", "x", "y", "z")]
        self.assertEqual(spec_diff.bump_kind(breaking, "0.1.0"), "minor")
        self.assertEqual(spec_diff.bump_kind(added, "0.1.0"), "patch")
        self.assertEqual(spec_diff.bump_kind(breaking, "1.2.3"), "major")
        self.assertEqual(spec_diff.bump_kind(added, "1.2.3"), "minor")
        self.assertEqual(spec_diff.bump_kind([], "0.1.0"), "none")
        self.assertEqual(spec_diff.next_version("0.1.0", "minor"), "0.2.0")
        self.assertEqual(spec_diff.next_version("0.1.9", "patch"), "0.1.10")
        self.assertEqual(spec_diff.next_version("1.2.3", "major"), "2.0.0")

    def test_default_crate_version_is_read_from_cargo_toml(self):
        import tomllib
        with open(os.path.join(ROOT, "Cargo.toml"), "rb") as f:
            version = tomllib.load(f)["package"]["version"]
        proc = run("--report-only", os.path.join(FIXTURES, "base.json"),
                   os.path.join(FIXTURES, "operation-removed", "new.json"), "--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(json.loads(proc.stdout)["version"], spec_diff.next_version(version, "minor"))


class UpdateSpec(unittest.TestCase):
    """The command on files in a temporary folder (no network: files stand in for URLs)."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="update-spec-")
        self.addCleanup(shutil.rmtree, self.tmp)
        self.vendored = os.path.join(self.tmp, "api-v2.json")
        shutil.copyfile(os.path.join(ROOT, "openapi", "api-v2.json"), self.vendored)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def vendored_bytes(self):
        with open(self.vendored, "rb") as f:
            return f.read()

    def test_the_vendored_spec_is_already_normalised(self):
        proc = run(self.vendored, "--spec", self.vendored, "--check", "--crate-version", "0.1.0", "--no-validate")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(proc.stdout.startswith("## No API changes (API 0.6.4)"), proc.stdout)

    def test_end_to_end_with_the_superset_variant(self):
        variants = os.path.join(self.tmp, "variants")
        subprocess.run([sys.executable, os.path.join(HERE, "spec_variants.py"), self.vendored, variants], check=True)
        superset = read_json(os.path.join(variants, "superset.json"))
        # Served without indentation and with non-ASCII text, as an upstream might.
        superset["info"]["version"] = "0.6.5"
        superset["info"]["description"] += " \u00e9t\u00e9 \u2013 \u2713"
        source = self.write("served.json", json.dumps(superset, separators=(",", ":")))
        before = self.vendored_bytes()

        check = run(source, "--spec", self.vendored, "--check", "--crate-version", "0.1.0", "--date", "2030-01-02",
                    "--no-validate")
        self.assertEqual(check.returncode, 1, check.stderr)
        self.assertEqual(self.vendored_bytes(), before, "--check must not write")

        proc = run(source, "--spec", self.vendored, "--crate-version", "0.1.0", "--date", "2030-01-02")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout, check.stdout)
        written = self.vendored_bytes()
        expected = (json.dumps(superset, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        self.assertEqual(written, expected)
        self.assertIn("\u00e9t\u00e9 \u2013 \u2713".encode("utf-8"), written)
        # The document's own key order is kept (FastAPI: openapi, info, servers, ...).
        self.assertEqual(list(json.loads(written))[:3], ["openapi", "info", "servers"])
        self.assertEqual(list(read_json(self.vendored)["paths"]), list(superset["paths"]))

        md = proc.stdout
        self.assertTrue(md.startswith("## [0.1.1] - 2030-01-02\n"), md[:200])
        self.assertIn("API 0.6.4 -> 0.6.5. Version bump: patch (0.1.0 -> 0.1.1)", md)
        secs = sections(md)
        self.assertNotIn("Breaking", secs)
        self.assertIn("`getWidget` (`GET /widgets/{widget_id}`): new method `Client::get_widget()`.", secs["Added"])
        self.assertIn("New type `types::Widget` (schema `Widget`).", secs["Added"])
        self.assertIn("New enum `types::WidgetShape` (schema `WidgetShape`).", secs["Added"])
        self.assertIn("API version 0.6.4 -> 0.6.5 (`meibel::spec::API_VERSION`).", secs["Changed"])

        # A re-run changes nothing, byte for byte.
        again = run(source, "--spec", self.vendored, "--crate-version", "0.1.0", "--no-validate")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(self.vendored_bytes(), written)
        self.assertTrue(again.stdout.startswith("## No API changes"), again.stdout[:200])
        self.assertEqual(run(source, "--spec", self.vendored, "--check", "--crate-version", "0.1.0",
                             "--no-validate").returncode, 0)

    def test_a_file_url_is_fetched_like_any_url(self):
        base = os.path.join(FIXTURES, "base.json")
        target = os.path.join(self.tmp, "vendored.json")
        shutil.copyfile(base, target)
        new = os.path.join(FIXTURES, "enum-value-added", "new.json")
        proc = run("file://" + os.path.abspath(new), "--spec", target, "--crate-version", "0.1.0")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("types::WidgetShape::Hexagon", proc.stdout)
        with open(target, "rb") as f:
            self.assertEqual(f.read(), (json.dumps(read_json(new), indent=2) + "\n").encode())

    def test_only_whitespace_differs_so_check_fails_but_nothing_is_reported(self):
        compact = self.write("compact.json", json.dumps(read_json(self.vendored)))
        shutil.copyfile(compact, self.vendored)
        source = os.path.join(ROOT, "openapi", "api-v2.json")
        proc = run(source, "--spec", self.vendored, "--check", "--crate-version", "0.1.0", "--no-validate")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertTrue(proc.stdout.startswith("## No API changes"))

    def test_bad_inputs_are_refused_and_nothing_is_written(self):
        before = self.vendored_bytes()
        cases = {
            "not-json.json": ("{", "not valid JSON"),
            "swagger.json": (json.dumps({"swagger": "2.0", "info": {}, "paths": {}}), "OpenAPI 3.x"),
            "no-components.json": (json.dumps({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                                               "paths": {}}), "components.schemas"),
            "duplicate.json": ('{"openapi": "3.1.0", "openapi": "3.0.0"}', "appears twice"),
            "no-operation-id.json": (json.dumps({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                                                 "paths": {"/a": {"get": {"responses": {}}}},
                                                 "components": {"schemas": {}}}), "no operationId"),
        }
        for name, (text, message) in cases.items():
            with self.subTest(name):
                proc = run(self.write(name, text), "--spec", self.vendored, "--crate-version", "0.1.0")
                self.assertEqual(proc.returncode, 2, proc.stdout)
                self.assertIn(message, proc.stderr)
                self.assertEqual(proc.stdout, "")
                self.assertEqual(self.vendored_bytes(), before)
        proc = run(os.path.join(self.tmp, "missing.json"), "--spec", self.vendored, "--crate-version", "0.1.0")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("cannot read", proc.stderr)

    def test_a_crate_the_generated_code_would_need_is_named(self):
        target = os.path.join(self.tmp, "vendored.json")
        shutil.copyfile(os.path.join(FIXTURES, "base.json"), target)
        new = os.path.join(FIXTURES, "field-type-changed-string-format", "new.json")
        proc = run(new, "--spec", target, "--check", "--crate-version", "0.1.0", "--no-validate")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("the `uuid` crate (first needed by /components/schemas/Widget/properties/id)", proc.stderr)
        proc = run(os.path.join(FIXTURES, "enum-value-added", "new.json"), "--spec", target, "--check",
                   "--crate-version", "0.1.0", "--no-validate")
        self.assertNotIn("warning", proc.stderr)

    @unittest.skipUnless(os.access(os.path.join(ROOT, "tools", ".venv", "bin", "openapi-spec-validator"), os.X_OK),
                         "openapi-spec-validator not installed (bash scripts/test installs it)")
    def test_a_document_the_validator_rejects_is_not_written(self):
        doc = read_json(os.path.join(FIXTURES, "base.json"))
        doc["paths"]["/widgets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
            "$ref": "#/components/schemas/Missing"}
        before = self.vendored_bytes()
        proc = run(self.write("broken.json", json.dumps(doc)), "--spec", self.vendored, "--crate-version", "0.1.0")
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("fails OpenAPI validation", proc.stderr)
        self.assertEqual(self.vendored_bytes(), before)


if __name__ == "__main__":
    unittest.main()
