"""The words of time in a question, as data (``qa/when.py`` applies them).

Everything is in ``index.arabic`` search spelling (no diacritics, one alef,
ة→ه, ى→ي, Western digits), as ``arabic.words`` gives it.  Display names
(«أغسطس»، «شوال») are in the article's spelling.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ---------------------------------------------------------------- calendars
# Gregorian months as Gulf, Egyptian and Levantine papers name them.  The
# Levantine «كانون» and «تشرين» need their «الأول/الثاني» (``LEVANTINE_PAIRS``).
GREGORIAN_MONTHS = {
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6, "يوليو": 7,
    "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7, "اب": 8, "ايلول": 9,
}
LEVANTINE_PAIRS = {("تشرين", "الاول"): 10, ("تشرين", "الثاني"): 11, ("كانون", "الاول"): 12,
                   ("كانون", "الثاني"): 1}
# «آب» is also a word («أب»: father); it is a month only beside a day or a year.
NEEDS_NUMBER = _words("اب")
# Hijri months (Umm al-Qura, as Saudi papers date them), first word -> month;
# two-word names list their second words.
HIJRI_MONTHS = {"محرم": 1, "صفر": 2, "ربيع": 3, "جمادي": 5, "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10,
                "ذو": 11, "ذي": 11}
HIJRI_SECOND_WORDS = {
    "ربيع": {"الاول": 3, "الاخر": 4, "الثاني": 4, "اول": 3, "ثاني": 4},
    "جمادي": {"الاولي": 5, "الاول": 5, "الاخره": 6, "الاخر": 6, "الثانيه": 6, "الثاني": 6},
    "ذو": {"القعده": 11, "الحجه": 12}, "ذي": {"القعده": 11, "الحجه": 12},
}
# A date after one of these nouns is part of an event's name, not a
# time to search in: «حرب أكتوبر 1973», «ثورة 25 يناير», «أحداث 11 سبتمبر».
EVENT_NOUNS = _words("حرب ثوره انتفاضه احداث هجمات هجوم نكسه معركه حركه")
# Hijri names that are ordinary words too («صفر» zero, «رجب» a name): a month
# only with a day, a year or «شهر» before them.
HIJRI_NEEDS_NUMBER = _words("صفر رجب محرم")
HIJRI_ERA = _words("ه هـ هجري هجريه للهجره")  # «1436 هـ»
GREGORIAN_ERA = _words("م ميلادي ميلاديه للميلاد")  # «2015 م»
MONTH_WORD = _words("شهر")
YEAR_WORDS = _words("عام العام سنه السنه")
# «25 شوال 1436 هـ الموافق 10 أغسطس 2015 م»: one date written in both calendars.
CORRESPONDS = _words("الموافق الموافقه الموافقين")

# ---------------------------------------------------------------- relative days
# Words that name a day relative to today (days added).
RELATIVE_DAY_WORDS = {"اليوم": 0, "الليله": 0, "امس": -1, "البارحه": -1, "غدا": 1, "بكره": 1}
# «أول أمس»، «أول من أمس»: two days back; «بعد غد»: two days on.
DAY_BEFORE_YESTERDAY = (("اول", "امس"), ("اول", "من", "امس"))
DAY_AFTER_TOMORROW = (("بعد", "غد"), ("بعد", "غدا"))
# «صحيفة اليوم»، «اليوم السابع»، «اليوم الوطني»: «اليوم» that is a name, not today.
NOT_TODAY_BEFORE = _words("صحيفه جريده موقع قناه")
NOT_TODAY_AFTER = _words("السابع الوطني العالمي الدولي الاول الثاني الثالث الاخير التالي")
WEEKDAYS = {"الاحد": 6, "الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5}
PAST_WORDS = _words("الماضي الماضيه المنصرم المنصرمه السابق السابقه الفايت الفايته")
NEXT_WORDS = _words("المقبل المقبله القادم القادمه")
THIS_WORDS = _words("هذا هذه الحالي الحاليه الجاري الجاريه")
# Units of «الأسبوع الماضي»، «منذ ثلاثة أيام»: singular, dual and plural.
UNITS = {
    "يوم": "day", "ايام": "day", "يومين": "day", "يومان": "day", "يوما": "day", "الايام": "day",
    "اسبوع": "week", "اسابيع": "week", "اسبوعين": "week", "اسبوعان": "week", "الاسبوع": "week", "اسبوعا": "week",
    "الاسابيع": "week",
    "شهر": "month", "اشهر": "month", "شهور": "month", "شهرين": "month", "شهران": "month", "الشهر": "month",
    "شهرا": "month", "الاشهر": "month", "الشهور": "month", "الشهرين": "month", "الاسبوعين": "week",
    "سنه": "year", "سنوات": "year", "سنتين": "year", "عام": "year", "اعوام": "year", "عامين": "year",
    "العام": "year", "السنه": "year", "عاما": "year", "اليومين": "day",
}
DUALS = _words("يومين يومان اليومين اسبوعين اسبوعان الاسبوعين شهرين شهران الشهرين سنتين عامين")
# «منذ ثلاثة أيام»: from that day to today; «قبل ثلاثة أيام»: that day only;
# «خلال/في الأيام الثلاثة الماضية»، «آخر ثلاثة أيام»: the last N days.
SINCE_WORDS = _words("منذ")
AGO_WORDS = _words("قبل")
DURING_WORDS = _words("خلال طوال طيله")
NUMBER_WORDS = {
    "واحد": 1, "واحده": 1, "اثنين": 2, "اثنان": 2, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4,
    "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثماني": 8, "ثمانيه": 8, "ثمان": 8,
    "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10,
}

# ---------------------------------------------------------------- ranges
RANGE_FROM = _words("من بين منذ")
RANGE_TO = _words("الي حتي لغايه و")  # «من 9 إلى 10 أغسطس»، «بين 9 و10 أغسطس»

# ---------------------------------------------------------------- recency
# «ما آخر إغلاق…»، «أحدث…»، «مؤخراً»، «الجديد في…»: the newest relevant report.
RECENCY_WORDS = _words("احدث الاحدث موخرا اخيرا")
# «آخر» is "last" after a question word, a preposition or at the start
# («ما آخر…»، «عن آخر…»); after a noun it is "another" («مسؤول آخر»).
LAST_WORD = "اخر"
LAST_AFTER = _words("ما ماذا هي هو عن في من الي علي حول بشان وما وماذا ما_هي كم متي اين")
# «الجديد في/عن…»: what is new about something.
NEW_WORDS = _words("الجديد جديد المستجدات مستجدات")
NEW_BEFORE = _words("في عن بشان حول")

# ---------------------------------------------------------------- several reports
# «ماذا قالت الصحف عن…»، «كيف تناولت الصحف…»: the answer quotes several
# articles, newest first, each with its source and date.
SEVERAL_SOURCES = _words("""
الصحف صحف الصحافه الجرايد جرايد التقارير تقارير المصادر وسايل
""")
