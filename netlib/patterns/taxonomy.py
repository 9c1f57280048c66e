"""The taxonomy: Rogers' five behaviours and which event types express each.

``BEHAVIOURS`` is defined here and only here; ``taxonomy.yaml`` (beside this file) is the shipped default.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from netlib.errors import DataError, ParameterError, SchemaError

__all__ = ["BEHAVIOURS", "default_taxonomy", "load_taxonomy", "normalize_event_type"]


BEHAVIOURS: tuple[str, ...] = ("access", "engage", "customize", "connect", "collaborate")
"""Rogers' five behaviours, in ladder order (from the easiest to the most involved)."""

_IGNORE = "ignore"
_MISSING_TYPE = "<missing>"


def normalize_event_type(value: Any) -> str:
    """Normalise one event type for matching: lower case, trimmed, spaces and hyphens to underscores.

    >>> normalize_event_type("  Page View ")
    'page_view'
    >>> normalize_event_type("co-create")
    'co_create'
    """
    text = str(value).strip().lower()
    return "_".join(text.replace("-", " ").split())


def default_taxonomy() -> dict[str, str]:
    """netlib's shipped taxonomy (``netlib/patterns/taxonomy.yaml``) as ``{event_type: behaviour}``.

    Event types deliberately outside the five behaviours (logout, heartbeat, ...) map to ``"ignore"``.

    >>> tax = default_taxonomy()
    >>> tax["login"], tax["like"], tax["wishlist"], tax["share"], tax["idea_vote"]
    ('access', 'engage', 'customize', 'connect', 'collaborate')
    """
    return dict(_default_taxonomy_cached())


@functools.lru_cache(maxsize=1)
def _default_taxonomy_cached() -> dict[str, str]:
    text = resources.files("netlib.patterns").joinpath("taxonomy.yaml").read_text(encoding="utf-8")
    return _taxonomy_from_yaml_text(text, source="netlib/patterns/taxonomy.yaml")


def _taxonomy_from_yaml_text(text: str, *, source: str) -> dict[str, str]:
    import yaml

    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataError(f"taxonomy {source}: not valid YAML ({exc})") from exc
    if not isinstance(raw, Mapping):
        raise DataError(f"taxonomy {source}: expected a mapping (behaviour: [event types] or "
                        f"event_type: behaviour); found {type(raw).__name__}")
    return _taxonomy_from_mapping(raw, source=source)


def _taxonomy_from_mapping(raw: Mapping, *, source: str) -> dict[str, str]:
    valid = set(BEHAVIOURS) | {_IGNORE}
    grouped = bool(raw) and all(isinstance(v, (list, tuple, set, frozenset)) for v in raw.values())
    pairs: list[tuple[str, str]] = []
    if grouped:
        for behaviour, types in raw.items():
            for event_type in types:
                pairs.append((event_type, behaviour))
    else:
        for event_type, behaviour in raw.items():
            if isinstance(behaviour, (list, tuple, set, frozenset)):
                raise ParameterError(
                    f"taxonomy {source}: mixes the two forms; use either behaviour -> [event types] "
                    f"or event_type -> behaviour throughout (key {event_type!r})")
            pairs.append((event_type, _IGNORE if behaviour is None else behaviour))
    unknown = sorted({str(b) for _, b in pairs if normalize_event_type(b) not in valid})
    if unknown:
        raise ParameterError(
            f"taxonomy {source}: unknown behaviour name(s) {unknown}; expected one of "
            f"{list(BEHAVIOURS)} (or 'ignore' for event types that are not behavioural)")
    mapping: dict[str, str] = {}
    conflicts: dict[str, set[str]] = {}
    for event_type, behaviour in pairs:
        key = normalize_event_type(event_type)
        if not key:
            raise ParameterError(f"taxonomy {source}: an event type is empty")
        behaviour = normalize_event_type(behaviour)
        if key in mapping and mapping[key] != behaviour:
            conflicts.setdefault(key, {mapping[key]}).add(behaviour)
        mapping[key] = behaviour
    if conflicts:
        detail = "; ".join(f"{k!r} -> {sorted(v)}" for k, v in sorted(conflicts.items()))
        raise ParameterError(f"taxonomy {source}: event type(s) mapped to more than one behaviour: {detail}")
    return mapping


def _taxonomy_from_csv(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    fields = [normalize_event_type(f) for f in (reader.fieldnames or [])]
    if "event_type" not in fields or "behaviour" not in fields and "behavior" not in fields:
        raise SchemaError(
            f"taxonomy {path}: a CSV taxonomy needs the columns 'event_type' and 'behaviour'; "
            f"found {reader.fieldnames}", table="taxonomy", source=str(path))
    reader.fieldnames = fields
    beh_col = "behaviour" if "behaviour" in fields else "behavior"
    suggestions = "source" in fields  # a saved suggest_taxonomy table: an empty behaviour is "not decided"
    pairs = {}
    for lineno, row in enumerate(reader, start=2):
        event_type, behaviour = (row.get("event_type") or "").strip(), (row.get(beh_col) or "").strip()
        if not event_type:
            raise DataError(f"taxonomy {path}: line {lineno}: column 'event_type' is empty")
        if suggestions and not behaviour:
            continue
        if event_type in pairs and pairs[event_type] != behaviour:
            raise ParameterError(f"taxonomy {path}: event type {event_type!r} is mapped to more than one "
                                 f"behaviour: {sorted({pairs[event_type], behaviour})}")
        pairs[event_type] = behaviour or None
    return _taxonomy_from_mapping(pairs, source=str(path))


def _pairs_from_frame(frame: pd.DataFrame) -> dict[str, str]:
    """{event_type: behaviour} of a table such as suggest_taxonomy's; rows without a behaviour are skipped."""
    if "behaviour" not in frame.columns:
        raise SchemaError(f"taxonomy: a DataFrame taxonomy needs a 'behaviour' column; found {list(frame.columns)}",
                          table="taxonomy", column="behaviour", source="<DataFrame>")
    types = frame["event_type"] if "event_type" in frame.columns else frame.index.to_series()
    keep = frame["behaviour"].notna().to_numpy() & (types.astype(str).to_numpy() != _MISSING_TYPE)
    return {str(e): str(b) for e, b in zip(types.to_numpy()[keep], frame["behaviour"].to_numpy()[keep])}


def load_taxonomy(taxonomy: Mapping | pd.Series | pd.DataFrame | str | Path | None = None, *,
                  extend: bool = False) -> dict[str, str]:
    """Load and validate a taxonomy mapping event types to Rogers' five behaviours.

    Parameters
    ----------
    taxonomy : dict, pandas Series, DataFrame, path or None
        ``None``: the shipped default (:func:`default_taxonomy`). A mapping in either form,
        ``{event_type: behaviour}`` or ``{behaviour: [event types]}``. A path to a YAML file holding
        either form, or to a CSV file with columns ``event_type`` and ``behaviour``. Behaviour
        ``"ignore"`` (or ``None`` in the first form) marks event types that are deliberately not
        behavioural: they are reported as ignored rather than unmapped. A DataFrame with a
        ``behaviour`` column and the event types in its index or an ``event_type`` column (the table
        of :func:`netlib.suggest_taxonomy`, reviewed), or that table saved as CSV (it has a ``source``
        column): rows without a behaviour are left out, not ignored.
    extend : bool, default False
        Merge ``taxonomy`` over the default instead of replacing it (your entries win).

    Returns
    -------
    dict
        ``{normalised event_type: behaviour}``; event types are normalised with
        :func:`normalize_event_type` so that matching is insensitive to case, blanks and hyphens.

    Raises
    ------
    ParameterError
        Unknown behaviour names (all of them are named), an event type mapped to two behaviours,
        or an argument of the wrong kind.
    DataError
        A file that is missing or cannot be read or parsed.

    Examples
    --------
    >>> load_taxonomy({"Checkout": "access", "unboxing_video": "engage"})
    {'checkout': 'access', 'unboxing_video': 'engage'}
    >>> load_taxonomy({"connect": ["share", "gift"]}, extend=True)["gift"]
    'connect'
    """
    if taxonomy is None:
        return default_taxonomy()
    if isinstance(taxonomy, pd.Series):
        taxonomy = taxonomy.to_dict()
    if isinstance(taxonomy, pd.DataFrame):
        taxonomy = _pairs_from_frame(taxonomy)
    if isinstance(taxonomy, Mapping):
        mapping = _taxonomy_from_mapping(taxonomy, source="<mapping>")
    elif isinstance(taxonomy, (str, Path)):
        path = Path(taxonomy)
        if not path.is_file():
            raise DataError(f"taxonomy file not found: {path}")
        suffix = path.suffix.lower()
        if suffix in (".yaml", ".yml"):
            mapping = _taxonomy_from_yaml_text(path.read_text(encoding="utf-8"), source=str(path))
        elif suffix in (".csv", ".tsv", ".txt"):
            mapping = _taxonomy_from_csv(path)
        else:
            raise DataError(f"taxonomy {path}: unknown file type {suffix!r}; use .yaml, .yml or .csv")
    else:
        raise ParameterError("taxonomy must be None, a dict, a pandas Series or DataFrame or a path to a YAML/CSV "
                             f"file; got {type(taxonomy).__name__}")
    if extend:
        merged = default_taxonomy()
        merged.update(mapping)
        return merged
    return mapping
