"""Mail backends for the outbox's in-process tests: a relay that refuses, and one that leaks a secret
into its error (the outbox must not store it)."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "relay.example.org: service not available")


class LeakyBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPAuthenticationError(535, "bad credentials for hub / hunter2-relay-password")
