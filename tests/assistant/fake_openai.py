"""A local OpenAI-compatible server for tests: the real openai SDK talks to it over HTTP.

POST /v1/chat/completions answers like OpenAI does, non-streamed (one JSON body) or with
stream=true (server-sent events: one chunk per piece of text, a usage chunk when asked
for with stream_options.include_usage, then `data: [DONE]`). Every request is recorded
(`requests`: the parsed JSON body and the headers, names in lower case) so a test can assert what was sent.

Each request takes the next scripted Reply (`fake.script(Reply(...), ...)`), or the
default when none is left: `fake.text` as the content, or `fake.json` (serialised) when
the request asked for JSON (response_format). A Reply can be slow (`delay` before the
headers, `chunk_delay` between streamed pieces), fail (`status`=500, 429, 401, ...),
be malformed (`malformed=True`: a body that is not JSON, or a stream chunk that is not)
or carry any content or JSON (a wrong shape is just other JSON).
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    content: str | None = None
    json: object = None
    status: int = 200
    delay: float = 0.0
    chunk_delay: float = 0.0
    malformed: bool = False
    pieces: list[str] | None = None  # how a streamed answer is cut (default: by words)
    prompt_tokens: int = 120
    completion_tokens: int = 80


@dataclass
class FakeOpenAI:
    host: str = "127.0.0.1"
    port: int = 0
    text: str = "Hello from the fake model."
    json: object = field(default_factory=lambda: {"ok": True})
    requests: list = field(default_factory=list)
    _replies: list = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._replies.extend(replies)

    def reset(self) -> None:
        with self._lock:
            self._replies.clear()
            self.requests.clear()
        self.text = "Hello from the fake model."
        self.json = {"ok": True}

    def _next(self) -> Reply:
        with self._lock:
            return self._replies.pop(0) if self._replies else Reply()

    def _record(self, body: dict, headers) -> None:
        with self._lock:
            self.requests.append({"body": body, "headers": {k.lower(): v for k, v in headers.items()}})

    # --- what tests read --------------------------------------------------------------

    @property
    def last(self) -> dict:
        return self.requests[-1]["body"]

    def sent_text(self, index: int = -1) -> str:
        """All message contents of a recorded request, joined: what the model was shown."""
        return "\n".join(str(m.get("content", "")) for m in self.requests[index]["body"]["messages"])

    # --- serving ----------------------------------------------------------------------

    def start(self) -> "FakeOpenAI":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                fake._record(body, self.headers)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                reply = fake._next()
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status != 200:
                    return self._send(reply.status, {"error": {"message": f"fake error {reply.status}", "type": "server_error"}})
                wants_json = (body.get("response_format") or {}).get("type") in ("json_object", "json_schema")
                content = reply.content
                if content is None:
                    content = json.dumps(reply.json if reply.json is not None else fake.json) if wants_json else fake.text
                if body.get("stream"):
                    return self._stream(body, reply, content)
                if reply.malformed:
                    return self._send_raw(200, b"{this is not json", "application/json")
                self._send(200, {
                    "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                    "model": body.get("model", "fake-model"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": reply.prompt_tokens, "completion_tokens": reply.completion_tokens,
                              "total_tokens": reply.prompt_tokens + reply.completion_tokens},
                })

            def _stream(self, body, reply, content):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                        "model": body.get("model", "fake-model")}
                pieces = reply.pieces if reply.pieces is not None else _words(content)
                try:
                    self._event({**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]})
                    for number, piece in enumerate(pieces):
                        if reply.chunk_delay:
                            time.sleep(reply.chunk_delay)
                        if reply.malformed and number == 1:
                            self.wfile.write(b"data: {not json at all\n\n")
                            self.wfile.flush()
                            continue
                        self._event({**base, "choices": [{"index": 0, "delta": {"content": piece}}]})
                    self._event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                    if (body.get("stream_options") or {}).get("include_usage"):
                        self._event({**base, "choices": [], "usage": {
                            "prompt_tokens": reply.prompt_tokens, "completion_tokens": reply.completion_tokens,
                            "total_tokens": reply.prompt_tokens + reply.completion_tokens}})
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client went away (a timeout): nothing to finish
                self.close_connection = True

            def _event(self, payload):
                self.wfile.write(b"data: " + json.dumps(payload).encode() + b"\n\n")
                self.wfile.flush()

            def _send(self, status, payload):
                self._send_raw(status, json.dumps(payload).encode(), "application/json")

            def _send_raw(self, status, data, content_type):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _words(text: str) -> list[str]:
    words = text.split(" ")
    return [word if number == 0 else " " + word for number, word in enumerate(words)]
