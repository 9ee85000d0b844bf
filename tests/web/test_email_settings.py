"""E-mail: printed in the terminal in development, sent over SMTP configured by
environment variables in production.

The real settings file is loaded in a fresh Python (as in test_settings.py). The SMTP case
sends through a small SMTP server on loopback that records what it receives, so the
host, port, login and sender really come from the environment.
"""

from __future__ import annotations

import base64
import socketserver
import threading

import pytest
from test_settings import PRODUCTION, run_python

SEND = (
    "import django; django.setup()\n"
    "from django.conf import settings\n"
    "from django.core.mail import send_mail\n"
    "print('BACKEND', settings.EMAIL_BACKEND)\n"
    "send_mail('Uitnodiging', 'Klik op de link om mee te doen.', None, ['nieuw@example.org'])\n"
    "print('SENT')\n"
)


def test_development_prints_e_mail_in_the_terminal(tmp_path):
    result = run_python(SEND, {"DEBUG": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "BACKEND django.core.mail.backends.console.EmailBackend" in result.stdout
    printed = result.stdout.split("BACKEND", 1)[1]
    assert "Subject: Uitnodiging" in printed
    assert "To: nieuw@example.org" in printed
    assert "Klik op de link om mee te doen." in printed


class _Recorder(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.logins: list[list[str]] = []
        self.envelope: list[str] = []
        self.messages: list[str] = []


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) for smtplib."""

    def _say(self, text: str) -> None:
        self.wfile.write(f"{text}\r\n".encode())

    def handle(self) -> None:
        server: _Recorder = self.server  # type: ignore[assignment]
        self._say("220 recorder ESMTP")
        in_data, lines = False, []
        while line := self.rfile.readline():
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            if in_data:
                if text == ".":
                    server.messages.append("\n".join(lines))
                    in_data, lines = False, []
                    self._say("250 queued")
                else:
                    lines.append(text[1:] if text.startswith("..") else text)
                continue
            command = text.upper()
            if command.startswith("EHLO"):
                self._say("250-recorder")
                self._say("250 AUTH PLAIN")
            elif command.startswith("AUTH PLAIN"):
                decoded = base64.b64decode(text.split()[2]).decode()
                server.logins.append(decoded.split("\0")[1:])
                self._say("235 accepted")
            elif command.startswith(("MAIL FROM", "RCPT TO")):
                verb, address = text.split(":", 1)  # smtplib writes "mail FROM:"
                server.envelope.append(f"{verb.upper()}:{address}")
                self._say("250 ok")
            elif command == "DATA":
                in_data = True
                self._say("354 go on")
            elif command == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("250 ok")


@pytest.fixture
def smtp_recorder():
    server = _Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_production_sends_over_smtp_from_the_environment(tmp_path, smtp_recorder):
    env = {
        **PRODUCTION,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_recorder.server_address[1]),
        "EMAIL_HOST_USER": "verbind-mailer",
        "EMAIL_HOST_PASSWORD": "mail password from the environment",
        "EMAIL_USE_TLS": "0",
        "DEFAULT_FROM_EMAIL": "verbind <noreply@verbind.example.org>",
    }
    result = run_python(SEND, env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "BACKEND django.core.mail.backends.smtp.EmailBackend" in result.stdout
    assert "SENT" in result.stdout
    assert smtp_recorder.logins == [["verbind-mailer", "mail password from the environment"]]
    assert smtp_recorder.envelope == [
        "MAIL FROM:<noreply@verbind.example.org>",
        "RCPT TO:<nieuw@example.org>",
    ]
    (message,) = smtp_recorder.messages
    assert "Subject: Uitnodiging" in message
    assert "Klik op de link om mee te doen." in message


def test_production_without_a_reachable_smtp_server_fails_loudly(tmp_path, smtp_recorder):
    """A wrong port is an error, not a silently lost invitation."""
    port = smtp_recorder.server_address[1]
    smtp_recorder.shutdown()
    smtp_recorder.server_close()
    env = {**PRODUCTION, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_USE_TLS": "0"}
    result = run_python(SEND, env, tmp_path)
    assert result.returncode != 0
    assert "ConnectionRefusedError" in result.stderr
    assert "SENT" not in result.stdout
