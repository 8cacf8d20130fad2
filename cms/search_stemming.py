"""Word forms for site search: a word and its inflected forms share a stem.

Search indexes every text with the stems of its words added, and looks for the stems of the
query's words as well as the words themselves (cms/search_backend.py), so "угуу" finds
"коомдук угуулар", "бюджетинин" finds "бюджет" and "Бюджетом" finds "бюджет", the same on
SQLite and PostgreSQL.

- Russian and English: the Snowball stemmers (the `snowballstemmer` package).
- Kyrgyz: our own suffix stripping (Snowball has no Kyrgyz). Kyrgyz is agglutinative: a noun
  takes a plural, then a possessive, then a case ending (кеңеш-тер-и-нде "in their councils").
  `kyrgyz_stem` strips the endings of `KYRGYZ_SUFFIXES` from the end of the word, longest
  first, again and again, while a stem of at least `KYRGYZ_MIN_STEM` letters with a vowel
  remains. Some endings are only stripped where Kyrgyz uses them, which keeps roots whole:

  - after a consonant only: the vowel endings -ы/-и/-у/-ү (possessive) and -ын/-ин/-ун/-үн
    (so "угуу" stays "угуу": after a vowel the possessive is -су), with a stem of at least
    four letters left;
  - after a vowel only: the endings the possessive and vowel stems take, -сы/-си/-су/-сү,
    -сын…, -нын…, -ны…, -на…, -нда…, -нан… (кеңеши-нин, угуу-су).

  A stem left by a vowel ending gets back its voiceless final consonant, as in the
  dictionary form: китеби → китеп, тарагы → тарак.

Which stemmer a Cyrillic word gets follows the language of the text: a Kyrgyz page's words
the Kyrgyz one, a Russian page's the Russian one, and a query the one of the visitor's
language (so "айыл" on the Kyrgyz site does not turn into the Russian stem "ай", a month).
Where the language is not known, both (words with ө, ү, ң only the Kyrgyz one). Latin words
get the English stemmer. The stemmers are heuristics: they make the same mistakes on the
indexed text and on the query, so the forms of one word meet.
"""

import re
from functools import lru_cache

import snowballstemmer

WORD_RE = re.compile(r"\w+")
KYRGYZ_LETTERS = frozenset("өүң")
VOWELS = frozenset("аеёиоөуүыэюяaeiou")
CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
LATIN_RE = re.compile(r"[a-z]")

KYRGYZ_MIN_STEM = 3
# A stem left by a vowel-initial ending needs this many letters: "жыйын" stays whole.
KYRGYZ_MIN_STEM_AFTER_VOWEL_ENDING = 4


def _forms(*patterns):
    """Expand "л{а,е,о,ө}р" into лар, лер, лор, лөр (the four vowel-harmony variants)."""
    out = []
    for pattern in patterns:
        head, _, rest = pattern.partition("{")
        if not rest:
            out.append(pattern)
            continue
        vowels, _, tail = rest.partition("}")
        out.extend(head + vowel + tail for vowel in vowels.split(","))
    return out


A = "а,е,о,ө"  # the four variants of a low vowel
Y = "ы,и,у,ү"  # the four variants of a high vowel

# Each ending with where Kyrgyz uses it: "voiceless" after к, п, т, с, ш…; "voiced" after a
# vowel or a voiced consonant; "vowel" after a vowel; "consonant" after a consonant.
KYRGYZ_SUFFIXES = {
    # plural: угуу-лар, айыл-дар, кеңеш-тер
    **dict.fromkeys(_forms("л{" + A + "}р", "д{" + A + "}р"), "voiced"),
    **dict.fromkeys(_forms("т{" + A + "}р"), "voiceless"),
    # genitive: айыл-дын, кеңеш-тин, угуу-нун
    **dict.fromkeys(_forms("д{" + Y + "}н"), "voiced"),
    **dict.fromkeys(_forms("т{" + Y + "}н"), "voiceless"),
    **dict.fromkeys(_forms("н{" + Y + "}н"), "vowel"),
    # accusative: айыл-ды, өрүк-тү, угуу-ну
    **dict.fromkeys(_forms("д{" + Y + "}"), "voiced"),
    **dict.fromkeys(_forms("т{" + Y + "}"), "voiceless"),
    **dict.fromkeys(_forms("н{" + Y + "}"), "vowel"),
    # dative: айыл-га, бюджет-ке, кеңеши-не
    **dict.fromkeys(_forms("г{" + A + "}"), "voiced"),
    **dict.fromkeys(_forms("к{" + A + "}"), "voiceless"),
    **dict.fromkeys(_forms("н{" + A + "}"), "vowel"),
    # locative: айыл-да, бюджет-те, кеңеши-нде
    **dict.fromkeys(_forms("д{" + A + "}"), "voiced"),
    **dict.fromkeys(_forms("т{" + A + "}"), "voiceless"),
    **dict.fromkeys(_forms("нд{" + A + "}"), "vowel"),
    # ablative: айыл-дан, бюджет-тен, кеңеши-нен
    **dict.fromkeys(_forms("д{" + A + "}н"), "voiced"),
    **dict.fromkeys(_forms("т{" + A + "}н"), "voiceless"),
    **dict.fromkeys(_forms("н{" + A + "}н"), "vowel"),
    # possessive (3rd person), alone and with the accusative: программа-сы, кеңеш-и, бюджет-ин
    **dict.fromkeys(_forms("с{" + Y + "}", "с{" + Y + "}н"), "vowel"),
    **dict.fromkeys(_forms("{" + Y + "}", "{" + Y + "}н"), "consonant"),
}
VOICELESS = frozenset("кпстшчфхцщ")

# Longest first: кеңеши-нде, not кеңешин-де.
_RULES = sorted(KYRGYZ_SUFFIXES.items(), key=lambda rule: -len(rule[0]))
# The dictionary form ends voiceless where a vowel ending voices it: китеп → китеби.
_DEVOICE = {"б": "п", "г": "к"}


_CONTEXT = {
    "vowel": lambda letter: letter in VOWELS,
    "consonant": lambda letter: letter not in VOWELS,
    "voiceless": lambda letter: letter in VOICELESS,
    "voiced": lambda letter: letter not in VOICELESS,
}


def _has_vowel(text):
    return any(letter in VOWELS for letter in text)


def _strip_once(word):
    for suffix, after in _RULES:
        if not word.endswith(suffix):
            continue
        stem = word[: -len(suffix)]
        if len(stem) < KYRGYZ_MIN_STEM or not _has_vowel(stem):
            continue
        last = stem[-1]
        if not _CONTEXT[after](last):
            continue
        if after == "consonant":
            if len(stem) < KYRGYZ_MIN_STEM_AFTER_VOWEL_ENDING:
                continue
            stem = stem[:-1] + _DEVOICE.get(last, last)
        return stem
    return None


def kyrgyz_stem(word):
    """The stem of a Kyrgyz word, lower case: угуулардын → угуу, бюджетинин → бюджет."""
    stem = word.lower()
    while (shorter := _strip_once(stem)) is not None:
        stem = shorter
    return stem


@lru_cache(maxsize=4)
def _snowball(language):
    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=50_000)
def stems(word, language=None):
    """The lower-case forms a word is indexed and searched by: itself and its stems.

    `language` is "ky", "ru" or "en" when the text's language is known, else None.
    """
    lower = word.lower()
    forms = {lower}
    if CYRILLIC_RE.search(lower):
        kyrgyz_only = bool(KYRGYZ_LETTERS.intersection(lower))
        if language in ("ky", None, "en") or kyrgyz_only:
            forms.add(kyrgyz_stem(lower))
        if language in ("ru", None, "en") and not kyrgyz_only:
            forms.add(_snowball("russian").stemWord(lower))
    elif LATIN_RE.search(lower):
        forms.add(_snowball("english").stemWord(lower))
    return frozenset(form for form in forms if form)


def words(text):
    """The words of a text, as the search backends tokenise it (letters and digits)."""
    return WORD_RE.findall(text or "")


def with_stems(text, language=None):
    """The text followed by the lower-case forms and stems of its words that it lacks."""
    if not text:
        return text
    present = set(words(text))
    extra = {form for word in present for form in stems(word, language)} - present
    if not extra:
        return text
    return f"{text}\n{' '.join(sorted(extra))}"
