"""Rendering tenant-written templates safely.

Templates are written by workspace admins and rendered in the web process and the worker,
so they run in Jinja's ImmutableSandboxedEnvironment with more limits on top:

* the context is plain data only (dicts, lists, strings, numbers, booleans, None): a model
  instance never reaches a template, so there is no ORM, no `settings`, no file to reach;
* underscore attributes and unsafe methods are refused by the sandbox;
* `range()` is capped per render (the sum of all ranges, so nested loops count), and
  `*` / `**` on strings, lists and numbers are capped, so a template cannot spin or fill
  memory;
* the source is capped at MAX_SOURCE bytes, the output at MAX_OUTPUT, and rendering stops
  once MAX_SECONDS have passed between two output chunks;
* undefined variables fail loudly (StrictUndefined): a typo is caught when saving.

Every failure becomes a TemplateError with the line number in the author's source."""

import json
import time
import traceback
from decimal import Decimal

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from .errors import TemplateError

MAX_SOURCE = 200 * 1024
MAX_OUTPUT = 8 * 1024 * 1024
MAX_RANGE_TOTAL = 10_000
MAX_SEQUENCE = 100_000
MAX_SECONDS = 5.0
SOURCE_NAME = "<tenant-template>"


class _Budget:
    """What one render may still spend on range() items."""

    def __init__(self):
        self.range_left = MAX_RANGE_TOTAL


class TenantSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            if isinstance(right, (int, float, Decimal)) and abs(right) > 64:
                raise SecurityError("exponent too large")
            if isinstance(left, (int, float, Decimal)) and abs(left) > 10**6:
                raise SecurityError("power of a large number")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > MAX_SEQUENCE:
                    raise SecurityError("repetition too large")
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj, attr, value):
        # Padding methods allocate whatever width they are asked for.
        if isinstance(obj, str) and attr in _PADDING_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)


_PADDING_METHODS = frozenset(["center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map"])


def _limited_range(budget: _Budget):
    def limited_range(*args):
        items = range(*args)
        budget.range_left -= len(items)
        if budget.range_left < 0:
            raise SecurityError("range() too large")
        return items

    return limited_range


def css_string(value) -> Markup:
    """A value as a CSS string literal (for @page content such as "Page"): quoted, escaped."""
    text = str(value)
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;-_/()" else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{escaped}"')


def nl2br(value) -> Markup:
    """Plain text (a user's own message) as HTML with its line breaks kept."""
    from markupsafe import escape

    return Markup("<br>\n").join(escape(line) for line in str(value).splitlines())


def _environment(autoescape: bool) -> TenantSandbox:
    env = TenantSandbox(autoescape=autoescape, undefined=StrictUndefined, trim_blocks=False)
    env.filters["css_string"] = css_string
    env.filters["nl2br"] = nl2br
    # range() is given per render (with its budget); lipsum and the padding filters
    # would produce as much text as asked.
    for name in ("range", "lipsum"):
        env.globals.pop(name, None)
    for name in ("center", "indent", "wordwrap", "format"):
        env.filters.pop(name, None)
    return env


_HTML_ENV = _environment(True)
_TEXT_ENV = _environment(False)


def check_plain(value, path="context"):
    """Refuse anything but plain data in a context (a model instance would open the ORM)."""
    if value is None or isinstance(value, (str, bool, int, float, Decimal)):
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path}: keys must be strings")
            check_plain(item, f"{path}.{key}")
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            check_plain(item, f"{path}[{index}]")
        return
    raise TypeError(f"{path}: {type(value).__name__} is not plain data")


def _line_of(exc: BaseException) -> int | None:
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == SOURCE_NAME:
            line = lineno
    return line


def render(source: str, context: dict, *, part: str = "html", autoescape: bool = True) -> str:
    """Render a tenant template with plain-data `context`; any failure is a TemplateError."""
    check_plain(context)
    env = _HTML_ENV if autoescape else _TEXT_ENV
    if len(source.encode()) > MAX_SOURCE:
        raise TemplateError("too_large", part=part, limit=MAX_SOURCE // 1024)
    try:
        template = env.compile(env.parse(source, name=None, filename=SOURCE_NAME), name=None, filename=SOURCE_NAME)
        template = env.template_class.from_code(env, template, env.make_globals(None), None)
    except TemplateSyntaxError as exc:
        raise TemplateError("syntax", part=part, line=exc.lineno, detail=exc.message or "") from None
    budget = _Budget()
    chunks, size = [], 0
    started = time.monotonic()
    try:
        for chunk in template.generate({**context, "range": _limited_range(budget)}):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateError("output_too_large", part=part, limit=MAX_OUTPUT // (1024 * 1024))
            if time.monotonic() - started > MAX_SECONDS:
                raise TemplateError("too_slow", part=part)
            chunks.append(chunk)
    except TemplateError:
        raise
    except UndefinedError as exc:
        raise TemplateError("undefined", part=part, line=_line_of(exc), detail=_undefined_name(exc)) from None
    except SecurityError as exc:
        raise TemplateError("forbidden", part=part, line=_line_of(exc), detail=str(exc)) from None
    except TemplateSyntaxError as exc:
        raise TemplateError("syntax", part=part, line=exc.lineno, detail=exc.message or "") from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError, RecursionError) as exc:
        raise TemplateError("failed", part=part, line=_line_of(exc), detail=str(exc)[:200]) from None
    return "".join(chunks)


def _undefined_name(exc: UndefinedError) -> str:
    # Jinja says "'customer' is undefined" or "'dict object' has no attribute 'nme'".
    return str(exc.message or exc)[:200]


def context_json(context: dict) -> str:
    """A stable serialisation of a context (for cache keys)."""
    return json.dumps(context, sort_keys=True, default=str, ensure_ascii=False)
