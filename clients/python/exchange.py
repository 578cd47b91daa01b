#!/usr/bin/python3
# Tern's test of slixmpp (Debian's python3-slixmpp), a client library users run: two accounts log
# in, the first sends the second a chat message with a unique body, and the second must receive it.
# Prints one result line; exits 0 when the message arrived, 1 when something failed (the line
# says what), 2 on bad arguments. The integration tests run it (ClientLibrariesTest, issue 13).
#
#   exchange.py --transport starttls|direct-tls --host 127.0.0.1 --port 5222 \
#       [--recipient-host H --recipient-port P] [--ca-file localhost.crt.pem] \
#       [--recipient-ca-file PEM] [--timeout 30] \
#       SENDER_JID SENDER_PASSWORD RECIPIENT_JID RECIPIENT_PASSWORD
#
# slixmpp 1.8 speaks XMPP over TCP only (STARTTLS, RFC 6120, or Direct TLS, XEP-0368): it has no
# WebSocket transport. Each connection checks the server's certificate against the JID's domain;
# --ca-file adds the certificate(s) the sender's connection trusts besides the system's, e.g. the
# server's own self-signed one, --recipient-ca-file the recipient's (default: --ca-file). Per
# connection, since two self-signed certificates with the same subject cannot both be trusted in
# one store (OpenSSL takes the first).
import argparse
import asyncio
import logging
import os
import sys
import time
import uuid

import slixmpp

LIBRARY = "slixmpp " + slixmpp.__version__
TRANSPORTS = ("starttls", "direct-tls")


class Failed(Exception):
    pass


class Client(slixmpp.ClientXMPP):
    """One account: connects, logs in, binds, sends initial presence; reports each outcome."""

    def __init__(self, name, jid, password, ca_file):
        super().__init__(jid, password)
        self.name = name
        if ca_file:
            self.ca_certs = ca_file
        self.ready = asyncio.get_event_loop().create_future()
        self.received = asyncio.Queue()
        self.add_event_handler("session_start", self._started)
        # failed_auth comes for each mechanism tried; no_auth when none is left.
        self.add_event_handler("no_auth", lambda _: self._fail("authentication failed"))
        self.add_event_handler("connection_failed",
                               lambda e: self._fail("connection failed: %s" % e))
        self.add_event_handler("stream_error", lambda e: self._fail("stream error: %s" % e))
        self.add_event_handler("disconnected",
                               lambda reason: self._fail("disconnected: %s" % (reason or "")))
        self.add_event_handler("message", self._message)

    async def _started(self, _):
        self.send_presence()
        if not self.ready.done():
            self.ready.set_result(self.boundjid.full)

    def _fail(self, why):
        if not self.ready.done():
            self.ready.set_exception(Failed("%s: %s" % (self.name, why)))

    def _message(self, msg):
        if msg["type"] in ("chat", "normal"):
            self.received.put_nowait(msg)

    def open(self, host, port, transport):
        direct = transport == "direct-tls"
        self.connect((host, port), use_ssl=direct, force_starttls=not direct,
                     disable_starttls=direct)


async def exchange(args):
    recipient = Client("recipient", args.recipient_jid, args.recipient_password,
                       args.recipient_ca_file or args.ca_file)
    sender = Client("sender", args.sender_jid, args.sender_password, args.ca_file)
    try:
        recipient.open(args.recipient_host or args.host, args.recipient_port or args.port,
                       args.transport)
        recipient_full = await recipient.ready
        sender.open(args.host, args.port, args.transport)
        sender_full = await sender.ready

        body = "slixmpp " + str(uuid.uuid4())
        started = time.monotonic()
        sender.send_message(mto=args.recipient_jid, mbody=body, mtype="chat")
        while True:
            msg = await recipient.received.get()
            if msg["body"] == body:
                break
        if msg["from"].bare != sender.boundjid.bare:
            raise Failed("the message came from %s, not from %s" % (msg["from"], sender_full))
        return "%s -> %s, body %s, delivered in %d ms" % (
            sender_full, recipient_full, body, (time.monotonic() - started) * 1000)
    finally:
        # Close both streams (</stream:stream>) before the loop ends, at most 3 s.
        closing = [c.disconnect(wait=1.0) for c in (sender, recipient)]
        try:
            await asyncio.wait_for(asyncio.gather(*closing, return_exceptions=True), 3)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            pass
        for c in (sender, recipient):
            if c.ready.done() and not c.ready.cancelled():
                c.ready.exception()  # seen: a failure after the first one is no news


def main():
    p = argparse.ArgumentParser(
        description="Log two accounts in with slixmpp and exchange a message.")
    p.add_argument("--transport", choices=TRANSPORTS, default="starttls")
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--recipient-host", help="the recipient's server (default: --host)")
    p.add_argument("--recipient-port", type=int, help="the recipient's port (default: --port)")
    p.add_argument("--ca-file", help="PEM certificate(s) to trust besides the system's")
    p.add_argument("--recipient-ca-file", help="the same for the recipient (default: --ca-file)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds for everything")
    p.add_argument("--debug", action="store_true", help="log slixmpp's traffic to stderr")
    p.add_argument("sender_jid")
    p.add_argument("sender_password")
    p.add_argument("recipient_jid")
    p.add_argument("recipient_password")
    args = p.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.CRITICAL,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)

    what = "%s %s" % (LIBRARY, args.transport)
    for option, path in (("--ca-file", args.ca_file),
                         ("--recipient-ca-file", args.recipient_ca_file)):
        if path and not os.path.isfile(path):
            print("FAIL %s: %s %s is no file" % (what, option, path))
            return 2
    loop = asyncio.new_event_loop()  # slixmpp 1.8 takes the current loop
    asyncio.set_event_loop(loop)
    try:
        line = loop.run_until_complete(asyncio.wait_for(exchange(args), args.timeout))
    except asyncio.TimeoutError:
        print("FAIL %s: nothing within %g s (logins or the message did not complete)"
              % (what, args.timeout))
        return 1
    except Failed as e:
        print("FAIL %s: %s" % (what, e))
        return 1
    except Exception as e:  # anything slixmpp raises is a failure of the exchange, said plainly
        print("FAIL %s: %s: %s" % (what, type(e).__name__, e))
        return 1
    print("OK %s: %s" % (what, line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
