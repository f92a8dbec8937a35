"""One chat call whose reply must be JSON of a given schema, on whichever shape the server understands.

Servers spell structured output differently:
  json_schema         {"type": "json_schema", "json_schema": {"name", "schema", "strict"}}   OpenAI, vLLM,
                      llama.cpp's own llama-server
  json_object_schema  {"type": "json_object", "schema": {...}}      llama-cpp-python's server (grammar-
                      constrained decoding from the schema; it rejects "json_schema" with HTTP 422)
  json_object         {"type": "json_object"}                      JSON mode without a schema (Ollama, ...)
The first shape is tried; a 400/422 answer (the server refuses the request) moves to the next shape,
and the shape that worked is kept for later calls. The reply is validated by the caller in any case:
a server may also ignore the schema silently.
"""

from __future__ import annotations

import logging

import openai

log = logging.getLogger("viva.scoring")
SHAPES = ("json_schema", "json_object_schema", "json_object")


def response_format(shape: str, schema: dict, name: str = "reply") -> dict:
    if shape == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}
    if shape == "json_object_schema":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_object"}


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
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                at = SHAPES.index(self.shape)
                if at + 1 >= len(SHAPES):
                    raise
                log.info("LLM server refused response_format %s (HTTP %s); trying %s", self.shape,
                         exc.status_code, SHAPES[at + 1])
                self.shape = SHAPES[at + 1]
                continue
            return reply.choices[0].message.content if reply.choices else None
