"""Tenant templates cannot reach out of the sandbox, run away, or fail without a clear error."""

import pytest

from tenant_apps.templates import sandbox
from tenant_apps.templates.errors import TemplateError
from tenant_apps.templates.sandbox import render

CONTEXT = {"document": {"number": "INV-1", "lines": ["a", "b"]}, "customer": {"name": "<Initech>"}}


def _error(source, context=CONTEXT, **kwargs) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        render(source, context, **kwargs)
    return caught.value


def test_values_are_escaped_for_html():
    assert render("{{ customer.name }} {{ document.number }}", CONTEXT) == "&lt;Initech&gt; INV-1"


def test_text_parts_are_not_escaped():
    assert render("{{ customer.name }}", CONTEXT, autoescape=False) == "<Initech>"


@pytest.mark.parametrize("source", [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ document.__class__ }}",
    "{{ (document|attr('__class__')) }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ namespace.__init__ }}",
])
def test_underscore_attributes_are_refused(source):
    error = _error(source)
    assert error.code == "forbidden"
    assert error.line == 1


def test_a_method_that_mutates_is_refused():
    assert _error("{% set x = document.lines.append('c') %}").code == "forbidden"


@pytest.mark.parametrize("source", ["{{ settings.SECRET_KEY }}", "{{ request.user }}", "{{ config }}", "{{ self.__dict__ }}"])
def test_settings_and_other_globals_do_not_exist(source):
    error = _error(source)
    assert error.code in ("undefined", "forbidden")


def test_a_model_instance_is_refused_in_the_context(in_acme, owner):
    with pytest.raises(TypeError, match="not plain data"):
        render("{{ user.email }}", {"user": owner})


def test_a_function_is_refused_in_the_context():
    with pytest.raises(TypeError):
        render("{{ f() }}", {"f": open})


@pytest.mark.parametrize("source", [
    "{% for i in range(100000000) %}{% endfor %}",
    "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
    "{{ range(10**6)|list|length }}",
])
def test_huge_ranges_are_refused(source):
    error = _error(source)
    assert error.code in ("forbidden", "failed")
    assert "range" in error.message or "exponent" in error.message or error.code == "failed"


def test_small_ranges_work():
    assert render("{% for i in range(3) %}{{ i }}{% endfor %}", {}) == "012"


@pytest.mark.parametrize("source", [
    "{{ 'x' * 10000000 }}",
    "{{ [1] * 10000000 }}",
    "{{ 9 ** 9999999 }}",
    "{{ 'x'.ljust(100000000) }}",
    "{{ '{:>100000000}'.format(1) }}",
    "{{ '%100000000s' % 1 }}",
])
def test_memory_bombs_are_refused(source):
    assert _error(source).code == "forbidden"


@pytest.mark.parametrize("source", ["{{ 'x'|center(100000000) }}", "{{ lipsum(100000) }}"])
def test_padding_filters_and_lipsum_are_not_available(source):
    assert _error(source).code in ("syntax", "undefined")


def test_the_output_is_capped(monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_OUTPUT", 1000)
    source = "{% for i in range(100) %}" + "x" * 100 + "{% endfor %}"
    assert _error(source).code == "output_too_large"


def test_an_oversized_template_is_refused():
    assert _error("x" * (sandbox.MAX_SOURCE + 1)).code == "too_large"


def test_a_syntax_error_names_its_line():
    error = _error("<p>one</p>\n<p>two</p>\n{% if document.number %}\n<p>never closed</p>\n")
    assert error.code == "syntax"
    assert error.line == 3  # where the unclosed block opens
    assert error.message.startswith(f"Line {error.line}:")


def test_an_unknown_variable_names_its_line_and_itself():
    error = _error("<p>\n\n{{ customer.nmae }}</p>")
    assert error.code == "undefined"
    assert error.line == 3
    assert "nmae" in error.message


def test_a_division_by_zero_is_a_template_error():
    error = _error("\n{{ 1 / 0 }}")
    assert (error.code, error.line) == ("failed", 2)


def test_errors_are_translated():
    from django.utils import translation

    with translation.override("bg"):
        message = _error("{{ nope }}").message
    assert message.startswith("Ред 1:")


def test_css_string_escapes_quotes_for_css():
    assert render("{{ v|css_string }}", {"v": 'Page "1"'}) == '"Page \\22 1\\22 "'


@pytest.mark.parametrize("source", [
    "{% set ns = namespace(s='xxxxxxxxxx') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set a = 'xxxxxxxxxx' %}" + "{% set a = a ~ a %}" * 40,
    "{% set a = 'xxxxxxxxxx' %}" + "{% set a = a + a %}" * 40,
    "{% set a = 'aaaa' %}" + "{% set a = a|replace('a', 'aaaa') %}" * 20,
])
def test_doubling_a_value_cannot_fill_memory(source):
    assert _error(source).code == "forbidden"


@pytest.mark.parametrize("source", [
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "{% for a in l %}{% for b in l %}{% for c in l %}{% for d in l %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
])
def test_a_render_that_runs_too_long_is_stopped(monkeypatch, source):
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.3)
    assert _error(source, {"l": list(range(500))}).code == "too_slow"


BIG = '{% set s = "a" * 1000000 %}'
WIDE = '"' + "b" * 200 + '"'


@pytest.mark.parametrize("source", [
    BIG + "{{ ([s] * 300)|join }}",
    BIG + "{{ ([s] * 1000000)|join }}",
    BIG + "{{ s|replace('a', " + WIDE + ") }}",
    BIG + "{{ s.replace('a', " + WIDE + ") }}",
    BIG + "{{ [s, s, s, s]|join }}",
    BIG + "{{ [s, s, s, s]|map('upper')|join }}",
    BIG + "{{ ''.join([s, s, s]) }}",
    BIG + "{{ [s, s] ~ '' }}",
    BIG + "{{ [s] + [s] }}",
    BIG + "{{ [" + ", ".join(["s"] * 20) + "] }}",
    '{% set s = "a" * 1000 %}{{ s|join("' + "x" * 2000 + '") }}',
])
def test_big_values_are_refused_before_they_are_built(source):
    # given a template that would build hundreds of megabytes from one 1 MB string
    import tracemalloc

    tracemalloc.start()
    try:
        # when it is rendered
        error = _error(source)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # then it is refused with a clear error, having allocated little
    assert error.code == "forbidden" and error.line == 1
    assert peak < 50 * 1024 * 1024


def test_a_memory_error_is_a_render_failure(monkeypatch):
    # given a render that runs out of memory all the same
    def exhausted(seq):
        raise MemoryError

    monkeypatch.setattr(sandbox, "_capped_markup_join", exhausted)
    # when it renders, then a plain TemplateError, not a crash
    assert _error("{{ document.number ~ 'b' }}").code == "failed"


def test_ordinary_joins_and_replaces_still_work():
    source = ("{{ ['a', 'b']|join(', ') }} {{ 'abc'|replace('b', 'xx') }} {{ 'a-b'.replace('-', '+') }} "
              "{{ ', '.join(['x', 'y']) }} {{ [1, 2] }} {{ 'x' ~ 1 }} {{ 'ab' * 3 }} {{ [1] * 3 }}")
    assert render(source, CONTEXT) == "a, b axxc a+b x, y [1, 2] x1 ababab [1, 1, 1]"
