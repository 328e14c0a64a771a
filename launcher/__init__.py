"""The locked-down browser window (pywebview, Qt WebEngine) that enforces the policy."""
