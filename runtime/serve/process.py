"""The server process: the app on uvicorn, listening on one socket, until SIGTERM or Ctrl-C."""
import signal
import socket

import uvicorn

from runtime.errors import InputError
from runtime.serve.app import MAX_BODY_BYTES, Models, create_app


def serve(models: Models, host: str, port: int, max_body: int = MAX_BODY_BYTES) -> None:
    """Answer on host:port until SIGTERM or Ctrl-C, then finish the requests in flight and return."""
    listener = listen(host, port)
    config = uvicorn.Config(create_app(models, max_body), log_level="warning", access_log=False,
                            timeout_graceful_shutdown=30)
    # uvicorn re-raises the signal that stopped it once it has shut down; with handlers of our own in
    # place beforehand that is a no-op, and the process exits 0 as after any finished job.
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, lambda *_: None)
    bound_host, bound_port = listener.getsockname()[:2]
    print(f"serving on http://{bound_host}:{bound_port} (Ctrl-C to stop)", flush=True)
    uvicorn.Server(config).run(sockets=[listener])
    models.close()


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket (port 0: any free one); InputError when the address cannot be had."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(2048)
    except (OSError, OverflowError) as error:
        raise InputError(f"cannot listen on {host}:{port} ({getattr(error, 'strerror', None) or error})") from None
    return listener
