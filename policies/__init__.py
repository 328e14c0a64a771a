"""The site catalogue and allowlist: load, validate, decide whether a URL may open, sign, verify.

A plain library (no Flask, no GUI) shared by the CLI, the launcher and the portal.
"""

from __future__ import annotations

from .breadth import check_breadth, is_public_suffix
from .decide import Allowlist, Decision, Frame, Reason, decide
from .errors import PolicyError, PolicyIssue, SignatureError
from .hostpattern import HostPattern, HostPatternError, is_loopback, parse_host_pattern
from .loader import default_policy_path, load_policy, parse_policy
from .model import Category, Policy, SessionLimits, SharedService, Site
from .store import LoadResult, PolicyStore

__all__ = [
    "Allowlist", "Category", "Decision", "Frame", "HostPattern", "HostPatternError", "LoadResult",
    "Policy", "PolicyError", "PolicyIssue", "PolicyStore", "Reason", "SessionLimits",
    "SharedService", "check_breadth", "is_public_suffix",
    "SignatureError", "Site", "decide", "default_policy_path", "is_loopback",
    "load_policy", "parse_host_pattern", "parse_policy",
]
