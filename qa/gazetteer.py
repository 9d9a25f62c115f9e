"""Countries and world regions by their Arabic names, from CLDR: babel's
locale data (babel comes with trafilatura, through courlan), so the place
rules know «الهند» and «البرازيل» as well as the Arab world's names that
``qa/rules.py`` lists by hand.

    countries, regions = cldr_places()   # normalised one-word names
"""

from __future__ import annotations

import functools

from index import arabic


@functools.cache
def cldr_places() -> tuple[frozenset[str], frozenset[str]]:
    """(countries, regions): CLDR's Arabic names of territories, one word
    long, in search spelling.  A territory with a two-letter code is a
    country; one with a numeric code is a region («أفريقيا», «آسيا»,
    «الكاريبي»).  Names of several words («كوريا الجنوبية») are left out:
    the rules match single words."""
    from babel import Locale

    countries, regions = set(), set()
    for code, name in Locale.parse("ar").territories.items():
        name = name.strip()
        if " " not in name:
            (regions if code.isdigit() else countries).add(arabic.normalize(name))
    return frozenset(countries), frozenset(regions)
