"""What the generator draws from: event types per behaviour, the base profile, names, regions, channels."""

from __future__ import annotations

from typing import Any

import pandas as pd

from netlib.patterns import BEHAVIOURS

__all__ = ["BEHAVIOURS", "EVENT_TYPES", "BASE_PROFILE", "SAMPLE_PARAMS", "KIND_EVENT"]

#: The event types the generator emits for each behaviour.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "access": ("login", "app_open", "search", "page_view"),
    "engage": ("view", "like", "comment", "watch"),
    "customize": ("save_preference", "wishlist", "configure", "subscribe"),
    "connect": ("share", "refer", "review", "message", "follow"),
    "collaborate": ("co_create", "forum_answer", "idea_vote", "join_project"),
}

#: Mean latent profile over the five behaviours (a funnel: many access, few collaborate).
BASE_PROFILE: tuple[float, ...] = (0.34, 0.28, 0.16, 0.13, 0.09)

#: The parameters of the shipped sample in ``data/sample`` (see :func:`write_sample`).
SAMPLE_PARAMS: dict[str, Any] = {"n_customers": 2000, "seed": 20240101}

#: Interaction kind -> event type of the matching connect event.
KIND_EVENT: dict[str, str] = {"share": "share", "message": "message", "referral": "refer"}

_VOCAB: tuple[str, ...] = tuple(t for b in BEHAVIOURS for t in EVENT_TYPES[b])
_CODE = {t: i for i, t in enumerate(_VOCAB)}
_TIE_CHANNELS = ("in_person", "app", "social", "email")
_EVENT_CHANNELS = ("app", "web", "email", "social", "in_person")
_KINDS = ("share", "message", "referral")
_REGIONS = ("North", "South", "East", "West", "Central")
_AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
_AGE_P = (0.12, 0.24, 0.22, 0.18, 0.14, 0.10)
_SEGMENTS = ("occasional", "regular", "loyal")
_FIRST = ("Ada", "Ben", "Chloe", "Dev", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Keiko",
          "Liam", "Maya", "Nils", "Olga", "Pablo", "Qi", "Rosa", "Sami", "Tara", "Uma", "Viktor",
          "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Carmen", "Dmitri", "Esther", "Felix")
_LAST = ("Adler", "Baptiste", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito",
         "Jansen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn",
         "Rossi", "Silva", "Tanaka", "Ueda", "Varga", "Weber", "Xu", "Yilmaz", "Zhang", "Novak",
         "Mendes", "Larsen", "Kim", "Osei", "Brennan")
_DAY = 86_400
_CHUNK = 1 << 21
_ARC_KINDS = pd.CategoricalDtype(["friend", "follow"])
