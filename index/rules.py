"""Cleaning rules for Arabic news pages, as data.

Each group names one kind of site chrome. Patterns are matched against one
whole line (a paragraph) after Unicode tidying, so they are anchored and
short lines only: a body sentence that merely mentions "تعليق" or "شارك"
never matches. ``index/clean.py`` applies these rules; it holds no strings.

Spelling variants are folded into small character classes rather than
listed: ``[أإاآ]`` for alef forms, an optional tanween on either side of
a final alef (أيضاً / أيضًا).
"""

from __future__ import annotations

import re

# Building blocks shared by several groups.
ALEF = "[أإاآ]"
TANWEEN = "[ً]?"  # written before or after the final alef: أيضًا / أيضاً
ALSO = f"{ALEF}يض{TANWEEN}{ALEF}{TANWEEN}"  # أيضاً / ايضا / أيضًا
YA = "[يى]"
SEP = r"[\s:：\-–—|•·،,.]*"  # punctuation that may trail a label


def _compile(patterns: list[str]) -> list[re.Pattern]:
    return [re.compile(p, re.IGNORECASE) for p in patterns]


# ---------------------------------------------------------------- line kinds
# Lines removed wherever they appear.

# "Latest news" and similar section headers scraped above the article.
SITE_HEADER = _compile([
    rf"^{ALEF}?[خح]ر {ALEF}?ل{ALEF}خب{ALEF}ر{SEP}$",  # أخر/آخر/اخر الأخبار
    rf"^(?:{ALEF}ل{ALEF}خب{ALEF}ر|{ALEF}لرئيسي[ةه]|عاجل|{ALEF}لمزيد){SEP}$",
    r"^(?:latest news|breaking news|home)\W*$",
])

# Pointers to OTHER articles inside the body: their text is another
# article's headline and must never reach the index.
READ_ALSO = _compile([
    rf"^[«\"(]?{ALEF}قر{ALEF}[ءأ]?{SEP}(?:{ALSO}|{ALEF}لمزيد|{ALEF}لتف{ALEF}صيل)\b",  # اقرأ أيضاً / إقرأ المزيد
    rf"^[«\"(]?(?:ش{ALEF}هد|ط{ALEF}لع|ت{ALEF}بع|{ALEF}قر{ALEF}[ءأ]?){SEP}{ALSO}",  # شاهد أيضاً / طالع أيضا
    rf"^(?:للمزيد|لمزيد من {ALEF}لتف{ALEF}صيل|{ALEF}قر{ALEF}[ءأ]? {ALEF}لخبر) *[:：]",
    rf"^(?:ذ{ALEF}ت صل[ةه]|قد يهمك(?: {ALSO})?|{ALEF}خترن{ALEF} لك)\s*[:：]",
    r"^(?:read (?:also|more)|see also|related)\s*:",
])

# Scraper leftovers: a trailing "error:", ad slots, lone symbols.
ARTIFACT = _compile([
    r"^error\s*:?\s*$",
    r"^(?:advertisement|sponsored|loading\.*|undefined|null)$",
    rf"^(?:{ALEF}علان|مس{ALEF}ح[ةه] {ALEF}علاني[ةه]|جار[يى]? {ALEF}لتحميل\.*)$",
    r"^[\W_]{1,5}$",  # "*", "|", "..." on a line of their own
])

# ---------------------------------------------------------------- tail chrome
# Kinds that mark where the page chrome after the body begins. The cleaner
# cuts from the first of them, unless body text still follows.

# "Related articles" blocks.
RELATED = _compile([
    rf"^(?:مق{ALEF}لات|{ALEF}خب{ALEF}ر|مو{ALEF}ضيع|تق{ALEF}رير|قصص) (?:ذ{ALEF}ت صل[ةه]|متعلق[ةه]|مش{ALEF}به[ةه]|{ALEF}خر{YA}){SEP}$",
    rf"^(?:ذ{ALEF}ت صل[ةه]|قد يهمك(?: {ALSO})?|{ALEF}خترن{ALEF} لك|{ALEF}لمزيد من {ALEF}ل{ALEF}خب{ALEF}ر){SEP}$",
    rf"^{ALEF}ل{ALEF}كثر (?:قر{ALEF}ء[ةه]|مش{ALEF}هد[ةه]|تد{ALEF}ول{ALEF}){SEP}$",
    r"^(?:related (?:articles|posts|news)|you may also like|more stories)\W*$",
])

# The comment form under the article.
COMMENT_FORM = _compile([
    rf"^{ALEF}ترك (?:تعليق{TANWEEN}{ALEF}{TANWEEN}|رد{TANWEEN}{ALEF}{TANWEEN}|تعليقك){SEP}$",
    rf"^(?:{ALEF}ضف|{ALEF}كتب|شاركن{ALEF}) (?:تعليق{TANWEEN}{ALEF}?{TANWEEN}|تعليقك|ر{ALEF}يك){SEP}$",
    rf"^{ALEF}لتعليق{ALEF}ت(?: \(\d+\))?{SEP}$",
    rf"^لن يتم نشر عنو{ALEF}ن بريدك {ALEF}ل{ALEF}لكترون",  # WordPress comment form
    rf"^{ALEF}لحقول {ALEF}ل(?:{ALEF}لز{ALEF}مي[ةه]|مطلوب[ةه])",
    r"^(?:leave a (?:comment|reply)|your email address will not be published)",
])

# Comment policies and disclaimers about readers' opinions: the page's
# own voice, not the article's (CNN Arabic's «ترحب شبكة CNN بالنقاش…»).
# They must name comments or the outlet itself, so a body sentence such as
# "ترحب الحكومة بالنقاش" or "لا تعبر عن موقف الحكومة" is not taken.
OUTLET = rf"(?:{ALEF}ل)?(?:موقع|شبك[ةه]|صحيف[ةه]|جريد[ةه]|قن{ALEF}[ةه]|مجل[ةه]|تحرير|ن{ALEF}شر)"
COMMENT_POLICY = _compile([
    rf"^ترحب .{{0,60}}ب(?:{ALEF}ل)?نق{ALEF}ش.*(?:{ALEF}?لتعليق{ALEF}ت|تعليق{ALEF}ت|مش{ALEF}رك{ALEF}ت)",
    rf"^.{{0,80}}(?:لا تعبر|لا تعكس|لا يعبر|لا يعكس|لا تمثل)(?: ب{ALEF}لضرور[ةه])? عن (?:ر{ALEF}ي|وجه[ةه] نظر|موقف|سي{ALEF}س[ةه]) {OUTLET}.{{0,80}}$",
    rf"^(?:{ALEF}ل)?(?:تعليق{ALEF}ت|مش{ALEF}رك{ALEF}ت|{ALEF}ر{ALEF}ء) .{{0,80}}(?:تعبر عن|تمثل) (?:ر{ALEF}ي |{ALEF}ر{ALEF}ء )?{ALEF}صح{ALEF}به{ALEF}",
    rf"^(?:يرجى|نرجو|{ALEF}لرج{ALEF}ء) .{{0,60}}(?:{ALEF}لتعليق|{ALEF}لتعليق{ALEF}ت|تعليق{ALEF}تكم)",
    r"^the views expressed .{0,60}(?:do not|don't) (?:necessarily )?reflect",
])

# Share bars and "follow us" prompts. شارك/اشترك/تابعنا are also verbs of
# ordinary sentences ("شارك في الاجتماع…"), so a network or the article
# itself must be named.
SOCIAL = (
    rf"(?:فيسبوك|فيس بوك|تويتر|و{ALEF}تس{ALEF}ب|تلغر{ALEF}م|تيليجر{ALEF}م|تليجر{ALEF}م|{ALEF}نستغر{ALEF}م|{ALEF}نستجر{ALEF}م|يوتيوب|"
    rf"لينكد {ALEF}ن|تيك توك|سن{ALEF}ب ش{ALEF}ت|{ALEF}كس|facebook|twitter|whatsapp|telegram|instagram|youtube|linkedin|"
    rf"tiktok|x|pinterest|reddit|email|messenger|{ALEF}لبريد {ALEF}ل{ALEF}لكتروني|طب{ALEF}ع[ةه]|نسخ {ALEF}لر{ALEF}بط|"
    rf"مو{ALEF}قع {ALEF}لتو{ALEF}صل(?: {ALEF}لاجتم{ALEF}عي)?|وس{ALEF}ئل {ALEF}لتو{ALEF}صل(?: {ALEF}لاجتم{ALEF}عي)?)"
)
_THIS = rf"(?:هذ{ALEF}|هذه) (?:{ALEF}لمق{ALEF}ل|{ALEF}لخبر|{ALEF}لموضوع|{ALEF}لص[فح]ح[ةه]|{ALEF}لتقرير)"
SHARE = _compile([
    rf"^(?:ش{ALEF}رك|ش{ALEF}ركو{ALEF}|مش{ALEF}رك[ةه]|{ALEF}نشر)(?: {_THIS})?(?: (?:عبر|على|في) {SOCIAL})?{SEP}$",
    rf"^(?:ش{ALEF}رك|ش{ALEF}ركو{ALEF}|{ALEF}نشر) {_THIS}",
    rf"^ت{ALEF}بع(?:ن{ALEF}|ون{ALEF}|و{ALEF}) (?:على|عبر|في) (?:{SOCIAL}|حس{ALEF}ب{ALEF}تن{ALEF}|صفحتن{ALEF}|قن{ALEF}تن{ALEF}|موقعن{ALEF})",
    rf"^ت{ALEF}بع(?:ن{ALEF}|ون{ALEF}|و{ALEF}) (?:{ALEF}خر|آخر|{ALEF}خب{ALEF}رن{ALEF}|{ALEF}ل{ALEF}خب{ALEF}ر).{{0,40}} (?:على|عبر) {SOCIAL}",
    rf"^{ALEF}نضم(?:و{ALEF})? {ALEF}ل{YA} .{{0,40}}(?:قن{ALEF}ت|{SOCIAL}|مجموع[ةه])",
    rf"^(?:{SOCIAL}[\s|•·,،/]*){{2,}}$",  # a bare row of networks
    r"^(?:share(?: this)?(?: article| story)?|follow us(?: on)?)\b.{0,40}$",
])

# Back-to-top buttons.
BACK_TO_TOP = _compile([
    rf"^زر {ALEF}لذه{ALEF}ب {ALEF}ل{YA} {ALEF}ل{ALEF}على$",
    rf"^(?:{ALEF}لعود[ةه]|عود[ةه]|{ALEF}لرجوع|رجوع|{ALEF}نتقل) (?:{ALEF}ل{YA} {ALEF}ل|لل)(?:{ALEF}على|ص[فح]ح[ةه] {ALEF}لرئيسي[ةه]|رئيسي[ةه])\W*$",
    rf"^لل{ALEF}على\W*$",
    r"^(?:back to top|scroll to top|go to top)\W*$",
])

# Newsletter sign-ups.
NEWSLETTER = _compile([
    rf"^{ALEF}شترك(?:و{ALEF})? (?:في |ب)(?:{ALEF}لنشر[ةه]|نشرتن{ALEF}|{ALEF}لقن{ALEF}[ةه]|قن{ALEF}تن{ALEF}|{ALEF}لخدم[ةه]|خدم[ةه]|{ALEF}لموقع)",
    rf"^{ALEF}شترك(?:و{ALEF})? (?:{ALEF}لآن|معن{ALEF}|مج{ALEF}ن{ALEF}){SEP}",
    rf"^(?:{ALEF}لنشر[ةه] {ALEF}لبريدي[ةه]|{ALEF}لنشر[ةه] {ALEF}ل{ALEF}خب{ALEF}ري[ةه]|نشرتن{ALEF} {ALEF}لبريدي[ةه]){SEP}$",
    rf"^(?:سجل|{ALEF}دخل) بريدك",
    r"^(?:subscribe|sign up) (?:to|for)\b",
])

# Copyright lines.
COPYRIGHT = _compile([
    rf"^.{{0,80}}جميع {ALEF}?لحقوق محفوظ[ةه].{{0,80}}$",
    rf"^(?:جميع )?حقوق {ALEF}لنشر.{{0,80}}$",
    r"^(?:©|\(c\)|copyright\b).{0,120}$",
    r"^.{0,60}©\s*\d{4}.{0,80}$",
    r"^.{0,80}all rights reserved.{0,40}$",
])

# An author bio after the body: "كاتب صحفي متخصص في…", "صحفية مهتمة ب…".
AUTHOR_BIO = _compile([
    rf"^(?:{ALEF}ل)?(?:ك{ALEF}تب|ك{ALEF}تب[ةه]|صحفي|صحفي[ةه]|صح{ALEF}في|صح{ALEF}في[ةه]|محرر|محرر[ةه]|مر{ALEF}سل|مر{ALEF}سل[ةه]|ب{ALEF}حث|ب{ALEF}حث[ةه]|{ALEF}ع{ALEF}لمي|{ALEF}ع{ALEF}لمي[ةه])"
    rf"(?: (?:صحفي|صحفي[ةه]|و?ب{ALEF}حث|و?محلل|سي{ALEF}سي|{ALEF}قتص{ALEF}دي|سوري|مصري|لبن{ALEF}ني))*"
    rf" (?:متخصص|مهتم|ح{ALEF}صل|خريج|يعمل|تعمل|له|لديه|لديه{ALEF}|ذو|ذ{ALEF}ت|يكتب|تكتب|عمل|عملت|من موليد|من مو{ALEF}ليد)",
    r"^(?:[a-z]+ )?(?:journalist|writer|reporter|editor)\b.{0,20}(?:specialis|covering|based in|who)",
])

# Which kinds begin the tail (author and bio are recognised separately).
TAIL_KINDS = ("related", "comment_form", "comment_policy", "share", "back_to_top", "newsletter", "copyright", "bio")

# Kinds removed only in the tail: elsewhere a match may be a body sentence
# ("صحفي يعمل في رويترز قال…").
TAIL_ONLY_KINDS = ("bio",)

# Line kinds, checked in this order.
LINE_RULES: dict[str, list[re.Pattern]] = {
    "header": SITE_HEADER,
    "read_also": READ_ALSO,
    "artifact": ARTIFACT,
    "related": RELATED,
    "comment_form": COMMENT_FORM,
    "comment_policy": COMMENT_POLICY,
    "share": SHARE,
    "back_to_top": BACK_TO_TOP,
    "newsletter": NEWSLETTER,
    "copyright": COPYRIGHT,
    "bio": AUTHOR_BIO,
}

# ---------------------------------------------------------------- templates
# A line repeated verbatim in this many articles of one source is the site's
# template (header, byline, footer), not text.
TEMPLATE_MIN_ARTICLES = 3

# ---------------------------------------------------------------- bylines
# "طيف بوست – فريق التحرير": the part before the dash is the site.
# ("دمشق – خاص" / "بيروت - وكالات" are datelines, not sites: not matched.)
SOURCE_BYLINE = re.compile(
    rf"^(?P<source>[^–—\-:|.،]{{2,40}}?)\s*[–—\-|]\s*"
    rf"(?:فريق {ALEF}لتحرير|هيئ[ةه] {ALEF}لتحرير|{ALEF}لتحرير|editorial team|staff)$",
    re.IGNORECASE,
)
# "بقلم: فلان", "كتب - فلان", "By Jane Doe".
# The dash or colon is required after كتب/إعداد: "كتب الرئيس على تويتر" is body.
AUTHOR_BYLINE = re.compile(
    rf"^(?:بقلم\s*[:：\-–—]?|by|(?:كتب|كتبت|{ALEF}عد{ALEF}د|تحرير)\s*[:：\-–—])\s*(?P<author>[^.،:!؟?\d]{{2,40}})$",
    re.IGNORECASE,
)
# A name line just above a bio: a few words, no sentence punctuation.
AUTHOR_NAME = re.compile(r"^[^\d.،,:؛!؟?«»\"“”]{2,40}$")
AUTHOR_NAME_MAX_WORDS = 4

# ---------------------------------------------------------------- body shape
# A line that reads as a body sentence guards the tail cut: nothing is cut
# while one still follows. Headlines of related articles rarely end with a
# full stop; body paragraphs almost always do.
SENTENCE_END = re.compile(r"[.؟?!…][\"'”»)\]]*$")
BODY_MIN_WORDS = 8
# A full stop after one of these ends an abbreviation, not a sentence
# (index/chunk.py): a single letter is a title or an initial («د. نادية
# الخولي» doctor, «م. عادل» engineer, «ميشيل إ. مان»), and Latin initials
# are spelt as these letter names («جون سي. كولمان»; not «بي»، «دي», which
# are also words: «اتصل بي.»).  The letter still ends the sentence after a
# number, where it is an era («عام 2015 م.», «500 ق. م.»), after another
# letter, where it closes an acronym written with spaces («بي بي سي.»), and
# after a word it labels («فيتامين د.», «المجموعة أ.»).
INITIAL_LETTERS = frozenset("ابتثجحخدذرزسشصضطظعغفقكلمنهويأإآ")
LATIN_LETTER_NAMES = frozenset({"تي", "جي", "سي", "إس", "اس", "إف", "إل", "إم", "آر", "إتش", "اتش", "كيه"})
ACRONYM_LETTERS = INITIAL_LETTERS | LATIN_LETTER_NAMES | {"بي", "دي", "إي", "اي"}
LETTER_LABELS = frozenset({"فيتامين", "الفيتامين", "المجموعة", "مجموعة", "الفئة", "فئة", "الخطة", "خطة",
                           "الكبد", "فيروس", "الدرجة", "النوع", "القسم"})
ERA_BEFORE = {"ق": "م"}  # «ق. م.»: the era goes on to its second letter
# A headline: short, and not a sentence (unless printed twice at the top,
# within this many lines).
TITLE_MAX_WORDS = 30
HEADLINE_REPEAT_WINDOW = 3

# ---------------------------------------------------------------- obfuscation
# Sites break flagged words with tatweel plus a separator so that filters
# miss them: القـ.ـضايا, فيـ*ـروس, كـ-ـورونا. A separator between two Arabic
# letters goes only when a tatweel touches it, so "جملة.كلمة" is left alone.
OBFUSCATION_SEPARATORS = r".*\-_•·+~|/\\\u200b-\u200d\u2060\ufeff"
ARABIC_LETTER = "[\u0620-\u063f\u0641-\u064a\u066e-\u06d3]"
# Group "keep" is the letter (and its diacritics) before the break.
OBFUSCATION = re.compile(
    rf"(?P<keep>{ARABIC_LETTER}[\u064b-\u0652]*)"
    rf"(?:\u0640+[{OBFUSCATION_SEPARATORS}]+\u0640*|\u0640*[{OBFUSCATION_SEPARATORS}]+\u0640+)"
    rf"(?={ARABIC_LETTER})"
)

# ---------------------------------------------------------------- unicode
# Zero-width and bidi controls carry no text; scrapers leave them behind
# (and they are another way to break words).
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u061c]")
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# ---------------------------------------------------------------- dates
# Month names in both Arabic systems (Egyptian/Gulf and Levantine).
MONTHS: dict[str, int] = {
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4,
    "مايو": 5, "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7,
    "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10,
    "نوفمبر": 11, "ديسمبر": 12,
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "اذار": 3, "نيسان": 4,
    "أيار": 5, "ايار": 5, "حزيران": 6, "تموز": 7, "آب": 8, "اب": 8,
    "أيلول": 9, "ايلول": 9, "تشرين الأول": 10, "تشرين الاول": 10,
    "تشرين الثاني": 11, "كانون الأول": 12, "كانون الاول": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
_MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
# Full dates only: a day and month without a year is never completed.
DATE_PATTERNS = [
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})(?!\d)"),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH})(?:\s*/\s*(?:{_MONTH}))?\s*،?,?\s+(?P<y>\d{{4}})(?!\d)", re.IGNORECASE),
    re.compile(rf"(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})(?!\d)", re.IGNORECASE),
]
# A line that only states when the article was published (and so is not body).
DATE_LINE = re.compile(
    rf"^(?:(?:نشر|نُشر|تاريخ {ALEF}لنشر|بت{ALEF}ريخ|published(?: on)?)\s*(?:في|:)?\s*)?"
    rf"(?:(?:{ALEF}لسبت|{ALEF}ل{ALEF}حد|{ALEF}لاثنين|{ALEF}لإثنين|{ALEF}لثلاث{ALEF}ء|{ALEF}ل{ALEF}ربع{ALEF}ء|{ALEF}لخميس|{ALEF}لجمع[ةه])\s*،?\s*)?"
    rf"[\d\s/.\-:،,]*(?:(?:{_MONTH})[\s/]*)*[\d\s/.\-:،,]*(?:ص|م|am|pm|gmt|utc)?\W*$",
    re.IGNORECASE,
)
# Last-updated stamps: dropped, never taken as the publication date.
UPDATED_LINE = re.compile(rf"^(?:{ALEF}خر|آخر) تحديث\s*:?.{{0,40}}$|^(?:updated|last updated)\b.{{0,40}}$", re.IGNORECASE)

# ---------------------------------------------------------------- days inside an article
# «اليوم الاثنين»، «أمس الأحد»، «أول أمس»، «غداً الأربعاء»، «الأحد الماضي»: days
# a report names relative to the day it was published (index/dates.py).
WEEKDAY_NUMBERS = {  # Python's weekday(): Monday is 0
    "الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الاربعاء": 2, "الخميس": 3,
    "الجمعة": 4, "الجمعه": 4, "السبت": 5, "الأحد": 6, "الاحد": 6,
}
_WEEKDAY = "|".join(sorted(map(re.escape, WEEKDAY_NUMBERS), key=len, reverse=True))
_W = r"[وف]?"  # «وأمس»، «فاليوم»
RELATIVE_DAY_PATTERNS = [  # (pattern, days from the published date or None: the weekday decides)
    (re.compile(rf"(?<!\w){_W}{ALEF}ول(?: من)? {ALEF}مس(?: (?P<wd>{_WEEKDAY}))?(?!\w)"), -2),
    (re.compile(rf"(?<!\w){_W}{ALEF}مس(?: (?P<wd>{_WEEKDAY}))?(?!\w)"), -1),
    (re.compile(rf"(?<!\w){_W}{ALEF}ل{ALEF}مس(?: (?P<wd>{_WEEKDAY}))?(?!\w)"), -1),
    (re.compile(rf"(?<!\w){_W}{ALEF}ليوم (?P<wd>{_WEEKDAY})(?!\w)"), 0),
    (re.compile(rf"(?<!\w){_W}غد{ALEF}?[ًٌٍ]?{ALEF}?(?: (?P<wd>{_WEEKDAY}))?(?!\w)"), 1),
    (re.compile(rf"(?<!\w)(?:يوم )?(?P<wd>{_WEEKDAY}) (?P<dir>{ALEF}لم{ALEF}ضي|{ALEF}لمقبل|{ALEF}لق{ALEF}دم)(?!\w)"), None),
]
# «الماضي» looks back, «المقبل/القادم» ahead.
PAST_DIRECTION = re.compile(rf"^{ALEF}لم{ALEF}ضي$")
# How far a weekday named with «اليوم/أمس» may pull the day from the
# published date: a crawler's date is often a day late (SaudiNewsNet's
# date_extracted), and the weekday the report itself names is right.
WEEKDAY_PULL = 2

# ---------------------------------------------------------------- page metadata
# A page's author or site name that is not a name (index/pagemeta.py): a URL,
# a host, an e-mail or handle, an image file, a logo, or fragments joined by
# «;» («Sputnik https; Cdnarabic; I; Logo Png»).
NOT_A_NAME = re.compile(r"https?|www\.|\.(?:com|net|org|sa|ae)\b|@|\.(?:png|jpe?g|gif|svg|webp)\b|\b(?:png|jpe?g|logo)\b|;|/",
                        re.IGNORECASE)
# «(أبوظبي - البيان)»: a dateline in parentheses, a desk, not a person.
NOT_AN_AUTHOR = re.compile(r"^\(.*\)$")
# «حسام أبو العلا - القاهرة»: the desk's city after the name.
AUTHOR_PLACE_SUFFIX = re.compile(r"\s+[-–—]\s+\S+$")
AUTHOR_MAX_WORDS = 5
SOURCE_MAX_CHARS = 60
