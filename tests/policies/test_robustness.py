"""Whatever a catalogue file or a host pattern holds, the loader answers with a valid policy or
its own error (a line and a reason for the mediator), never another exception."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies import (
    HostPattern,
    HostPatternError,
    Policy,
    PolicyError,
    parse_host_pattern,
    parse_policy,
)

EXAMPLES = 10_000  # the issue asks for at least this many per test
BIG = settings(max_examples=EXAMPLES, deadline=None, database=None,
               suppress_health_check=list(HealthCheck))

# Characters that mean something in a host pattern, digits from other scripts (which
# str.isdigit() accepts and int() may refuse), bidi controls and a few letters.
HOST_ALPHABET = ("abcz019-.*:[]/@?#%\\ _~\t\n\r\x00²³¹٣०１ａ\u202e\u2066ß.ǅΩé" + "xn--")
host_text = st.one_of(st.text(alphabet=HOST_ALPHABET, max_size=30), st.text(max_size=30))


@pytest.mark.slow
@BIG
@given(text=host_text)
def test_a_host_pattern_is_parsed_or_explained_never_crashes(text):
    try:
        pattern = parse_host_pattern(text)
    except HostPatternError as exc:
        assert str(exc)
        return
    assert isinstance(pattern, HostPattern)
    assert pattern.port == "" or (pattern.port.isascii() and pattern.port.isdigit())
    assert parse_host_pattern(pattern.text) == pattern  # what it says it is, it is


# ------------------------------------------------------------------------ catalogue documents
# Documents are drawn line by line from cheap pieces (10,000 of them must run in about a minute):
# the headers and keys a catalogue has, values a mediator or an attacker could write, and noise.
KEYS = ["version", "id", "name", "label", "category", "url", "hosts", "description", "icon",
        "keywords", "idle_minutes", "warning_seconds", "max_minutes", "strict_resources", "x"]
HEADERS = ["[session]", "[[category]]", "[[site]]", "[[shared]]", "[site]", "[[site.hosts]]",
           "[x]"]
VALUES = ['1', '2', '"1"', 'true', '0.5', '1e400', 'nan', '-inf', '99999999999999999999',
          '"caf"', '"famille"', '"https://www.caf.fr/"', '"http://caf.localhost:8080/"',
          '"https://caf.fr\\r\\nX: y"', '["caf.fr", "*.caf.fr"]', '["caf.fr:²"]',
          '["caf.fr:٣"]', '["*.github.io"]', '["localhost"]', '["127.0.0.1"]', '[]', '{}',
          '"a\\u202eb"', '[1, "a"]', '[[["caf.fr"]]]', '{a = {b = 1}}', '1979-05-27T07:32:00Z',
          '"\\ud800"']
text_value = st.text(max_size=12).map(lambda t: json.dumps(t))
value = st.one_of(st.sampled_from(VALUES), text_value,
                  st.lists(st.one_of(st.sampled_from(VALUES), text_value), max_size=3)
                  .map(lambda items: "[" + ", ".join(items) + "]"))
line = st.one_of(st.sampled_from(HEADERS), st.sampled_from(HEADERS), st.text(max_size=15),
                 st.tuples(st.sampled_from(KEYS), value).map(lambda kv: f"{kv[0]} = {kv[1]}"),
                 st.tuples(st.sampled_from(KEYS), value).map(lambda kv: f"{kv[0]} = {kv[1]}"))
# Nesting around the loader's limit, and far past what tomllib can recurse into.
deep = st.tuples(st.sampled_from(["[", "{a="]), st.sampled_from([1, 7, 8, 9, 40, 400, 1200])) \
    .map(lambda d: f"deep = {d[0] * d[1]}1{(']' if d[0] == '[' else '}') * d[1]}")


@st.composite
def documents(draw) -> str:
    lines = draw(st.lists(line, max_size=10))
    if draw(st.integers(0, 9)) == 0:  # one document in ten nests something
        lines.insert(draw(st.integers(0, len(lines))), draw(deep))
    return "\n".join(["version = 1", *lines]) + "\n"


@pytest.mark.slow
@BIG
@given(text=documents())
def test_a_catalogue_is_loaded_or_explained_never_crashes(text):
    try:
        policy = parse_policy(text.encode("utf-8", errors="surrogatepass"), "<hypothesis>")
    except PolicyError as exc:
        assert exc.issues and all(issue.code and issue.message for issue in exc.issues)
        return
    assert isinstance(policy, Policy)


@pytest.mark.parametrize("open_, close", [("[", "]"), ("{a=", "}")])
def test_a_deeply_nested_catalogue_gets_an_error_not_a_recursion_crash(open_, close):
    text = f"version = 1\ndeep = {open_ * 500}{'1' if close == '}' else ''}{close * 500}\n"
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "deep.toml")
    assert caught.value.codes == ["too_deep"]


@pytest.mark.parametrize("port", ["²", "٣", "１", "৪৪৩"])
def test_a_port_in_other_digits_is_refused_with_a_message(port):
    with pytest.raises(HostPatternError, match="port"):
        parse_host_pattern(f"caf.localhost:{port}")


def test_a_port_with_leading_zeros_is_written_as_the_browser_reads_it():
    assert parse_host_pattern("caf.localhost:08443").port == "8443"
