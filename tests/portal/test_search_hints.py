"""Every example a search hint shows finds its site, in every language: the test reads the
hint on the page itself, so a translation that changes an example is checked too."""

from __future__ import annotations

import html
import re

import pytest

# The hint's examples, in order, and the site each one is an example of.
EXAMPLE_SITES = ("france_travail", "ameli", "impots")
LABEL = re.compile(r'<label for="q">(.*?)</label>', re.S)


def hint_examples(page: str) -> list[str]:
    label = html.unescape(LABEL.search(page).group(1))
    inside = label[label.index("(") + 1:label.rindex(")")]
    listed = re.split(r"[:：]", inside, maxsplit=1)[1]
    return [word.strip() for word in re.split(r"[,،]", listed) if word.strip()]


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_every_example_of_the_hint_finds_its_site(client, session, language):
    session.set_language(language)
    examples = hint_examples(client.get("/accueil").get_data(as_text=True))
    assert len(examples) == len(EXAMPLE_SITES), examples
    for example, site in zip(examples, EXAMPLE_SITES, strict=True):
        found = client.get("/accueil", query_string={"q": example}).get_data(as_text=True)
        assert f'href="/ouvrir/{site}"' in found, (language, example)


def test_arabic_unemployment_finds_france_travail(client, session):
    session.set_language("ar")
    found = client.get("/accueil", query_string={"q": "البطالة"}).get_data(as_text=True)
    assert 'href="/ouvrir/france_travail"' in found
