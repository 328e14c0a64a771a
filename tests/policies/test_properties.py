"""Property tests: whatever the path, query, port or userinfo, an unlisted host never opens."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policies import Frame

label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
listed_suffixes = ("caf.fr", "franceconnect.gouv.fr", "example.org", "test.localhost")
path_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


def _is_listed(host: str) -> bool:
    return any(host == s or host.endswith("." + s) for s in listed_suffixes) or host in (
        "ports.example.org", "127.0.0.1")


@settings(max_examples=400, deadline=None)
@given(labels=st.lists(label, min_size=2, max_size=5), path=path_text, query=path_text,
       port=st.one_of(st.none(), st.integers(1, 65535)), user=st.one_of(st.none(), st.sampled_from(
           ["caf.fr", "www.caf.fr:x", "franceconnect.gouv.fr"])),
       frame=st.sampled_from([Frame.MAIN_FRAME, Frame.SUBFRAME]))
def test_unlisted_host_is_refused_whatever_else_the_url_holds(allowlist, labels, path, query, port,
                                                              user, frame):
    host = ".".join(labels)
    if _is_listed(host):
        return
    authority = (f"{user}@" if user else "") + host + (f":{port}" if port else "")
    url = f"https://{authority}/{path}?{query}"
    assert not allowlist.decide(url, frame).allowed


@settings(max_examples=300, deadline=None)
@given(labels=st.lists(label, min_size=0, max_size=3), path=path_text)
def test_any_subdomain_of_a_wildcard_site_opens_whatever_the_path(allowlist, labels, path):
    host = ".".join([*labels, "www", "caf.fr"])
    assert allowlist.decide(f"https://{host}/{path}").site_id == "caf"


@settings(max_examples=300, deadline=None)
@given(prefix=st.lists(label, min_size=1, max_size=3), tail=label)
def test_a_listed_name_inside_another_host_never_matches(allowlist, prefix, tail):
    # caf.fr.<anything>, <anything>caf.fr, caf.fr-<anything> are all other hosts
    for host in (f"caf.fr.{'.'.join(prefix)}.net", f"{tail}caf.fr", f"caf.fr-{tail}.net"):
        if host.endswith(".caf.fr") or host == "caf.fr":
            continue
        assert not allowlist.decide(f"https://{host}/").allowed, host
