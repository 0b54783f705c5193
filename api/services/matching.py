"""Name and birth-date matching for persons without an identity document: plain functions, no
database. `duplicates.py` uses them to find candidates and score them.

Two tools:
- a **consonant key** per name part, the same for the usual spellings of one name in either
  script: Mohamed, Mohammed, Muhammad, Mhamed and محمد all give `mhmd`; El Idrissi, Idrissi
  and الإدريسي give `drs`. Vowels, the letters that stand for vowels (w, y, ا و ي ع ء…), the
  article (El, Al, ال) and doubled letters are dropped; each consonant is mapped to a class
  that its usual transliterations share (ch/sh/ش → s, kh/خ → k, ph/ف → f, ث/ت/ط → t…).
  Candidates are found by these keys (and by birth date), so a spelling variant is found;
- a **score** between 0 and 1: the product of the first names', the last names' and the birth
  dates' similarities (Jaro-Winkler and edit distance on the spelling with transliteration
  choices evened out, or on the Arabic spelling when both have one; equal dates, day and month
  swapped, 1 January put for an unknown day, a day or a year off), lowered when the sexes
  differ.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import OSA, JaroWinkler

# Scores: a match at or above LIKELY is refused by registerPerson without confirmation; one at
# or above POSSIBLE is listed by possibleDuplicates. Chosen on the generated set of duplicates
# (bench/duplicates.py), whose precision and recall docs/portals.md reports.
LIKELY = 0.85
POSSIBLE = 0.6
OTHER_SEX = 0.85  # factor when the sexes differ (a clerk's slip, or another person)

ARTICLES = {"el", "al", "ul", "il"}
LATIN_DIGRAPHS = (("dj", "j"), ("ch", "s"), ("sh", "s"), ("kh", "k"), ("gh", "k"), ("ph", "f"),
                  ("th", "t"), ("dh", "d"), ("ck", "k"), ("ou", ""))
LATIN_CLASSES = {
    "b": "b", "p": "b", "c": "k", "d": "d", "f": "f", "v": "f", "g": "k", "h": "h", "j": "j",
    "k": "k", "q": "k", "l": "l", "m": "m", "n": "n", "r": "r", "s": "s", "t": "t", "x": "ks",
    "z": "z",
}
ARABIC_CLASSES = {
    "ب": "b", "پ": "b", "ت": "t", "ث": "t", "ط": "t", "ج": "j", "ح": "h", "ه": "h", "خ": "k",
    "د": "d", "ذ": "d", "ض": "d", "ر": "r", "ز": "z", "ظ": "z", "س": "s", "ش": "s", "ص": "s",
    "غ": "k", "ق": "k", "ك": "k", "ڭ": "k", "گ": "k", "ف": "f", "ڤ": "f", "ل": "l", "م": "m",
    "ن": "n",
}
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, superscript alef, tatweel
_LATIN_WORD = re.compile("[a-z]+")
_ABDEL = re.compile("^abd[eu]l(?!l)")
_SOFT_C = re.compile("c(?=[eiy])")
_ARABIC_WORD = re.compile("[\u0621-\u064a\u0671-\u06d3]+")


def is_arabic(text: str) -> bool:
    return bool(_ARABIC_WORD.search(text))


def latin_words(text: str) -> list[str]:
    """Lower case, accents off, letters only, the article dropped: 'El-Alaoui' → ['alaoui']."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    words = _LATIN_WORD.findall(plain)
    return [w for w in words if w not in ARTICLES] or words


def arabic_words(text: str) -> list[str]:
    """Marks off, the article ال dropped from words longer than three letters."""
    words = _ARABIC_WORD.findall(_ARABIC_MARKS.sub("", text))
    return [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]


def _squeeze(classes: str) -> str:
    return re.sub(r"(.)\1+", r"\1", classes)


def _spelt(text: str, digraphs: tuple[tuple[str, str], ...], letters: dict) -> str:
    """The Latin words with `digraphs` replaced, then each letter translated by `letters`."""
    out = []
    for word in latin_words(text):
        word = _ABDEL.sub("abd", word)  # Abdelkader: عبد القادر, the article of the second word
        word = _SOFT_C.sub("s", word)  # Lahcen, Naciri: a soft c
        for digraph, one in digraphs:
            word = word.replace(digraph, one)
        out.append(word.translate(letters))
    return _squeeze("".join(out))


# consonant classes; every other letter (the vowels, w, y) is dropped
_KEY_LETTERS = str.maketrans({c: LATIN_CLASSES.get(c) for c in "abcdefghijklmnopqrstuvwxyz"})


def latin_key(text: str) -> str:
    return _spelt(text, LATIN_DIGRAPHS, _KEY_LETTERS)


def arabic_key(text: str) -> str:
    return _squeeze("".join(ARABIC_CLASSES.get(c, "") for w in arabic_words(text) for c in w))


@functools.lru_cache(maxsize=100_000)  # names repeat: a register holds few distinct ones
def key(text: str | None) -> str:
    """The consonant key of one name part, in whichever script it is written."""
    if not text:
        return ""
    return arabic_key(text) if is_arabic(text) else latin_key(text)


def name_keys(first_name: str, last_name: str) -> tuple[str, str]:
    """(first_key, last_key): the columns stored beside each person."""
    return key(first_name)[:40], key(last_name)[:40]


def key_columns(first_name: str, last_name: str) -> dict[str, str]:
    """The stored keys of a person, as the columns `first_key` and `last_key`."""
    first, last = name_keys(first_name, last_name)
    return {"first_key": first, "last_key": last}


@dataclass(frozen=True)
class Identity:
    """What is compared: the names in both scripts, the birth date, the sex."""

    first_name: str
    last_name: str
    birth_date: date
    sex: str | None = None
    first_name_ar: str | None = None
    last_name_ar: str | None = None

    def key_sets(self) -> tuple[set[str], set[str]]:
        """Every (first, last) key the names give, Latin and Arabic spellings."""
        firsts = {key(self.first_name)} | ({key(self.first_name_ar)} if self.first_name_ar else set())
        lasts = {key(self.last_name)} | ({key(self.last_name_ar)} if self.last_name_ar else set())
        return {k[:40] for k in firsts if k}, {k[:40] for k in lasts if k}


SOUND_DIGRAPHS = (("dj", "j"), ("ch", "s"), ("sh", "s"), ("kh", "k"), ("gh", "g"), ("ph", "f"),
                  ("th", "t"), ("ou", "u"), ("ck", "k"))
SOUND_LETTERS = str.maketrans({"e": "a", "o": "u", "y": "i", "w": "u", "q": "k", "c": "k",
                               "p": "b", "v": "f", "x": "ks"})


@functools.lru_cache(maxsize=100_000)
def sound(text: str) -> str:
    """A Latin spelling with the vowels kept but the usual transliteration choices evened out
    (Mohamed, Mohammed, Muhammad → muhamad; Khadidja → kadija): what similarity is measured on,
    so that a variant scores high and another name (Ziani, Ouazzani) does not."""
    return _spelt(text, SOUND_DIGRAPHS, SOUND_LETTERS)


def _arabic(text: str) -> str:
    return "".join(arabic_words(text)).translate(_ARABIC_FOLD)


_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و",
                              "ئ": "ي"})
CROSS_SCRIPT = 0.85  # an Arabic spelling whose key is the other's Latin key (of 3 or more)


def similarity(a: str, b: str) -> float:
    """The mean of Jaro-Winkler (kind to a slip late in a name) and of the edit distance's
    similarity (strict on short names: Amal and Asmae, Hassan and Lahcen are different names)."""
    return (JaroWinkler.similarity(a, b) + OSA.normalized_similarity(a, b)) / 2


def part_similarity(latin_a: str, latin_b: str, arabic_a: str | None, arabic_b: str | None) -> float:
    """One name part (first or last), 0–1: `similarity` of the Latin spellings' `sound`, or of
    the Arabic spellings when both have one, whichever is higher; an Arabic spelling against a
    Latin one alone counts when their keys agree."""
    best = similarity(sound(latin_a), sound(latin_b))
    if arabic_a and arabic_b:
        best = max(best, similarity(_arabic(arabic_a), _arabic(arabic_b)))
    else:
        for arabic, latin in ((arabic_a, latin_b), (arabic_b, latin_a)):
            if arabic and len(common := arabic_key(arabic)) >= 3 and common == latin_key(latin):
                best = max(best, CROSS_SCRIPT)
    return best


def swapped(day: date) -> date | None:
    """The date with day and month exchanged, when that is another valid date."""
    if day.day > 12 or day.day == day.month:
        return None
    return day.replace(month=day.day, day=day.month)


def date_similarity(a: date, b: date) -> float:
    """1 for the same date; 0.95 with day and month swapped (the commonest slip); 0.8 a day
    off, a year off, or 1 January written for an unknown day; 0.6 one figure of the day or
    month miswritten; 0.4 within a year; else 0."""
    if a == b:
        return 1.0
    if swapped(a) == b:
        return 0.95
    if (abs((a - b).days) == 1
            or (a.month, a.day) == (b.month, b.day) and abs(a.year - b.year) == 1
            or a.year == b.year and (1, 1) in ((a.month, a.day), (b.month, b.day))):
        return 0.8
    if a.year == b.year and (a.month == b.month or a.day == b.day):
        return 0.6
    if abs((a - b).days) <= 366:
        return 0.4
    return 0.0


def score(a: Identity, b: Identity) -> float:
    """How likely a and b are one person, 0–1 (three decimals): the product of the first
    names', the last names' and the birth dates' similarities, lowered when the sexes differ.
    A product, so that one part that differs outright (a sister's first name, another
    decade) is enough to rule a candidate out."""
    first = part_similarity(a.first_name, b.first_name, a.first_name_ar, b.first_name_ar)
    last = part_similarity(a.last_name, b.last_name, a.last_name_ar, b.last_name_ar)
    value = first * last * date_similarity(a.birth_date, b.birth_date)
    if a.sex and b.sex and a.sex != b.sex:
        value *= OTHER_SEX
    return round(value, 3)
