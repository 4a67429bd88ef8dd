"""The encoder gives all-MiniLM-L6-v2's vectors (batched or alone, with its word pieces; the float
model exactly, the quantized one that serves within a hair of it), and a damaged model is refused by
name."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from knowledge.embedding.encoder import Encoder
from knowledge.embedding.model_files import DIMENSIONS, PACKAGE, ModelError, locate, verified

# The first eight dimensions of the vectors of these sentences, computed with the reference
# implementation (transformers' BertModel in PyTorch, mean pooling, unit length).
REFERENCE = {
    "How do I report sickness?": [0.12434, 0.032871, -0.01059, 0.024075, 0.048561, 0.010892, 0.093192, 0.065776],
    "Can I wear my wedding ring on the ward?": [
        -0.026825,
        0.070049,
        -0.068882,
        -0.052696,
        -0.014457,
        -0.030102,
        0.02882,
        -0.052017,
    ],
}


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder(locate())


@pytest.fixture(scope="module")
def float_encoder() -> Encoder:
    return Encoder(locate(), quantized=False)


def test_the_float_model_matches_the_reference_implementation(float_encoder: Encoder) -> None:
    vectors = float_encoder.encode(list(REFERENCE))
    assert vectors.dtype == np.float32 and vectors.shape == (2, DIMENSIONS)
    for row, expected in zip(vectors, REFERENCE.values(), strict=True):
        np.testing.assert_allclose(row[:8], expected, atol=2e-5)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_the_quantized_model_that_serves_stays_within_a_hair_of_the_float_one(
    encoder: Encoder, float_encoder: Encoder
) -> None:
    texts = [
        *REFERENCE,
        "im on nights and feel rough, who do i ring before my shift",
        "Can I claim mileage for driving to a training course in another city?",
        "overtime",
    ]
    cosines = (encoder.encode(texts) * float_encoder.encode(texts)).sum(axis=1)
    assert cosines.min() > 0.998
    quantized_pieces = encoder.encode_tokens(texts)[1]
    float_pieces = float_encoder.encode_tokens(texts)[1]
    for ours, theirs in zip(quantized_pieces, float_pieces, strict=True):
        assert ours.ids.tolist() == theirs.ids.tolist()
        assert (ours.vectors * theirs.vectors).sum(axis=1).min() > 0.99
    # They are different models to the vector cache: neither's vectors are taken for the other's.
    assert encoder.digest != float_encoder.digest


def test_a_batch_gives_each_text_the_vector_it_gets_alone(encoder: Encoder) -> None:
    texts = ["short", "a much longer question about claiming mileage for a training course in another city"]
    together = encoder.encode(texts)
    for text, row in zip(texts, together, strict=True):
        np.testing.assert_allclose(encoder.encode([text])[0], row, atol=1e-5)


def test_word_pieces_come_with_the_sentence_vector_from_one_pass(encoder: Encoder) -> None:
    texts = ["How do I report sickness?", "parking"]
    pooled, pieces = encoder.encode_tokens(texts)

    np.testing.assert_allclose(pooled, encoder.encode(texts), atol=1e-5)
    report = pieces[0]
    # [CLS] and [SEP] stand for the whole text and are left out; every word piece has a unit row.
    assert report.ids.tolist() == encoder._tokenizer.encode(texts[0], add_special_tokens=False).ids  # noqa: SLF001
    assert report.vectors.shape == (len(report.ids), DIMENSIONS) and report.vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(report.vectors, axis=1), 1.0, atol=1e-5)
    # In context: "report" here is closer to "sickness" than "parking" is.
    sickness = report.vectors[report.ids.tolist().index(encoder._tokenizer.token_to_id("sickness"))]  # noqa: SLF001
    assert sickness @ report.vectors[3] > sickness @ pieces[1].vectors[0]


def test_texts_that_mean_the_same_are_closer_than_texts_that_do_not(encoder: Encoder) -> None:
    ill, ring, mileage = encoder.encode(
        [
            "I feel too poorly to come in today, who do I tell?",
            "How do I report sickness absence?",
            "What is the mileage rate?",
        ]
    )
    assert ill @ ring > ill @ mileage + 0.2


def test_a_long_text_is_cut_to_the_models_limit_not_refused(encoder: Encoder) -> None:
    (vector,) = encoder.encode(["overtime " * 2000])
    assert np.isfinite(vector).all()


def test_a_damaged_or_missing_model_file_is_refused_naming_the_package(tmp_path: Path) -> None:
    source = locate().weights.parent
    folder = Path(shutil.copytree(source, tmp_path / "model", ignore=shutil.ignore_patterns("model.safetensors")))
    with pytest.raises(ModelError, match=f"{PACKAGE}: model.safetensors is missing"):
        verified(folder)
    (folder / "model.safetensors").write_bytes((source / "model.safetensors").read_bytes()[:1000])
    with pytest.raises(ModelError, match=rf"{PACKAGE}: model.safetensors .* \(SHA-256 differs\)"):
        verified(folder)
