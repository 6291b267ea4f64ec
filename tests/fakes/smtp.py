"""A small SMTP server on 127.0.0.1 that keeps the messages it receives.

It speaks enough of RFC 5321 for Django's SMTP backend (EHLO/HELO, MAIL, RCPT, DATA with
dot-stuffing, RSET, NOOP, QUIT), so a worker process sends real mail to it over TCP.
"""

import email
import email.policy
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: email.message.EmailMessage


@dataclass
class Mailbox:
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(init=False)

    def __post_init__(self):
        self.arrived = threading.Condition(self.lock)

    def add(self, received: Received) -> None:
        with self.arrived:
            self.messages.append(received)
            self.arrived.notify_all()

    def wait_for(self, count: int, timeout: float) -> list[Received]:
        """The messages once there are at least `count` (or when `timeout` runs out)."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        mailbox: Mailbox = self.server.mailbox
        sender, recipients = "", []
        self.reply("220 fake-smtp ready")
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-fake-smtp")
                self.reply("250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 fake-smtp")
            elif verb == "MAIL":
                sender, recipients = command.partition(":")[2].strip(" <>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.partition(":")[2].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                body = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    body += chunk[1:] if chunk.startswith(b"..") else chunk
                message = email.message_from_bytes(bytes(body), policy=email.policy.default)
                mailbox.add(Received(sender, recipients, message))
                self.reply("250 OK: queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeSMTP:
    """`with FakeSMTP() as smtp:` serves on a free port; `smtp.url` is an EMAIL_URL for it."""

    def __init__(self):
        self.mailbox = Mailbox()
        self._server = _Server(("127.0.0.1", 0), _Session)
        self._server.mailbox = self.mailbox
        self.port = self._server.server_address[1]
        self.url = f"smtp://127.0.0.1:{self.port}"

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
