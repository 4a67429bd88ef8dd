"""The sentence encoder: all-MiniLM-L6-v2 run by ONNX Runtime, without torch.

`Encoder.encode` turns texts into unit vectors whose dot product is their cosine similarity (the
model was trained so that texts meaning the same thing are close): the mean of the last layer's
token vectors (the pass itself is `knowledge.embedding.graph`). Runtime and BLAS are held to one
thread each: on a shared two-core machine default threading made one question about eight times
slower, and questions are already encoded in parallel by the dialogue's worker threads.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import onnxruntime
from threadpoolctl import threadpool_limits
from tokenizers import Tokenizer

from knowledge.embedding.graph import HIDDEN, INPUT_IDS, MASK, QUANTIZATION, bert_graph
from knowledge.embedding.model_files import DIMENSIONS, ModelFiles, read_safetensors
from knowledge.embedding.vectors import TokenVectors

MAX_TOKENS = 256
"""The model's own limit (sentence-transformers' max_seq_length); longer texts are cut."""
_EPSILON = np.float32(1e-12)
_BATCH = 16
_SPECIAL = np.array([101, 102], dtype=np.int64)
"""[CLS] and [SEP]: they stand for the whole text, not for any word of it."""


class Encoder:
    """Encodes texts as 384-dimensional unit vectors (float32): `quantized` (what the bot runs), with
    the linear layers' weights as 8-bit integers (`graph.QUANTIZATION`), else the float model."""

    def __init__(self, files: ModelFiles, *, quantized: bool = True) -> None:
        # Quantized weights give other vectors: a cached vector says which model made it.
        self.digest = f"{files.digest} {QUANTIZATION}" if quantized else files.digest
        self._tokenizer = Tokenizer.from_file(str(files.tokenizer))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only: its notices are not ours to act on
        graph = bert_graph(read_safetensors(files.weights), quantized=quantized)
        options.add_external_initializers(
            list(graph.weights), [onnxruntime.OrtValue.ortvalue_from_numpy(value) for value in graph.weights.values()]
        )
        self._session = onnxruntime.InferenceSession(graph.model, options, providers=["CPUExecutionProvider"])
        # One BLAS thread for the whole process: see the module docstring.
        self._threads = threadpool_limits(limits=1, user_api="blas")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit row per text, in order; shape (len(texts), DIMENSIONS)."""
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for positions, _, hidden, mask in self._passes(texts):
            vectors[positions] = _unit((hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True))
        return vectors

    def encode_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenVectors]]:
        """`encode(texts)`, and per text its word pieces (special tokens left out) with their
        vectors in context as unit rows: one pass gives both."""
        pooled = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        found: list[TokenVectors | None] = [None] * len(texts)
        for positions, ids, hidden, _ in self._passes(texts):
            for row, (index, text_ids) in enumerate(zip(positions, ids, strict=True)):
                vectors = hidden[row, : len(text_ids)]  # the text's own tokens, not the batch's padding
                pooled[index] = _unit(vectors.mean(axis=0))
                pieces = np.asarray(text_ids, dtype=np.int64)
                kept = ~np.isin(pieces, _SPECIAL)
                found[index] = TokenVectors(pieces[kept], _unit(vectors[kept]))
        return pooled, [pieces for pieces in found if pieces is not None]

    def _passes(self, texts: Sequence[str]) -> Iterator[tuple[list[int], list[list[int]], np.ndarray, np.ndarray]]:
        """The texts in passes of up to `_BATCH` of similar length (little of a pass is padding):
        per pass, the texts' positions, their token ids, the last layer's vectors and the mask."""
        ids = [encoding.ids for encoding in self._tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), _BATCH):
            positions = order[start : start + _BATCH]
            batch = [ids[i] for i in positions]
            hidden, mask = self._hidden(batch)
            yield positions, batch, hidden, mask

    def _hidden(self, batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """The last layer's token vectors of each text (padded to the longest) and the padding mask."""
        length = max(len(ids) for ids in batch)
        tokens = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0
        (hidden,) = self._session.run([HIDDEN], {INPUT_IDS: tokens, MASK: mask})
        return hidden, mask


def _unit(rows: np.ndarray) -> np.ndarray:
    unit: np.ndarray = rows / np.maximum(np.linalg.norm(rows, axis=-1, keepdims=True), _EPSILON)
    return unit
