"""The mediator's terminal page says whether the terminal is online, checked against an address
the mediator chose (setting online_check)."""

from __future__ import annotations

import socket

import pytest

from core.config import Config, SettingError
from portal.mediator import online


@pytest.fixture(autouse=True)
def fresh():
    online.forget()
    yield
    online.forget()


def set_check(state, address: str) -> None:
    config = Config.load(state)
    config.set("online_check", address)
    config.save()


def test_no_address_means_not_checked_and_said_so(mediator):
    page = mediator.get("/mediateur/").get_data(as_text=True)
    assert "Non vérifiée" in page and "online_check" in page


def test_an_address_that_answers_means_online(mediator, state):
    with socket.create_server(("127.0.0.1", 0)) as listener:
        address = f"127.0.0.1:{listener.getsockname()[1]}"
        set_check(state, address)
        page = mediator.get("/mediateur/").get_data(as_text=True)
    assert f"En ligne : {address} répond." in page


def test_an_address_that_does_not_answer_means_offline(mediator, state):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    set_check(state, f"127.0.0.1:{port}")
    page = mediator.get("/mediateur/").get_data(as_text=True)
    assert f"Hors ligne : 127.0.0.1:{port} ne répond pas" in page


def test_the_result_is_remembered_for_a_while():
    clock = [1000.0]
    with socket.create_server(("127.0.0.1", 0)) as listener:
        address = f"127.0.0.1:{listener.getsockname()[1]}"
        assert online.check(address, now=lambda: clock[0]).online is True
    assert online.check(address, now=lambda: clock[0] + 10).online is True  # cached
    assert online.check(address, now=lambda: clock[0] + 60).online is False


@pytest.mark.parametrize("bad", ["nothing", "a:b", "https://x.fr:443", "x.fr:0", "x.fr:70000",
                                 "a b:443", "a:1:2"])
def test_bad_addresses_are_refused_with_an_example(tmp_path, bad):
    with pytest.raises(SettingError, match="www.service-public.fr:443"):
        Config(tmp_path).set("online_check", bad)


def test_good_addresses_are_normalised(tmp_path):
    assert Config(tmp_path).set("online_check", "WWW.Service-Public.fr:0443") \
        == "www.service-public.fr:443"
    assert Config(tmp_path).set("online_check", "") == ""
