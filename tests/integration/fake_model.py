"""A scripted stand-in for Anthropic's Messages API, so a real `claude -p` runs one agent turn offline.

Claude Code (pointed here by `ANTHROPIC_BASE_URL`) sends the conversation with every tool it loaded.
The script: if the tools include `call_tool` and no tool result came back yet, answer with a `tool_use`
of it; once the result arrives, answer with text and stop. Every request's tool names and tool results
are recorded for the test to check.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeModelAPI:
    def __init__(self, call_tool: str) -> None:
        self.call_tool = call_tool
        self.tool_lists: list[list[str]] = []
        self.tool_results: list[dict[str, Any]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeModelAPI:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, body: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
        """The assistant's content blocks and stop reason for one request."""
        tools = [t.get("name", "") for t in body.get("tools", [])]
        messages = body.get("messages") or [{}]
        last = messages[-1].get("content")
        results = [c for c in last if c.get("type") == "tool_result"] if isinstance(last, list) else []
        if any(tools):
            self.tool_lists.append(tools)
        if results:
            self.tool_results.extend(results)
            return [{"type": "text", "text": "done"}], "end_turn"
        if self.call_tool in tools:
            return [{"type": "tool_use", "id": "toolu_fake_1", "name": self.call_tool, "input": {}}], "tool_use"
        return [{"type": "text", "text": "ok"}], "end_turn"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # reachability probes
                self.send_response(404)
                self.send_header("content-length", "0")
                self.end_headers()

            do_HEAD = do_GET

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if not self.path.startswith("/v1/messages") or self.path.startswith("/v1/messages/count_tokens"):
                    self._json({"input_tokens": 1} if "count_tokens" in self.path else {})
                    return
                content, stop = api.answer(body)
                message = {
                    "id": "msg_fake",
                    "type": "message",
                    "role": "assistant",
                    "model": body.get("model", "fake"),
                    "content": content,
                    "stop_reason": stop,
                    "stop_sequence": None,
                    "usage": {"input_tokens": 1, "output_tokens": 1},
                }
                if body.get("stream"):
                    self._stream(message)
                else:
                    self._json(message)

            def _json(self, data: dict[str, Any]) -> None:
                raw = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _stream(self, message: dict[str, Any]) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("connection", "close")
                self.end_headers()
                self.close_connection = True

                def event(kind: str, data: dict[str, Any]) -> None:
                    self.wfile.write(f"event: {kind}\ndata: {json.dumps({'type': kind, **data})}\n\n".encode())

                event("message_start", {"message": {**message, "content": [], "stop_reason": None}})
                for index, block in enumerate(message["content"]):
                    if block["type"] == "text":
                        start, delta = {"type": "text", "text": ""}, {"type": "text_delta", "text": block["text"]}
                    else:
                        start = {**block, "input": {}}
                        delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
                    event("content_block_start", {"index": index, "content_block": start})
                    event("content_block_delta", {"index": index, "delta": delta})
                    event("content_block_stop", {"index": index})
                delta = {"stop_reason": message["stop_reason"], "stop_sequence": None}
                event("message_delta", {"delta": delta, "usage": {"output_tokens": 1}})
                event("message_stop", {})
                self.wfile.flush()

        return Handler
