"""Load and validate a policy TOML file, collecting every error with its line and field."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import ada_url

from core.text import has_bidi_controls, neutralise_bidi

from .breadth import check_breadth
from .errors import PolicyError, PolicyIssue
from .hostpattern import HostPatternError, is_loopback, parse_host_pattern
from .model import Category, Policy, SessionLimits, SharedService, Site

SUPPORTED_VERSION = 1
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")

_TOP_KEYS = {"version", "session", "category", "site", "shared"}
_SESSION = {  # key: (type, minimum, maximum)
    "idle_minutes": ((int, float), 0.05, 240),
    "warning_seconds": ((int,), 5, 600),
    "max_minutes": ((int, float), 0.1, 480),  # fractions: short test sessions
    "strict_resources": ((bool,), None, None),
}
_CATEGORY_KEYS = {"id": True, "label": True, "icon": False}
_SITE_KEYS = {"id": True, "name": True, "category": True, "url": True, "hosts": True,
              "description": False, "icon": False, "keywords": False}
_SHARED_KEYS = {"id": True, "name": True, "hosts": True}


def default_policy_path() -> Path:
    """The catalogue shipped with kiosk (19 approved administrative sites)."""
    return Path(str(resources.files("policies") / "default_policy.toml"))


def load_policy(path: str | Path) -> Policy:
    """Read and validate a policy file; raise PolicyError listing every problem."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicyError([PolicyIssue("unreadable", f"cannot read the file: {exc.strerror}",
                                       str(path))]) from exc
    return parse_policy(data, str(path))


def parse_policy(data: bytes | str, filename: str = "<policy>") -> Policy:
    """Validate policy text; raise PolicyError listing every problem with its line."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise PolicyError([PolicyIssue("toml_syntax", f"not valid TOML: {exc}", filename,
                                       int(line.group(1)) if line else None)]) from exc
    except RecursionError as exc:  # tomllib parses nested arrays and tables recursively
        raise _too_deep(filename) from exc
    if _depth(raw) > MAX_DEPTH:
        raise _too_deep(filename)
    return _Validator(text, filename).validate(raw)


MAX_DEPTH = 8  # a catalogue nests tables and lists three levels deep at most


def _too_deep(filename: str) -> PolicyError:
    return PolicyError([PolicyIssue("too_deep", "lists or tables are nested too deeply for a "
                                    "catalogue", filename)])


def _depth(value: Any, limit: int = MAX_DEPTH + 1) -> int:
    """How deeply lists and tables nest (counting stops past `limit`: no recursion to fear)."""
    deepest, level = 0, [value]
    while level and deepest <= limit:
        level = [child for item in level if isinstance(item, (list, dict))
                 for child in (item.values() if isinstance(item, dict) else item)]
        deepest += 1
    return deepest - 1


class _LineIndex:
    """Maps a table (`site` number 3) and key to the line it was written on, for error messages."""

    def __init__(self, text: str):
        self.tables: dict[tuple[str, int], tuple[int, int]] = {}
        counts: dict[str, int] = {}
        starts: list[tuple[str, int, int]] = [("", 0, 1)]
        for number, line in enumerate(text.splitlines(), 1):
            match = _HEADER.match(line)
            if match:
                name = match.group(2)
                index = counts.get(name, 0)
                counts[name] = index + 1
                starts.append((name, index, number))
        self.lines = text.splitlines()
        for position, (name, index, start) in enumerate(starts):
            end = starts[position + 1][2] - 1 if position + 1 < len(starts) else len(self.lines)
            self.tables[(name, index)] = (start, end)

    def line(self, table: str, index: int = 0, key: str | None = None) -> int | None:
        span = self.tables.get((table, index))
        if span is None:
            return None
        start, end = span
        if key:
            for number in range(start, end + 1):
                match = _KEY.match(self.lines[number - 1]) if number - 1 < len(self.lines) else None
                if match and match.group(1) == key:
                    return number
        return start if table else None


class _Validator:
    def __init__(self, text: str, filename: str):
        self.index = _LineIndex(text)
        self.filename = filename
        self.issues: list[PolicyIssue] = []
        self.warnings: list[PolicyIssue] = []

    def error(self, code: str, message: str, table: str = "", index: int = 0,
              key: str | None = None, field: str | None = None) -> None:
        self.issues.append(PolicyIssue(code, message, self.filename,
                                       self.index.line(table, index, key), field))

    def validate(self, raw: dict[str, Any]) -> Policy:
        for key in raw:
            if key not in _TOP_KEYS:
                self.error("unknown_key", f"unknown key '{key}' (expected one of: "
                           f"{', '.join(sorted(_TOP_KEYS))})", key=key, field=key)
        version = raw.get("version")
        if version != SUPPORTED_VERSION:
            self.error("unsupported_version",
                       f"'version' must be {SUPPORTED_VERSION}, found {version!r}",
                       key="version", field="version")
        session = self._session(raw.get("session", {}))
        categories = self._categories(self._table_list(raw, "category"))
        shared = self._shared(self._table_list(raw, "shared"))
        sites = self._sites(self._table_list(raw, "site"), {c.id for c in categories})
        self._unique_ids(sites, shared)
        if self.issues:
            raise PolicyError(self.issues)
        return Policy(SUPPORTED_VERSION, session, tuple(categories), tuple(sites), tuple(shared),
                      source=self.filename, warnings=tuple(self.warnings))

    def _table_list(self, raw: dict[str, Any], name: str) -> list[dict[str, Any]]:
        value = raw.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error("wrong_type", f"'{name}' must be written as [[{name}]] tables",
                       key=name, field=name)
            return []
        return value

    def _session(self, raw: Any) -> SessionLimits:
        if not isinstance(raw, dict):
            self.error("wrong_type", "'session' must be a [session] table", key="session",
                       field="session")
            return SessionLimits()
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in _SESSION:
                self.error("unknown_key", f"unknown key '{key}' in [session] (expected one of: "
                           f"{', '.join(_SESSION)})", "session", 0, key, f"session.{key}")
                continue
            types, low, high = _SESSION[key]
            if isinstance(value, bool) != (bool in types) or not isinstance(value, types):
                kind = "true or false" if bool in types else "a number"
                self.error("wrong_type", f"'{key}' must be {kind}, found {value!r}", "session", 0,
                           key, f"session.{key}")
            elif low is not None and not low <= value <= high:
                self.error("out_of_range",
                           f"'{key}' must be between {low} and {high}, found {value}",
                           "session", 0, key, f"session.{key}")
            else:
                values[key] = value
        return SessionLimits(**values)

    def _fields(self, table: str, index: int, raw: dict[str, Any], spec: dict[str, bool]) -> bool:
        """Check keys and string types of one table; True when it is usable."""
        ok = True
        for key in raw:
            if key not in spec:
                self.error("unknown_key", f"unknown key '{key}' in [[{table}]] (expected one of: "
                           f"{', '.join(spec)})", table, index, key, f"{table}.{key}")
        for key, required in spec.items():
            if key not in raw:
                if required:
                    self.error("missing_key", f"[[{table}]] number {index + 1} needs '{key}'",
                               table, index, field=f"{table}.{key}")
                    ok = False
            elif key not in ("hosts", "keywords") and not isinstance(raw[key], str):
                self.error("wrong_type", f"'{key}' must be text in quotes", table, index, key,
                           f"{table}.{key}")
                ok = False
        if isinstance(raw.get("id"), str) and not _ID.match(raw["id"]):
            self.error("invalid_id",
                       f"id '{raw['id']}' must be lower-case letters, digits, '_' or '-'",
                       table, index, "id", f"{table}.id")
            ok = False
        return ok

    def _categories(self, tables: list[dict[str, Any]]) -> list[Category]:
        result: list[Category] = []
        for index, raw in enumerate(tables):
            if not self._fields("category", index, raw, _CATEGORY_KEYS):
                continue
            if any(c.id == raw["id"] for c in result):
                self.error("duplicate_id", f"category id '{raw['id']}' is used twice", "category",
                           index, "id", "category.id")
                continue
            result.append(Category(raw["id"], neutralise_bidi(raw["label"]), raw.get("icon", "")))
        return result

    def _hosts(self, table: str, index: int, raw: dict[str, Any]) -> tuple:
        hosts = raw.get("hosts")
        if not isinstance(hosts, list) or not hosts or not all(isinstance(h, str) for h in hosts):
            self.error("wrong_type", "'hosts' must be a non-empty list of host patterns in quotes",
                       table, index, "hosts", f"{table}.hosts")
            return ()
        patterns = []
        for host in hosts:
            try:
                pattern = parse_host_pattern(host)
                warning = check_breadth(pattern)  # a wildcard on a public suffix, an IP...
            except HostPatternError as exc:
                self.error("invalid_host_pattern", str(exc), table, index, "hosts",
                           f"{table}.hosts")
                continue
            patterns.append(pattern)
            if warning:
                self.warnings.append(PolicyIssue("broad_host_pattern", warning, self.filename,
                                                 self.index.line(table, index, "hosts"),
                                                 f"{table}.hosts"))
        return tuple(patterns)

    def _shared(self, tables: list[dict[str, Any]]) -> list[SharedService]:
        result = []
        for index, raw in enumerate(tables):
            if self._fields("shared", index, raw, _SHARED_KEYS):
                result.append(SharedService(raw["id"], neutralise_bidi(raw["name"]),
                                            self._hosts("shared", index, raw)))
        return result

    def _sites(self, tables: list[dict[str, Any]], category_ids: set[str]) -> list[Site]:
        result = []
        for index, raw in enumerate(tables):
            if not self._fields("site", index, raw, _SITE_KEYS):
                continue
            hosts = self._hosts("site", index, raw)
            if raw["category"] not in category_ids:
                self.error("unknown_category",
                           f"site '{raw['id']}' is in category '{raw['category']}', "
                           "which no [[category]] defines", "site", index, "category",
                           "site.category")
            keywords = raw.get("keywords", [])
            if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
                self.error("wrong_type", "'keywords' must be a list of words in quotes", "site",
                           index, "keywords", "site.keywords")
                keywords = []
            site = Site(raw["id"], neutralise_bidi(raw["name"]), raw["category"], raw["url"],
                        hosts, neutralise_bidi(raw.get("description", "")), raw.get("icon", ""),
                        tuple(neutralise_bidi(k) for k in keywords))
            url = self._check_tile_url(site, index)
            result.append(replace(site, url=url) if url else site)
        return result

    def _check_tile_url(self, site: Site, index: int) -> str | None:
        """The tile's address as the browser will hold it (what the portal redirects to, and
        hands to the launcher), or None after recording why it is refused."""
        from .decide import Allowlist  # late import: decide depends on the model only

        if any(ord(ch) < 32 or ord(ch) == 127 for ch in site.url) \
                or has_bidi_controls(site.url):
            # A line break would go into a Location header; the browser would silently drop it.
            self.error("invalid_url", f"{site.url!r} contains a line break or a control "
                       "character", "site", index, "url", "site.url")
            return None
        if not ada_url.check_url(site.url):
            self.error("invalid_url", f"'{site.url}' is not a valid address", "site", index,
                       "url", "site.url")
            return None
        parsed = ada_url.URL(site.url)
        if parsed.protocol != "https:" \
                and not (parsed.protocol == "http:" and is_loopback(parsed.hostname)):
            self.error("insecure_url",
                       f"'{site.url}' must start with https:// (plain http only for "
                       "localhost)", "site", index, "url", "site.url")
            return None
        lone = Policy(1, SessionLimits(), (), (site,))
        if site.hosts and not Allowlist(lone).decide(site.url).allowed:
            self.error("url_outside_hosts",
                       f"the tile address '{site.url}' is not covered by the site's "
                       "own 'hosts'", "site", index, "url", "site.url")
        return parsed.href

    def _unique_ids(self, sites: list[Site], shared: list[SharedService]) -> None:
        seen: set[str] = set()
        for table, entries in (("site", sites), ("shared", shared)):
            for index, entry in enumerate(entries):
                if entry.id in seen:
                    self.error("duplicate_id",
                               f"id '{entry.id}' is used twice among sites and shared "
                               "services", table, index, "id", f"{table}.id")
                seen.add(entry.id)
