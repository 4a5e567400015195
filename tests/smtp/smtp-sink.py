#!/usr/bin/env python3
"""A real SMTP server for the mail tests (aiosmtpd): accepts plain SMTP on 127.0.0.1:PORT and
writes every received message to DIR as NNNN.eml (envelope recipients first, as `X-Envelope-To:`
lines, then the message as received).

A recipient listed in DIR/refuse (one address per line, read at every RCPT) is refused with
`550 5.1.1 Mottagaren avvisad av testservern`, so a test can make delivery fail and then, after
emptying the file, succeed. Prints `READY <port>` on stdout once it listens; stops on SIGTERM or
when stdin closes (the test process died).

Usage: smtp-sink.py --port PORT --dir DIR
"""
import argparse
import asyncio
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    def refused(self):
        try:
            with open(os.path.join(self.directory, "refuse"), encoding="utf-8") as f:
                return {line.strip().lower() for line in f if line.strip()}
        except FileNotFoundError:
            return set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused():
            return "550 5.1.1 Mottagaren avvisad av testservern"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        path = os.path.join(self.directory, f"{n:04d}.eml")
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            for rcpt in envelope.rcpt_tos:
                f.write(f"X-Envelope-To: {rcpt}\r\n".encode())
            data = envelope.original_content or envelope.content
            f.write(data if isinstance(data, bytes) else data.encode())
        os.replace(tmp, path)  # readers never see a half-written message
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(Sink(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"READY {args.port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def watch_stdin():
        sys.stdin.read()
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
