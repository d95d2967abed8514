"""A streaming server written with sse-starlette under uvicorn, not by this project: the
endpoints of tests/specs/streaming.yaml, serving OpenAI's documented chat completion stream
(chunks as `data:` JSON, ending with `data: [DONE]`), with what the event-stream format allows
around it: comments, ids, a retry, data spread over several lines, named events; and a JSON
Lines export. tests/tests/sse_server.rs reads it through the generated client."""

import json
import sys

import uvicorn
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route


def chunk(content, index=0, finish=None):
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "choices": [{"index": index, "delta": {"content": content}, "finish_reason": finish}],
    }


async def chat(request: Request):
    body = await request.json()
    if not body.get("stream"):
        return JSONResponse({"id": "chatcmpl-1", "content": "Hello, world"})

    async def events():
        yield ServerSentEvent(comment="the stream opens")
        yield ServerSentEvent(data=json.dumps(chunk("Hello")), id="1", retry=2500)
        # Pretty-printed JSON: one event, its data over several `data:` lines.
        yield ServerSentEvent(data=json.dumps(chunk(", "), indent=2), id="2")
        yield ServerSentEvent(comment="keep-alive")
        yield ServerSentEvent(data=json.dumps(chunk("world", finish="stop")), id="3")
        yield ServerSentEvent(data="[DONE]")

    return EventSourceResponse(events())


async def feed(request: Request):
    async def events():
        for seq in range(1, 4):
            yield ServerSentEvent(
                data=json.dumps({"seq": seq, "text": f"update {seq}"}), event="update", id=str(seq)
            )

    return EventSourceResponse(events())


async def logs(request: Request):
    async def events():
        yield ServerSentEvent(data="first line\nsecond line")
        yield ServerSentEvent(data="", event="empty")
        yield ServerSentEvent(data="last")

    return EventSourceResponse(events())


async def export(request: Request):
    async def lines():
        for record in ({"id": 1, "name": "a"}, {"id": 2}, {"id": 3, "name": "c"}):
            yield json.dumps(record) + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


app = Starlette(
    routes=[
        Route("/chat/completions", chat, methods=["POST"]),
        Route("/feed", feed),
        Route("/logs", logs),
        Route("/export", export),
    ]
)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
