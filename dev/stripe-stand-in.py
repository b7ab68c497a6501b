"""localstripe (PyPI), the stand-in for Stripe's API in the tests, on 127.0.0.1.

localstripe's own launcher binds every interface on a fixed port and keeps its state in
/tmp; this one binds 127.0.0.1 on the port given (0: a free one), keeps state in memory only,
prints `Stripe API: http://127.0.0.1:PORT` once it listens, and stops when its stdin closes,
so it never outlives the tests that started it.

    python dev/stripe-stand-in.py [PORT]
"""

import os
import socket
import sys
import threading

from aiohttp import web
from localstripe import resources
from localstripe.server import app


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    resources.Store.dump_to_disk = lambda self: None
    sock = socket.socket()
    sock.bind(("127.0.0.1", port))
    # Listening before it says so: a client that connects at once waits in the backlog until
    # the server accepts, instead of being refused.
    sock.listen(128)
    print(f"Stripe API: http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    web.run_app(app, sock=sock, print=None)


if __name__ == "__main__":
    main()
