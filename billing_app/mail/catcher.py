"""A local SMTP server that accepts every message and keeps it as a .eml file, so `make run`
shows mail arriving without a real mail server (open the files with any mail program; the
Email log page shows what was sent as well). Not for production: it relays nothing.

    python -m billing_app.mail.catcher --port 1025 --dir var/mail
"""

import argparse
import signal
import threading
from datetime import UTC, datetime
from email import message_from_bytes, policy
from itertools import count
from pathlib import Path

from aiosmtpd.controller import Controller


class _KeepMessages:
    def __init__(self, folder: Path) -> None:
        self.folder, self.numbers = folder, count(1)

    async def handle_DATA(self, server, session, envelope):
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        path = self.folder / f"{stamp}-{next(self.numbers):04d}.eml"
        path.write_bytes(envelope.content)
        subject = message_from_bytes(envelope.content, policy=policy.default)["Subject"]
        print(f"mail to {', '.join(envelope.rcpt_tos)}: {subject} -> {path}", flush=True)
        return "250 Message accepted"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--dir", type=Path, default=Path("var/mail"), help="where mails are kept")
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    controller = Controller(_KeepMessages(args.dir), hostname=args.host, port=args.port)
    controller.start()
    print(f"mail catcher on {args.host}:{args.port}, keeping mails in {args.dir}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
