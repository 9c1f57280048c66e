"""Suggest behaviours for event types the taxonomy does not know, by documented keyword rules.

Real event logs name their events in their own words (``review_posted``, ``co_design_submission``).
:func:`suggest_taxonomy` lists every event type of a log with its count, the behaviour the taxonomy
gives it or, failing that, the behaviour a keyword rule suggests and which keyword made it, so a
person can review the whole mapping at once; :func:`taxonomy_from_suggestions` turns the reviewed
table into a taxonomy for :func:`netlib.load_taxonomy` and :func:`netlib.pattern_profiles`.

The rules are data (``rules.yaml`` beside this file, with the matching and precedence documented at
its top): "system" keywords (error, heartbeat, logout) mark a type as not behavioural; "object"
keywords (what the event is about: forum, review, newsletter, page) outrank "action" keywords (what
the customer did: reply, share, open, view); keywords of two behaviours at the same level make a name
ambiguous, and it is reported, not guessed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from netlib.errors import DataError, ParameterError
from netlib.patterns._input import _require, _unpack_data
from netlib.patterns.taxonomy import (
    _IGNORE,
    _MISSING_TYPE,
    BEHAVIOURS,
    _pairs_from_frame,
    _taxonomy_from_mapping,
    load_taxonomy,
    normalize_event_type,
)

__all__ = ["suggest_taxonomy", "taxonomy_from_suggestions"]

LEVELS: tuple[str, ...] = ("system", "object", "action")
"""Rule levels in precedence order: system words (always "ignore"), then objects, then actions."""

SOURCES: tuple[str, ...] = ("taxonomy", "rule", "unmapped")
"""Values of the ``source`` column of :func:`suggest_taxonomy`."""

_VOWELS = set("aeiou")


@dataclass(frozen=True)
class _Keyword:
    words: tuple[str, ...]  # the keyword as normalised words: ("co", "design")
    behaviour: str
    level: str

    @property
    def name(self) -> str:
        return "_".join(self.words)


@dataclass(frozen=True)
class _Rules:
    """Keyword rules compiled for matching: (level, form as a word tuple) -> keywords."""

    forms: dict[tuple[str, ...], tuple[_Keyword, ...]]
    longest: int
    source: str


def _inflections(word: str) -> set[str]:
    """The regular inflections of an English word: -s/-es, -ed/-d, -ing, doubled consonant, -y -> -ies/-ied."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS:
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if (len(word) >= 3 and word[-1] not in _VOWELS | set("wxy") and word[-2] in _VOWELS
            and word[-3] not in _VOWELS):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


def _compile_rules(raw, *, source: str) -> _Rules:
    if not isinstance(raw, Mapping) or not raw:
        raise DataError(f"rules {source}: expected a mapping with the levels {list(LEVELS)} ('system': "
                        f"[keywords]; 'object', 'action': behaviour -> [keywords]); found {type(raw).__name__}")
    unknown_levels = sorted(str(k) for k in raw if k not in LEVELS)
    if unknown_levels:
        raise ParameterError(f"rules {source}: unknown level(s) {unknown_levels}; expected {list(LEVELS)}")
    valid = set(BEHAVIOURS) | {_IGNORE}
    forms: dict[tuple[str, ...], list[_Keyword]] = {}
    for level, by_behaviour in raw.items():
        if level == "system" and isinstance(by_behaviour, (list, tuple)):
            by_behaviour = {_IGNORE: by_behaviour}
        if not isinstance(by_behaviour, Mapping):
            raise DataError(f"rules {source}: level {level!r} must map behaviours to keyword lists")
        bad = sorted(str(b) for b in by_behaviour if normalize_event_type(b) not in valid)
        if bad:
            raise ParameterError(f"rules {source}: unknown behaviour name(s) {bad} under {level!r}; expected "
                                 f"one of {list(BEHAVIOURS)} or 'ignore'")
        for behaviour, keywords in by_behaviour.items():
            for keyword in keywords or ():
                words = tuple(w for w in normalize_event_type(keyword).split("_") if w)
                if not words:
                    raise ParameterError(f"rules {source}: an empty keyword under {level}/{behaviour}")
                kw = _Keyword(words, normalize_event_type(behaviour), level)
                for last in _inflections(words[-1]):
                    key = (level, *words[:-1], last)
                    forms.setdefault(key, []).append(kw)
    clashes = {k: v for k, v in forms.items() if len({kw.behaviour for kw in v}) > 1}
    if clashes:
        detail = "; ".join(f"{'_'.join(k[1:])!r} ({k[0]}) from " + ", ".join(
            f"{kw.name!r} -> {kw.behaviour}" for kw in v) for k, v in sorted(clashes.items()))
        raise ParameterError(f"rules {source}: a word form belongs to two behaviours at one level: {detail}")
    if not forms:
        raise ParameterError(f"rules {source}: no keyword given")
    longest = max(len(k) - 1 for k in forms)
    return _Rules({k: tuple(dict.fromkeys(v)) for k, v in forms.items()}, longest, source)


@functools.lru_cache(maxsize=1)
def _default_rules() -> _Rules:
    import yaml

    text = resources.files("netlib.patterns").joinpath("rules.yaml").read_text(encoding="utf-8")
    return _compile_rules(yaml.safe_load(text), source="netlib/patterns/rules.yaml")


def _load_rules(rules) -> _Rules:
    if rules is None:
        return _default_rules()
    if isinstance(rules, _Rules):
        return rules
    if isinstance(rules, Mapping):
        return _compile_rules(rules, source="<mapping>")
    if isinstance(rules, (str, Path)):
        import yaml

        path = Path(rules)
        if not path.is_file():
            raise DataError(f"rules file not found: {path}")
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise DataError(f"rules {path}: not valid YAML ({exc})") from exc
        return _compile_rules(raw, source=str(path))
    raise ParameterError(f"rules must be None, a mapping or a path to a YAML file; got {type(rules).__name__}")


def _matches(words: tuple[str, ...], rules: _Rules) -> dict[str, list[tuple[_Keyword, str, tuple[int, int]]]]:
    """Every keyword found in ``words``, per level, as (keyword, matched text, word span).

    A match whose span lies inside a longer match's span at the same level is dropped.
    """
    found: dict[str, list] = {level: [] for level in LEVELS}
    n = len(words)
    for level in LEVELS:
        hits = []
        for size in range(min(rules.longest, n), 0, -1):
            for i in range(n - size + 1):
                for kw in rules.forms.get((level, *words[i:i + size]), ()):
                    hits.append((kw, "_".join(words[i:i + size]), (i, i + size)))
        for hit in hits:
            lo, hi = hit[2]
            inside = any(o[2] != hit[2] and o[2][0] <= lo and hi <= o[2][1] for o in hits)
            if not inside:
                found[level].append(hit)
    return found


def _describe(hit) -> str:
    kw, text, _ = hit
    shown = f"'{kw.name}'" if text == kw.name else f"'{kw.name}' (as '{text}')"
    return f"{kw.level} keyword {shown} → {kw.behaviour}"


def _apply_rules(event_type: str, rules: _Rules) -> tuple[str | None, str, bool]:
    """(behaviour or None, human explanation, ambiguous) for one event type the taxonomy lacks."""
    words = tuple(w for w in normalize_event_type(event_type).split("_") if w)
    found = _matches(words, rules)
    for position, level in enumerate(LEVELS):
        hits = found[level]
        behaviours = list(dict.fromkeys(kw.behaviour for kw, _, _ in hits))
        if len(behaviours) > 1:
            return None, "ambiguous: " + "; ".join(_describe(h) for h in hits), True
        if behaviours:
            text = "; ".join(_describe(h) for h in hits)
            below = [h for lower in LEVELS[position + 1:] for h in found[lower]
                     if h[0].behaviour != behaviours[0]]
            if below:
                text += " (over " + "; ".join(_describe(h) for h in below) + ")"
            return behaviours[0], text, False
    return None, "no keyword matches", False


def _suggestion_table(types: list[str], counts: np.ndarray, mapping: Mapping[str, str], rules: _Rules,
                      total: int | None = None) -> pd.DataFrame:
    """The table of :func:`suggest_taxonomy` from raw event types and their counts."""
    rows = []
    for event_type, count in zip(types, counts):
        norm = normalize_event_type(event_type)
        if event_type == _MISSING_TYPE:
            rows.append((event_type, None, "unmapped", "the event type is missing", False))
        elif norm in mapping:
            rows.append((event_type, mapping[norm], "taxonomy", f"taxonomy: '{norm}' → {mapping[norm]}", False))
        else:
            behaviour, text, ambiguous = _apply_rules(event_type, rules)
            rows.append((event_type, behaviour, "unmapped" if behaviour is None else "rule", text, ambiguous))
    total = int(np.sum(counts)) if total is None else int(total)
    table = pd.DataFrame({
        "count": np.asarray(counts, dtype=np.int64),
        "share": np.asarray(counts, dtype=np.float64) / max(total, 1),
        "behaviour": pd.array([r[1] for r in rows], dtype="str"),
        "source": pd.array([r[2] for r in rows], dtype="str"),
        "rule": pd.array([r[3] for r in rows], dtype="str"),
        "ambiguous": np.array([r[4] for r in rows], dtype=bool),
    }, index=pd.Index([r[0] for r in rows], name="event_type", dtype="str"))
    order = np.lexsort((table.index.to_numpy(dtype=object), -table["count"].to_numpy()))
    return table.iloc[order]


def suggest_taxonomy(events, taxonomy=None, *, rules=None) -> pd.DataFrame:
    """Every event type of a log with the behaviour the taxonomy gives it, or a rule suggests, for review.

    Parameters
    ----------
    events : DataFrame or CustomerData
        A table with an ``event_type`` column (the events table of the data contract), or a CustomerData.
    taxonomy : None, dict or path
        The taxonomy to check first (see :func:`netlib.load_taxonomy`); ``None`` is the shipped default.
    rules : None, dict or path
        Keyword rules (``{"system": [keywords], "object" | "action": {behaviour: [keywords]}}``, or a YAML
        file of that form);
        ``None`` uses ``netlib/patterns/rules.yaml``, whose header documents matching and precedence.

    Returns
    -------
    DataFrame
        Indexed by ``event_type`` (each raw type as it appears in the data; missing types as
        ``"<missing>"``), sorted by count (largest first), columns:

        - ``count`` (int) and ``share`` (float, of all events);
        - ``behaviour``: one of the five behaviours, ``"ignore"`` (not behavioural, by the taxonomy or a
          rule), or missing when nothing decides;
        - ``source``: ``"taxonomy"`` (the taxonomy maps it), ``"rule"`` (a keyword rule suggests it) or
          ``"unmapped"``;
        - ``rule``: in words, what decided, e.g. ``"object keyword 'review' → connect"``; for an
          ambiguous name, every keyword that competed;
        - ``ambiguous`` (bool): keywords of two behaviours at the same level; such a type is left
          unmapped, never guessed.

    Raises
    ------
    SchemaError
        No ``event_type`` column.
    ParameterError
        A bad taxonomy or rules argument.

    See Also
    --------
    taxonomy_from_suggestions : the reviewed table as a taxonomy for ``pattern_profiles``.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> ev = pd.DataFrame({"event_type": ["page_view", "page_view", "review_posted", "forum_reply",
    ...                                   "video_review"]})
    >>> table = nl.suggest_taxonomy(ev)
    >>> table[["count", "behaviour", "source"]].values.tolist()
    [[2, 'access', 'taxonomy'], [1, 'collaborate', 'rule'], [1, 'connect', 'rule'], [1, nan, 'unmapped']]
    >>> table.loc["forum_reply", "rule"]
    "object keyword 'forum' → collaborate (over action keyword 'reply' → connect)"
    >>> bool(table.loc["video_review", "ambiguous"])
    True
    """
    frame, _ = _unpack_data(events)
    _require(frame, ["event_type"], "events")
    mapping = load_taxonomy(taxonomy)
    compiled = _load_rules(rules)
    codes, uniques = pd.factorize(frame["event_type"], use_na_sentinel=True)
    types = [str(u) for u in uniques]
    if (codes < 0).any():
        codes = np.where(codes < 0, len(types), codes)
        types.append(_MISSING_TYPE)
    counts = np.bincount(codes, minlength=len(types)) if len(codes) else np.zeros(len(types), dtype=np.int64)
    table = _suggestion_table(types, counts, mapping, compiled, total=len(frame))
    if table.index.has_duplicates:  # distinct raw values with the same text (1 and "1"): add them up
        table = _suggestion_table(*_merge_same_text(table), mapping, compiled, total=len(frame))
    return table


def _merge_same_text(table: pd.DataFrame) -> tuple[list[str], np.ndarray]:
    summed = table["count"].groupby(level=0, sort=False).sum()
    return summed.index.tolist(), summed.to_numpy()


def taxonomy_from_suggestions(suggestions: pd.DataFrame, *, accept=("taxonomy", "rule"),
                              overrides: Mapping | None = None) -> dict[str, str]:
    """Turn a reviewed :func:`suggest_taxonomy` table into a taxonomy for this data.

    Parameters
    ----------
    suggestions : DataFrame
        From :func:`suggest_taxonomy` (or ``attrs["taxonomy_suggestions"]`` of a profile table), possibly
        edited: the ``behaviour`` column is what is used.
    accept : iterable of str, default ("taxonomy", "rule")
        Which ``source`` rows to keep; ``("taxonomy",)`` keeps only what the taxonomy already said.
    overrides : dict, optional
        ``{event_type: behaviour}`` corrections from the review; they win over the table and may map
        types the rules left unmapped (``None`` or ``"ignore"`` marks a type as not behavioural).

    Returns
    -------
    dict
        ``{normalised event_type: behaviour}``, validated by :func:`netlib.load_taxonomy`; pass it as
        ``taxonomy=`` to :func:`netlib.pattern_profiles` (it covers every event type of the data that has a
        behaviour), or merge it into the default with ``load_taxonomy(result, extend=True)``.

    Raises
    ------
    ParameterError
        Not a suggestions table, an unknown source in ``accept``, or a behaviour name that is not one of
        the five (or "ignore"), or one event type given two behaviours.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> ev = pd.DataFrame({"event_type": ["login", "review_posted", "unboxing_clip"]})
    >>> table = nl.suggest_taxonomy(ev)
    >>> nl.taxonomy_from_suggestions(table, overrides={"unboxing_clip": "engage"})
    {'login': 'access', 'review_posted': 'connect', 'unboxing_clip': 'engage'}
    """
    if not isinstance(suggestions, pd.DataFrame) or not {"behaviour", "source"} <= set(suggestions.columns):
        found = list(suggestions.columns) if isinstance(suggestions, pd.DataFrame) else type(suggestions).__name__
        raise ParameterError("suggestions must be the DataFrame from suggest_taxonomy (columns 'behaviour' and "
                             f"'source', indexed by event_type); found {found}")
    accept = [accept] if isinstance(accept, str) else list(accept)
    bad = [a for a in accept if a not in SOURCES]
    if bad:
        raise ParameterError(f"accept: unknown source(s) {bad}; expected some of {list(SOURCES)}")
    pairs = _pairs_from_frame(suggestions[suggestions["source"].isin(accept).to_numpy()])
    mapping = _taxonomy_from_mapping(pairs, source="<suggestions>") if pairs else {}
    if overrides:
        mapping.update(_taxonomy_from_mapping(dict(overrides), source="overrides"))
    return mapping

