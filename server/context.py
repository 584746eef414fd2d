"""Access to the per-app state (settings, knowledge base, cached summary) from views.

One module so that views never reach into ``app.extensions`` or ``app.config`` by string
keys themselves.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, cast

from flask import current_app

from kb.config import Settings

if TYPE_CHECKING:
    from kb.store import KnowledgeBase

logger = logging.getLogger(__name__)

SETTINGS_KEY = "SRKB_SETTINGS"
KB_KEY = "srkb"
CACHE_KEY = "srkb.cache"


def get_settings() -> Settings:
    return cast(Settings, current_app.config[SETTINGS_KEY])


def get_kb() -> KnowledgeBase:
    return cast("KnowledgeBase", current_app.extensions[KB_KEY])


def app_cache() -> dict[str, object]:
    """Per-app memo for values of the served store; the snapshot never changes while served."""
    return cast(dict[str, object], current_app.extensions.setdefault(CACHE_KEY, {}))
