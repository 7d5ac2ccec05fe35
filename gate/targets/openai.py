"""The `openai_chat` preset: the chat completions API of vLLM, llama.cpp's server and Ollama.

    POST /v1/chat/completions
      {"model": "...", "messages": [{"role": "system", ...}, {"role": "user", "content": prompt}]}
    -> 200 {"choices": [{"message": {"role": "assistant", "content": "..."}}], ...}

The answer is `choices.0.message.content`: parsed as a JSON object when the
checks read fields from it (`answer_format: json`, the default), or handed
over as `{"text": content}` with `answer_format: text`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PRESETS = ("openai_chat",)

CHAT_PATH = "/v1/chat/completions"
CHAT_ANSWER_PATH = "choices.0.message.content"


def _literal(text: str) -> str:
    # Values from settings are not templates: their braces are kept as written.
    return text.replace("{", "{{").replace("}", "}}")


def chat_body(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The request body template of a chat completion for one prompt."""
    messages: list[dict[str, str]] = []
    if settings.get("system_prompt"):
        messages.append({"role": "system", "content": _literal(settings["system_prompt"])})
    messages.append({"role": "user", "content": "{prompt}"})
    return {"model": _literal(settings.get("model", "")), "messages": messages}


def preset_defaults(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings a preset fills in; anything set in gate.yaml wins."""
    if settings.get("preset") != "openai_chat":
        return {}
    return {
        "method": "POST",
        "path": CHAT_PATH,
        "body": chat_body(settings),
        "answer_path": CHAT_ANSWER_PATH,
    }
