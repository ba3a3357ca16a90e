"""Strict YAML loading shared by the knowledge base and the rule files.

PyYAML silently keeps the last of two equal keys; a rule file with two ``amount:``
keys would then change an award without anyone noticing. Like openfisca-core's
``dict_no_duplicate_constructor`` we refuse duplicate keys at load time.

Speed (the knowledge base and rule book at scale: 1,000 synthetic documents took 14 s and 9 s, nearly
all of it PyYAML's pure-Python scanner and parser): the file is parsed and composed into nodes by
libyaml (``yaml.CSafeLoader``) when the installed PyYAML has it, else by the pure-Python loader.
The nodes are then turned into Python objects by ``_build``, a direct walk that handles the plain
cases itself (strings, lists, mappings with the duplicate-key check) and hands every other node
(ints, dates, booleans, nulls, floats, unknown tags, merge keys) to PyYAML's own safe constructor, so
the data are those ``yaml.SafeLoader`` gives (tested on every shipped file against the plain
pure-Python loader). Aliases are constructed once per node, as PyYAML does.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

USES_LIBYAML = hasattr(yaml, "CSafeLoader")
_FastBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class DuplicateKeyError(ValueError):
    """A mapping in a YAML file repeats a key."""


def _duplicate(key: Any, key_node: Node) -> DuplicateKeyError:
    return DuplicateKeyError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")


def _construct_mapping(loader: Any, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise _duplicate(key, key_node)
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


class _PureStrictLoader(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, refusing duplicate keys (the reference behaviour)."""


class _FastStrictLoader(_FastBase):  # type: ignore[valid-type,misc]
    """libyaml's parser and composer (where available) with the same constructors.

    ``resolve`` answers plain text at once: PyYAML's implicit resolvers (int, float, bool, null,
    timestamp, …) are keyed by the scalar's first character, and a scalar whose first character
    starts none of them is a string — which is what ``Resolver.resolve`` returns for it too,
    after building two lists and a function call per scalar (a third of the load time).
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if _SHORTCUT and kind is ScalarNode and implicit[0] and value and value[0] not in _RESOLVER_FIRST_CHARS:
            return _STR
        tag: str = super().resolve(kind, value, implicit)
        return tag


# The shortcut holds while no wildcard (first character None) or path resolver is registered.
_SHORTCUT = None not in yaml.SafeLoader.yaml_implicit_resolvers and not yaml.SafeLoader.yaml_path_resolvers
_RESOLVER_FIRST_CHARS = frozenset(yaml.SafeLoader.yaml_implicit_resolvers)

for _loader in (_PureStrictLoader, _FastStrictLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _build(loader: Any, node: Node, memo: dict[int, Any]) -> Any:
    """``loader.construct_document(node)`` for safe data, without its per-node generic machinery."""
    cls, tag = node.__class__, node.tag
    if cls is ScalarNode and tag == _STR:
        return node.value
    done = memo.get(id(node))
    if done is not None:
        return done
    if cls is SequenceNode and tag == _SEQ:
        value: Any = [_build(loader, item, memo) for item in node.value]
    elif cls is MappingNode and tag == _MAP and not any(k.tag == "tag:yaml.org,2002:merge" for k, _ in node.value):
        value = {}
        for key_node, value_node in node.value:
            key = _build(loader, key_node, memo)
            if key in value:
                raise _duplicate(key, key_node)
            value[key] = _build(loader, value_node, memo)
    else:  # everything else exactly as PyYAML constructs it
        value = loader.construct_document(node)
    memo[id(node)] = value
    return value


def load_yaml(path: Path, *, pure: bool = False) -> Any:
    """Parse ``path`` as YAML, refusing duplicate keys (``pure``: PyYAML's pure-Python loader throughout).

    Raises:
        DuplicateKeyError: a mapping repeats a key.
        yaml.YAMLError: the file is not valid YAML.
    """
    with path.open(encoding="utf-8") as handle:
        return parse_yaml(handle, pure=pure)


def parse_yaml(stream: str | TextIO, *, pure: bool = False) -> Any:
    """``load_yaml`` of text already read (the parsed-file store parses exactly the bytes it hashed)."""
    if pure:
        return yaml.load(stream, Loader=_PureStrictLoader)
    loader = _FastStrictLoader(stream)
    try:
        node = loader.get_single_node()
        return None if node is None else _build(loader, node, {})
    finally:
        loader.dispose()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while many files are loaded, back on after.

    Loading builds millions of small objects that stay alive (nodes, dicts, the validated models),
    and each full collection on the way walks all of them again: at 3,000 synthetic documents the
    collector took ≈ 15% of the knowledge-base load and ≈ 30% of the rule book's (measured). The
    loaded data hold no reference cycles to free.

    On the way out the objects alive are moved to the collector's permanent generation
    (``gc.freeze``, made for long-lived data such as a server's): otherwise the first collections
    after loading walk them all once more (≈ 1 s of the rule book's load after the knowledge base's,
    at 3,000 documents). Frozen objects are still freed by reference counting when dropped. The
    freeze takes every object alive in the process, not only the loaded ones: cyclic garbage not
    yet collected at that moment is never freed. Loading happens once per process (at start-up or
    the first request), so that is a bounded, one-off cost, measured flat over repeated loads.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
