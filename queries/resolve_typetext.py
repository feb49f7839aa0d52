"""Type expressions read as text: the names a declared type says a value may be
(``Optional[A]``, ``A | B``, ``"A"``), a TypeScript union's members, what a Rust type is
read as, the element type of a container (``list[T]``, ``T[]``)."""

from __future__ import annotations

import re

from symbiote.queries.resolve_base import first_argument

_NONE = frozenset({"None", "null", "undefined", "nil", "void", "NoneType"})
# Wrappers whose argument is the type a value has (Optional[X] is an X, or nothing).
_TRANSPARENT = frozenset({"Optional", "Union", "Final", "ClassVar", "Annotated", "Type", "type"})
# TypeScript types that are no class: object and function types, literals, type operators
_NO_CLASS = re.compile(r"""^(?:[{"'`\d-]|(?:typeof|keyof|unique|infer|asserts)\s|.*=>)""")
_WORD = re.compile(r"[A-Za-z_$][\w$]*(?:\s*(?:\.|::)\s*[A-Za-z_$][\w$]*)*")


def type_names(text: str) -> list[str]:
    """The (dotted) names a type expression says a value may be: ``Optional[A]`` and
    ``A | None`` give A, ``Union[A, B]`` and ``A | B`` give both, ``"A"`` gives A,
    ``list[A]`` gives list (a list, not an A), ``*T``, ``&mut T`` give T."""
    text = text.strip().strip("\"'`").strip()
    names: list[str] = []
    depth = 0
    head = ""
    chunk = ""
    for char in text + "|":
        if char in "[<(":
            if depth == 0:
                head = chunk.strip()
            depth += 1
        elif char in "]>)":
            depth -= 1
        elif char in "|," and depth == 0:
            names += _one(head or chunk, chunk)
            head, chunk = "", ""
            continue
        chunk += char
    return [n for n in dict.fromkeys(names) if n and n not in _NONE]


def callable_result(text: str) -> str | None:
    """R of a Python ``Callable[..., R]`` (``typing.Callable[[A], R]``,
    ``t.Callable``): what calling a value of that type gives; None for another type."""
    text = text.strip()
    head, _, rest = text.partition("[")
    if head.rpartition(".")[2] != "Callable" or not rest.endswith("]"):
        return None
    depth = 0
    for i, char in enumerate(rest[:-1]):
        depth += (char in "[(") - (char in "])")
        if char == "," and depth == 0:
            return rest[i + 1 : -1].strip() or None
    return None


def ts_members(text: str) -> list[str]:
    """The members of a TypeScript union (both branches of a conditional type count),
    arrays (``T[]``), lookups (``T["k"]``), object, function and literal types left
    out: what a value of that type may be an instance of."""
    members: list[str] = []
    depth = 0
    chunk = ""
    for char in text + "|":
        if char in "[<({":
            depth += 1
        elif char in "]>)}" and not (char == ">" and chunk.endswith("=")):  # not `=>`
            depth -= 1
        elif char in "|?:" and depth == 0:
            if char == "?" and " extends " in chunk:
                chunk = ""  # the test of a conditional type is no member
                continue
            members.append(chunk.strip())
            chunk = ""
            continue
        chunk += char
    out = []
    for member in members:
        if member.startswith("(") and member.endswith(")"):
            out += ts_members(member[1:-1])
        elif member and not member.endswith("]") and not _NO_CLASS.match(member):
            out.append(member)
    return out


def ts_function_result(text: str) -> str | None:
    """The result of a TypeScript function type (``R`` of ``<T>(x?: T[]) => R``), or
    None when ``text`` is no function type."""
    text = text.strip()
    depth, seen_parameters = 0, False
    for i, char in enumerate(text):
        if char in "<([{":
            if depth == 0 and (seen_parameters or (char != "(" and (char != "<" or i > 0))):
                return None
            depth += 1
            seen_parameters = seen_parameters or (depth == 1 and char == "(")
        elif char in ">)]}" and not (char == ">" and text[i - 1 : i] == "="):
            depth -= 1
            if depth == 0 and char == ")":
                rest = text[i + 1 :].lstrip()
                if not rest.startswith("=>"):
                    return None
                return rest[2:].strip() or None
        elif depth == 0:
            return None
    return None


def _one(head: str, whole: str) -> list[str]:
    head = head.strip()
    if head.split(".")[-1] in _TRANSPARENT:  # look inside the brackets
        inner = whole[whole.find("[") + 1 : whole.rfind("]")] if "[" in whole else ""
        return type_names(inner) if inner else []
    head = head.lstrip("*&?!").rsplit("\\", 1)[-1]  # PHP `?\App\Cart` is a Cart
    match = _WORD.search(head.replace("mut ", "").replace("const ", ""))
    return [re.sub(r"\s+", "", match.group(0)).replace("::", ".")] if match else []


# Rust types whose values a method call reaches through (auto-deref), or that `?` and
# `unwrap()` open: their first type argument is what the value is taken to be.
_RUST_WRAPPERS = re.compile(r"^(?:[\w:]+::)?(?:Box|Rc|Arc|Cow|Option|Result)\s*<(.*)>$", re.S)
_RUST_PREFIX = re.compile(r"^(?:&\s*(?:'\w+\s*)?|mut\s+|dyn\s+|impl\s+|\*\s*(?:const|mut)\s+)")


def rust_type(text: str) -> str:
    """The type a Rust value of type ``text`` is read as: without references, pointers,
    ``dyn``/``impl`` and the wrappers (``&mut Box<dyn Store>`` -> ``Store``,
    ``Result<Self, E>`` -> ``Self``), and without ``+ Send`` bounds."""
    previous = None
    while text != previous:
        previous = text
        text = _RUST_PREFIX.sub("", text.strip()).strip()
        wrapped = _RUST_WRAPPERS.match(text)
        if wrapped:
            text = first_argument(wrapped.group(1))
    return text.split("+")[0].strip()


# Containers whose elements are of their (first) type argument, and mappings, whose
# elements are their keys (their `.values()` of the second).
_SEQUENCES = frozenset(
    {
        *("list", "List", "Sequence", "MutableSequence", "Iterable", "Iterator", "set", "Set"),
        *("frozenset", "FrozenSet", "AbstractSet", "MutableSet", "Collection", "Deque"),
        *("deque", "tuple", "Tuple", "Generator", "AsyncIterator", "AsyncIterable"),
        *("AsyncGenerator", "Array", "ReadonlyArray", "IterableIterator", "ReadonlySet"),
    }
)
_MAPPINGS = frozenset(
    {
        *("dict", "Dict", "Mapping", "MutableMapping", "OrderedDict", "DefaultDict"),
        *("defaultdict", "Map", "ReadonlyMap"),
    }
)
_GENERIC = re.compile(r"(?:readonly\s+)?([\w$.]+)\s*[\[<](.*)[\]>]", re.DOTALL)


def element_type(declared: str, view: str | None = None) -> str | None:
    """The type of an element of a container of type ``declared`` (``list[Item]``,
    ``Item[]``, ``Optional[Sequence[Item]]``: ``Item``); of its ``view`` (``values`` or
    ``keys``) for a mapping. None when the text says no container."""
    text = declared.strip().strip("\"'").strip()
    members = [m for m in split_top(text, "|") if m.strip() not in _NONE]
    if len(members) != 1:
        return None
    text = members[0].strip()
    if text.startswith("Optional[") and text.endswith("]"):
        return element_type(text[len("Optional[") : -1], view)
    if text.endswith("[]") and view in (None, "values"):
        return re.sub(r"^readonly\s+", "", text[:-2]).strip() or None
    match = _GENERIC.fullmatch(text)
    if match is None:
        return None
    name, arguments = match.group(1).rsplit(".", 1)[-1], split_top(match.group(2), ",")
    if name in _SEQUENCES and view is None and arguments:
        return arguments[0].strip() or None
    if name in _MAPPINGS and len(arguments) == 2 and (view or not name.endswith("Map")):
        # (a JavaScript Map's elements are [key, value] pairs)
        return arguments[1].strip() if view == "values" else arguments[0].strip()
    return None


def split_top(text: str, separator: str) -> list[str]:
    """The top-level parts of ``text`` between ``separator`` characters."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "[<({":
            depth += 1
        elif char in "]>)}":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


# Java's library containers, and their methods that give one of their elements (of the
# last type argument: a Map's value).
_CONTAINERS = frozenset(
    {
        *("Collection", "List", "ArrayList", "LinkedList", "Vector", "Stack", "Queue"),
        *("Deque", "ArrayDeque", "PriorityQueue", "Set", "SortedSet", "NavigableSet"),
        *("TreeSet", "Iterator", "ListIterator", "Optional", "Map", "HashMap"),
        *("LinkedHashMap", "TreeMap", "SortedMap", "NavigableMap", "ConcurrentMap"),
        *("ConcurrentHashMap", "Supplier", "Future", "CompletableFuture", "AtomicReference"),
    }
)
ELEMENT_CALLS = frozenset(
    {
        *("get", "getFirst", "getLast", "removeFirst", "removeLast", "poll"),
        *("pollFirst", "pollLast", "peek", "peekFirst", "peekLast", "pop", "element"),
        *("first", "last", "next", "previous", "orElse", "orElseThrow", "orElseGet", "join"),
        *("getOrDefault",),
    }
)
_JAVA_GENERIC = re.compile(r"(?:[\w$]+\.)*([\w$]+)\s*<(.*)>")


def container_element(declared: str | None, method: str) -> str | None:
    """The element type a call of ``method`` reads from a Java library container of a
    declared type: ``T`` of ``List<T>`` for ``get``, of ``Optional<T>`` for ``get``, of
    ``Map<K, T>`` for ``get``, of ``Iterator<T>`` for ``next``; None for anything else."""
    if declared is None or method not in ELEMENT_CALLS:
        return None
    match = _JAVA_GENERIC.fullmatch(declared.strip())
    if match is None or match.group(1) not in _CONTAINERS:
        return None
    arguments = [a.strip() for a in split_top(match.group(2), ",") if a.strip()]
    last = arguments[-1] if arguments else ""
    if last.startswith("?"):  # `? extends T`: a T
        last = last.partition(" extends ")[2].strip()
    return last or None


_JAVA_HEADING = re.compile(r"\b(?:class|interface|record|enum)\s+[\w$]+\s*")


def java_heading(signature: str | None) -> tuple[list[str], list[str]]:
    """A Java class's type parameters and bases, as written in its heading: ``class
    Nodes<T extends Node> extends ArrayList<T>`` gives ``(["T"], ["ArrayList<T>"])`` (a
    bound inside the type parameters is no base)."""
    heading = (signature or "").split("{", 1)[0]
    match = _JAVA_HEADING.search(heading)
    if match is None:
        return [], []
    rest = heading[match.end() :]
    params: list[str] = []
    if rest.startswith("<"):
        depth = 0
        for i, char in enumerate(rest):
            depth += (char == "<") - (char == ">")
            if depth == 0:
                params = [p.split()[0] for p in split_top(rest[1:i], ",") if p.split()]
                rest = rest[i + 1 :]
                break
    bases = re.sub(r"\b(?:extends|implements)\b", ",", rest)
    return params, [b.strip() for b in split_top(bases, ",") if b.strip()]


def generic_arguments(text: str) -> tuple[str, list[str]]:
    """The name and type arguments of a generic type: ``a.Nodes<Element>`` gives
    ``("Nodes", ["Element"])``, a plain ``Node`` ``("Node", [])``."""
    match = _JAVA_GENERIC.fullmatch(text.strip())
    if match is None:
        return text.strip().rsplit(".", 1)[-1], []
    return match.group(1), [a.strip() for a in split_top(match.group(2), ",") if a.strip()]
