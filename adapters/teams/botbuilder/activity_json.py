"""An outgoing botbuilder Activity as the JSON msrest would send, without msrest's walk.

msrest serialises a request body in two passes over the whole model: it first rebuilds the model
from itself (in case it was given a dict), then walks it again to write JSON, looking up every
attribute's type by name and validating each value: about half a millisecond of CPU for an answer
card's reply, a tenth of what a turn holds the GIL for on botbuilder under load. `activity_body`
writes the same JSON in one pass over the attribute maps (about a sixth of the time); anything it
does not know exactly (a dict where a model is expected, a flattened key, a model with validation
rules) makes it give way to msrest.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from botbuilder.schema import Activity
from msrest.serialization import Model, Serializer

# msrest's own, kept to fall back on (and for tests to compare with).
MSREST_BODY = Serializer.body


class _Unsupported(Exception):
    """The value is not one this module writes exactly as msrest does."""


def activity_body(activity: Activity) -> dict[str, Any] | None:
    """The JSON msrest's `Serializer.body(activity, "Activity")` gives, or None when only msrest knows."""
    try:
        return _model(activity)
    except _Unsupported:
        return None


def _body(self: Serializer, data: Any, data_type: str, **kwargs: Any) -> Any:
    if data_type == "Activity" and type(data) is Activity and not kwargs:
        body = activity_body(data)
        if body is not None:
            return body
    return MSREST_BODY(self, data, data_type, **kwargs)


def speed_up_msrest_activity_bodies() -> None:
    """Outgoing activities are written by `activity_body`, others (and anything it declines) by msrest."""
    Serializer.body = _body  # type: ignore[method-assign]


def _model(model: Model) -> dict[str, Any]:
    kind = type(model)
    if getattr(kind, "_validation", None) or getattr(kind, "_subtype_map", None):
        raise _Unsupported  # constraints to check, or polymorphism: msrest's job
    written: dict[str, Any] = {}
    for attribute, description in kind._attribute_map.items():  # noqa: SLF001 - msrest models' schema
        key = description["key"]
        if attribute == "additional_properties" and key == "":
            extra = getattr(model, attribute, None)
            if extra:
                raise _Unsupported
            continue
        if "." in key or "\\" in key:
            raise _Unsupported  # a flattened key
        value = getattr(model, attribute)
        if value is not None:
            written[key] = _value(value, description["type"])
    return written


def _value(value: Any, kind: str) -> Any:
    if kind == "str":
        if isinstance(value, Enum):
            return value.value
        if type(value) is str:
            return value
        raise _Unsupported
    if kind == "bool":
        if type(value) is bool:
            return value
        raise _Unsupported
    if kind == "int" or kind == "float":
        if type(value) is int or type(value) is float:
            return float(value) if kind == "float" else int(value)
        raise _Unsupported
    if kind == "object":
        return _plain(value)
    if kind == "iso-8601":
        return Serializer.serialize_iso(value)
    if kind.startswith("[") and kind.endswith("]"):
        if type(value) is not list:
            raise _Unsupported
        return [_item(item, kind[1:-1]) for item in value]
    if kind.startswith("{") and kind.endswith("}"):
        if type(value) is not dict:
            raise _Unsupported
        return {key: _item(item, kind[1:-1]) for key, item in value.items()}
    if not isinstance(value, Model):
        raise _Unsupported  # a dict msrest would first read as the model
    # Any model is written by its own attribute map, as msrest does (a Mention where an Entity goes).
    return _model(value)


def _item(value: Any, kind: str) -> Any:
    if value is None:
        raise _Unsupported
    return _value(value, kind)


def plain_json(value: Any) -> Any:
    """A copy of `value` when it is plain JSON (dicts and lists of strings, numbers, booleans and
    None); TypeError or ValueError when it holds anything else (a model, a date...)."""
    return json.loads(json.dumps(value))


def _plain(value: Any) -> Any:
    """A free-form value (card content, channelData) that is plain JSON, copied; else msrest's job."""
    if type(value) in (dict, list):
        try:
            return plain_json(value)
        except (TypeError, ValueError):
            raise _Unsupported from None
    if type(value) in (str, bool, int, float):
        return value
    raise _Unsupported
