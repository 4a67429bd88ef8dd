"""A sentence encoder in numpy: all-MiniLM-L6-v2's forward pass, without torch.

`Encoder.encode` turns texts into unit vectors whose dot product is their cosine similarity (the
model was trained so that texts meaning the same thing are close). The pass is BERT's: token,
position and segment embeddings, six layers of twelve-head self-attention and a GELU
feed-forward, each with a residual and layer norm, then the mean of the token vectors.

Everything stays float32 (a float64 scalar anywhere makes numpy promote the whole pass and run
about three times slower), and BLAS is held to one thread: on a shared two-core machine the
default threading made one question about eight times slower.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits
from tokenizers import Tokenizer

from knowledge.embedding.model_files import DIMENSIONS, ModelFiles, read_safetensors
from knowledge.embedding.vectors import TokenVectors

MAX_TOKENS = 256
"""The model's own limit (sentence-transformers' max_seq_length); longer texts are cut."""
_HEADS = 12
_LAYERS = 6
_EPSILON = np.float32(1e-12)
_BATCH = 16
_SPECIAL = np.array([101, 102], dtype=np.int64)
"""[CLS] and [SEP]: they stand for the whole text, not for any word of it."""


@dataclass(frozen=True)
class _Layer:
    qkv: np.ndarray
    qkv_bias: np.ndarray
    attention_out: np.ndarray
    attention_out_bias: np.ndarray
    attention_norm: tuple[np.ndarray, np.ndarray]
    intermediate: np.ndarray
    intermediate_bias: np.ndarray
    output: np.ndarray
    output_bias: np.ndarray
    output_norm: tuple[np.ndarray, np.ndarray]


class Encoder:
    """Encodes texts as 384-dimensional unit vectors (float32)."""

    def __init__(self, files: ModelFiles) -> None:
        self.digest = files.digest
        weights = read_safetensors(files.weights)
        self._tokenizer = Tokenizer.from_file(str(files.tokenizer))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        self._words = weights["embeddings.word_embeddings.weight"]
        self._positions = weights["embeddings.position_embeddings.weight"]
        self._segment = weights["embeddings.token_type_embeddings.weight"][0]
        self._embedding_norm = _norm(weights, "embeddings.LayerNorm")
        self._layers = tuple(_layer(weights, f"encoder.layer.{n}") for n in range(_LAYERS))
        # One BLAS thread for the whole process: see the module docstring.
        self._threads = threadpool_limits(limits=1, user_api="blas")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit row per text, in order; shape (len(texts), DIMENSIONS)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        ids = [encoding.ids for encoding in self._tokenizer.encode_batch(list(texts))]
        vectors = np.empty((len(ids), DIMENSIONS), dtype=np.float32)
        # Similar lengths batched together, so little of each batch is padding.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), _BATCH):
            chosen = order[start : start + _BATCH]
            vectors[chosen] = self._encode_batch([ids[i] for i in chosen])
        return vectors

    def encode_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenVectors]]:
        """`encode(texts)`, and per text its word pieces (special tokens left out) with their
        vectors in context as unit rows: one pass gives both."""
        pooled = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        found: list[TokenVectors] = []
        for row, encoding in enumerate(self._tokenizer.encode_batch(list(texts))):
            hidden, _ = self._hidden([encoding.ids])
            pooled[row] = _unit(hidden[0].mean(axis=0))
            ids = np.asarray(encoding.ids, dtype=np.int64)
            kept = ~np.isin(ids, _SPECIAL)
            found.append(TokenVectors(ids[kept], _unit(hidden[0][kept])))
        return pooled, found

    def _encode_batch(self, batch: list[list[int]]) -> np.ndarray:
        x, mask = self._hidden(batch)
        return _unit((x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True))

    def _hidden(self, batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """The last layer's token vectors of each text (padded to the longest) and the padding mask."""
        length = max(len(ids) for ids in batch)
        tokens = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0
        x = self._words[tokens] + self._positions[:length] + self._segment
        x = _layer_norm(x, *self._embedding_norm)
        # Padding is never attended to: a large negative score before the softmax.
        blocked = ((1.0 - mask) * np.float32(-1e4))[:, None, None, :]
        for layer in self._layers:
            x = _transform(x, layer, blocked)
        return x, mask


def _transform(x: np.ndarray, layer: _Layer, blocked: np.ndarray) -> np.ndarray:
    batch, length, _ = x.shape
    size = DIMENSIONS // _HEADS
    qkv = x @ layer.qkv + layer.qkv_bias
    qkv = qkv.reshape(batch, length, 3, _HEADS, size).transpose(2, 0, 3, 1, 4)
    query, key, value = qkv[0], qkv[1], qkv[2]
    scores = query @ key.transpose(0, 1, 3, 2) * np.float32(1.0 / np.sqrt(size)) + blocked
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    scores /= scores.sum(axis=-1, keepdims=True)
    context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, length, DIMENSIONS)
    x = _layer_norm(x + context @ layer.attention_out + layer.attention_out_bias, *layer.attention_norm)
    hidden = _gelu(x @ layer.intermediate + layer.intermediate_bias)
    return _layer_norm(x + hidden @ layer.output + layer.output_bias, *layer.output_norm)


def _unit(rows: np.ndarray) -> np.ndarray:
    unit: np.ndarray = rows / np.maximum(np.linalg.norm(rows, axis=-1, keepdims=True), _EPSILON)
    return unit


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    normalised: np.ndarray = centred / np.sqrt(variance + _EPSILON) * weight + bias
    return normalised


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x), with erf by Abramowitz and Stegun 7.1.26 (error < 1.5e-7)."""
    z = np.abs(x) * np.float32(1 / np.sqrt(2))
    t = np.float32(1.0) / (np.float32(1.0) + np.float32(0.3275911) * z)
    poly = t * (
        np.float32(0.254829592)
        + t
        * (
            np.float32(-0.284496736)
            + t * (np.float32(1.421413741) + t * (np.float32(-1.453152027) + t * np.float32(1.061405429)))
        )
    )
    erf = np.float32(1.0) - poly * np.exp(-z * z)
    activated: np.ndarray = np.float32(0.5) * x * (np.float32(1.0) + np.sign(x) * erf)
    return activated


def _norm(weights: dict[str, np.ndarray], prefix: str) -> tuple[np.ndarray, np.ndarray]:
    return weights[f"{prefix}.weight"], weights[f"{prefix}.bias"]


def _layer(weights: dict[str, np.ndarray], prefix: str) -> _Layer:
    def linear(name: str) -> tuple[np.ndarray, np.ndarray]:
        # Stored as (out, in) for x @ W.T; transposed once here, contiguous for BLAS.
        return np.ascontiguousarray(weights[f"{prefix}.{name}.weight"].T), weights[f"{prefix}.{name}.bias"]

    query, key, value = (linear(f"attention.self.{part}") for part in ("query", "key", "value"))
    attention_out = linear("attention.output.dense")
    intermediate = linear("intermediate.dense")
    output = linear("output.dense")
    return _Layer(
        qkv=np.ascontiguousarray(np.concatenate([query[0], key[0], value[0]], axis=1)),
        qkv_bias=np.concatenate([query[1], key[1], value[1]]),
        attention_out=attention_out[0],
        attention_out_bias=attention_out[1],
        attention_norm=_norm(weights, f"{prefix}.attention.output.LayerNorm"),
        intermediate=intermediate[0],
        intermediate_bias=intermediate[1],
        output=output[0],
        output_bias=output[1],
        output_norm=_norm(weights, f"{prefix}.output.LayerNorm"),
    )
