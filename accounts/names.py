"""
Vietnamese name ordering.

Schools list pupils by given name (tên), the last word of a Vietnamese full
name, then by middle name(s) (tên đệm), then by family name (họ): "Trần Thị
Anh" comes before "Nguyễn Văn Bình". Each word compares letter by letter in
the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư
v x y); when the letters are equal, tone marks break the tie in the
traditional order: ngang, huyền, hỏi, ngã, sắc, nặng. Case is ignored.
"""

import unicodedata

_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Combining marks: grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _word_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    letters: list[int] = []
    tones: list[int] = []
    for char in word.lower():
        decomposed = unicodedata.normalize("NFD", char)
        base = "".join(c for c in decomposed if c not in _TONES)
        tone = next((_TONES[c] for c in decomposed if c in _TONES), 0)
        base = unicodedata.normalize("NFC", base)
        letters.append(_RANK.get(base, 100 + ord(base[0]) if base else 0))
        tones.append(tone)
    return tuple(letters), tuple(tones)


def vietnamese_name_key(full_name: str) -> tuple:
    """Sort key for a full name: given name, then middle names, then family."""
    words = full_name.split()
    if not words:
        return ((), ())
    ordered = [words[-1], *words[1:-1], words[0]] if len(words) > 1 else words
    keys = [_word_key(w) for w in ordered]
    # Letters of every word first; tones only break ties.
    return tuple(k[0] for k in keys), tuple(k[1] for k in keys)


def sort_people(people, name=lambda person: person.display_name):
    """Return ``people`` sorted the way Vietnamese class lists are."""
    return sorted(people, key=lambda person: vietnamese_name_key(name(person)))
