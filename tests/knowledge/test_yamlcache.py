"""The store of parsed YAML files: same data as parsing, re-parses exactly the changed files, never runs code."""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

import pytest

from eligibility import load_rulebook
from knowledge import load_knowledge_base
from knowledge.yamlcache import ParsedFiles
from knowledge.yamlio import DuplicateKeyError, load_yaml

ROOT = Path(__file__).resolve().parents[2]

FILES = {
    "a/one.yaml": "plain: 泽州县\ndate: 2021-04-01\nint: 5000\nfloat: 0.5\nbools: [yes, off]\nnull:\nsexagesimal: 1:30\n",
    "a/two.yaml": "anchor: &a {x: [1, 2]}\nalias: *a\nstamp: 2021-04-01 10:00:00\n",
    "b/three.yaml": "- 一\n- 二\n",
}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    for name, text in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _load_all(folder: Path, cache: Path) -> tuple[dict[str, object], ParsedFiles]:
    paths = sorted(folder.glob("*/*.yaml"))
    with ParsedFiles(folder, len(paths), cache_root=cache, min_files=0) as parsed:
        data = {p.relative_to(folder).as_posix(): parsed.load(p) for p in paths}
    return data, parsed


def test_stored_data_are_the_parsed_data(tmp_path: Path) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    first, store = _load_all(folder, cache)
    assert store.parsed == 3 and store.path.exists()
    second, store = _load_all(folder, cache)
    assert store.parsed == 0  # nothing parsed again
    for name in FILES:
        assert repr(second[name]) == repr(first[name]) == repr(load_yaml(folder / name))  # types too (date, int)


def test_only_changed_files_are_parsed_again(tmp_path: Path) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    _load_all(folder, cache)
    (folder / "a/two.yaml").write_text("changed: 2\n", encoding="utf-8")
    data, store = _load_all(folder, cache)
    assert store.parsed == 1 and data["a/two.yaml"] == {"changed": 2}
    data, store = _load_all(folder, cache)
    assert store.parsed == 0 and data["a/two.yaml"] == {"changed": 2}


def test_a_file_that_does_not_parse_raises_as_before_and_is_not_stored(tmp_path: Path) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    bad = folder / "b/bad.yaml"
    bad.write_text("amount: 1\namount: 2\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DuplicateKeyError), ParsedFiles(folder, 4, cache_root=cache, min_files=0) as parsed:
            for path in sorted(folder.glob("*/*.yaml")):
                parsed.load(path)


def test_a_damaged_store_is_ignored(tmp_path: Path) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    _, store = _load_all(folder, cache)
    store.path.write_bytes(b"\x80\x05not a pickle")
    data, store = _load_all(folder, cache)
    assert store.parsed == 3 and data["b/three.yaml"] == ["一", "二"]


class _Boom:
    def __reduce__(self) -> tuple[object, tuple[str, ...]]:
        return (os.system, ("echo owned > /dev/null",))


def test_a_store_holding_code_is_refused_not_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    _, store = _load_all(folder, cache)
    store.path.write_bytes(pickle.dumps({"format": 1, "files": {"x": _Boom()}}))  # unpickling would call os.system
    calls: list[str] = []
    monkeypatch.setattr(os, "system", lambda command: calls.append(command))
    data, store = _load_all(folder, cache)
    assert calls == [] and store.parsed == 3 and data["a/one.yaml"]["plain"] == "泽州县"


def test_no_writable_cache_folder_still_loads(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    data, store = _load_all(folder, blocker)
    assert store.parsed == 3 and data["b/three.yaml"] == ["一", "二"]


def test_small_folders_keep_no_store(tmp_path: Path) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    with ParsedFiles(folder, 3, cache_root=cache) as parsed:  # the default threshold
        parsed.load(folder / "b/three.yaml")
    assert not parsed.enabled and not cache.exists()


def test_knowledge_base_and_rule_book_from_the_store_equal_parsed_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import synthetic_kb
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    synthetic_kb.generate(70, tmp_path / "kb")  # above the store's threshold (64 files)
    monkeypatch.setenv("INCENTIVES_CACHE_DIR", str(tmp_path / "cache"))

    def load() -> tuple[object, object]:
        kb = load_knowledge_base(policy_dir=tmp_path / "kb" / "policies")
        book = load_rulebook(tmp_path / "kb" / "rules", kb)
        return kb.policies, {pid: [c.award for c in awards] for pid, awards in book.awards.items()}

    parsed = load()
    assert len(list((tmp_path / "cache" / "parsed").iterdir())) == 2  # one store per folder
    assert load() == parsed


@pytest.mark.parametrize("offset", range(2, 12))
def test_a_store_with_a_damaged_length_field_is_ignored(tmp_path: Path, offset: int) -> None:
    """One changed byte in the frame header claims gigabytes: read from memory, it is only truncated."""
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    _, store = _load_all(folder, cache)
    raw = bytearray(store.path.read_bytes())
    raw[offset] = 0xFF
    store.path.write_bytes(bytes(raw))
    data, store = _load_all(folder, cache)
    assert data["b/three.yaml"] == ["一", "二"] and repr(data["a/one.yaml"]) == repr(load_yaml(folder / "a/one.yaml"))


def test_the_digest_and_the_data_come_from_one_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file rewritten while it is loaded: the stored data are those of the bytes that were hashed."""
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    path = folder / "b/three.yaml"
    real = Path.read_bytes

    def read_then_rewrite(self: Path) -> bytes:
        data = real(self)
        if self == path:
            path.write_text("- 改写\n", encoding="utf-8")  # after this read, before any other
        return data

    monkeypatch.setattr(Path, "read_bytes", read_then_rewrite)
    with ParsedFiles(folder, 3, cache_root=cache, min_files=0) as parsed:
        assert parsed.load(path) == ["一", "二"]
    monkeypatch.undo()
    path.write_text("- 一\n- 二\n", encoding="utf-8")  # the old bytes again: the store must give the old data
    data, _ = _load_all(folder, cache)
    assert data["b/three.yaml"] == ["一", "二"]


def test_one_policy_id_in_two_folders_is_refused(tmp_path: Path) -> None:
    import shutil

    from knowledge.base import POLICY_DIR, KnowledgeDataError

    shutil.copytree(POLICY_DIR, tmp_path / "policies")
    (tmp_path / "policies" / "other").mkdir()
    shutil.copy(POLICY_DIR / "zezhou" / "zzbf-2021-16.yaml", tmp_path / "policies" / "other" / "zzbf-2021-16.yaml")
    with pytest.raises(KnowledgeDataError, match="policy id 'zzbf-2021-16' is used twice"):
        load_knowledge_base(policy_dir=tmp_path / "policies")
