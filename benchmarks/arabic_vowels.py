"""How much of the portal's Arabic espeak-ng reads differently once the vowel marks are written.

Arabic is written without most short vowels; espeak-ng guesses them, and guesses wrong often.
This takes every Arabic string residents can hear (the portal's catalogue and the window's own
texts), vocalises it with Mishkal (a rule-based diacritiser, GPL, offline: a measuring tool
only, never a kiosk dependency), and compares espeak-ng's phonemes (`espeak-ng -v ar -x`) word
by word, plain against vocalised. A word "changes" when its phonemes differ.

Run it from a throwaway virtualenv that has mishkal (the kiosk's own .venv does not):
    python3 -m venv /tmp/ar && /tmp/ar/bin/pip install mishkal
    /tmp/ar/bin/python benchmarks/arabic_vowels.py
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "portal" / "translations" / "ar" / "LC_MESSAGES" / "messages.po"
HARAKAT = re.compile("[\u064b-\u0652\u0670]")
TRAILING = re.compile("[\u064b-\u0652]+$")
ARABIC_WORD = re.compile("[\u0621-\u064a\u064b-\u0652\u0670]+")


def po_strings(path: Path) -> list[str]:
    """Every msgstr of a .po file (continuation lines joined)."""
    strings, current = [], None
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("msgstr "):
            current = [ast.literal_eval(line[7:])]
            strings.append(current)
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
        else:
            current = None
    return ["".join(parts) for parts in strings if "".join(parts)]


def window_strings() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from launcher.kiosk_texts import MESSAGES, TEXTS

    texts = list(TEXTS["ar"].values())
    texts += [part for pair in MESSAGES["ar"].values() for part in pair]
    return texts


def phonemes(words: list[str]) -> list[str]:
    """espeak-ng's phonemes for each word said alone (one clause per line)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as source:
        source.write("".join(f"{w}.\n" for w in words))
        source.flush()
        out = subprocess.run(["espeak-ng", "-v", "ar", "-q", "-x", "-f", source.name],
                             capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    if len(lines) != len(words):
        raise RuntimeError(f"espeak-ng gave {len(lines)} lines for {len(words)} words")
    return lines


def main() -> None:
    import logging

    import mishkal.tashkeel

    logging.disable(logging.ERROR)  # Mishkal complains about an optional frequency table

    vocaliser = mishkal.tashkeel.TashkeelClass()
    strings = [s for s in po_strings(PO) + window_strings() if ARABIC_WORD.search(s)]
    plain_words, vocal_words = [], []
    already_marked = 0
    for text in strings:
        plain = ARABIC_WORD.findall(text)
        vocal = ARABIC_WORD.findall(vocaliser.tashkeel(text))
        if len(plain) != len(vocal):
            continue  # the diacritiser split words differently: not comparable
        for p, v in zip(plain, vocal, strict=True):
            if HARAKAT.sub("", v) != HARAKAT.sub("", p):
                continue
            already_marked += bool(HARAKAT.search(p))
            plain_words.append(HARAKAT.sub("", p))
            vocal_words.append(v)
    before, after = phonemes(plain_words), phonemes(vocal_words)
    changed = sum(b != a for b, a in zip(before, after, strict=True))
    # A reader stops on the word's pausal form: without its case ending the change is in the
    # word itself (a vowel espeak-ng guessed wrong inside the word).
    pausal = phonemes([TRAILING.sub("", v) for v in vocal_words])
    inside = sum(b != a for b, a in zip(before, pausal, strict=True))
    distinct = {(p, v) for p, v, b, a in zip(plain_words, vocal_words, before, after,
                                               strict=True) if b != a}
    print(f"strings: {len(strings)}, words compared: {len(plain_words)} "
          f"(of which {already_marked} already carried some vowel marks)")
    print(f"words espeak-ng reads differently once vocalised: {changed} "
          f"({100 * changed / max(len(plain_words), 1):.0f} %), "
          f"{len(distinct)} distinct words")
    print(f"  still different without the case endings (pausal form): {inside} "
          f"({100 * inside / max(len(plain_words), 1):.0f} %)")
    for plain, vocal in sorted(distinct)[:8]:
        print(f"  e.g. {plain} -> {vocal}")


if __name__ == "__main__":
    main()
