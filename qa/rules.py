"""The asking side's Arabic word lists, as data.

Everything here is written in ``index.arabic`` search spelling (no
diacritics, one alef, ة→ه, ى→ي, Western digits), because questions and
sentences are compared in that form.  ``qa/question.py`` and the composer's
modules apply these lists; they hold no Arabic strings of their own, as
``index/rules.py`` is for cleaning.
"""

from __future__ import annotations

from .gazetteer import cldr_places


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ---------------------------------------------------------------- question words
# The kind of answer each question word asks for.  «من» and «ما» are also the
# preposition "from" and a negation, so they count only at the question start.
QUESTION_WORDS = {
    "متي": "when", "كم": "count", "بكم": "count", "اين": "where", "لماذا": "why", "لم": "why",
    "كيف": "how", "هل": "yesno", "ماذا": "what", "ما": "what", "من": "who", "اي": "which", "ايه": "which",
}
# Question words that ask anywhere in the sentence («ستجرى الانتخابات متى؟»).
ANYWHERE = _words("متي كم بكم اين لماذا كيف هل ماذا")
# Words that only frame the question; never matched against sentences.
FRAME_WORDS = _words("متي كم بكم اين لماذا كيف هل ماذا ما من اي ايه هو هي هما هم الذي التي الذين تم")
# «ما رقم…»، «ما عدد…»: a "what" question that asks for a number, and so on.
WHAT_NOUNS = {
    "رقم": "count", "عدد": "count", "نسبه": "count", "قيمه": "count", "حجم": "count", "مبلغ": "count",
    "تاريخ": "when", "موعد": "when", "اسم": "who", "سبب": "why", "اسباب": "why", "هدف": "why",
    "مكان": "where", "موقع": "where",
}
# «في أي عام…»، «منذ متى…»: a preposition before the question word.
QUESTION_PREPOSITIONS = _words("في منذ الي حتي")
# «أي عام…»، «أي مدينة…»: the noun after «أي» names the kind.
WHICH_NOUNS = {"عام": "when", "سنه": "when", "يوم": "when", "شهر": "when", "تاريخ": "when", "قرن": "when",
               "مدينه": "where", "دوله": "where", "بلد": "where", "منطقه": "where"}
# Question words typed without their space («ماهو»), in search spelling.
GLUED_WORDS = {"ماهو": "ما هو", "ماهي": "ما هي", "ماهم": "ما هم", "مالذي": "ما الذي", "ماالذي": "ما الذي",
               "ماسم": "ما اسم", "مامعني": "ما معنى", "ماذاكان": "ماذا كان", "منهو": "من هو", "منهي": "من هي",
               "ماعدد": "ما عدد"}
# A question word the store has never seen is looked up again in the other
# spellings a writer commonly gives it (qa/spelling.py respell).  Unlike
# the rest of this file these apply to the word *as typed*: the stemmer sees
# «ى» and «ي» as different letters.  The stemmer keeps a proclitic «ل/ك/ب»
# (it may be a root letter), so «لسويسرا» misses «سويسرا»; «ى» for a final
# «ي» and «ه» for «ة» are common typing habits («الشيوعى»، «مدرسه»).
# General edit-distance correction was measured and dropped (see spelling.py).
RESPELL_PROCLITICS = {"ل": "", "ك": "", "ب": "", "لل": "ال"}
RESPELL_ENDINGS = {"ى": "ي", "ه": "ة", "ة": "ه"}
RESPELL_MIN_LETTERS = 3  # letters left after a proclitic: «بجدة» → «جدة»; «لعب» is a word, not «ل» + «عب»
# Noise that crowd-written questions carry around the question itself
# (« - من هو…؟ »): stripped before the kind is read.
LEADING_NOISE = "-–—•*:.،,؟? "

# ---------------------------------------------------------------- broad questions
# «ماذا ناقش…»، «ما تفاصيل…»، «ماذا دار بين…»، «ماذا قال…»: questions whose
# answer is a list of points, not one fact.  A "what" question is broad when
# its first content word after the question word is one of these.
BROAD_VERBS = _words("""
ناقش ناقشا ناقشت ناقشوا بحث بحثا بحثت تناول تناولا تناولت دار جري تباحث تباحثا استعرض استعرضا
تضمن تضمنت شمل شملت ركز ركزت
""")
BROAD_NOUNS = _words("تفاصيل مضمون محتوي نتايج ابرز اهم محاور مواضيع موضوعات قضايا جديد")
# Verbs that introduce the points themselves in news prose: a sentence with
# one of these carries a point of a meeting or a call («بحث الجانبان…»).
POINT_VERBS = _words("""
ناقش ناقشا ناقشت بحث بحثا بحثت تناول تناولا تناولت استعرض استعرضا تباحث تباحثا اطلع اطلعت
ركز ركزت تطرق تطرقا مناقشه بحث اتفق اتفقا اكد اكدا
""")

# Words that name no topic of their own («تطورات الأوضاع»، «مجموعة من
# القضايا»): a sentence made of these and the question's words adds no point.
GENERIC_WORDS = _words("""
تطورات تطور الاوضاع اوضاع الوضع القضايا قضايا مجموعه عده العديد مسائل المسائل الملفات ملفات
النواحي كافه جميع مختلف المرحله المقبله القادمه الجانب الجانبان الطرفان الطرف البلدين البلدان
الثنائيه المشترك مشترك اهتمام ذات اطار ضمن سبل جدول الاعمال الحديث مساله اليوم امس
""")

# ---------------------------------------------------------------- who said it
# Words asking what someone said: sentences attributed to the named source
# are preferred.  Any reporting verb matches any other («قالت» in the
# question, «ذكرت» in the article) through the shared key SAID.
REPORTING_VERBS = _words("""
قال قالت يقول تقول ذكر ذكرت اعلن اعلنت صرح صرحت اكد اكدت اوضح اوضحت افاد افادت
علق علقت نقل نقلت نشر نشرت اصدر اصدرت لفت لفتت نوه نوهت كشف كشفت اشار اشارت
""")
# «ماذا حدث في جدة؟»: verbs that ask what happened, not about what.  An
# article reporting the rain in Jeddah need not say «حدث»; counted as a
# question term no article has, it made the answer abstain.  («وقع» is left
# out: «ماذا وقع الطرفان؟» asks what was signed; «تحدث» is "spoke".)
EVENT_VERBS = _words("حدث يحدث جري يجري حصل يحصل")
SAID = "<said>"
REPORTING_NOUNS = _words("بيان البيان بيانها بيانه موقف راي")
# Words that introduce who is speaking: «ذكرت الرئاسة…», «بحسب البيان…».
ATTRIBUTION_WORDS = REPORTING_VERBS | _words("بحسب حسب وفقا وفق طبقا نقلا بيان البيان")
# Skipped between an attribution word and the source's name.
SKIPPED_AFTER_TRIGGER = _words("الصادر الصادره عن ما به بها العديد للعديد من")
# A source named only by these is resolved from the sentences before it.
GENERIC_SOURCES = _words("البيان بيان بيانا المصدر المصادر الوكاله الجانب الطرف التقرير")
# Words that end a source's name.
PHRASE_STOPS_EXTRA = _words("ان انه انها فان اليوم امس خلال الي بان")
# Sentences before a bare «البيان» searched for the source it means.
RESOLVE_BACK = 6
# «لم يأتِ/لم يذكر…» after a source: the sentence says the source did not say it.
NEGATED_VERBS = _words("""
يات ياتي تات تاتي يذكر تذكر يشر تشر يتطرق تتطرق يتضمن تتضمن يتحدث تتحدث يرد ترد يعلن
تعلن يوضح توضح يوكد توكد يشير تشير
""")
DENIAL_WORDS = _words("نفي نفت ينفي تنفي خلافا بخلاف عكس تجاهل تجاهلت اغفل اغفلت")
# Negations that flip what a sentence states (two sentences alike but for
# one of these say opposite things).
NEGATIONS = _words("لا لم لن ليس ليست ما غير عدم دون بدون نفي نفت")
# A sentence that only says a statement was issued («أصدرت الرئاسة بياناً»)
# without saying what it said: a non-answer to any question.  It has a
# publishing verb and a statement noun, and no «أن» clause after them.
PUBLISH_VERBS = _words("اصدر اصدرت نشر نشرت وزع وزعت بث بثت اذاع اذاعت نقل نقلت نقلته نقلتها")
STATEMENT_NOUNS = _words("بيان بيانا بيانه بيانها تصريح تصريحا تقرير تقريرا")
CONTENT_CLAUSE = _words("ان انه انها بان")
QUOTE_MARKS = "“”«»\"„"

# ---------------------------------------------------------------- answer kinds
MONTHS = {  # Gregorian (Egyptian and Levantine names) -> month number
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يوليو": 7, "اغسطس": 8,
    "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    "كانون": 12, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7, "اب": 8,
    "ايلول": 9, "تشرين": 10,
}
WEEKDAYS = _words("السبت الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه")
TIME_WORDS = _words("""
يوم اليوم ايام امس غدا عام العام سنه السنه شهر الشهر اسبوع الاسبوع ساعه الساعه صباح
مساء ليله منتصف اواخر اوائل مطلع نهايه بدايه الماضي المقبل القادم قريبا حاليا قرن القرن
""")
NUMBER_WORDS = _words("""
واحد اثنان اثنين اثنا اثني ثلاث ثلاثه اربع اربعه خمس خمسه ست سته سبع سبعه ثماني ثمانيه تسع تسعه
عشر عشره عشرات عشرين ثلاثين اربعين خمسين ميه مايه ميات الف الاف الفا مليون ملايين
مليار مليارات نصف ربع ثلث ضعف بالميه
""")
# Units a «كم» answer carries after its number («85 محطة», «3 ملايين جرعة»).
UNIT_WORDS = _words("""
بالميه بالمئه بالمايه دولار دولارا ريال ريالا جنيه يورو دينار درهم كيلومتر كيلومترا كم متر مترا طن طنا
الف الاف مليون ملايين مليار مليارات شخص شخصا اشخاص قتيل قتيلا جريح جريحا عام عاما سنه سنوات
يوم يوما ايام شهر اشهر ساعه ساعات دقيقه دقايق مره مرات هدف اهداف نقطه نقاط
""")
PERSON_WORDS = _words("""
الرييس رييس الوزير وزير الملك ملك الامير امير الشيخ السيد الدكتور المتحدث الناطق مدير
قايد زعيم نايب سفير مسوول الامين وزاره الحكومه حكومه الرياسه مجلس وكاله شركه حزب حركه
منظمه هييه لجنه محكمه الجيش البرلمان الكرملين
""")
# Words that name a kind of place («مدينة الحلة»): a cue for «أين», not a name.
PLACE_KINDS = _words("""
مدينه محافظه منطقه العاصمه عاصمه ريف شمال جنوب شرق غرب وسط قريه بلده حي مقر مطار ميناء
حدود اقليم ولايه مخيم
""")
# Places by name.  A question naming one that no cited article mentions is
# not answered (qa/finish.py, qa/places.py): «…في مدينة الدمام؟» is not Abha's news.
# Every country and region CLDR names in one word (qa/gazetteer.py), and the
# cities and spellings below, less CLDR names that are mostly other words in
# news text: «العالم» the world, «مالي» financial («دعم مالي»), «بنين» boys
# («مدارس بنين»).
CLDR_COUNTRIES, CLDR_REGIONS = cldr_places()
NOT_PLACE_NAMES = _words("العالم مالي بنين")
PLACE_NAMES = (CLDR_COUNTRIES | CLDR_REGIONS | _words("""
سوريا روسيا مصر السعوديه العراق لبنان الاردن تركيا ايران فلسطين اليمن ليبيا تونس الجزاير
المغرب السودان قطر الامارات الكويت البحرين عمان امريكا الولايات اوروبا فرنسا بريطانيا المانيا
الصين اوكرانيا موسكو دمشق الرياض القاهره بغداد بيروت جده مكه واشنطن لندن باريس
الدمام ابها الطايف تبوك حايل جازان نجران القصيم الاحساء ينبع القطيف عدن صنعاء حلب حمص
ادلب الموصل البصره الحله عمان غزه القدس اسطنبول انقره طهران
""")) - NOT_PLACE_NAMES
PLACE_WORDS = PLACE_KINDS | PLACE_NAMES
# Continents and regions: a place, but a country or city by name (PLACE_NAMES)
# that the quoted sentences give is the better answer to «أين…؟» («أقيمت في
# أوروبا الشرقية… استضافتها روسيا»).
BROAD_PLACES = (CLDR_REGIONS | _words("""
اوروبا انتاركتيكا
""")) - NOT_PLACE_NAMES  # Antarctica has a country code in CLDR
SPECIFIC_PLACES = PLACE_NAMES - BROAD_PLACES  # countries and cities
# A capital stands for its country's government («تشترطه واشنطن» in an article
# that says «الولايات المتحدة»): either spelling counts as naming the place.
PLACE_ALIASES = {
    "واشنطن": ("امريكا", "الامريكيه", "الامريكي", "الولايات"), "موسكو": ("روسيا", "الروسيه", "الروسي", "الكرملين"),
    "دمشق": ("سوريا", "السوريه", "السوري"), "الرياض": ("السعوديه", "المملكه"), "القاهره": ("مصر", "المصريه"),
    "بغداد": ("العراق", "العراقيه"), "طهران": ("ايران", "الايرانيه"), "انقره": ("تركيا", "التركيه"),
    "لندن": ("بريطانيا", "البريطانيه"), "باريس": ("فرنسا", "الفرنسيه"), "بيروت": ("لبنان", "اللبنانيه"),
    "عمان": ("الاردن", "الاردنيه"), "صنعاء": ("اليمن", "اليمنيه"),
}
# A country is named by its adjective too («الحكومة الألمانية» names Germany):
# the adjective's stem, read with «ال» and clitics before it and «ة/ون/ين»
# after it (qa/places.py).  Countries and continents only: a city's nisba is
# often another word («جدي» is "my grandfather").
PLACE_ADJECTIVES = {
    "سوريا": "سوري", "روسيا": "روسي", "مصر": "مصري", "السعوديه": "سعودي", "العراق": "عراقي",
    "لبنان": "لبناني", "الاردن": "اردني", "تركيا": "تركي", "ايران": "ايراني", "فلسطين": "فلسطيني",
    "اليمن": "يمني", "ليبيا": "ليبي", "تونس": "تونسي", "الجزاير": "جزايري", "المغرب": "مغربي",
    "السودان": "سوداني", "قطر": "قطري", "الامارات": "اماراتي", "الكويت": "كويتي", "البحرين": "بحريني",
    "امريكا": "امريكي", "فرنسا": "فرنسي", "بريطانيا": "بريطاني", "المانيا": "الماني", "الصين": "صيني",
    "اوكرانيا": "اوكراني", "الهند": "هندي", "اليابان": "ياباني", "باكستان": "باكستاني", "افغانستان": "افغاني",
    "اسبانيا": "اسباني", "ايطاليا": "ايطالي", "البرتغال": "برتغالي", "اليونان": "يوناني", "هولندا": "هولندي",
    "السويد": "سويدي", "النرويج": "نرويجي", "سويسرا": "سويسري", "البرازيل": "برازيلي", "الارجنتين": "ارجنتيني",
    "المكسيك": "مكسيكي", "استراليا": "استرالي", "اسراييل": "اسراييلي", "الصومال": "صومالي",
    "موريتانيا": "موريتاني", "نيجيريا": "نيجيري", "اثيوبيا": "اثيوبي", "افريقيا": "افريقي", "اسيا": "اسيوي",
    "اوروبا": "اوروبي",
}
ADJECTIVE_ENDINGS = ("", "ه", "ون", "ين")
# Phrases (normalised words joined by one space) that give a reason or a manner.
REASON_PHRASES = ("لان", "لانه", "لانها", "بسبب", "بهدف", "من اجل", "لاجل", "نتيجه", "بغيه", "سعيا",
                  "على خلفيه", "بداعي", "نظرا", "اثر")
MANNER_PHRASES = ("عبر", "من خلال", "بواسطه", "عن طريق", "بموجب", "باستخدام", "بفضل", "وفق", "وفقا")
# «اليوم الاثنين»، «أمس الأحد»: relative days resolved against the article's date.
RELATIVE_DAYS = {"اليوم": 0, "امس": -1, "غدا": 1}

# ---------------------------------------------------------------- matching
# Clitics peeled off to find the spellings a word may match under
# (light stemming: «لانتخابات»/«الانتخابات», «بيان»/«البيان»).
CLITIC_ARTICLES = ("وال", "بال", "كال", "فال", "لل")  # the article behind a conjunction or preposition
CLITIC_PREFIXES = (*CLITIC_ARTICLES, "ال", "و", "ف", "ب", "ل", "ك")
CLITIC_SUFFIXES = ("ات", "ون", "ين", "ان", "يه", "ها", "هم", "ه", "ي", "ا", "ت")
# A leading «و»/«ف» before a question word: «ومتى» → «متى».
CONJUNCTIONS = ("و", "ف")

# ---------------------------------------------------------------- follow-ups
# Leading conjunctions and pronouns that mark a question leaning on the
# conversation («ومتى ستجرى الانتخابات؟»).
FOLLOW_UP_STARTS = ("و", "ف", "ثم")
# Words that start with «و»/«ف» but are not a conjunction.
NOT_CONJUNCTIONS = _words("وزير وزاره فريق فرنسا وكاله وفد وفاه فيروس")
PRONOUNS = _words("هو هي هم هما ذلك هذا هذه تلك الطرفان الجانبان عنه عنها عنهم")
