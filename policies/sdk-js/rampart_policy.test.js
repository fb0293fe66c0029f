// Unit tests of the JavaScript SDK, natively: `node --test` in this directory.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Context, Node, Pack, Resource, Severity, component, evaluate } from "./rampart_policy.js";

function deployment() {
  return new Resource({
    id: "k8s:Deployment/default/web",
    kind: "k8s",
    source: "web.yaml",
    document: {
      kind: "Deployment",
      metadata: { name: "web", annotations: { "a/b~c": "x" } },
      spec: { template: { spec: { containers: [{ name: "web", securityContext: { privileged: true } }] } } },
    },
  });
}

test("pointers follow the path and escape tokens", () => {
  const root = deployment().root;
  assert.equal(root.pointer, "");
  const flag = root.get("spec").get("template").get("spec").get("containers").get(0).get("securityContext").get("privileged");
  assert.equal(flag.pointer, "/spec/template/spec/containers/0/securityContext/privileged");
  assert.equal(flag.isTrue, true);
  const note = root.get("metadata").get("annotations").get("a/b~c");
  assert.equal(note.pointer, "/metadata/annotations/a~1b~0c");
  assert.equal(deployment().at(note.pointer).str, "x");
});

test("missing values keep their pointer", () => {
  const missing = deployment().root.get("spec").get("replicas");
  assert.equal(missing.exists, false);
  assert.equal(missing.value, undefined);
  assert.equal(missing.pointer, "/spec/replicas");
  assert.deepEqual([...missing.get("x")], []);
  assert.equal(missing.get(3).pointer, "/spec/replicas/3");
  assert.equal(deployment().root.get("metadata").get("name").get(0).exists, false);
  // Inherited properties are not members of the document.
  assert.equal(new Node({}).get("constructor").exists, false);
});

test("null exists and or() falls back", () => {
  const node = new Node({ a: null });
  assert.equal(node.get("a").exists, true);
  assert.equal(node.get("b").or(node.get("a")).pointer, "/a");
});

test("iteration and entries", () => {
  const root = new Node({ l: [1, 2], o: { k: "v" } });
  assert.deepEqual([...root.get("l")].map((n) => n.pointer), ["/l/0", "/l/1"]);
  assert.deepEqual([...root.get("o").entries()].map(([k, n]) => [k, n.pointer]), [["k", "/o/k"]]);
  assert.deepEqual(root.get("o").items(), []);
  assert.deepEqual([...root.get("l").entries()], []);
});

test("rules run in order on their kinds with the batch", () => {
  const pack = new Pack({ name: "t", version: "0.1.0" });
  const seen = [];
  pack
    .rule({ id: "T-1", title: "one", kinds: ["k8s"] }, (resource, cx) => {
      seen.push(["T-1", resource.id, cx.batch.length]);
      cx.report(resource.root.get("kind"), "kind", { severity: Severity.HIGH, fix: "f" });
    })
    .rule({ id: "T-2", title: "two", kinds: ["dockerfile"] }, (resource) => seen.push(["T-2", resource.id]));
  const findings = evaluate(pack, [deployment(), new Resource({ id: "x", kind: "terraform", document: {} })]);
  assert.deepEqual(seen, [["T-1", "k8s:Deployment/default/web", 2]]);
  assert.deepEqual(findings, [
    { ruleId: "T-1", resourceId: "k8s:Deployment/default/web", pointer: "/kind", message: "kind", severity: "high", fix: "f" },
  ]);
});

test("declaration mistakes are caught early", () => {
  const pack = new Pack({ name: "t", version: "0.1.0" });
  pack.rule({ id: "T-1", title: "one" }, () => {});
  assert.throws(() => pack.rule({ id: "T-1", title: "again" }, () => {}), /declared twice/);
  assert.throws(() => pack.rule({ id: "T-2", title: "bad", severity: "severe" }, () => {}), /severity/);
  assert.throws(() => pack.rule({ id: "T-3", title: "no check" }), /function/);
  const cx = new Context(pack.rules[0], deployment(), [], {}, []);
  assert.throws(() => cx.report("", "m", { severity: "urgent" }), /severity/);
});

test("the component adapter: metadata without checks, settings, errors as strings, console to the log", () => {
  const logged = [];
  const host = { log: (level, text) => logged.push([level, text]), settings: () => '{"greeting": "hi"}' };
  const pack = new Pack({ name: "t", version: "0.1.0", description: "d" });
  pack.rule({ id: "T-1", title: "one", compliance: [{ framework: "CIS", id: "1" }] }, (resource, cx) => {
    console.log("checking", resource.id, { n: 1 });
    if (resource.kind === "bad") throw new Error("boom");
    cx.report("", cx.settings.greeting);
  });
  const saved = globalThis.console;
  try {
    const exported = component(pack, host);
    const meta = exported.metadata();
    assert.equal(meta.rules[0].check, undefined);
    assert.deepEqual(meta.rules[0].compliance, [{ framework: "CIS", id: "1" }]);
    const [finding] = exported.evaluate([{ id: "r", kind: "k8s", source: "", document: "{}" }]);
    assert.equal(finding.message, "hi");
    assert.deepEqual(logged, [["info", 'checking r {"n":1}']]);
    assert.throws(
      () => exported.evaluate([{ id: "r", kind: "bad", source: "", document: "{}" }]),
      (e) => typeof e === "string" && e.startsWith("Error: boom"),
    );
    assert.throws(
      () => exported.evaluate([{ id: "r", kind: "k8s", source: "", document: "{" }]),
      (e) => typeof e === "string" && e.includes("document is not valid JSON"),
    );
  } finally {
    globalThis.console = saved;
  }
});
