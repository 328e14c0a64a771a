"""Mediator area costs: one password check (scrypt), one catalogue save, one live validation.

Prints medians of a few runs; a password check should stay well under a second on a small PC,
and a save (validate, archive, atomic write, fsync) should feel instant.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.config import Config  # noqa: E402
from core.passwords import hash_password, verify_password  # noqa: E402
from kiosk.portal_wiring import mediator_config  # noqa: E402
from portal import create_app  # noqa: E402

RUNS = 9
SITE = {"name": "Mairie", "category": "famille_scolarite", "url": "https://www.mairie.example.fr/",
        "hosts": "mairie.example.fr\n*.mairie.example.fr", "description": "Démarches"}


def median_ms(action) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    stored = hash_password("un mot de passe")
    print("scrypt verify (n=2**14, r=8, p=1): "
          f"{median_ms(lambda: verify_password(stored, 'x')):.1f} ms")
    with tempfile.TemporaryDirectory() as state:
        config = Config(Path(state))
        config.set("admin_password_hash", stored)
        config.save()
        app = create_app({"TESTING": True, **mediator_config(Path(state))})
        client = app.test_client()
        page = client.get("/mediateur/connexion").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post("/mediateur/connexion",
                    data={"password": "un mot de passe", "csrf_token": token})
        token = re.search(r'data-csrf="([^"]+)"',
                          client.get("/mediateur/").get_data(as_text=True)).group(1)
        check = median_ms(lambda: client.post("/mediateur/catalogue/verifier",
                                              data={**SITE, "csrf_token": token}))
        counter = iter(range(10_000))
        save = median_ms(lambda: client.post("/mediateur/catalogue/categories/nouvelle",
                                             data={"label": f"Catégorie {next(counter)}",
                                                   "csrf_token": token}))
        print(f"live validation of a site form: {check:.1f} ms")
        print(f"catalogue save (validate, archive, atomic write, fsync): {save:.1f} ms")
        print(f"ratio save / validation: {save / check:.1f}")


if __name__ == "__main__":
    main()
