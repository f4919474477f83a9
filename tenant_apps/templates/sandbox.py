"""Rendering tenant-written templates safely.

Templates are written by workspace admins and rendered in the web process and the worker,
so they run in Jinja's ImmutableSandboxedEnvironment with more limits on top:

* the context is plain data only (dicts, lists, strings, numbers, dates, booleans, None): a model
  instance never reaches a template, so there is no ORM, no `settings`, no file to reach;
* underscore attributes and unsafe methods are refused by the sandbox; so are str.format,
  `%` formatting and the padding methods and filters, which allocate any width asked for;
* `range()` is capped per render (the sum of all ranges, so nested loops count);
* every string or list a template builds (`~`, `+`, `*`, `|replace`, `|join`, and the str
  methods replace and join) is capped at MAX_STRING, measured BEFORE it is built: a list is
  small while it holds one big string many times, so a list counts the text it would become
  (its "volume"), and a join, a replace or a repetition is refused from the sizes of what goes
  in, never after the allocation; a MemoryError all the same is a plain render failure;
* the source is capped at MAX_SOURCE bytes, the output at MAX_OUTPUT, and the render is
  stopped after MAX_SECONDS (checked at every output chunk, range, join and operator);
* undefined variables fail loudly (StrictUndefined): a typo is caught when saving.

Every failure becomes a TemplateError with the line number in the author's source."""

import contextvars
import ctypes
import threading
import time
import traceback
from functools import lru_cache
from datetime import date
from decimal import Decimal

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from .errors import TemplateError

MAX_SOURCE = 200 * 1024
MAX_OUTPUT = 8 * 1024 * 1024
MAX_STRING = 1024 * 1024
MAX_RANGE_TOTAL = 10_000
MAX_SECONDS = 5.0
SOURCE_NAME = "<tenant-template>"


class _TooSlow(Exception):
    pass


class _Budget:
    """What one render may still spend."""

    def __init__(self):
        self.range_left = MAX_RANGE_TOTAL
        self.deadline = time.monotonic() + MAX_SECONDS

    def tick(self):
        if time.monotonic() > self.deadline:
            raise _TooSlow()


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("template_budget", default=None)


def _tick():
    budget = _budget.get()
    if budget is not None:
        budget.tick()


def _sized(value):
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_STRING:
        raise SecurityError("value too large")
    return value


def _volume(value, limit: int = MAX_STRING) -> int:
    """About how many characters `value` becomes as text, counted only until past `limit`
    (so measuring a huge list costs no more than reaching the cap)."""
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, (list, tuple)):
            total += 2 + 2 * len(item)  # brackets and separators
            if total <= limit:
                stack.extend(item)
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            if total <= limit:
                stack.extend(item.keys())
                stack.extend(item.values())
        else:
            total += 8  # numbers, dates, None: short
        if total > limit:
            return total
    return total


def _is_sequence(value) -> bool:
    return isinstance(value, (str, list, tuple))


def _check_join(items, separator) -> list:
    """`items` as a list, refused before joining when the result would pass MAX_STRING; a
    generator (`|map`) is read only as far as the cap."""
    separator_length = _volume(separator)
    found, total = [], 0
    for item in items:
        total += _volume(item, MAX_STRING - total) + (separator_length if found else 0)
        if total > MAX_STRING:
            raise SecurityError("value too large")
        found.append(item)
    return found


def _check_replace(text, old, new, count=None) -> None:
    """Refuse a replace whose result would pass MAX_STRING, from counting alone."""
    if not isinstance(text, str):
        if _volume(text) > MAX_STRING:
            raise SecurityError("value too large")
        text = str(text)
    old, new = str(old), str(new)
    hits = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    if len(text) + hits * max(len(new) - len(old), 0) > MAX_STRING:
        raise SecurityError("replace result too large")


class TenantSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def call_binop(self, context, operator, left, right):
        _tick()
        if operator == "%" and isinstance(left, str):
            raise SecurityError("string formatting with %")
        if operator == "**":
            if isinstance(right, (int, float, Decimal)) and abs(right) > 64:
                raise SecurityError("exponent too large")
            if isinstance(left, (int, float, Decimal)) and abs(left) > 10**6:
                raise SecurityError("power of a large number")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if _is_sequence(seq) and isinstance(count, int) and count > 0 and (
                        len(seq) * count > MAX_STRING or _volume(seq) * count > MAX_STRING):
                    raise SecurityError("repetition too large")
        if operator == "+" and (_is_sequence(left) or _is_sequence(right)) and (
                _volume(left) + _volume(right) > MAX_STRING):
            raise SecurityError("value too large")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value):
        # str.format pads to any width it is given ("{:>999999999}"): values go in with {{ }}.
        if super().wrap_str_format(value) is None:
            return None

        def refused(*args, **kwargs):
            raise SecurityError("str.format")

        return refused

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        _tick()
        # str.replace and str.join build as much as they are given: sized before they run.
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        if isinstance(owner, str) and name == "replace" and len(args) >= 2:
            _check_replace(owner, args[0], args[1], args[2] if len(args) > 2 else kwargs.get("count"))
        elif isinstance(owner, str) and name == "join" and len(args) == 1:
            args = (_check_join(args[0], owner),)
        return super().call(__context, __obj, *args, **kwargs)

    def is_safe_attribute(self, obj, attr, value):
        # Padding methods allocate whatever width they are asked for.
        if isinstance(obj, str) and attr in _PADDING_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)


_PADDING_METHODS = frozenset(["center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map"])


def _limited_range(budget: _Budget):
    def limited_range(*args):
        budget.tick()
        items = range(*args)
        budget.range_left -= len(items)
        if budget.range_left < 0:
            raise SecurityError("range() too large")
        return items

    return limited_range


def _capped_filter(original):
    def capped(*args, **kwargs):
        _tick()
        return _sized(original(*args, **kwargs))

    capped.jinja_pass_arg = getattr(original, "jinja_pass_arg", None)
    return capped


def _capped_join_filter(original):
    def join(eval_ctx, value, d="", attribute=None):
        _tick()
        return original(eval_ctx, _check_join(value, d), d, attribute)

    join.jinja_pass_arg = original.jinja_pass_arg
    return join


def _capped_replace_filter(original):
    def replace(eval_ctx, s, old, new, count=None):
        _tick()
        _check_replace(s, old, new, count)
        return original(eval_ctx, s, old, new, count)

    replace.jinja_pass_arg = original.jinja_pass_arg
    return replace


def _capped_markup_join(seq):
    _tick()
    return _sized(markup_join(_check_join(seq, "")))


def _capped_str_join(seq):
    _tick()
    return _sized(str_join(_check_join(seq, "")))


def _finalize(value):
    # `{{ value }}` turns a list into text: one holding a big string many times is refused
    # before it is written out, not after.
    if isinstance(value, (list, tuple, dict)) and _volume(value, MAX_OUTPUT) > MAX_OUTPUT:
        raise SecurityError("value too large")
    return value


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
    env = TenantSandbox(autoescape=autoescape, undefined=StrictUndefined, trim_blocks=False, finalize=_finalize)
    env.filters["css_string"] = css_string
    env.filters["nl2br"] = nl2br
    # range() is given per render (with its budget); lipsum and the padding filters
    # would produce as much text as asked.
    for name in ("range", "lipsum"):
        env.globals.pop(name, None)
    for name in ("center", "indent", "wordwrap", "format"):
        env.filters.pop(name, None)
    env.filters["join"] = _capped_join_filter(env.filters["join"])
    env.filters["replace"] = _capped_replace_filter(env.filters["replace"])
    for name in ("replace", "join", "list", "batch", "slice"):
        env.filters[name] = _capped_filter(env.filters[name])
    return env


_HTML_ENV = _environment(True)
_TEXT_ENV = _environment(False)


def check_plain(value, path="context"):
    """Refuse anything but plain data in a context (a model instance would open the ORM)."""
    if value is None or isinstance(value, (str, bool, int, float, Decimal, date)):
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


@lru_cache(maxsize=64)
def _compiled(source: str, autoescape: bool):
    env = _HTML_ENV if autoescape else _TEXT_ENV
    return env.compile(env.parse(source, name=None, filename=SOURCE_NAME), name=None, filename=SOURCE_NAME)


class _Watchdog:
    """Stops a render that runs past MAX_SECONDS even where no hook of ours runs (empty
    nested loops over the data): a timer raises _TooSlow in the rendering thread. The lock
    and the final clearing make sure it can never land after the render has ended."""

    def __init__(self, seconds: float):
        self.thread_id = threading.get_ident()
        self.lock = threading.Lock()
        self.active = True
        self.fired = False
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True

    def _fire(self):
        with self.lock:
            if self.active:
                self.fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread_id), ctypes.py_object(_TooSlow))

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc):
        with self.lock:
            self.active = False
            self.timer.cancel()
            if self.fired:  # clear it if it has not been raised yet
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread_id), None)
        return False


def render(source: str, context: dict, *, part: str = "html", autoescape: bool = True) -> str:
    """Render a tenant template with plain-data `context`; any failure is a TemplateError."""
    check_plain(context)
    env = _HTML_ENV if autoescape else _TEXT_ENV
    if len(source.encode()) > MAX_SOURCE:
        raise TemplateError("too_large", part=part, limit=MAX_SOURCE // 1024)
    try:
        code = _compiled(source, autoescape)
    except TemplateSyntaxError as exc:
        raise TemplateError("syntax", part=part, line=exc.lineno, detail=exc.message or "") from None
    template = env.template_class.from_code(env, code, env.make_globals(None), None)
    # `~` compiles to these two module-level helpers of the template's own namespace.
    namespace = template.root_render_func.__globals__
    namespace["markup_join"], namespace["str_join"] = _capped_markup_join, _capped_str_join
    budget = _Budget()
    token = _budget.set(budget)
    chunks, size = [], 0
    try:
        with _Watchdog(MAX_SECONDS + 0.5):
            for chunk in template.generate({**context, "range": _limited_range(budget)}):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise TemplateError("output_too_large", part=part, limit=MAX_OUTPUT // (1024 * 1024))
                budget.tick()
                chunks.append(chunk)
    except TemplateError:
        raise
    except _TooSlow:
        raise TemplateError("too_slow", part=part) from None
    except UndefinedError as exc:
        raise TemplateError("undefined", part=part, line=_line_of(exc), detail=_undefined_name(exc)) from None
    except SecurityError as exc:
        raise TemplateError("forbidden", part=part, line=_line_of(exc), detail=str(exc)) from None
    except TemplateSyntaxError as exc:
        raise TemplateError("syntax", part=part, line=exc.lineno, detail=exc.message or "") from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError, RecursionError) as exc:
        raise TemplateError("failed", part=part, line=_line_of(exc), detail=str(exc)[:200]) from None
    except MemoryError as exc:
        # Whatever slipped past the size checks: the render fails, the process carries on.
        raise TemplateError("failed", part=part, line=_line_of(exc), detail="out of memory") from None
    finally:
        _budget.reset(token)
    return "".join(chunks)


def _undefined_name(exc: UndefinedError) -> str:
    # Jinja says "'customer' is undefined" or "'dict object' has no attribute 'nme'".
    return str(exc.message or exc)[:200]
