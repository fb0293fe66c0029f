"""Write rampart policy packs in Python.

A pack is a list of rules. A rule is data (id, title, severity, remediation,
compliance controls ...) plus one plain function that looks at a resource and
reports findings through a context. Navigating a document with `Node` keeps
track of the JSON Pointer of every value, so a finding points at the exact
line of the offending value without the rule building pointers by hand.

    from rampart_policy import Control, Pack, Severity

    pack = Pack("acme", "0.1.0", "ACME's house rules.")

    @pack.rule(
        id="ACME-001",
        title="Privileged container",
        severity=Severity.HIGH,
        description="A privileged container has every capability of the host.",
        remediation="Remove `privileged: true`.",
        compliance=[Control("CIS-Kubernetes-1.9", "5.2.1")],
        kinds=["k8s"],
    )
    def privileged(resource, cx):
        for container in resource.root["spec"]["containers"]:
            flag = container["securityContext"]["privileged"]
            if flag.value is True:
                name = container["name"].str or "?"
                cx.report(flag, f"container `{name}` runs privileged",
                          fix="set securityContext.privileged to false")

`rampart policy build` turns the module that defines `pack` (`rules.py`)
into a WebAssembly component with componentize-py; rules are plain Python, so
`rampart_policy.evaluate(pack, resources)` unit-tests them without building.

This module has no dependencies and runs on CPython 3.9 or later. Inside the
component there is no filesystem, network, environment or clock: `print`
goes to rampart's log (`rampart --verbose`).
"""

from __future__ import annotations

import json
import sys
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, List, Optional, Sequence, Tuple, Union

__all__ = [
    "Context",
    "Control",
    "Detector",
    "Finding",
    "Node",
    "Pack",
    "Resource",
    "Rule",
    "Severity",
    "escape_token",
    "evaluate",
]

#: The version of the `rampart:policy` world this module speaks.
ABI_VERSION = "0.1.1"


class Severity:
    """How bad a finding is, from least to most severe."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    ALL = (INFO, LOW, MEDIUM, HIGH, CRITICAL)


@dataclass(frozen=True)
class Control:
    """A control of a compliance framework, e.g. `CIS-Kubernetes-1.9` / `5.2.2`."""

    framework: str
    id: str


@dataclass(frozen=True)
class Detector:
    """Text the host is to find for a rule (secrets): a Rust `regex`
    `pattern` run natively on each text file holding one of `keywords`
    (compared without case; none: every text). A group named `secret`
    marks the value. Each match reaches the rule as a candidate of the
    file's `text` resource."""

    pattern: str
    keywords: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One rule: metadata plus the check, a function `(resource, cx) -> None`."""

    id: str
    title: str
    check: Callable[["Resource", "Context"], None]
    severity: str = Severity.MEDIUM
    description: str = ""
    help: str = ""
    help_uri: Optional[str] = None
    remediation: str = ""
    tags: Tuple[str, ...] = ()
    compliance: Tuple[Control, ...] = ()
    kinds: Tuple[str, ...] = ()
    detectors: Tuple[Detector, ...] = ()

    def applies_to(self, kind: str) -> bool:
        """Whether the rule looks at resources of `kind` (no kinds: every kind)."""
        return not self.kinds or kind in self.kinds


@dataclass
class Finding:
    """One problem found by a rule in a resource."""

    rule_id: str
    resource_id: str
    pointer: str
    message: str
    severity: Optional[str] = None
    fix: Optional[str] = None


class Pack:
    """A named, versioned list of rules.

    Rules are added with the `rule` decorator and kept in documentation
    order (the order they are defined in).
    """

    def __init__(self, name: str, version: str, description: str = "") -> None:
        self.name = name
        self.version = version
        self.description = description
        self.rules: List[Rule] = []

    def rule(
        self,
        id: str,
        title: str,
        severity: str = Severity.MEDIUM,
        description: str = "",
        help: str = "",
        help_uri: Optional[str] = None,
        remediation: str = "",
        tags: Sequence[str] = (),
        compliance: Sequence[Control] = (),
        kinds: Sequence[str] = (),
        detectors: Sequence[Detector] = (),
    ) -> Callable[[Callable[["Resource", "Context"], None]], Callable[["Resource", "Context"], None]]:
        """Declares the decorated function as the check of a new rule."""
        if severity not in Severity.ALL:
            raise ValueError(f"rule {id}: severity {severity!r} is not one of {', '.join(Severity.ALL)}")
        if any(r.id == id for r in self.rules):
            raise ValueError(f"rule {id} is declared twice")

        def register(check: Callable[["Resource", "Context"], None]) -> Callable[["Resource", "Context"], None]:
            self.rules.append(
                Rule(
                    id=id,
                    title=title,
                    check=check,
                    severity=severity,
                    description=description,
                    help=help,
                    help_uri=help_uri,
                    remediation=remediation,
                    tags=tuple(tags),
                    compliance=tuple(compliance),
                    kinds=tuple(kinds),
                    detectors=tuple(Detector(d.pattern, tuple(d.keywords)) for d in detectors),
                )
            )
            return check

        return register


def escape_token(token: str) -> str:
    """Escapes one JSON Pointer reference token (RFC 6901): `~` and `/`."""
    return token.replace("~", "~0").replace("/", "~1")


_MISSING = object()


class Node:
    """A value of a document together with its JSON Pointer.

    Indexing never raises: `node["a"]["b"][0]` on a document without `a` is
    a node that does not exist (`exists` is False, `value` is None) but still
    knows its pointer, so a rule can report where a missing setting belongs.
    Iterating a node yields the items of an array (nothing for anything
    else); `entries()` yields the members of an object.
    """

    __slots__ = ("_value", "_parent", "_token")

    def __init__(self, value: Any = _MISSING, parent: Optional["Node"] = None, token: str = "") -> None:
        self._value = value
        self._parent = parent
        self._token = token

    def __getitem__(self, key: Union[str, int]) -> "Node":
        value = self._value
        if isinstance(key, int) and not isinstance(key, bool):
            child = value[key] if isinstance(value, list) and 0 <= key < len(value) else _MISSING
            return Node(child, self, str(key))
        if isinstance(value, dict):
            return Node(value.get(key, _MISSING), self, key)
        return Node(_MISSING, self, str(key))

    get = __getitem__

    def at_pointer(self, pointer: str) -> "Node":
        """The node at an RFC 6901 pointer relative to this one (`/a/0/b`)."""
        node = self
        if pointer == "":
            return node
        for raw in pointer.lstrip("/").split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node._value, list) and token.isdigit():
                node = node[int(token)]
            else:
                node = node[token]
        return node

    @property
    def exists(self) -> bool:
        """Whether the document has a value here (JSON null counts)."""
        return self._value is not _MISSING

    @property
    def value(self) -> Any:
        """The plain Python value (dict, list, str, int, float, bool), None if missing."""
        return None if self._value is _MISSING else self._value

    @property
    def pointer(self) -> str:
        """The RFC 6901 JSON Pointer of this node (`""` is the document)."""
        tokens = []
        node: Optional[Node] = self
        while node is not None and node._parent is not None:
            tokens.append(escape_token(node._token))
            node = node._parent
        return "".join("/" + t for t in reversed(tokens))

    @property
    def str(self) -> Optional[str]:
        """The value if it is a string, else None."""
        return self._value if isinstance(self._value, str) else None

    @property
    def is_true(self) -> bool:
        """Whether the value is the boolean `true` (not merely truthy)."""
        return self._value is True

    @property
    def is_array(self) -> bool:
        return isinstance(self._value, list)

    @property
    def is_object(self) -> bool:
        return isinstance(self._value, dict)

    def __iter__(self) -> Iterator["Node"]:
        if isinstance(self._value, list):
            for i, item in enumerate(self._value):
                yield Node(item, self, str(i))

    def items(self) -> List["Node"]:
        """The items of an array (empty for anything else)."""
        return list(self)

    def entries(self) -> Iterator[Tuple[str, "Node"]]:
        """The members of an object, in document order (nothing for anything else)."""
        if isinstance(self._value, dict):
            for key, item in self._value.items():
                yield key, Node(item, self, key)

    def or_(self, fallback: "Node") -> "Node":
        """This node if it exists, else `fallback`."""
        return self if self.exists else fallback

    def __bool__(self) -> bool:
        # `if node:` would read as "is set" to some and "is true" to others;
        # both readings have bitten rule authors, so make them say which.
        raise TypeError("a Node has no truth value: use node.exists, node.is_true or node.value")

    def __repr__(self) -> str:
        shown = "<missing>" if self._value is _MISSING else repr(self._value)
        return f"Node({self.pointer!r}, {shown[:60]})"


class Resource:
    """One resource handed to a pack: what rampart collected, document parsed."""

    __slots__ = ("id", "kind", "source", "document")

    def __init__(self, id: str, kind: str, document: Any, source: str = "") -> None:
        self.id = id
        self.kind = kind
        self.source = source
        self.document = document

    @classmethod
    def from_json(cls, id: str, kind: str, text: str, source: str = "") -> "Resource":
        """A resource whose document is JSON text (what the host sends)."""
        return cls(id, kind, json.loads(text), source)

    @property
    def root(self) -> Node:
        """The whole document, as a Node at pointer `""`."""
        return Node(self.document)

    def at(self, pointer: str) -> Node:
        """The value at an RFC 6901 JSON Pointer (`/spec/containers/0`)."""
        return self.root.at_pointer(pointer)

    def __repr__(self) -> str:
        return f"Resource({self.id!r}, kind={self.kind!r})"


class Context:
    """The rule's view of the evaluation: where findings go, the whole batch
    (for rules that relate resources to each other) and the pack's settings."""

    __slots__ = ("rule", "resource", "batch", "settings", "_out")

    def __init__(self, rule: Rule, resource: Resource, batch: List[Resource], settings: Any, out: List[Finding]) -> None:
        self.rule = rule
        self.resource = resource
        #: Every resource of the batch (one file's, or one host's), this one included.
        self.batch = batch
        #: The pack's settings from rampart's configuration file (`{}` if none).
        self.settings = settings
        self._out = out

    def report(
        self,
        at: Union[Node, str],
        message: str,
        *,
        severity: Optional[str] = None,
        fix: Optional[str] = None,
    ) -> Finding:
        """Reports a finding of the current rule against the current resource,
        located at a Node or a JSON Pointer string."""
        if severity is not None and severity not in Severity.ALL:
            raise ValueError(f"severity {severity!r} is not one of {', '.join(Severity.ALL)}")
        pointer = at.pointer if isinstance(at, Node) else str(at)
        finding = Finding(self.rule.id, self.resource.id, pointer, str(message), severity, fix)
        self._out.append(finding)
        return finding


def evaluate(pack: Pack, resources: List[Resource], settings: Any = None) -> List[Finding]:
    """Runs every applicable rule on every resource, in order. For unit tests,
    and what the component does on each `evaluate` call."""
    settings = {} if settings is None else settings
    out: List[Finding] = []
    for resource in resources:
        for rule in pack.rules:
            if rule.applies_to(resource.kind):
                rule.check(resource, Context(rule, resource, resources, settings, out))
    return out


# --- the component side: used by `rampart policy build`, not by rule authors.


class _LogWriter:
    """A text stream that sends whole lines to the host's log, so `print`
    works although the component has no stdout of its own."""

    def __init__(self, level: Any, log: Callable[[Any, str], None]) -> None:
        self._level = level
        self._log = log
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            self._log(self._level, line)
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._log(self._level, self._pending)
            self._pending = ""

    def isatty(self) -> bool:
        return False


def _describe(error: BaseException) -> str:
    """The exception and where it was raised, innermost frame last.

    Not `traceback.format_exc`: that reads the source files to quote lines,
    and inside the component there are no files to read.
    """
    frames = [
        f'  File "{_relative(frame.f_code.co_filename)}", line {lineno}, in {frame.f_code.co_name}'
        for frame, lineno in traceback.walk_tb(error.__traceback__)
    ]
    kind = type(error).__name__
    text = f"{kind}: {error}" if str(error) else kind
    return "\n".join(["Traceback (most recent call last):", *frames[-8:], text])


def _relative(filename: str) -> str:
    # componentize-py stores the modules of each `-p` directory under `/<n>/`.
    parts = filename.split("/", 2)
    return parts[2] if len(parts) == 3 and parts[0] == "" and parts[1].isdigit() else filename


def detectors_component(pack: Pack) -> type:
    """The class componentize-py exports for `rampart:policy/detectors`: the
    detectors declared with the pack's rules."""
    from wit_world import exports  # type: ignore[import-not-found]
    from wit_world.exports import detectors as wit  # type: ignore[import-not-found]

    class _Detectors(exports.Detectors):  # type: ignore[misc, name-defined]
        def detectors(self) -> List[Any]:
            return [
                wit.Detector(rule_id=r.id, keywords=list(d.keywords), pattern=d.pattern)
                for r in pack.rules
                for d in r.detectors
            ]

    return _Detectors


def component(pack: Pack) -> type:
    """The class componentize-py exports for `rampart:policy/pack`.

    `rampart policy build` generates the app module
    `Pack = rampart_policy.component(rules.pack)`; the bindings (`wit_world`)
    exist only while componentize-py builds, so they are imported here.
    """
    from componentize_py_types import Err  # type: ignore[import-not-found]
    from wit_world import exports  # type: ignore[import-not-found]
    from wit_world.imports import host, types  # type: ignore[import-not-found]

    sys.stdout = _LogWriter(host.Level.INFO, host.log)
    sys.stderr = _LogWriter(host.Level.WARN, host.log)
    severities = {
        Severity.INFO: types.Severity.INFO,
        Severity.LOW: types.Severity.LOW,
        Severity.MEDIUM: types.Severity.MEDIUM,
        Severity.HIGH: types.Severity.HIGH,
        Severity.CRITICAL: types.Severity.CRITICAL,
    }
    settings_cache: List[Any] = []

    def settings() -> Any:
        # Constant for the life of the instance, and instances are reused.
        if not settings_cache:
            try:
                settings_cache.append(json.loads(host.settings()))
            except ValueError as e:
                raise Err(f"pack settings are not valid JSON: {e}")
        return settings_cache[0]

    class _Pack(exports.Pack):  # type: ignore[misc, name-defined]
        def metadata(self) -> Any:
            return types.PackInfo(
                name=pack.name,
                version=pack.version,
                description=pack.description,
                rules=[
                    types.Rule(
                        id=r.id,
                        title=r.title,
                        description=r.description,
                        severity=severities[r.severity],
                        help=r.help,
                        help_uri=r.help_uri,
                        remediation=r.remediation,
                        tags=list(r.tags),
                        compliance=[types.Control(framework=c.framework, id=c.id) for c in r.compliance],
                        kinds=list(r.kinds),
                    )
                    for r in pack.rules
                ],
            )

        def evaluate(self, resources: List[Any]) -> List[Any]:
            batch = []
            for r in resources:
                try:
                    batch.append(Resource.from_json(r.id, r.kind, r.document, r.source))
                except ValueError as e:
                    raise Err(f"resource `{r.id}`: document is not valid JSON: {e}")
            try:
                findings = evaluate(pack, batch, settings())
            except Err:
                raise
            except Exception as e:
                # An exception in a rule fails the batch with the traceback,
                # which rampart shows as the pack's error for these resources.
                raise Err(_describe(e))
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
            return [
                types.Finding(
                    rule_id=f.rule_id,
                    resource_id=f.resource_id,
                    pointer=f.pointer,
                    message=f.message,
                    severity=None if f.severity is None else severities[f.severity],
                    fix=f.fix,
                )
                for f in findings
            ]

    return _Pack
