"""A broken policy names the file, the line, the field and what is expected."""

from __future__ import annotations

import pytest

from policies import PolicyError, load_policy, parse_policy

BASE = """version = 1

[[category]]
id = "famille"
label = "Famille"

[[site]]
id = "caf"
name = "CAF"
category = "famille"
url = "https://www.caf.fr/"
hosts = ["caf.fr", "*.caf.fr"]
"""


def errors_of(text: str) -> list:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "policy.toml")
    return caught.value.issues


def test_a_valid_policy_loads():
    policy = parse_policy(BASE)
    assert [s.id for s in policy.sites] == ["caf"]
    assert policy.session.idle_minutes == 5


@pytest.mark.parametrize(("text", "code", "line", "field", "words"), [
    (BASE + 'colour = "red"\n', "unknown_key", 13, "site.colour", "unknown key 'colour'"),
    (BASE.replace("version = 1", "version = 2"), "unsupported_version", 1, "version", "must be 1"),
    (BASE + '\n[session]\nidle_minutes = "five"\n', "wrong_type", 15,
     "session.idle_minutes", "a number"),
    (BASE + '\n[session]\nmax_minutes = 100000\n', "out_of_range", 15,
     "session.max_minutes", "between"),
    (BASE + '\n[session]\nstrict_resources = 1\n', "wrong_type", 15, "session.strict_resources",
     "true or false"),
    (BASE + '\n[session]\nidle = 3\n', "unknown_key", 15, "session.idle", "unknown key 'idle'"),
    (BASE.replace('category = "famille"', 'category = "santé"'), "unknown_category", 10,
     "site.category", "which no [[category]] defines"),
    (BASE.replace('url = "https://www.caf.fr/"', 'url = "https://www.ameli.fr/"'),
     "url_outside_hosts", 11, "site.url", "not covered"),
    (BASE.replace('url = "https://www.caf.fr/"', 'url = "http://www.caf.fr/"'), "insecure_url", 11,
     "site.url", "https://"),
    (BASE.replace('"*.caf.fr"', '"*.fr"'), "invalid_host_pattern", 12, "site.hosts", "two labels"),
    (BASE.replace('"*.caf.fr"', '"https://caf.fr"'), "invalid_host_pattern", 12, "site.hosts",
     "without a scheme"),
    (BASE.replace('"*.caf.fr"', '"caf.*.fr"'), "invalid_host_pattern", 12, "site.hosts",
     "leading '*.'"),
    (BASE.replace('"*.caf.fr"', '"caf.fr:99999"'), "invalid_host_pattern", 12,
     "site.hosts", "port"),
    (BASE.replace('"*.caf.fr"', '"caf fr"'), "invalid_host_pattern", 12, "site.hosts",
     "not allowed"),
    (BASE.replace('"*.caf.fr"', '"caf"'), "invalid_host_pattern", 12, "site.hosts",
     "needs a domain"),
    (BASE.replace('hosts = ["caf.fr", "*.caf.fr"]', 'hosts = []'), "wrong_type", 12, "site.hosts",
     "non-empty"),
    (BASE.replace('name = "CAF"\n', ''), "missing_key", 7, "site.name", "needs 'name'"),
    (BASE.replace('id = "caf"', 'id = "CAF!"'), "invalid_id", 8, "site.id", "lower-case"),
    (BASE + BASE.split("version = 1")[1].split("[[site]]")[0], "duplicate_id", 16, "category.id",
     "used twice"),
    (BASE + '\n[[shared]]\nid = "caf"\nname = "x"\nhosts = ["x.fr"]\n', "duplicate_id", 15,
     "shared.id", "used twice"),
    ('version = 1\n[[site]\nid = "x"\n', "toml_syntax", 2, None, "not valid TOML"),
])
def test_each_error_names_its_line_field_and_expectation(text, code, line, field, words):
    issues = errors_of(text)
    match = [i for i in issues if i.code == code]
    assert match, [str(i) for i in issues]
    issue = match[0]
    assert issue.file == "policy.toml"
    assert issue.line == line, str(issue)
    assert issue.field == field
    assert words in issue.message
    assert str(issue).startswith(f"policy.toml:{line}")


def test_all_errors_are_reported_at_once():
    text = BASE.replace('category = "famille"', 'category = "x"') + 'colour = "red"\n'
    assert {"unknown_category", "unknown_key"} <= {i.code for i in errors_of(text)}


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path / "nope.toml")
    assert caught.value.codes == ["unreadable"]


def test_unicode_host_patterns_are_stored_as_punycode():
    text = BASE.replace('"*.caf.fr"', '"*.caf.fr", "café.fr"')
    site = parse_policy(text).sites[0]
    assert "xn--caf-dma.fr" in {p.host for p in site.hosts}
