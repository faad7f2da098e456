"""Read and write numbers of a result by dotted path."""

from __future__ import annotations

from typing import Any

from schemas.paths import Format, number_paths

Number = int | float | None


def get_path(tree: dict[str, Any] | None, path: str) -> Any:
    node: Any = tree
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def set_path(tree: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    node = tree
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


def numbers(result: dict[str, Any], fmt: Format | None = None) -> dict[str, Number]:
    """Every contract number of a result dict, by dotted path, in document order."""
    fmt = fmt or (result.get("report") or {}).get("format")
    if fmt not in ("2021", "2019"):
        return {}
    return {p: get_path(result, p) for p in number_paths(fmt)}


def unflatten(values: dict[str, Any]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path, value in values.items():
        set_path(tree, path, value)
    return tree
