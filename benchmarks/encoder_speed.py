"""The sentence encoder's speed: ONNX Runtime, float and int8 (what serves), against the same pass in numpy.

Run with `make bench-encoder` (or `python -m benchmarks.encoder_speed`). Pinned to one core where
the OS allows, one BLAS and one runtime thread, as the bot runs. The three encoders are built in this
process and timed in turn, question by question, on the held-out staff questions
(`eval/heldout.yaml`), then on batches of corpus-length texts, so a noisy machine slows all
alike: the ratios are the result, the milliseconds only this machine's. The numpy pass is the
baseline (the bot's encoder before ONNX Runtime); it lives here, not in the bot.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import yaml
from threadpoolctl import threadpool_limits
from tokenizers import Tokenizer

from knowledge.embedding.encoder import MAX_TOKENS, Encoder
from knowledge.embedding.model_files import DIMENSIONS, ModelFiles, locate, read_safetensors

ROOT = Path(__file__).resolve().parent.parent
_HEADS = 12
_LAYERS = 6


class NumpyEncoder:
    """BERT's forward pass in numpy, float32, mean-pooled to unit vectors: the baseline."""

    def __init__(self, files: ModelFiles) -> None:
        weights = read_safetensors(files.weights)
        self._tokenizer = Tokenizer.from_file(str(files.tokenizer))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        self._words = weights["embeddings.word_embeddings.weight"]
        self._positions = weights["embeddings.position_embeddings.weight"]
        self._segment = weights["embeddings.token_type_embeddings.weight"][0]
        self._norm = _pair(weights, "embeddings.LayerNorm")
        self._layers = [_layer(weights, f"encoder.layer.{n}") for n in range(_LAYERS)]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        ids = [encoding.ids for encoding in self._tokenizer.encode_batch(list(texts))]
        length = max(len(row) for row in ids)
        tokens = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.zeros((len(ids), length), dtype=np.float32)
        for row, found in enumerate(ids):
            tokens[row, : len(found)], mask[row, : len(found)] = found, 1.0
        x = _layer_norm(self._words[tokens] + self._positions[:length] + self._segment, *self._norm)
        blocked = ((1.0 - mask) * np.float32(-1e4))[:, None, None, :]
        for layer in self._layers:
            x = _transform(x, layer, blocked)
        pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        unit: np.ndarray = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return unit


def _transform(x: np.ndarray, layer: dict[str, np.ndarray], blocked: np.ndarray) -> np.ndarray:
    batch, length, _ = x.shape
    size = DIMENSIONS // _HEADS
    qkv = (x @ layer["qkv"] + layer["qkv_bias"]).reshape(batch, length, 3, _HEADS, size).transpose(2, 0, 3, 1, 4)
    scores = qkv[0] @ qkv[1].transpose(0, 1, 3, 2) * np.float32(1 / np.sqrt(size)) + blocked
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    scores /= scores.sum(axis=-1, keepdims=True)
    context = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(batch, length, DIMENSIONS)
    x = _layer_norm(x + context @ layer["out"] + layer["out_bias"], layer["norm1_w"], layer["norm1_b"])
    hidden = _gelu(x @ layer["up"] + layer["up_bias"])
    return _layer_norm(x + hidden @ layer["down"] + layer["down_bias"], layer["norm2_w"], layer["norm2_b"])


def _gelu(x: np.ndarray) -> np.ndarray:
    """x * Phi(x), erf by Abramowitz and Stegun 7.1.26 (error < 1.5e-7), all float32."""
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
    gelu: np.ndarray = np.float32(0.5) * x * (np.float32(1.0) + np.sign(x) * erf)
    return gelu


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    centred = x - x.mean(axis=-1, keepdims=True)
    normed: np.ndarray = centred / np.sqrt((centred * centred).mean(axis=-1, keepdims=True) + np.float32(1e-12))
    return normed * weight + bias


def _pair(weights: dict[str, np.ndarray], prefix: str) -> tuple[np.ndarray, np.ndarray]:
    return weights[f"{prefix}.weight"], weights[f"{prefix}.bias"]


def _layer(weights: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    def weight(name: str) -> np.ndarray:
        return np.ascontiguousarray(weights[f"{prefix}.{name}.weight"].T)

    def bias(name: str) -> np.ndarray:
        return weights[f"{prefix}.{name}.bias"]

    parts = [f"attention.self.{part}" for part in ("query", "key", "value")]
    return {
        "qkv": np.ascontiguousarray(np.concatenate([weight(part) for part in parts], axis=1)),
        "qkv_bias": np.concatenate([bias(part) for part in parts]),
        "out": weight("attention.output.dense"),
        "out_bias": bias("attention.output.dense"),
        "norm1_w": weights[f"{prefix}.attention.output.LayerNorm.weight"],
        "norm1_b": weights[f"{prefix}.attention.output.LayerNorm.bias"],
        "up": weight("intermediate.dense"),
        "up_bias": bias("intermediate.dense"),
        "down": weight("output.dense"),
        "down_bias": bias("output.dense"),
        "norm2_w": weights[f"{prefix}.output.LayerNorm.weight"],
        "norm2_b": weights[f"{prefix}.output.LayerNorm.bias"],
    }


def alternately(
    encoders: Sequence[Callable[[Sequence[str]], np.ndarray]], batches: Sequence[Sequence[str]]
) -> tuple[list[list[float]], list[float]]:
    """Milliseconds each encoder took for each batch, timed in turn, and each encoder's lowest cosine
    to the first encoder's vectors."""
    taken: list[list[float]] = [[] for _ in encoders]
    lowest = [1.0] * len(encoders)
    for batch in batches:
        reference = None
        for position, encode in enumerate(encoders):
            started = time.perf_counter()
            vectors = encode(batch)
            taken[position].append((time.perf_counter() - started) * 1000)
            reference = vectors if reference is None else reference
            lowest[position] = min(lowest[position], float((vectors * reference).sum(axis=1).min()))
    return taken, lowest


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=400)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    files = locate()
    names = ("numpy pass (baseline)", "ONNX Runtime, float", "ONNX Runtime, int8 (served)")
    encoders = [NumpyEncoder(files).encode, Encoder(files, quantized=False).encode, Encoder(files).encode]
    everything = [item["q"] for item in yaml.safe_load((ROOT / "eval" / "heldout.yaml").read_text(encoding="utf-8"))]
    questions = everything[: args.questions]
    with threadpool_limits(limits=1, user_api="blas"):
        alternately(encoders, [[q] for q in questions[:20]])  # warm up all three
        one, one_lowest = alternately(encoders, [[q] for q in questions])
        # Corpus texts (answers' passages run to about 60 words) are encoded in batches at build.
        passages = [" ".join(everything[i : i + 4]) for i in range(0, len(everything), 4)]
        batches = [passages[i : i + 64] for i in range(0, len(passages) - 63, 64)] or [passages]
        batched, batch_lowest = alternately(encoders, batches)

    print(f"one question at a time ({len(questions)} held-out questions):")
    for name, ms, lowest in zip(names, one, one_lowest, strict=True):
        cuts = statistics.quantiles(ms, n=100)
        print(
            f"  {name:<28} p50 {cuts[49]:6.2f} ms  p90 {cuts[89]:6.2f} ms  p99 {cuts[98]:6.2f} ms  "
            f"mean {statistics.mean(ms):6.2f} ms  x{statistics.mean(ms) / statistics.mean(one[0]):.2f}  "
            f"lowest cosine to the baseline {lowest:.5f}"
        )
    print(f"batches of {len(batches[0])} passages of four questions ({len(batches)} batches):")
    for name, ms, lowest in zip(names, batched, batch_lowest, strict=True):
        mean = statistics.mean(ms)
        print(
            f"  {name:<28} {mean:7.1f} ms a batch  x{mean / statistics.mean(batched[0]):.2f}  "
            f"lowest cosine to the baseline {lowest:.5f}"
        )


if __name__ == "__main__":
    main()
