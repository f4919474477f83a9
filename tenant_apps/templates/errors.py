"""Errors a template author can meet: a stable code, the line, a translated message."""

from django.utils.translation import gettext, gettext_lazy as _

MESSAGES = {
    "syntax": _("Syntax error: %(detail)s"),
    "undefined": _("Unknown variable: %(detail)s. The variables you can use are listed beside the editor."),
    "forbidden": _("This is not allowed in a template: %(detail)s"),
    "too_large": _("The template is too large: at most %(limit)s KB."),
    "output_too_large": _("The template produces too much output: at most %(limit)s MB."),
    "too_slow": _("The template takes too long to render; look for loops over large ranges."),
    "failed": _("The template could not be rendered: %(detail)s"),
    "subject_required": _("An e-mail template needs a subject."),
    "css_invalid": _("The stylesheet may not contain \"</\"."),
    "version_unknown": _("There is no such version of this template."),
    "prompt_required": _("Describe the template you want."),
    "prompt_too_long": _("The description is too long: at most %(limit)s characters."),
}


class TemplateError(Exception):
    """A template that cannot be saved or rendered. `part` names the field (subject, html,
    css, text), `line` the line in it when known; `message` is translated."""

    def __init__(self, code: str, *, part: str = "html", line: int | None = None, **params):
        self.code = code
        self.part = part
        self.line = line
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        text = str(MESSAGES.get(self.code, self.code))
        text = text % self.params if self.params else text
        if self.line:
            return gettext("Line %(line)s: %(message)s") % {"line": self.line, "message": text}
        return text

    def __str__(self):
        return self.message


EXPORT_MESSAGES = {
    "filter_invalid": _("The filter is not valid: %(detail)s"),
    "nothing_to_export": _("No documents match this filter."),
    "too_many": _("At most %(limit)s documents can be exported at once; narrow the filter."),
    "expired": _("This export has expired; start a new one."),
    "not_ready": _("This export is not ready yet."),
    "busy": _("You already have an export running; wait for it to finish."),
    "failed": _("The export could not be built. Start it again; if it fails again, tell support."),
    "stalled": _("The export stopped making progress and was given up. Start it again."),
}


class ExportError(Exception):
    """A refused or failed bulk export; `message` is translated."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        text = str(EXPORT_MESSAGES.get(self.code, self.code))
        return text % self.params if self.params else text


class GeneratedTemplateRejected(TemplateError):
    """A template written by the assistant that the sandbox refused: the sandbox's error
    (code, part, line, message) with what was generated, so the author can see both.
    Nothing was saved."""

    def __init__(self, error: TemplateError, *, content):
        super().__init__(error.code, part=error.part, line=error.line, **error.params)
        self.content = content
