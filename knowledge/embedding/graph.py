"""all-MiniLM-L6-v2's forward pass as an ONNX graph, built in memory from the packaged weights.

The model package ships PyTorch's safetensors, not a graph, and torch stays out of the serving
environment; so the graph is written here, node by node, from BERT's definition (token, position
and segment embeddings, six layers of twelve-head self-attention and an exact-GELU feed-forward,
each with a residual and layer norm) and handed to ONNX Runtime. Nothing is written to disk: the
graph is rebuilt at every start from the verified weights, in well under a second.

Four fifths of a question's pass is spent in its linear layers' products (ONNX Runtime's profile),
so the graph that serves holds their weights as 8-bit integers (`QUANTIZATION`). The float graph
(`quantized=False`) reproduces the reference implementation's vectors; the quantized one is
measured against it (`make bench-encoder`, `tests/knowledge/embedding/test_encoder.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from knowledge.embedding.model_files import DIMENSIONS

INPUT_IDS = "input_ids"
"""int64 (batch, length): the tokenizer's ids, padded with 0."""
MASK = "mask"
"""float32 (batch, length): 1 for a token, 0 for padding (never attended to)."""
HIDDEN = "hidden"
"""float32 (batch, length, 384): the last layer's token vectors."""

_HEADS = 12
_LAYERS = 6
_OPSET = 17  # the first with LayerNormalization
_IR_VERSION = 8  # what opset 17 needs; accepted by every ONNX Runtime that runs it
_RUNTIME_OPS = "com.microsoft"  # ONNX Runtime's own operators (MatMulNBits)
_BLOCK = 64
_CENTRE = 128

QUANTIZATION = f"int8, blocks of {_BLOCK}"
"""How the linear layers' weights are held when quantized: each run of `_BLOCK` input weights of an
output as 8-bit integers with its own scale (symmetric, so no weight is clipped), multiplied by
ONNX Runtime's `MatMulNBits` with the activations quantized per block too (`accuracy_level` 4): a
question's pass reads a quarter of the bytes and multiplies in integers. Over the held-out staff
questions the sentence vectors keep a cosine of 0.9995 (median; 0.997 at worst) to the float
model's. Blocks of 32 kept 0.998 at worst for a smaller gain, of 128 0.993 for a larger one
(`make bench-encoder`). To the vector cache they are another model (`Encoder.digest`)."""


@dataclass(frozen=True)
class Graph:
    """The serialised model without its weights, which the model declares as external data: they
    are handed to ONNX Runtime as arrays (`SessionOptions.add_external_initializers`), which copies
    them once when it makes the session, instead of 90 MB serialised into the model and parsed back."""

    model: bytes
    weights: dict[str, np.ndarray]
    """Each weight by the name the model gives it; not needed once the session is made."""


def bert_graph(weights: Mapping[str, np.ndarray], *, quantized: bool = True) -> Graph:
    """The ONNX model of the encoder whose safetensors tensors are `weights`; `quantized`, with the
    weights of its linear layers held as 8-bit integers (see `QUANTIZATION`)."""
    graph = _Builder(weights, quantized=quantized)
    x = graph.embeddings()
    padding = graph.padding()
    for layer in range(_LAYERS):
        x = graph.layer(f"encoder.layer.{layer}", x, padding)
    graph.node("Identity", [x], name=HIDDEN)
    inputs = [
        helper.make_tensor_value_info(INPUT_IDS, TensorProto.INT64, ["batch", "length"]),
        helper.make_tensor_value_info(MASK, TensorProto.FLOAT, ["batch", "length"]),
    ]
    outputs = [helper.make_tensor_value_info(HIDDEN, TensorProto.FLOAT, ["batch", "length", DIMENSIONS])]
    model = helper.make_model(
        helper.make_graph(graph.nodes, "all-MiniLM-L6-v2", inputs, outputs, graph.initializers),
        opset_imports=[helper.make_opsetid("", _OPSET), helper.make_opsetid(_RUNTIME_OPS, 1)],
    )
    model.ir_version = _IR_VERSION
    return Graph(model.SerializeToString(), graph.weights)


class _Builder:
    """Nodes and initializers of the graph being written; every intermediate gets a fresh name."""

    def __init__(self, weights: Mapping[str, np.ndarray], *, quantized: bool) -> None:
        self._weights = weights
        self._quantized = quantized
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.weights: dict[str, np.ndarray] = {}
        self._count = 0
        size = DIMENSIONS // _HEADS
        self._constant("one", np.array(1.0, dtype=np.float32))
        self._constant("blocked", np.array(-1e4, dtype=np.float32))
        self._constant("scale", np.array(1 / np.sqrt(size), dtype=np.float32))
        self._constant("root_two", np.array(np.sqrt(2), dtype=np.float32))
        self._constant("half", np.array(0.5, dtype=np.float32))
        self._constant("first", np.array([0], dtype=np.int64))
        self._constant("second", np.array([1], dtype=np.int64))
        self._constant("third", np.array([2], dtype=np.int64))
        self._constant("between", np.array([1, 2], dtype=np.int64))
        # 0 keeps the batch dimension as it is (Reshape's allowzero is off).
        self._constant("split_heads", np.array([0, -1, _HEADS, size], dtype=np.int64))
        self._constant("join_heads", np.array([0, -1, DIMENSIONS], dtype=np.int64))

    def node(self, op: str, inputs: list[str], *, name: str | None = None, **attributes: Any) -> str:
        self._count += 1
        output = name or f"{op.lower()}_{self._count}"
        self.nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output

    def embeddings(self) -> str:
        words = self._weight("embeddings.word_embeddings.weight")
        positions = self._weight("embeddings.position_embeddings.weight")
        # Every text is one segment: the first segment embedding is added to every token.
        segment = self._store("segment", self._weights["embeddings.token_type_embeddings.weight"][0])
        length = self.node("Slice", [self.node("Shape", [INPUT_IDS]), "second", "third"])
        x = self.node("Gather", [words, INPUT_IDS], axis=0)
        x = self.node("Add", [x, self.node("Slice", [positions, "first", length])])
        return self._norm("embeddings.LayerNorm", self.node("Add", [x, segment]))

    def padding(self) -> str:
        """What is added to every attention score: 0 for a token, a large negative for padding."""
        kept = self.node("Sub", ["one", MASK])
        return self.node("Unsqueeze", [self.node("Mul", [kept, "blocked"]), "between"])

    def layer(self, prefix: str, x: str, padding: str) -> str:
        query, key, value = (
            self.node(
                "Transpose",
                [self.node("Reshape", [self._linear(f"{prefix}.attention.self.{part}", x), "split_heads"])],
                perm=[0, 2, 1, 3],
            )
            for part in ("query", "key", "value")
        )
        scores = self.node("MatMul", [query, self.node("Transpose", [key], perm=[0, 1, 3, 2])])
        scores = self.node("Add", [self.node("Mul", [scores, "scale"]), padding])
        context = self.node("MatMul", [self.node("Softmax", [scores], axis=-1), value])
        context = self.node("Reshape", [self.node("Transpose", [context], perm=[0, 2, 1, 3]), "join_heads"])
        attended = self.node("Add", [x, self._linear(f"{prefix}.attention.output.dense", context)])
        x = self._norm(f"{prefix}.attention.output.LayerNorm", attended)
        hidden = self._gelu(self._linear(f"{prefix}.intermediate.dense", x))
        return self._norm(
            f"{prefix}.output.LayerNorm", self.node("Add", [x, self._linear(f"{prefix}.output.dense", hidden)])
        )

    def _linear(self, prefix: str, x: str) -> str:
        if self._quantized:
            return self._quantized_linear(prefix, x)
        # Stored as (out, in) for x @ W.T: transposed once here.
        weight = self._store(f"{prefix}.weight.T", self._weights[f"{prefix}.weight"].T)
        return self.node("Add", [self.node("MatMul", [x, weight]), self._weight(f"{prefix}.bias")])

    def _quantized_linear(self, prefix: str, x: str) -> str:
        weight = np.asarray(self._weights[f"{prefix}.weight"], dtype=np.float32)  # (out, in): one row per output
        outputs, inputs = weight.shape
        blocks = weight.reshape(outputs, inputs // _BLOCK, _BLOCK)
        scales = np.abs(blocks).max(axis=2) / (_CENTRE - 1)
        scales[scales == 0] = 1.0  # a block of zeros stays zeros whatever its scale
        codes = np.rint(blocks / scales[:, :, None]).astype(np.int16) + _CENTRE
        return self.node(
            "MatMulNBits",
            [
                x,
                self._store(f"{prefix}.weight.codes", codes.astype(np.uint8)),
                self._store(f"{prefix}.weight.scales", scales),
                self._store(f"{prefix}.weight.centres", np.full(scales.shape, _CENTRE, dtype=np.uint8)),
                "",  # no reordering of the input (g_idx)
                self._weight(f"{prefix}.bias"),
            ],
            domain=_RUNTIME_OPS,
            K=inputs,
            N=outputs,
            bits=8,
            block_size=_BLOCK,
            accuracy_level=4,
        )

    def _norm(self, prefix: str, x: str) -> str:
        weight, bias = self._weight(f"{prefix}.weight"), self._weight(f"{prefix}.bias")
        return self.node("LayerNormalization", [x, weight, bias], axis=-1, epsilon=1e-12)

    def _gelu(self, x: str) -> str:
        """BERT's exact GELU: x * (1 + erf(x / sqrt 2)) / 2."""
        erf = self.node("Erf", [self.node("Div", [x, "root_two"])])
        return self.node("Mul", [self.node("Mul", [x, self.node("Add", [erf, "one"])]), "half"])

    def _weight(self, name: str) -> str:
        return self._store(name, self._weights[name])

    def _store(self, name: str, value: np.ndarray) -> str:
        """A weight the model declares and ONNX Runtime is given separately (its data "external")."""
        kind = TensorProto.UINT8 if value.dtype == np.uint8 else TensorProto.FLOAT
        self.weights[name] = np.ascontiguousarray(value, dtype=np.uint8 if kind == TensorProto.UINT8 else np.float32)
        declared = TensorProto(name=name, data_type=kind, dims=value.shape)
        declared.data_location = TensorProto.EXTERNAL
        for key, text in (("location", "weights"), ("offset", "0"), ("length", str(value.nbytes))):
            entry = declared.external_data.add()
            entry.key, entry.value = key, text
        self.initializers.append(declared)
        return name

    def _constant(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name
