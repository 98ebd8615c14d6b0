"""The shipped content: the fact base's safety messages are there, in every language and at
every level they belong to; its banned claims are not."""

from __future__ import annotations

import re

import pytest
from helpers import LANGUAGES, options

from handoutkit.config import CONTENT_DIR, LEVELS, ROOT, TOPICS
from handoutkit.languages import load_language

EASY, STANDARD, DETAILED = LEVELS
ALL = tuple(LEVELS)
UPPER = (STANDARD, DETAILED)

# Claims the fact base says must never appear, and phrasings a review found that say the
# same thing in other words; each language has its own.
BANNED = {
    "en": [r"buy kratom", r"ideal option", r"without (causing )?(severe )?(side effects|sedation|addiction)",
           r"without a strong risk of overdose", r"no risk of overdose", r"fills the receptors",
           r"cannot cause addiction", r"does not cause addiction", r"banned in \w+ states",
           r"kratom is (safe|legal)", r"kratom (works|is effective)"],
    "es": [r"compr(e|ar) kratom", r"opci[oó]n ideal", r"sin (causar )?(sedaci[oó]n|adicci[oó]n|efectos)",
           r"sin (un )?riesgo (fuerte )?de sobredosis", r"llena los receptores",
           r"no (puede )?causa(r)? adicci[oó]n", r"prohibido en \w+ estados",
           r"el kratom es (seguro|legal)", r"el kratom (funciona|es eficaz)"],
}
# Private treatment centers named by the source articles: in no language.
NEVER = [r"855-956-4940", r"844-326-4514", r"serenity at summit"]

# What each topic must say, at which levels, in each language: every pattern must match.
SAFETY: list[tuple[str, tuple[str, ...], dict[str, list[str]]]] = [
    # Emergency numbers and naloxone in every handout.
    *[(topic, ALL, {"en": [r"\b911\b", r"\b988\b", r"1-800-662-4357", r"naloxone"],
                    "es": [r"\b911\b", r"\b988\b", r"1-800-662-4357", r"naloxona"]}) for topic in TOPICS],
    # Poison Help only while the person is awake and breathing.
    *[(topic, ALL, {"en": [r"awake and breathing"], "es": [r"despiert[ao] y respira"]}) for topic in TOPICS],
    # Alcohol or benzodiazepine dependence: do not stop suddenly.
    ("withdrawal", ALL, {"en": [r"(alcohol|drink)", r"(Xanax|benzodiazepines)", r"seizures"],
                         "es": [r"alcohol", r"(Xanax|benzodiacepinas)", r"convulsiones"]}),
    # Methadone withdrawal lasts longer.
    ("withdrawal", ALL, {"en": [r"methadone,? (it|this) (can|often) takes? longer"],
                         "es": [r"metadona.{0,40}(m[aá]s tiempo|tardar m[aá]s)"]}),
    # Naltrexone: pill or shot, when it starts, overdose after stopping it.
    ("getting-help", ALL, {"en": [r"naltrexone", r"pill", r"shot", r"(1 to 2 weeks|7 to 10 days)",
                                  r"stop it or miss a shot|stopped, or when a shot is missed"],
                           "es": [r"naltrexona", r"pastilla", r"inyecci[oó]n",
                                  r"(1 a 2 semanas|7 a 10 d[ií]as)",
                                  r"(deja|dej[oó]).{0,60}(inyecci[oó]n)"]}),
    ("withdrawal", UPPER, {"en": [r"naltrexone", r"7 to 10 days", r"2 weeks or more",
                                  r"miss a shot|shot is missed"],
                           "es": [r"naltrexona", r"7 a 10 d[ií]as", r"2 semanas o m[aá]s", r"inyecci[oó]n"]}),
    # Strong kratom or 7-OH: keep naloxone too.
    ("kratom", ALL, {"en": [r"(use them|use strong kratom)[^.]*\.?[^.]*naloxone"],
                     "es": [r"(los usa|usa productos fuertes|usa kratom fuerte)[^.]*\.?[^.]*naloxona"]}),
    # Naloxone: opioids only, withdrawal after it, pregnancy, expiry.
    ("getting-help", UPPER, {"en": [r"only on opioids|opioids only", r"does not (undo|reverse) alcohol",
                                    r"withdrawal", r"pregnan", r"expir"],
                             "es": [r"solo (funciona|act[uú]a)? ?(con|en|sobre) (los )?opioides",
                                    r"no (revierte|deshace|funciona con) (el )?alcohol",
                                    r"abstinencia", r"embaraz", r"(vence|caduc|vencimiento)"]}),
    # Fentanyl, test strips, locking up and getting rid of opioids.
    *[(topic, UPPER, {"en": [r"fentanyl", r"test strips", r"lock up", r"get rid of"],
                      "es": [r"fentanilo", r"tiras (reactivas|de prueba)", r"(guarde bajo llave|bajo llave)",
                             r"(deshacerse|desh[aá]gase|tire|desechar)"]})
      for topic in ("withdrawal", "getting-help")],
    # 988 in Spanish, one wording; English getting-help says how to reach it.
    ("getting-help", ALL, {"en": [r"press 2", r"text AYUDA"],
                           "es": [r"llame al 988 y oprima el 2, o mande un mensaje de texto con la "
                                  r"palabra AYUDA al 988"]}),
    *[(topic, ALL, {"es": [r"llame al 988 y oprima el 2, o mande un mensaje de texto con la palabra "
                           r"AYUDA al 988"]}) for topic in TOPICS],
    # More numbers: the helpline's TTY, Poison Help's interpreters.
    ("getting-help", ALL, {"en": [r"TTY:? 1-800-487-4889"], "es": [r"TTY:? 1-800-487-4889"]}),
    ("getting-help", UPPER, {"en": [r"interpreters"], "es": [r"int[eé]rpretes"]}),
    # No medicine is approved for kratom addiction.
    ("kratom", ALL, {"en": [r"no medicine is approved for kratom"],
                     "es": [r"ninguna medicina (est[aá] )?aprobada (para|contra) la adicci[oó]n al kratom"]}),
    # Buprenorphine: who prescribes it, and by video.
    ("getting-help", UPPER, {"en": [r"nurse practitioners", r"physician assistants", r"video"],
                             "es": [r"enfermer", r"asistentes m[eé]dicos", r"video"]}),
    # Both over-the-counter naloxone sprays.
    ("getting-help", UPPER, {"en": [r"4 mg and 3 mg"], "es": [r"4 mg y (de )?3 mg"]}),
]

# Corrections: words that must be gone, per language and level.
CORRECTED = [
    ("kratom", DETAILED, r"legal under federal law|legal según la ley federal"),
    ("interactions", DETAILED, r"\b\d+ (grams|gramos)\b"),
    ("interactions", DETAILED, r"kratom (blocks|bloquea) (CYP2D6 and|CYP2D6 y) CYP3A"),
]


@pytest.fixture(scope="module")
def languages(tmp_path_factory):
    out = tmp_path_factory.mktemp("unused")
    return {code: load_language(code, options(out, langs=(code,))) for code in LANGUAGES}


def all_text(handout) -> str:
    parts = [handout.title, *handout.running_text(), handout.steps_heading,
             *(line.number for line in handout.help_box), *(line.name for line in handout.help_box),
             *(s.heading for s in handout.sections)]
    return " ".join(parts)


def texts(languages, lang: str, level: str) -> dict[str, str]:
    return {h.slug: all_text(h) for h in languages[lang].handouts(level)}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("level", LEVELS)
def test_no_banned_claims(languages, lang, level):
    for slug, text in texts(languages, lang, level).items():
        for pattern in BANNED[lang] + NEVER:
            assert not re.search(pattern, text, re.I), f"{lang}/{slug}/{level}: {pattern}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("case", range(len(SAFETY)))
def test_safety_messages(languages, lang, case):
    topic, levels, needed = SAFETY[case]
    for level in levels:
        text = texts(languages, lang, level)[topic]
        for pattern in needed.get(lang, []):
            assert re.search(pattern, text, re.I | re.S), f"{lang}/{topic}/{level} lacks {pattern}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_corrections_stay_made(languages, lang):
    for topic, level, pattern in CORRECTED:
        assert not re.search(pattern, texts(languages, lang, level)[topic], re.I), (lang, topic, pattern)


def test_seven_oh_legal_status_is_dated(languages):
    """Any sentence on 7-OH's legal status says 'as of' when it was true."""
    for lang, as_of in (("en", "as of"), ("es", "hasta")):
        text = texts(languages, lang, DETAILED)["kratom"]
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if re.search(r"Schedule I|Lista I", sentence):
                assert as_of in sentence.lower(), (lang, sentence)


@pytest.mark.parametrize("topic", TOPICS)
def test_each_topic_cites_its_section_of_the_fact_base(topic):
    fact_base = (ROOT / "docs/fact-base.md").read_text(encoding="utf-8")
    header = (CONTENT_DIR / "en" / f"{topic}.yaml").read_text(encoding="utf-8").split("\n", 2)[:2]
    cited = re.search(r"docs/fact-base\.md#([a-z0-9-]+)", "\n".join(header))
    assert cited, f"{topic}.yaml does not cite docs/fact-base.md in its first lines"
    anchors = {re.sub(r"[^a-z0-9 -]", "", heading.lower()).replace(" ", "-")
               for heading in re.findall(r"^## (.+)$", fact_base, re.M)}
    assert cited[1] in anchors and cited[1].startswith(topic)


def test_no_document_sends_readers_outside_the_project():
    for file in [ROOT / "README.md", ROOT / "TRANSLATING.md", *(ROOT / "docs").glob("*.md")]:
        assert "../shared" not in file.read_text(encoding="utf-8"), file
