"""localstripe (PyPI), the stand-in for Stripe's API in the tests, on 127.0.0.1.

localstripe's own launcher binds every interface on a fixed port and keeps its state in
/tmp; this one binds 127.0.0.1 on the port given (0: a free one), keeps state in memory only,
prints `Stripe API: http://127.0.0.1:PORT` once it listens, and stops when its stdin closes,
so it never outlives the tests that started it.

It also answers what Stripe.js asks with the publishable key when a customer's page confirms a
PaymentIntent with the card typed in it, which localstripe leaves out: its script at
/js.stripe.com/v3/ is dev/stripe-js-stand-in.js, and `POST /v1/payment_intents/ID/confirm`
with `key=pk_...`, the intent's `client_secret` and `payment_method_data[card][...]` charges
that card, as Stripe does.

    python dev/stripe-stand-in.py [PORT]
"""

import os
import re
import socket
import sys
import threading

from aiohttp import web
from localstripe import resources
from localstripe.errors import UserError
from localstripe.server import app, get_post_data, json_response

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stripe-js-stand-in.js")
CONFIRM = re.compile(r"^/v1/payment_intents/(pi_\w+)/confirm$")


@web.middleware
async def as_stripe_js(request, handler):
    """Stripe.js's script, and its confirmation of a PaymentIntent with a card from the page."""
    if request.method == "GET" and request.path == "/js.stripe.com/v3/":
        return web.FileResponse(SCRIPT, headers={"Content-Type": "application/javascript"})
    confirm = CONFIRM.match(request.path)
    if request.method == "POST" and confirm:
        data = await get_post_data(request, remove_auth=False) or {}
        if str(data.get("key", "")).startswith("pk_"):
            return json_response(confirm_in_page(confirm[1], data)._export())
    return await handler(request)


def confirm_in_page(intent_id, data):
    """Charges the card typed in the page for the intent its client secret names."""
    intent = resources.PaymentIntent._api_retrieve(intent_id)
    if data.get("client_secret") != intent.client_secret:
        raise UserError(401, "Unauthorized")
    card = (data.get("payment_method_data") or {}).get("card") or {}
    method = resources.PaymentMethod._api_create(
        type="card", card={field: card.get(field) for field in ("number", "exp_month", "exp_year", "cvc")}
    )
    if method._attaching_is_declined():
        raise UserError(402, "Your card was declined.", {"code": "card_declined", "decline_code": "generic_decline"})
    # A new card is a new try: a charge declined before does not stand in its way.
    intent.payment_method = method.id
    intent.latest_charge = None
    return resources.PaymentIntent._api_confirm(intent_id)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    resources.Store.dump_to_disk = lambda self: None
    # After localstripe's error middleware, which turns refusals into Stripe's error answers,
    # before its check of the secret key.
    app.middlewares.insert(1, as_stripe_js)
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
