"""The models a remote service offers: read from its answer, kept on disk for a day, default marked.

Ids, states and descriptions come from the network and end up on terminals and in Tab
completion: each is made plain one-line text, and an id that is not plain text is left out.
"""
from __future__ import annotations

import time
from typing import Any, Callable, List, Optional

from ..sanitize import one_line
from ..values import ModelInfo

MODEL_LIST_TTL_SECONDS = 24 * 3600


def cached_models(key: str, fetch: Callable[[], List[ModelInfo]], refresh: bool = False) -> List[ModelInfo]:
    """The models stored under ``key`` while less than a day old, else (or with ``refresh``) ``fetch()``'s."""
    from ..disk_store import KeyedFile

    store = KeyedFile("models.json", _valid_model_list)
    entry = None if refresh else store.get(key)
    if entry is not None and 0 <= time.time() - entry["fetched"] < MODEL_LIST_TTL_SECONDS:
        return [ModelInfo(id=m["id"], capabilities=tuple(m["capabilities"]), can_chat=m["can_chat"],
                          status=m["status"], description=m["description"]) for m in entry["models"]]
    # An id that is not plain text names no deployment anyone could type, so it is left out.
    models = [_clean_model(m) for m in fetch() if m.id and one_line(m.id, 200) == m.id]
    store.put(key, {"fetched": time.time(), "models": [
        {"id": m.id, "capabilities": list(m.capabilities), "can_chat": m.can_chat,
         "status": m.status, "description": m.description} for m in models]})
    return models


def openai_model_list(data: Any) -> Optional[List[ModelInfo]]:
    """The models of an OpenAI-style ``GET …/models`` answer (``{"data": [{"id": …}, …]}``); None if it is not one."""
    items = data.get("data") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    models = []
    for item in items:
        if not isinstance(item, dict) or not item.get("id"):
            continue
        capabilities = item.get("capabilities")
        flags = tuple(sorted(k for k, v in capabilities.items() if v is True)) if isinstance(capabilities, dict) else ()
        can_chat = capabilities.get("chat_completion") if isinstance(capabilities, dict) else None
        status = item.get("lifecycle_status") or item.get("status")
        models.append(ModelInfo(id=str(item["id"]), capabilities=flags,
                                can_chat=can_chat if isinstance(can_chat, bool) else None,
                                status=str(status) if status else None))
    return models


def mark_default(models: List[ModelInfo], default: Optional[str]) -> List[ModelInfo]:
    """The list with ``default`` marked; a default the service does not list comes first."""
    marked = [m._replace(is_default=bool(default) and m.id == default) for m in models]
    if default and not any(m.is_default for m in marked):
        marked.insert(0, ModelInfo(id=default, is_default=True, description="configured; not in the service's list"))
    return marked


def _clean_model(model: ModelInfo) -> ModelInfo:
    def clean(text: Optional[str]) -> Optional[str]:
        return one_line(text, 200) if text else text

    return model._replace(status=clean(model.status), description=clean(model.description),
                          capabilities=tuple(one_line(c, 60) for c in model.capabilities))


def _valid_model_list(entry: Any) -> bool:
    """A cached model list: a finite fetch time and models whose fields have the right types."""
    from ..disk_store import finite_number, optional_text

    def valid_model(m: Any) -> bool:
        return (isinstance(m, dict) and isinstance(m.get("id"), str) and m["id"] == one_line(m["id"], 200)
                and isinstance(m.get("capabilities"), list) and all(isinstance(c, str) for c in m["capabilities"])
                and m.get("can_chat") in (True, False, None) and optional_text(m.get("status"))
                and optional_text(m.get("description")))

    return (isinstance(entry, dict) and finite_number(entry.get("fetched")) and isinstance(entry.get("models"), list)
            and all(valid_model(m) for m in entry["models"]))
