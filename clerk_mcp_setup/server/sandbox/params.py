"""Reading query strings and JSON bodies the way Clerk does, and the list helpers every endpoint shares.

Bad input becomes the matching Clerk error (`form_param_*`, `malformed_request_parameters`)
instead of a Python exception, so clients see the same failure they would get from Clerk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from . import errors
from .contract import BODY_FIELDS, BOUNDS
from .records import JSONObject

T = TypeVar("T")

MAX_LIMIT = 500
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


class Query:
    """A parsed query string; array parameters may be sent as `name=a&name=b` or `name[]=a`."""

    def __init__(self, raw: str) -> None:
        self._pairs = parse_qsl(raw, keep_blank_values=True)

    def strings(self, name: str) -> list[str]:
        return [v for k, v in self._pairs if k in (name, f"{name}[]") and v != ""]

    def string(self, name: str) -> str | None:
        """The first value (Clerk keeps only the first of a repeated scalar such as `order_by`)."""
        values = self.strings(name)
        return values[0] if values else None

    def boolean(self, name: str) -> bool | None:
        value = self.string(name)
        if value is None:
            return None
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise errors.malformed_parameters(name)

    def integer(self, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
        value = self.string(name)
        if value is None:
            return None
        try:
            number = int(value)
        except ValueError:
            raise errors.malformed_parameters(name) from None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise errors.param_value_invalid(name, number)
        return number

    def limit(self) -> int:
        value = self.integer("limit", minimum=1, maximum=MAX_LIMIT)
        return 10 if value is None else value

    def offset(self) -> int:
        value = self.integer("offset", minimum=0)
        return 0 if value is None else value

    def enum(self, name: str, allowed: Sequence[str]) -> list[str]:
        """Every value of a repeatable enum parameter, each checked against the allowed set."""
        values = self.strings(name)
        for value in values:
            if value not in allowed:
                raise errors.param_value_invalid(name, value, list(allowed))
        return values

    def order_by(self, allowed: Iterable[str], default: str) -> tuple[str, bool]:
        """`±field` → (field, descending); a field Clerk does not sort by is a 422."""
        raw = self.string("order_by") or default
        descending = raw.startswith("-")
        field_name = raw.lstrip("+-")
        allowed = list(allowed)
        if field_name not in allowed:
            raise errors.param_value_invalid("order_by", raw, allowed)
        return field_name, descending


@dataclass
class Body:
    """A JSON request body (always an object; an empty body reads as `{}`)."""

    data: JSONObject

    def has(self, name: str) -> bool:
        return self.data.get(name) is not None

    def string(self, name: str, *, required: bool = False) -> str | None:
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise errors.param_type_invalid(name, "string")
        if required and not value.strip():
            raise errors.param_missing(name)
        return value

    def obj(self, name: str) -> JSONObject | None:
        value = self._get(name, False)
        if value is not None and not isinstance(value, dict):
            raise errors.param_type_invalid(name, "object")
        return value

    def boolean(self, name: str) -> bool | None:
        value = self._get(name, False)
        if value is not None and not isinstance(value, bool):
            raise errors.param_type_invalid(name, "boolean")
        return value

    def integer(self, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
        value = self._get(name, False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise errors.param_type_invalid(name, "integer")
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise errors.param_value_invalid(name, value)
        return value

    def _get(self, name: str, required: bool) -> Any:
        value = self.data.get(name)
        if value is None and required:
            raise errors.param_missing(name)
        return value


def split_signed(values: Iterable[str]) -> tuple[set[str], set[str]]:
    """Clerk's `+id`/`-id` list filters → (ids to include, ids to exclude); a bare id includes."""
    include: set[str] = set()
    exclude: set[str] = set()
    for value in values:
        if value.startswith("-"):
            exclude.add(value[1:])
        else:
            include.add(value.removeprefix("+"))
    return include, exclude


def signed_match(candidates: set[str], include: set[str], exclude: set[str]) -> bool:
    """Whether an object whose ids are `candidates` passes an include/exclude filter."""
    if include and not candidates & include:
        return False
    return not candidates & exclude


def sort_items(items: Iterable[T], key: Callable[[T], Any], descending: bool) -> list[T]:
    """Stable sort with missing values last in either direction; text compares case-insensitively."""

    def norm(item: T) -> Any:
        value = key(item)
        return value.casefold() if isinstance(value, str) else value

    present = [i for i in items if key(i) is not None]
    missing = [i for i in items if key(i) is None]
    present.sort(key=norm, reverse=descending)
    return present + missing


def contains(needle: str, *haystacks: str | None) -> bool:
    """Case-insensitive partial match, Clerk's `query` semantics."""
    wanted = needle.casefold()
    return any(h is not None and wanted in h.casefold() for h in haystacks)


def _outside(value: float, bounds: tuple[float | None, float | None]) -> bool:
    low, high = bounds
    return (low is not None and value < low) or (high is not None and value > high)


def check_contract(operation: str, query: Query, body: JSONObject | None) -> None:
    """Refuse what Clerk's spec refuses for `operation` (`"METHOD /path"`), before any handler runs: an unknown
    body field, a number outside its bounds (`limit=200` where the spec caps 100). The table is generated from
    the spec (contract.py), so a client drifting from the spec fails here as it would against Clerk."""
    known = BODY_FIELDS.get(operation)
    if body and known is not None:
        for name in body:
            if name not in known:
                raise errors.param_unknown(name)
    for where_name, bounds in BOUNDS.get(operation, {}).items():
        where, name = where_name.split(" ", 1)
        if where == "query":
            raw = query.string(name)
            try:
                value: Any = float(raw) if raw is not None else None
            except ValueError:
                continue  # the handler answers a malformed number in its own words
        else:
            value = (body or {}).get(name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
        if value is not None and _outside(value, bounds):
            shown = raw if where == "query" else value
            raise errors.param_value_invalid(name, shown)
