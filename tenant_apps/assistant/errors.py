"""What can go wrong with a call to the model. Every error has a stable code (the API
answers with it) and a message in the user's language that says what to do; none of
them leaves anything half-written. `http_status` is the API's answer to each."""

from django.utils.translation import gettext_lazy as _

from config.errors import UserFacingError


class AssistantError(UserFacingError):
    code = "assistant_error"
    default_message = _("The AI assistant could not answer. Try again later.")
    http_status = 502


class NotConfigured(AssistantError):
    code = "not_configured"
    default_message = _("The AI assistant is not configured for this workspace.")
    http_status = 503


class AssistantTimeout(AssistantError):
    code = "timeout"
    default_message = _("The AI model took too long to answer. Try again in a moment.")
    http_status = 504


class UpstreamError(AssistantError):
    code = "upstream_error"
    default_message = _("The AI service answered with an error. Try again later.")
    http_status = 502


class MalformedAnswer(AssistantError):
    code = "malformed_answer"
    default_message = _("The AI model gave an answer in the wrong format. Try again.")
    http_status = 502


class CreditsExhausted(AssistantError):
    code = "credits_exhausted"
    default_message = _("This month's AI credits are used up. Upgrade the plan for more.")
    http_status = 402


class AnalysisForbidden(AssistantError):
    code = "permission_denied"
    default_message = _("You do not have permission to analyse this deal.")
    http_status = 403


class SettingsForbidden(AssistantError):
    code = "permission_denied"
    default_message = _("Only owners and admins can change the AI assistant's settings.")
    http_status = 403


class OwnKeyUnavailable(AssistantError):
    code = "plan_feature_unavailable"
    default_message = _("Your own AI key and model are available on the Enterprise plan.")
    http_status = 402


class SettingsInvalid(AssistantError):
    code = "validation_error"
    default_message = _("These settings are not valid.")
    model_needed = _("Name the model to use with your key.")
    private_endpoint = _(
        "This address points into a private network. Use the public address of your model's server."
    )
    http_status = 400


class EndpointRefused(AssistantError):
    code = "endpoint_refused"
    default_message = _(
        "Your workspace's own model address now points into a private network, so it is not called. "
        "Change it in the AI assistant settings."
    )
    http_status = 502
