"""What the server answers to a bad request: a status and one line, sent as {"error": "..."}."""
import json


class HTTPError(Exception):
    """A request refused with `status` and the one line `message`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(" ".join(message.split()))
        self.status = status


def json_body(data: bytes) -> object:
    """The parsed JSON of a request body; HTTPError 400 when it is not JSON (NaN and Infinity included)."""
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")
    try:
        return json.loads(data, parse_constant=refuse)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise HTTPError(400, f"malformed JSON ({str(error).splitlines()[0][:200]})") from None
