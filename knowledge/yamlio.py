"""Strict YAML loading shared by the knowledge base and the rule files.

PyYAML silently keeps the last of two equal keys; a rule file with two ``amount:``
keys would then change an award without anyone noticing. Like openfisca-core's
``dict_no_duplicate_constructor`` we refuse duplicate keys at load time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class DuplicateKeyError(ValueError):
    """A mapping in a YAML file repeats a key."""


class _StrictLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            mark = key_node.start_mark
            raise DuplicateKeyError(f"duplicate key {key!r} at line {mark.line + 1}")
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Any:
    """Parse ``path`` as YAML, refusing duplicate keys.

    Raises:
        DuplicateKeyError: a mapping repeats a key.
        yaml.YAMLError: the file is not valid YAML.
    """
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_StrictLoader)
