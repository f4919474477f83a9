"""What can go wrong with a call to the model. Every error has a stable code (the API
answers with it) and a message in the user's language that says what to do; none of
them leaves anything half-written."""

from django.utils.translation import gettext_lazy as _

from config.errors import UserFacingError


class AssistantError(UserFacingError):
    code = "assistant_error"
    default_message = _("The AI assistant could not answer. Try again later.")


class NotConfigured(AssistantError):
    code = "not_configured"
    default_message = _("The AI assistant is not configured for this workspace.")


class AssistantTimeout(AssistantError):
    code = "timeout"
    default_message = _("The AI model took too long to answer. Try again in a moment.")


class UpstreamError(AssistantError):
    code = "upstream_error"
    default_message = _("The AI service answered with an error. Try again later.")


class MalformedAnswer(AssistantError):
    code = "malformed_answer"
    default_message = _("The AI model gave an answer in the wrong format. Try again.")


class CreditsExhausted(AssistantError):
    code = "credits_exhausted"
    default_message = _("This month's AI credits are used up. Upgrade the plan for more.")
