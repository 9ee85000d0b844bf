"""YAML that remembers where everything is: each mapping and list knows the line of each of
its keys and items, so a problem found later (by the schema or a cross-file check) can name
the line it is on. Also: splitting a week file into its front matter and its reading."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

# libyaml when present (several times faster); its nodes carry the same marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Map(dict):
    """A YAML mapping that knows its line and the line of each key (1-based, in the file)."""

    line: int = 0
    key_lines: dict[Any, int]


class Seq(list):
    """A YAML list that knows its line and the line of each item (1-based, in the file)."""

    line: int = 0
    item_lines: list[int]


class YamlFailure(Exception):
    """The text is not valid YAML; ``line`` is where the parser gave up (if known)."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    def __init__(self, stream: str, line_offset: int = 0):
        super().__init__(stream)
        self.line_offset = line_offset
        self.duplicate_keys: list[tuple[str, int]] = []

    def node_line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.line_offset


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Map:
    loader.flatten_mapping(node)
    m = Map()
    m.line = loader.node_line(node)
    m.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) or key is None:
            key = str(key)
        if key in m:
            loader.duplicate_keys.append((str(key), loader.node_line(key_node)))
        m[key] = loader.construct_object(value_node, deep=True)
        m.key_lines[key] = loader.node_line(key_node)
    return m


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> Seq:
    s = Seq()
    s.line = loader.node_line(node)
    s.item_lines = []
    for child in node.value:
        s.append(loader.construct_object(child, deep=True))
        s.item_lines.append(loader.node_line(child))
    return s


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def parse_yaml(text: str, line_offset: int = 0) -> tuple[Any, list[tuple[str, int]]]:
    """(data, duplicate keys as (key, line)); raises :class:`YamlFailure`.

    ``line_offset`` is added to every line: the front matter starts on line 2 of its file.
    """
    loader = _LineLoader(text, line_offset)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        raise YamlFailure(line, f"not valid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise YamlFailure(None, f"not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    return data, loader.duplicate_keys


def line_of(node: Any, key: Any = None) -> int | None:
    """Line of ``key`` in a mapping, of item ``key`` in a list, or of the node itself."""
    if isinstance(node, Map):
        if key is not None and key in node.key_lines:
            return node.key_lines[key]
        return node.line or None
    if isinstance(node, Seq):
        if isinstance(key, int) and 0 <= key < len(node.item_lines):
            return node.item_lines[key]
        return node.line or None
    return None


def line_at(data: Any, loc: Iterable[Any]) -> int | None:
    """The line of the deepest part of ``loc`` (a path of keys and list indexes, as in a
    pydantic error) that exists in ``data``: a missing key is reported on its mapping's line.
    Steps that name no key or item (a pydantic union branch, say) are passed over."""
    node, line = data, line_of(data)
    for step in loc:
        if isinstance(node, Map) and step in node:
            line, node = node.key_lines.get(step, line), node[step]
        elif isinstance(node, Seq) and isinstance(step, int) and 0 <= step < len(node):
            line, node = node.item_lines[step], node[step]
        elif _is_key(step):
            break  # the key or item is missing: its container's line is the place
    return line


def _is_key(step: Any) -> bool:
    # pydantic's union branch names look like "list[int]" or "literal['all']"
    return not (isinstance(step, str) and ("[" in step or step.startswith("function-")))


def split_front_matter(text: str) -> tuple[str, int, str, int] | None:
    """(front matter, its first line, body, body's first line) or None without front matter.

    Lines are 1-based line numbers in the file.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for n in range(1, len(lines)):
        if lines[n].strip() in ("---", "..."):
            return "".join(lines[1:n]), 2, "".join(lines[n + 1 :]), n + 2
    return None
