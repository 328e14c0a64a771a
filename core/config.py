"""Terminal settings as one declarative table: name, default, help, validation.

Layered: defaults < `config.toml` in the state dir. Shown by `kiosk config show`, changed by
`kiosk config set` and the mediator page; every value is validated the same way everywhere.
Session limits (idle, warning, maximum) live in the policy's [session] table, not here.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.atomic import atomic_write
from core.text import neutralise_bidi

CONFIG_NAME = "config.toml"
LANGUAGES = ("fr", "en", "ar", "es", "pt", "tr", "ro", "fa", "ps")


class SettingError(ValueError):
    """A value a mediator gave is not acceptable; the message says what is expected."""


def _text(max_length: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if isinstance(value, str):  # no bidi override (a name must read as it is written)
            value = " ".join(neutralise_bidi(value).split())  # nor line breaks
        if not isinstance(value, str) or not value.strip() or len(value) > max_length:
            raise SettingError(f"text of 1 to {max_length} characters expected")
        return value.strip()
    return check


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "yes", "oui", "on", "1", "false", "no",
                                                    "non", "off", "0"):
        return value.lower() in ("true", "yes", "oui", "on", "1")
    raise SettingError("true or false expected")


def _languages(value: Any) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise SettingError("a list of language codes expected, e.g. fr,en,ar")
    codes = [str(item).strip().lower() for item in items]
    unknown = [code for code in codes if code not in LANGUAGES]
    if unknown:
        raise SettingError(f"unknown language {', '.join(unknown)}; available: "
                           f"{', '.join(LANGUAGES)}")
    if codes[0] != "fr" and "fr" not in codes:
        codes.insert(0, "fr")
    return list(dict.fromkeys(codes))


def _port(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SettingError("a port number expected") from None
    if not 1024 <= number <= 65535:
        raise SettingError("a port between 1024 and 65535 expected")
    return number


def _optional_text(max_length: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value == "":
            return ""
        return _text(max_length)(value)
    return check


def _seconds(low: int, high: int) -> Callable[[Any], int]:
    return _integer(low, high, "a number of seconds")


def _whole(low: int, high: int) -> Callable[[Any], int]:
    return _integer(low, high, "a whole number")


def _integer(low: int, high: int, what: str) -> Callable[[Any], int]:
    """A check for an integer in [low, high] (not a bool); SettingError names `what` it wants."""
    def check(value: Any) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise SettingError(f"{what} from {low} to {high} expected") from None
        if isinstance(value, bool) or not low <= number <= high:
            raise SettingError(f"{what} from {low} to {high} expected")
        return number
    return check


def _address(value: Any) -> str:
    """host:port the terminal tries to reach to say whether it is online; "" for no check."""
    if value == "":
        return ""
    if not isinstance(value, str) or len(value) > 255 or value.count(":") != 1:
        raise SettingError("host:port expected, e.g. www.service-public.fr:443 (empty: no check)")
    host, _, port = value.strip().partition(":")
    if not host or any(c in host for c in "/ @?#") or not port.isdigit() \
            or not 1 <= int(port) <= 65535:
        raise SettingError("host:port expected, e.g. www.service-public.fr:443 (empty: no check)")
    return f"{host.lower()}:{int(port)}"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    validate: Callable[[Any], Any]
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("association_name", "Association", "Name shown on the welcome screen.", _text(80)),
    Setting("logo", "", "Logo file name inside the state dir (PNG or JPEG), empty for none.",
            _optional_text(200)),
    Setting("languages", ["fr", "en", "ar"],
            "Languages offered to residents (French always first).", _languages),
    Setting("downloads", True, "Residents may download documents.", _boolean),
    Setting("printing", True, "Residents may print.", _boolean),
    Setting("wiped_notice_seconds", 4,
            "Seconds the \"Session effacée\" confirmation shows before the welcome screen "
            "(0: none).", _seconds(0, 30)),
    Setting("question_outcome", True,
            "Ask \"Avez-vous pu faire votre démarche ?\" when a resident ends a session.",
            _boolean),
    Setting("question_first_time", False,
            "Ask \"Première fois sur cette borne ?\" when a resident ends a session.", _boolean),
    Setting("question_age_band", False,
            "Ask the resident's age band (under 26, 26-59, 60 and over) at the end.", _boolean),
    Setting("small_count_threshold", 3,
            "In exports, profile and outcome counts from 1 to this minus one read \"< N\" "
            "(small counts can point at a person).", _whole(1, 20)),
    Setting("mediator_network_access", False,
            "Mediator pages also served on the network, port portal_port + 1 "
            "(trusted network only).",
            _boolean),
    Setting("require_signed_policy", False,
            "Refuse a policy file that is not signed by a trusted key.", _boolean),
    Setting("online_check", "",
            "host:port the terminal tries to reach to tell mediators whether it is online "
            "(e.g. www.service-public.fr:443); empty: not checked.", _address),
    Setting("portal_port", 8765, "Port of the portal on 127.0.0.1.", _port),
    Setting("admin_password_hash", "",
            "Mediator password hash (set with `kiosk mediator set-password`).",
            _optional_text(400), secret=True),
)
BY_NAME = {setting.name: setting for setting in SETTINGS}


class Config:
    """The settings of one terminal, read from and written to `config.toml`."""

    def __init__(self, state_dir: Path, values: dict[str, Any] | None = None):
        self.path = Path(state_dir) / CONFIG_NAME
        self.values = {s.name: s.default for s in SETTINGS} | (values or {})

    @classmethod
    def load(cls, state_dir: Path) -> Config:
        """Read config.toml; unknown or invalid entries are errors naming the key."""
        path = Path(state_dir) / CONFIG_NAME
        if not path.exists():
            return cls(state_dir)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingError(f"{path}: not valid TOML: {exc}") from exc
        values = {}
        for name, value in raw.items():
            if name not in BY_NAME:
                raise SettingError(f"{path}: unknown setting '{name}'")
            try:
                values[name] = BY_NAME[name].validate(value)
            except SettingError as exc:
                raise SettingError(f"{path}: {name}: {exc}") from exc
        return cls(state_dir, values)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def set(self, name: str, value: Any) -> Any:
        """Validate and set one value (not saved until `save`)."""
        if name not in BY_NAME:
            raise SettingError(f"unknown setting '{name}'; known: {', '.join(BY_NAME)}")
        try:
            self.values[name] = BY_NAME[name].validate(value)
        except SettingError as exc:
            raise SettingError(f"{name}: {exc}") from exc
        return self.values[name]

    def save(self) -> None:
        """Write only the values that differ from defaults;
        0600 because it holds the password hash."""
        lines = ["# kiosk terminal settings (see `kiosk config show`)"]
        for setting in SETTINGS:
            value = self.values[setting.name]
            if value != setting.default:
                lines.append(f"{setting.name} = {_toml_value(value)}")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, ("\n".join(lines) + "\n").encode(), mode=0o600)

    def describe(self) -> list[tuple[str, str, str]]:
        """(name, shown value, help) for every setting; secrets are never shown."""
        rows = []
        for setting in SETTINGS:
            value = self.values[setting.name]
            shown = ("(set)" if value else "(not set)") if setting.secret else _toml_value(value)
            rows.append((setting.name, shown, setting.help))
        return rows


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # JSON string escapes are valid TOML
