"""Django e-mail backend that writes messages to the outbox instead of sending them."""

from django.core.mail.backends.base import BaseEmailBackend

from .services import outbox_email_enqueue


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            outbox_email_enqueue(message=message)
            count += 1
        return count
