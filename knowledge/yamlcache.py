"""Parsed YAML kept between runs, so that a folder of thousands of policy or rule files is not parsed again.

At 3,000 synthetic documents (``benchmarks/bench_scale.py``) parsing the 6,000 policy and rule files
with libyaml took ≈ 11 s of every cold start, validating the parsed data ≈ 1 s. This store keeps
each file's parsed data keyed by the SHA-256 of its bytes (reading and hashing all 6,000 files:
≈ 0.2 s), one pickle per folder in the cache folder; a file whose bytes changed is parsed again,
and only the data of the files loaded this time are written back. The data are still validated
by the caller on every load, so a damaged store cannot break a rule's shape (it is as trusted as
the cache folder itself: whoever can write there can change data, as whoever can write the files).

Why pickle, and why by hand: the parsed data are plain containers, strings, numbers and dates
(``datetime.date``, which JSON and marshal do not carry); pickle loads them ≈ 10× faster than
libyaml parses them. No library keeps a parse cache of YAML files. Unpickling is restricted to
those types (``_PlainUnpickler``): a cache file is data, never code, even if someone else wrote it.

Small folders (the five shipped documents) are parsed directly: below ``MIN_FILES`` parsing costs
less than reading a cache would save.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from knowledge.cache import cache_dir_from_env
from knowledge.yamlio import parse_yaml

log = logging.getLogger(__name__)
FORMAT = 1
MIN_FILES = 64
_ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timedelta"), ("datetime", "timezone")}


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles plain data only: any class other than the date types above is refused."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def store_path(directory: Path, cache_root: Path | None = None) -> Path:
    """Where the store of ``directory``'s parsed files lives (in ``cache_root``, default the cache folder)."""
    root = cache_root if cache_root is not None else cache_dir_from_env()
    key = hashlib.sha256(str(directory.resolve()).encode("utf-8")).hexdigest()[:16]
    return root / "parsed" / f"{key}-v{FORMAT}.pickle"


class ParsedFiles:
    """``load(path)``: the file's parsed YAML, from the store when its bytes are unchanged.

    Use as a context manager around a folder's loading; the store is written on the way out (also
    after an error in a later file: what parsed, parsed). A store that cannot be read or written
    (no cache folder, a damaged or foreign file) is ignored: every file is then parsed.
    """

    def __init__(self, directory: Path, count: int, *, cache_root: Path | None = None, min_files: int = MIN_FILES):
        self.enabled = count >= min_files
        self.path = store_path(directory, cache_root)
        self._old: dict[str, Any] = self._read() if self.enabled else {}
        self._new: dict[str, Any] = {}
        self.parsed = 0  # files parsed this time (not found in the store)
        self.digests: dict[Path, str] = {}  # SHA-256 of every file loaded, store or not (the report's footer)

    def _read(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return {}
        except OSError as exc:
            log.warning("ignoring the parsed-file store %s: %s", self.path, exc)
            return {}
        try:  # from memory: a damaged length field reads as truncated, not as a huge allocation
            stored = _PlainUnpickler(io.BytesIO(raw)).load()
        except Exception as exc:  # only a cache: whatever is wrong with it, the files are parsed
            log.warning("ignoring the parsed-file store %s: %s", self.path, exc)
            return {}
        if not isinstance(stored, dict) or stored.get("format") != FORMAT or not isinstance(stored.get("files"), dict):
            return {}
        files: dict[str, Any] = stored["files"]
        return files

    def load(self, path: Path) -> Any:
        """Parsed data of ``path`` (raises as ``load_yaml`` does for a file that does not parse)."""
        raw = path.read_bytes()  # read once: the digest and the data are of the same bytes
        digest = self.digests[path] = hashlib.sha256(raw).hexdigest()
        if self.enabled and digest in self._old:
            data = self._new[digest] = self._old[digest]
            return data
        data = parse_yaml(raw.decode("utf-8"))
        if self.enabled:
            self._new[digest] = data
            self.parsed += 1
        return data

    def save(self) -> None:
        if not self.enabled or (self.parsed == 0 and self._new.keys() == self._old.keys()):
            return
        partial: Path | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f"{self.path.name}.", suffix=".partial", dir=self.path.parent)
            partial = Path(name)
            with os.fdopen(handle, "wb") as out:
                pickle.dump({"format": FORMAT, "files": self._new}, out, protocol=pickle.HIGHEST_PROTOCOL)
            partial.replace(self.path)  # atomic: a reader sees the whole store or the previous one
        except OSError as exc:
            log.warning("cannot write the parsed-file store %s: %s", self.path, exc)
            if partial is not None:
                with contextlib.suppress(OSError):
                    partial.unlink()

    def __enter__(self) -> ParsedFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.save()
