"""The tiles follow the policy file: reloaded when it changes, none when it is invalid."""

from __future__ import annotations

from policies import default_policy_path
from portal import create_app
from tests.policytext import policy_toml, site

SMALL = policy_toml(site("caf", "CAF", "http://caf.localhost:8000/", ["caf.localhost:8000"],
                         description="Allocations")).encode()


def test_tiles_follow_policy_file_changes_and_invalid_file_shows_no_tile(tmp_path, session):
    path = tmp_path / "policy.toml"
    path.write_bytes(default_policy_path().read_bytes())
    client = create_app({"TESTING": True, "PORTAL_SESSION": session,
                         "PORTAL_POLICY": str(path)}).test_client()
    assert client.get("/accueil").get_data(as_text=True).count('class="tile"') == 19
    path.write_bytes(SMALL)
    html = client.get("/accueil").get_data(as_text=True)
    assert html.count('class="tile"') == 1 and "caf.localhost" not in html
    assert client.get("/ouvrir/caf").headers["Location"] == "http://caf.localhost:8000/"
    path.write_bytes(b"version = 1\n[[site]]\nid = 3\n")
    html = client.get("/accueil").get_data(as_text=True)
    assert 'class="tile"' not in html and "Aucun site n" in html
    assert client.get("/ouvrir/caf").status_code == 404


def test_missing_policy_file_fails_closed(tmp_path, session):
    client = create_app({"TESTING": True, "PORTAL_SESSION": session,
                         "PORTAL_POLICY": str(tmp_path / "absent.toml")}).test_client()
    assert 'class="tile"' not in client.get("/accueil").get_data(as_text=True)
