// Write rampart policy packs in JavaScript.
//
// A pack is a list of rules. A rule is data (id, title, severity,
// remediation, compliance controls ...) plus one plain function that looks at
// a resource and reports findings through a context. Navigating a document
// with `Node` keeps track of the JSON Pointer of every value, so a finding
// points at the exact line of the offending value without the rule building
// pointers by hand.
//
//     import { Pack, Severity } from "./rampart_policy.js";
//
//     export const pack = new Pack({ name: "acme", version: "0.1.0",
//                                    description: "ACME's house rules." });
//
//     pack.rule({
//       id: "ACME-001",
//       title: "Privileged container",
//       severity: Severity.HIGH,
//       remediation: "Remove `privileged: true`.",
//       compliance: [{ framework: "CIS-Kubernetes-1.9", id: "5.2.1" }],
//       kinds: ["k8s"],
//     }, (resource, cx) => {
//       for (const container of resource.root.get("spec").get("containers")) {
//         const flag = container.get("securityContext").get("privileged");
//         if (flag.isTrue) {
//           cx.report(flag, `container \`${container.get("name").str}\` runs privileged`,
//                     { fix: "set securityContext.privileged to false" });
//         }
//       }
//     });
//
// `rampart policy build` turns the module that exports `pack` (`rules.js`)
// into a WebAssembly component with componentize-js; rules are plain
// JavaScript, so `evaluate(pack, resources)` unit-tests them under Node.js
// without building. Inside the component there is no filesystem, network or
// environment: `console.log` goes to rampart's log (`rampart --verbose`).

/** The version of the `rampart:policy` world this module speaks. */
export const ABI_VERSION = "0.1.1";

/** How bad a finding is, from least to most severe. */
export const Severity = Object.freeze({
  INFO: "info",
  LOW: "low",
  MEDIUM: "medium",
  HIGH: "high",
  CRITICAL: "critical",
});

const SEVERITIES = Object.values(Severity);

function checkSeverity(severity, what) {
  if (!SEVERITIES.includes(severity)) {
    throw new TypeError(`${what}: severity ${JSON.stringify(severity)} is not one of ${SEVERITIES.join(", ")}`);
  }
}

/** A named, versioned list of rules, in documentation order. */
export class Pack {
  constructor({ name, version, description = "" }) {
    this.name = name;
    this.version = version;
    this.description = description;
    this.rules = [];
    /** What the host finds in text for the rules: `{ ruleId, keywords, pattern }`. */
    this.detectors = [];
  }

  /**
   * Adds a rule: its metadata and its check, `(resource, cx) => void`.
   * Returns the pack, so rules can be chained.
   *
   * `meta.detectors` lists what the host is to find in text for the rule
   * (secrets): `{ keywords: ["ghp_"], pattern: "(?P<secret>ghp_[A-Za-z0-9]{36})" }`,
   * a Rust `regex` pattern run natively where a keyword occurs (compared
   * without case; no keywords: every text). Each match reaches the rule
   * as a candidate of the file's `text` resource.
   */
  rule(meta, check) {
    const rule = {
      id: meta.id,
      title: meta.title,
      severity: meta.severity ?? Severity.MEDIUM,
      description: meta.description ?? "",
      help: meta.help ?? "",
      helpUri: meta.helpUri,
      remediation: meta.remediation ?? "",
      tags: [...(meta.tags ?? [])],
      compliance: (meta.compliance ?? []).map(({ framework, id }) => ({ framework, id })),
      kinds: [...(meta.kinds ?? [])],
      check,
    };
    checkSeverity(rule.severity, `rule ${rule.id}`);
    if (typeof check !== "function") {
      throw new TypeError(`rule ${rule.id}: the check must be a function (resource, cx) => void`);
    }
    if (this.rules.some((r) => r.id === rule.id)) {
      throw new Error(`rule ${rule.id} is declared twice`);
    }
    for (const { keywords = [], pattern } of meta.detectors ?? []) {
      if (typeof pattern !== "string") {
        throw new TypeError(`rule ${rule.id}: a detector's pattern must be a string`);
      }
      this.detectors.push({ ruleId: rule.id, keywords: [...keywords], pattern });
    }
    this.rules.push(rule);
    return this;
  }
}

/** Escapes one JSON Pointer reference token (RFC 6901): `~` and `/`. */
export function escapeToken(token) {
  return String(token).replaceAll("~", "~0").replaceAll("/", "~1");
}

const MISSING = Symbol("missing");
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A value of a document together with its JSON Pointer.
 *
 * `get` never throws: `node.get("a").get("b").get(0)` on a document without
 * `a` is a node that does not exist (`exists` is false, `value` is
 * undefined) but still knows its pointer, so a rule can report where a
 * missing setting belongs. Iterating a node yields the items of an array
 * (nothing for anything else); `entries()` yields the members of an object.
 */
export class Node {
  #value;
  #parent;
  #token;

  constructor(value, parent = null, token = "") {
    this.#value = value;
    this.#parent = parent;
    this.#token = token;
  }

  /** The member `key` of an object, or the item at index `key` of an array. */
  get(key) {
    const value = this.#value;
    if (typeof key === "number") {
      const item = Array.isArray(value) && Number.isInteger(key) && key >= 0 && key < value.length ? value[key] : MISSING;
      return new Node(item, this, String(key));
    }
    const member = isObject(value) && hasOwn.call(value, key) ? value[key] : MISSING;
    return new Node(member, this, key);
  }

  /** The node at an RFC 6901 pointer relative to this one (`/a/0/b`). */
  atPointer(pointer) {
    if (pointer === "") return this;
    let node = this;
    for (const raw of pointer.replace(/^\//, "").split("/")) {
      const token = raw.replaceAll("~1", "/").replaceAll("~0", "~");
      node = Array.isArray(node.#value) && /^\d+$/.test(token) ? node.get(Number(token)) : node.get(token);
    }
    return node;
  }

  /** Whether the document has a value here (JSON null counts). */
  get exists() {
    return this.#value !== MISSING;
  }

  /** The plain value (object, array, string, number, boolean, null); undefined if missing. */
  get value() {
    return this.#value === MISSING ? undefined : this.#value;
  }

  /** The RFC 6901 JSON Pointer of this node (`""` is the document). */
  get pointer() {
    const tokens = [];
    for (let node = this; node.#parent !== null; node = node.#parent) {
      tokens.push(escapeToken(node.#token));
    }
    return tokens.reverse().map((t) => "/" + t).join("");
  }

  /** The value if it is a string, else undefined. */
  get str() {
    return typeof this.#value === "string" ? this.#value : undefined;
  }

  /** Whether the value is the boolean `true` (not merely truthy). */
  get isTrue() {
    return this.#value === true;
  }

  get isArray() {
    return Array.isArray(this.#value);
  }

  get isObject() {
    return isObject(this.#value);
  }

  *[Symbol.iterator]() {
    if (Array.isArray(this.#value)) {
      for (let i = 0; i < this.#value.length; i++) yield new Node(this.#value[i], this, String(i));
    }
  }

  /** The items of an array (empty for anything else). */
  items() {
    return [...this];
  }

  /** The members of an object as `[key, node]` pairs, in document order. */
  *entries() {
    if (isObject(this.#value)) {
      for (const key of Object.keys(this.#value)) yield [key, new Node(this.#value[key], this, key)];
    }
  }

  /** This node if it exists, else `fallback`. */
  or(fallback) {
    return this.exists ? this : fallback;
  }
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** One resource handed to a pack: what rampart collected, document parsed. */
export class Resource {
  constructor({ id, kind, source = "", document }) {
    this.id = id;
    this.kind = kind;
    this.source = source;
    this.document = document;
  }

  /** A resource whose document is JSON text (what the host sends). */
  static fromJson({ id, kind, source = "", document }) {
    return new Resource({ id, kind, source, document: JSON.parse(document) });
  }

  /** The whole document, as a Node at pointer `""`. */
  get root() {
    return new Node(this.document);
  }

  /** The value at an RFC 6901 JSON Pointer (`/spec/containers/0`). */
  at(pointer) {
    return this.root.atPointer(pointer);
  }
}

/**
 * The rule's view of the evaluation: where findings go, the whole batch
 * (for rules that relate resources to each other) and the pack's settings.
 */
export class Context {
  #out;

  constructor(rule, resource, batch, settings, out) {
    this.rule = rule;
    this.resource = resource;
    /** Every resource of the batch (one file's, or one host's), this one included. */
    this.batch = batch;
    /** The pack's settings from rampart's configuration file (`{}` if none). */
    this.settings = settings;
    this.#out = out;
  }

  /**
   * Reports a finding of the current rule against the current resource,
   * located at a Node or a JSON Pointer string. Options: `severity`, `fix`.
   */
  report(at, message, { severity, fix } = {}) {
    if (severity !== undefined) checkSeverity(severity, `rule ${this.rule.id}`);
    const finding = {
      ruleId: this.rule.id,
      resourceId: this.resource.id,
      pointer: at instanceof Node ? at.pointer : String(at),
      message: String(message),
      severity,
      fix: fix === undefined ? undefined : String(fix),
    };
    this.#out.push(finding);
    return finding;
  }
}

/**
 * Runs every applicable rule on every resource, in order. For unit tests,
 * and what the component does on each `evaluate` call.
 */
export function evaluate(pack, resources, settings = {}) {
  const out = [];
  for (const resource of resources) {
    for (const rule of pack.rules) {
      if (rule.kinds.length === 0 || rule.kinds.includes(resource.kind)) {
        rule.check(resource, new Context(rule, resource, resources, settings, out));
      }
    }
  }
  return out;
}

// --- the component side: used by `rampart policy build`, not by rule authors.

/**
 * The object componentize-js exports as `rampart:policy/detectors`: the
 * pack's detectors, declared with its rules.
 */
export function detectorsOf(pack) {
  return {
    detectors() {
      return pack.detectors.map(({ ruleId, keywords, pattern }) => ({ ruleId, keywords: [...keywords], pattern }));
    },
  };
}

/**
 * The object componentize-js exports as `rampart:policy/pack`, given the
 * pack and the imported `rampart:policy/host` interface. `rampart policy
 * build` generates the entry module that calls it.
 */
export function component(pack, host) {
  const write = (level) => (...args) => host.log(level, args.map(show).join(" "));
  // The component is built without stdio (that would import a filesystem):
  // the console writes to the host's log instead.
  globalThis.console = {
    log: write("info"),
    info: write("info"),
    debug: write("debug"),
    warn: write("warn"),
    error: write("error"),
  };
  let settings;
  return {
    metadata() {
      return {
        name: pack.name,
        version: pack.version,
        description: pack.description,
        rules: pack.rules.map(({ check, ...rule }) => rule),
      };
    },
    evaluate(resources) {
      try {
        settings ??= JSON.parse(host.settings());
      } catch (e) {
        throw `pack settings are not valid JSON: ${e.message}`;
      }
      const batch = resources.map((r) => {
        try {
          return Resource.fromJson(r);
        } catch (e) {
          throw `resource \`${r.id}\`: document is not valid JSON: ${e.message}`;
        }
      });
      try {
        return evaluate(pack, batch, settings);
      } catch (e) {
        // Thrown non-Error values become the `err` of the result: rampart
        // shows the message and stack as the pack's error for the batch.
        throw e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ""}`.trimEnd() : String(e);
      }
    },
  };
}

function show(value) {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
