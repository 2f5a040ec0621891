"""What the server answers to a bad request: a status and one line, sent as {"error": "..."}; and the limit on
the size of a request's body."""
import sys

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HTTPError(Exception):
    """A request refused with `status` and the one line `message`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(" ".join(message.split()))
        self.status = status


def json_body(data: bytes) -> object:
    """The parsed JSON of a request body; HTTPError 400 when it is not JSON (NaN and Infinity included: orjson
    holds to the standard, nesting too deep and invalid UTF-8 too)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise HTTPError(400, f"malformed JSON ({str(error).splitlines()[0][:200]})") from None


async def error_response(request: Request, error: Exception) -> JSONResponse:
    """{"error": one line} with the error's status; 500 and a line on stderr for a bug, never a traceback."""
    if isinstance(error, HTTPError):
        status, message = error.status, str(error)
    elif isinstance(error, HTTPException):
        status, message = error.status_code, str(error.detail)
    else:  # a bug: still one line, never a traceback in the answer
        print(f"error: {request.method} {request.url.path}: {type(error).__name__}: {error}", file=sys.stderr)
        status, message = 500, "internal error"
    headers = {"Allow": error.headers["Allow"]} if isinstance(error, HTTPException) and error.headers else None
    return JSONResponse({"error": " ".join(message.split())}, status, headers=headers)


class BodyLimit:
    """413 for a request body over `limit` bytes, announced (Content-Length) or streamed (chunked)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.limit:
            status = 413 if length.isdigit() else 400
            message = f"request body over {self.limit} bytes" if status == 413 else "malformed Content-Length"
            return await JSONResponse({"error": message}, status)(scope, receive, send)
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise HTTPError(413, f"request body over {self.limit} bytes")
            return message

        await self.app(scope, limited, send)
