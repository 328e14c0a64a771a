"""The session supervisor, configuration, usage counters and the `kiosk` command line: the top
floor, which wires the others together."""

from core import spreadsheets
from kiosk.catalogue_names import shipped_catalogue

# Whatever runs through kiosk (the terminal, `kiosk stats export`, `kiosk hub serve`) names
# sites in spreadsheets from the shipped catalogue (loaded on first use only).
spreadsheets.use_catalogue(shipped_catalogue)
