"""E-mail messages to and from JSON, so that they survive in the outbox table."""

import base64

from django.core.mail import EmailMessage, EmailMultiAlternatives


def email_to_payload(message: EmailMessage) -> dict:
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment[0], attachment[1], attachment[2]
        if isinstance(content, str):
            content = content.encode()
        attachments.append(
            {"filename": filename, "content": base64.b64encode(content).decode(), "mimetype": mimetype}
        )
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def payload_to_email(payload: dict, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        headers=payload["headers"],
        connection=connection,
    )
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    for attachment in payload["attachments"]:
        message.attach(attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"])
    return message
