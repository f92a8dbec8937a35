"""One chat call whose reply must be JSON of a given schema, on whichever shape the server understands.

Servers spell structured output differently:
  json_schema         {"type": "json_schema", "json_schema": {"name", "schema", "strict"}}   OpenAI, vLLM,
                      llama.cpp's own llama-server
  json_object_schema  {"type": "json_object", "schema": {...}}      llama-cpp-python's server (grammar-
                      constrained decoding from the schema; it rejects "json_schema" with HTTP 422)
  json_object         {"type": "json_object"}                      JSON mode without a schema (Ollama, ...)
The first shape is tried; a refusal moves to the next shape - HTTP 400/422, or any error status whose
message names `response_format` (llama-cpp-python 0.3 answers its own validation error with a 500:
"response_format.type: Input should be 'text' or 'json_object'") - and the shape that worked is kept for
later calls. The reply is validated by the caller in any case:
a server may also ignore the schema silently.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import openai
from pydantic import ValidationError

log = logging.getLogger("viva.scoring")
SHAPES = ("json_schema", "json_object_schema", "json_object")


def response_format(shape: str, schema: dict, name: str = "reply") -> dict:
    if shape == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}
    if shape == "json_object_schema":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_object"}


def _refuses_format(exc: openai.APIStatusError) -> bool:
    return exc.status_code in (400, 422) or "response_format" in f"{exc.message} {exc.body}"


class StructuredChat:
    def __init__(self, client: openai.OpenAI, model: str, shape: str = SHAPES[0]):
        self.client = client
        self.model = model
        self.shape = shape

    def complete(self, messages: list[dict], schema: dict, *, max_tokens: int, timeout: float) -> str | None:
        """The reply's text. Raises openai errors (APITimeoutError, APIConnectionError, APIStatusError)."""
        while True:
            try:
                reply = self.client.with_options(timeout=timeout).chat.completions.create(
                    model=self.model, messages=messages, temperature=0, max_tokens=max_tokens,
                    response_format=response_format(self.shape, schema),
                )
            except openai.APIStatusError as exc:
                at = SHAPES.index(self.shape)
                if at + 1 >= len(SHAPES) or not _refuses_format(exc):
                    raise
                log.info("LLM server refused response_format %s (HTTP %s); trying %s", self.shape,
                         exc.status_code, SHAPES[at + 1])
                self.shape = SHAPES[at + 1]
                continue
            return reply.choices[0].message.content if reply.choices else None


class CallFailed(Exception):
    """One structured call gave nothing usable; the message is the reason (shown in notes, never the text)."""

    def __init__(self, reason: str, stop: bool = False):
        super().__init__(reason)
        self.stop = stop  # no point calling again for this piece of work (server unreachable)


@contextmanager
def call_errors() -> Iterator[None]:
    """Turn whatever a call and the parsing of its reply raise into CallFailed with a short reason."""
    try:
        yield
    except openai.APITimeoutError:
        raise CallFailed("timeout") from None
    except openai.APIConnectionError as exc:
        raise CallFailed(f"LLM unreachable ({type(exc).__name__})", stop=True) from None
    except openai.OpenAIError as exc:
        raise CallFailed(f"LLM error ({type(exc).__name__})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "reply"
        raise CallFailed(f"invalid output ({where}: {first['msg']})") from None
    except ValueError as exc:
        raise CallFailed(f"invalid output ({exc})") from None
    except Exception as exc:  # e.g. a missing template
        raise CallFailed(f"LLM scorer error ({type(exc).__name__})") from None
