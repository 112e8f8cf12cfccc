"""A scripted stand-in for a model API, so a real agent CLI runs one headless turn offline.

It answers the three wire styles the clients use: Anthropic Messages (`/v1/messages`, Claude Code,
auggie-style tenants aside), OpenAI Chat Completions (`…/chat/completions`: copilot, cline, qwen-code,
continue) and OpenAI Responses (`…/responses`), streaming or not, under any path prefix. Each request's
offered tool names are recorded (`tool_lists`), which is what the tests check: the client loaded our
server and handed its tools to the model.

Anthropic script (kept for `claude -p`): if the tools include `call_tool` and no tool result came back
yet, answer with a `tool_use` of it; once the result arrives, answer with text and stop. The OpenAI
styles always answer with text: the tool list is the proof there.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def tool_names(body: dict[str, Any]) -> list[str]:
    """Tool names in any of the three request styles (`{name}` or `{type: function, function: {name}}`)."""
    names = []
    for tool in body.get("tools") or []:
        if not isinstance(tool, dict):
            continue
        function = tool.get("function")
        name = function.get("name") if isinstance(function, dict) else tool.get("name")
        if isinstance(name, str):
            names.append(name)
    return names


class FakeModelAPI:
    def __init__(self, call_tool: str = "", *, model: str = "fake-model") -> None:
        self.call_tool = call_tool
        self.model = model
        self.tool_lists: list[list[str]] = []
        self.tool_results: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeModelAPI:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def offered(self) -> set[str]:
        """Every tool name offered in any request."""
        return {name for names in self.tool_lists for name in names}

    def record(self, body: dict[str, Any]) -> list[str]:
        tools = tool_names(body)
        if tools:
            self.tool_lists.append(tools)
        return tools

    def answer(self, body: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
        """The assistant's Anthropic content blocks and stop reason for one request."""
        tools = self.record(body)
        messages = body.get("messages") or [{}]
        last = messages[-1].get("content")
        results = [c for c in last if c.get("type") == "tool_result"] if isinstance(last, list) else []
        if results:
            self.tool_results.extend(results)
            return [{"type": "text", "text": "done"}], "end_turn"
        if self.call_tool and self.call_tool in tools:
            return [{"type": "tool_use", "id": "toolu_fake_1", "name": self.call_tool, "input": {}}], "tool_use"
        return [{"type": "text", "text": "ok"}], "end_turn"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                api.paths.append("GET " + self.path)
                if self.path.rstrip("/").endswith("/models"):  # OpenAI-style model listing
                    model = {"id": api.model, "object": "model", "created": 0, "owned_by": "fake"}
                    self._json({"object": "list", "data": [model]})
                    return
                self._json({}, status=404)

            def do_HEAD(self) -> None:
                self.send_response(404)
                self.send_header("content-length", "0")
                self.end_headers()

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                api.paths.append("POST " + self.path)
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    body = {}
                path = self.path.split("?")[0]
                if path.endswith("/chat/completions"):
                    api.record(body)
                    self._chat(body)
                elif path.endswith("/responses"):
                    api.record(body)
                    self._responses(body)
                elif path.endswith("/messages/count_tokens"):
                    self._json({"input_tokens": 1})
                elif path.endswith("/messages"):
                    self._messages(body)
                else:
                    self._json({})

            # --- Anthropic Messages ---

            def _messages(self, body: dict[str, Any]) -> None:
                content, stop = api.answer(body)
                message = {
                    "id": "msg_fake",
                    "type": "message",
                    "role": "assistant",
                    "model": body.get("model", api.model),
                    "content": content,
                    "stop_reason": stop,
                    "stop_sequence": None,
                    "usage": {"input_tokens": 1, "output_tokens": 1},
                }
                if not body.get("stream"):
                    self._json(message)
                    return
                events = [("message_start", {"message": {**message, "content": [], "stop_reason": None}})]
                for index, block in enumerate(message["content"]):
                    if block["type"] == "text":
                        start, delta = {"type": "text", "text": ""}, {"type": "text_delta", "text": block["text"]}
                    else:
                        start = {**block, "input": {}}
                        delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
                    events.append(("content_block_start", {"index": index, "content_block": start}))
                    events.append(("content_block_delta", {"index": index, "delta": delta}))
                    events.append(("content_block_stop", {"index": index}))
                delta = {"stop_reason": message["stop_reason"], "stop_sequence": None}
                events.append(("message_delta", {"delta": delta, "usage": {"output_tokens": 1}}))
                events.append(("message_stop", {}))
                self._sse([(kind, {"type": kind, **data}) for kind, data in events])

            # --- OpenAI Chat Completions ---

            def _chat(self, body: dict[str, Any]) -> None:
                base = {"id": "chatcmpl-fake", "created": int(time.time()), "model": body.get("model") or api.model}
                usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
                if not body.get("stream"):
                    choice = {"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}
                    self._json({**base, "object": "chat.completion", "choices": [choice], "usage": usage})
                    return
                chunk = {**base, "object": "chat.completion.chunk"}
                first = {"index": 0, "delta": {"role": "assistant", "content": "ok"}, "finish_reason": None}
                last = {"index": 0, "delta": {}, "finish_reason": "stop"}
                chunks = [{**chunk, "choices": [first]}, {**chunk, "choices": [last], "usage": usage}]
                self._sse([(None, c) for c in chunks], done=True)

            # --- OpenAI Responses ---

            def _responses(self, body: dict[str, Any]) -> None:
                text = {"type": "output_text", "text": "ok", "annotations": []}
                item = {
                    "type": "message",
                    "id": "msg_fake",
                    "status": "completed",
                    "role": "assistant",
                    "content": [text],
                }
                usage = {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2}
                response = {
                    "id": "resp_fake",
                    "object": "response",
                    "created_at": int(time.time()),
                    "status": "completed",
                    "model": body.get("model") or api.model,
                    "output": [item],
                    "usage": usage,
                }
                if not body.get("stream"):
                    self._json(response)
                    return
                pending = {**response, "status": "in_progress", "output": []}
                events: list[tuple[str | None, dict[str, Any]]] = [
                    ("response.created", {"type": "response.created", "response": pending}),
                    (
                        "response.output_item.added",
                        {"type": "response.output_item.added", "output_index": 0, "item": {**item, "content": []}},
                    ),
                    (
                        "response.output_text.delta",
                        {
                            "type": "response.output_text.delta",
                            "item_id": "msg_fake",
                            "output_index": 0,
                            "content_index": 0,
                            "delta": "ok",
                        },
                    ),
                    (
                        "response.output_item.done",
                        {"type": "response.output_item.done", "output_index": 0, "item": item},
                    ),
                    ("response.completed", {"type": "response.completed", "response": response}),
                ]
                self._sse(events)

            # --- wire ---

            def _json(self, data: dict[str, Any], status: int = 200) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _sse(self, events: list[tuple[str | None, dict[str, Any]]], *, done: bool = False) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("cache-control", "no-cache")
                self.send_header("connection", "close")
                self.end_headers()
                self.close_connection = True
                for kind, data in events:
                    prefix = f"event: {kind}\n" if kind else ""
                    self.wfile.write(f"{prefix}data: {json.dumps(data)}\n\n".encode())
                if done:
                    self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        return Handler
