"""Unit tests of the Python SDK, natively: `python3 -m unittest` in this directory."""

import unittest

from rampart_policy import Context, Control, Node, Pack, Resource, Severity, _LogWriter, evaluate


def deployment():
    return Resource(
        "k8s:Deployment/default/web",
        "k8s",
        {
            "kind": "Deployment",
            "metadata": {"name": "web", "annotations": {"a/b~c": "x"}},
            "spec": {"template": {"spec": {"containers": [{"name": "web", "securityContext": {"privileged": True}}]}}},
        },
        source="web.yaml",
    )


class NodeTests(unittest.TestCase):
    def test_pointers_follow_the_path_and_escape_tokens(self):
        root = deployment().root
        self.assertEqual(root.pointer, "")
        flag = root["spec"]["template"]["spec"]["containers"][0]["securityContext"]["privileged"]
        self.assertEqual(flag.pointer, "/spec/template/spec/containers/0/securityContext/privileged")
        self.assertTrue(flag.is_true)
        note = root["metadata"]["annotations"]["a/b~c"]
        self.assertEqual(note.pointer, "/metadata/annotations/a~1b~0c")
        self.assertEqual(deployment().at(note.pointer).str, "x")

    def test_missing_values_keep_their_pointer(self):
        missing = deployment().root["spec"]["replicas"]
        self.assertFalse(missing.exists)
        self.assertIsNone(missing.value)
        self.assertEqual(missing.pointer, "/spec/replicas")
        self.assertEqual(list(missing["x"]), [])
        self.assertEqual(missing[3].pointer, "/spec/replicas/3")
        self.assertFalse(deployment().root["metadata"]["name"][0].exists)

    def test_null_exists_and_or_falls_back(self):
        node = Node({"a": None})
        self.assertTrue(node["a"].exists)
        self.assertEqual(node["b"].or_(node["a"]).pointer, "/a")

    def test_iteration_and_entries(self):
        root = Node({"l": [1, 2], "o": {"k": "v"}})
        self.assertEqual([n.pointer for n in root["l"]], ["/l/0", "/l/1"])
        self.assertEqual([(k, n.pointer) for k, n in root["o"].entries()], [("k", "/o/k")])
        self.assertEqual(list(root["o"]), [])
        self.assertEqual(list(root["l"].entries()), [])

    def test_truthiness_is_refused(self):
        with self.assertRaises(TypeError):
            bool(Node({"a": False})["a"])


class PackTests(unittest.TestCase):
    def test_rules_run_in_order_on_their_kinds_with_the_batch(self):
        pack = Pack("t", "0.1.0")
        seen = []

        @pack.rule(id="T-1", title="one", kinds=["k8s"], compliance=[Control("CIS", "5.2.1")])
        def one(resource, cx):
            seen.append(("T-1", resource.id, len(cx.batch)))
            cx.report(resource.root["kind"], "kind", severity=Severity.HIGH, fix="f")

        @pack.rule(id="T-2", title="two", kinds=["dockerfile"])
        def two(resource, cx):
            seen.append(("T-2", resource.id))

        other = Resource("x", "terraform", {})
        findings = evaluate(pack, [deployment(), other])
        self.assertEqual(seen, [("T-1", "k8s:Deployment/default/web", 2)])
        self.assertEqual(len(findings), 1)
        f = findings[0]
        self.assertEqual((f.rule_id, f.resource_id, f.pointer, f.severity, f.fix), ("T-1", deployment().id, "/kind", "high", "f"))

    def test_declaration_mistakes_are_caught_early(self):
        pack = Pack("t", "0.1.0")
        pack.rule(id="T-1", title="one")(lambda r, cx: None)
        with self.assertRaises(ValueError):
            pack.rule(id="T-1", title="again")(lambda r, cx: None)
        with self.assertRaises(ValueError):
            pack.rule(id="T-2", title="bad", severity="severe")
        cx = Context(pack.rules[0], deployment(), [], {}, [])
        with self.assertRaises(ValueError):
            cx.report("", "m", severity="urgent")

    def test_settings_reach_the_rule(self):
        pack = Pack("t", "0.1.0")

        @pack.rule(id="T-1", title="one")
        def one(resource, cx):
            cx.report("", cx.settings["greeting"])

        [finding] = evaluate(pack, [deployment()], {"greeting": "hi"})
        self.assertEqual(finding.message, "hi")


class LogWriterTests(unittest.TestCase):
    def test_whole_lines_go_to_the_log(self):
        lines = []
        writer = _LogWriter("info", lambda level, text: lines.append((level, text)))
        print("a", 1, file=writer)
        writer.write("b")
        self.assertEqual(lines, [("info", "a 1")])
        writer.write("c\nd")
        writer.flush()
        self.assertEqual(lines, [("info", "a 1"), ("info", "bc"), ("info", "d")])


if __name__ == "__main__":
    unittest.main()
