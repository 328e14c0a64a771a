"""The session supervisor, configuration, usage counters and the `kiosk` command line."""
