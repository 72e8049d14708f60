import math
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from nvo_nlp.errors import ConfigError
from nvo_nlp.langid import (
    DEFAULT_CANDIDATES,
    UNDETERMINED,
    BalticBackend,
    LanguageDetector,
    LinguaBackend,
    detect_language,
    detect_spans,
)
from nvo_nlp.langid.detect import LONG_TEXT_LETTERS, _lingua_languages, _opening, _words


@pytest.fixture(scope="module", params=["baltic", "lingua", "langdetect"])
def detector(request):
    return LanguageDetector(request.param)


SENTENCES = [
    ("Klaipėdos rajono savivaldybė kartu su Liepojos miesto savivaldybe įgyvendina bendrą projektą.", "lt"),
    ("Liepājas domes priekšsēdētājs tikās ar biedrību pārstāvjiem un pašvaldības darbiniekiem.", "lv"),
    ("The municipality of the district hosted guests from the neighbouring city last September.", "en"),
    ("Представители муниципалитета встретились с жителями города и обсудили бюджет.", "ru"),
]


@pytest.mark.parametrize(("text", "language"), SENTENCES)
def test_detect_language_of_full_sentences_with_every_backend(detector, text, language):
    result = detector.detect(text)
    assert (result.language, result.reason) == (language, None)
    assert result.confidence >= 0.5


@pytest.mark.parametrize("text", ["", "   ", "2025 12 31", "22 – 30 %", "a"])
def test_detect_empty_or_digit_only_text_is_undetermined(text):
    result = detect_language(text)
    assert (result.language, result.confidence, result.reason) == (UNDETERMINED, 0.0, "too few letters")


def test_detect_is_deterministic_across_runs(detector):
    texts = [text for text, _ in SENTENCES] + ["Un tad?", "Labas rytas", "Ja, tak"]
    first = [detector.scores(t) for t in texts]
    assert all([detector.scores(t) for t in texts] == first for _ in range(3))


def test_detect_langdetect_seed_makes_fresh_detectors_agree():
    text = "Un ja nu tas viss"
    assert LanguageDetector("langdetect").scores(text) == LanguageDetector("langdetect").scores(text)


def test_detect_lithuanian_paragraph_full_of_latvian_names_stays_lithuanian():
    paragraph = (
        "Liepojos miesto vicemeras Jānis Džeriņš, Gunārs Ansiņš ir Ģirts Ķirsis pabrėžė, kad tokie mainai "
        "su Dienvidkurzemes novada ir Ventspils atstovais, tarp jų Līga Bērziņa, yra labai naudingi."
    )
    assert detect_language(paragraph).language == "lt"


def test_detect_quoted_foreign_phrase_does_not_flip_the_paragraph():
    paragraph = "Projektas vadinasi „Stronger Together for Better Communities Across the Border“, sakė ji."
    assert detect_language(paragraph).language == "lt"


def test_detect_mixed_article_yields_both_languages_at_span_level():
    text = (
        "Rugsėjo pabaigoje Klaipėdos rajone vyko pirmasis projekto partnerių susitikimas su svečiais.\n"
        "Liepājas pašvaldības pārstāvji iepazinās ar kopienu iniciatīvām un sniegtajiem pakalpojumiem.\n"
        "The project is funded by the Interreg programme and will run for two years."
    )
    spans = detect_spans(text)
    assert [s.language for s in spans] == ["lt", "lv", "en"]
    assert [text[s.start : s.end][:8] for s in spans] == ["Rugsėjo ", "Liepājas", "The proj"]


@pytest.mark.parametrize(
    ("snippet", "language"),
    [
        ("Un es viņam", "lv"),
        ("Es ticu, ka", "lv"),
        ("Mani vilina pati", "lv"),
        ("Kas mums lieka", "lt"),
        ("Tiesa, jis dar", "lt"),
    ],
)
def test_detect_short_baltic_snippets_use_word_evidence(snippet, language):
    # Three-word beginnings of benchmark sentences that lingua alone gives to fi, en or the other Baltic language.
    assert LanguageDetector("lingua").scores(snippet)[0][0] != language
    assert LanguageDetector("baltic").scores(snippet)[0][0] == language


def test_detect_ambiguous_text_is_undetermined_with_reason():
    result = LanguageDetector("lingua").detect("Bom!")
    assert result.language == UNDETERMINED and result.reason.startswith("ambiguous")


def test_detect_rejects_unknown_backends_and_codes():
    with pytest.raises(ConfigError, match="unknown language-identification backend"):
        LanguageDetector("fasttext")
    with pytest.raises(ConfigError, match="unknown ISO 639-1"):
        LanguageDetector("lingua", candidates=["lt", "xq"])


@pytest.mark.parametrize(
    ("main", "other", "language"),
    [
        (SENTENCES[0][0], "The project is funded by the Interreg programme and will run for two years.", "lt"),
        (SENTENCES[1][0], "Partneriai iš Klaipėdos rajono pristatė savo bendruomenių veiklą.", "lv"),
        (SENTENCES[2][0], "Liepājas pašvaldības pārstāvji iepazinās ar kopienu iniciatīvām.", "en"),
    ],
)
def test_detect_document_combines_paragraphs_longest_language_wins(main, other, language):
    text = "\n".join([main, main, other, main])
    result, spans = LanguageDetector().detect_document(text)
    assert result.language == language and result.confidence > 0.99
    # The spans are those of detect_spans, and the minority paragraph keeps its own language.
    assert spans == detect_spans(text)
    assert spans[2].language != language


@pytest.mark.parametrize("text", [SENTENCES[0][0], SENTENCES[1][0], "Bom!", "2025"])
def test_detect_document_of_one_paragraph_is_detect(text):
    detector = LanguageDetector()
    result, spans = detector.detect_document(text)
    assert result == detector.detect(text)
    assert [(s.start, s.end, s.language) for s in spans] == [(0, len(text), result.language)]


#: lingua's own threshold (lingua-rs HIGH_ACCURACY_MODE_MAX_TEXT_LENGTH): from it on, high accuracy means trigrams only.
LINGUA_LONG_TEXT = 120
LONG_LATVIAN = (
    "Liepājas domes priekšsēdētājs tikās ar biedrību pārstāvjiem un pašvaldības darbiniekiem, lai kopīgi "
    "apspriestu nākamā gada projektus un kopienu iniciatīvas."
)


def _exactly_letters(text: str, count: int) -> str:
    """``text`` cut after its ``count``-th letter."""
    seen = 0
    for end, character in enumerate(text, 1):
        seen += character.isalpha()
        if seen == count:
            return text[:end]
    raise ValueError(f"fewer than {count} letters")


def test_detect_long_text_does_not_load_the_high_accuracy_models():
    backend = LinguaBackend()
    backend.scores(_exactly_letters(LONG_LATVIAN, LINGUA_LONG_TEXT))
    assert not backend.short_text_models_loaded
    backend.scores(_exactly_letters(LONG_LATVIAN, LINGUA_LONG_TEXT - 1))
    assert backend.short_text_models_loaded


@pytest.mark.parametrize(
    "text",
    [
        _exactly_letters(LONG_LATVIAN, LINGUA_LONG_TEXT),
        LONG_LATVIAN,
        SENTENCES[0][0] + " " + SENTENCES[2][0],
        SENTENCES[3][0] + " " + SENTENCES[3][0],
    ],
)
def test_detect_long_text_scores_as_lingua_high_accuracy_mode(text):
    from lingua import LanguageDetectorBuilder

    languages = _lingua_languages(DEFAULT_CANDIDATES)
    high_accuracy = LanguageDetectorBuilder.from_languages(*languages).build()
    expected = {
        v.language.iso_code_639_1.name.lower(): round(v.value, 9)
        for v in high_accuracy.compute_language_confidence_values(text)
        if round(v.value, 9) > 0
    }
    assert dict(LinguaBackend().scores(text)) == pytest.approx(expected, abs=1e-8)


def test_detect_threads_meeting_the_first_short_texts_build_the_high_accuracy_detector_once(monkeypatch):
    backend = LinguaBackend()
    builds = []
    build = backend._high_accuracy_detector

    def slow_build():
        builds.append(1)
        time.sleep(0.2)  # long enough for every thread to arrive while the first one builds
        return build()

    monkeypatch.setattr(backend, "_high_accuracy_detector", slow_build)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(backend.scores, ["Un es viņam"] * 4))
    assert len(builds) == 1
    assert all(result == results[0] and result for result in results)


@pytest.mark.parametrize(
    ("paragraph", "language", "decisive"),
    [
        ("Rajono seniūnija ir bendruomenė kartu surengė šventę.", "lt", True),
        ("Novada pašvaldība un biedrība kopā rīkoja svētkus.", "lv", True),
        ("The council and the society held a fair.", "en", False),
    ],
)
def test_detect_short_paragraph_with_decisive_baltic_words_is_read_by_trigrams(paragraph, language, decisive):
    backend = BalticBackend(LinguaBackend())
    counts, _ = backend.evidence(paragraph)
    assert backend.decisive(counts) is decisive
    assert backend.scores(paragraph)[0][0] == language
    assert backend.base.short_text_models_loaded is not decisive


def test_detect_decisive_paragraph_whose_trigram_reading_disagrees_is_read_again():
    # Three Latvian evidence words, but lingua's trigrams alone put Lithuanian first even after re-ranking.
    backend = BalticBackend(LinguaBackend())
    assert backend.evidence("Un es viņam") == ({"lt": 0, "lv": 3}, 3)
    assert backend.scores("Un es viņam")[0][0] == "lv"
    assert backend.base.short_text_models_loaded


LITHUANIAN = "Rajono seniūnija ir bendruomenė kartu surengė šventę, o savanoriai padėjo gyventojams."
LATVIAN = "Novada pašvaldība un biedrība kopā rīkoja svētkus, un brīvprātīgie palīdzēja iedzīvotājiem."
# Names that are evidence of neither Baltic language: they make a paragraph long without settling it.
CITIES = "Tartu, Tallinn, Helsinki, Berlin, London, Warszawa, Oslo, Stockholm, Praha, Madrid, Roma, Paris."


@pytest.mark.parametrize(("sentence", "language"), [(LITHUANIAN, "lt"), (LATVIAN, "lv")])
def test_detect_long_decisive_paragraph_is_read_by_lingua_on_its_opening_only(sentence, language):
    backend = BalticBackend(LinguaBackend())
    read = []
    trigram_scores = backend.base.trigram_scores
    backend.base.trigram_scores = lambda text: read.append(text) or trigram_scores(text)
    paragraph = " ".join([sentence, CITIES, CITIES, CITIES])
    assert backend.decisive(backend.evidence(paragraph)[0]) and backend.settled(backend.evidence(paragraph)[0]) is None
    ranked = backend.scores(paragraph)
    assert ranked[0][0] == language
    assert len(read) == 1 and paragraph.startswith(read[0]) and len(read[0]) < len(paragraph) / 2
    assert sum(ch.isalpha() for ch in read[0]) >= LONG_TEXT_LETTERS
    # The evidence of the whole paragraph settles the probabilities as a reading of all of it would.
    assert (
        ranked[:1]
        == BalticBackend(LinguaBackend())._reweighted(
            LinguaBackend().trigram_scores(paragraph), *backend.evidence(paragraph)
        )[:1]
    )


@pytest.mark.parametrize(
    ("paragraph", "language", "read_whole"),
    [
        # One Latvian word among dozens of Lithuanian ones (a name, a shared spelling) leaves it decisive.
        (" ".join([LITHUANIAN] * 6 + ["Ir pašvaldība."]), "lt", False),
        (" ".join([LATVIAN] * 6 + ["Un bendruomenė."]), "lv", False),
        # Both languages in earnest: lingua reads all of it.
        (" ".join([LITHUANIAN, LATVIAN] * 3), None, True),
    ],
)
def test_detect_evidence_ten_times_the_other_languages_is_decisive(paragraph, language, read_whole):
    backend = BalticBackend(LinguaBackend())
    counts, _ = backend.evidence(paragraph)
    assert min(counts.values()) > 0
    read = []
    for name in ("scores", "trigram_scores"):
        reading = getattr(backend.base, name)
        setattr(backend.base, name, lambda text, reading=reading: read.append(text) or reading(text))
    ranked = backend.scores(paragraph)
    assert (paragraph in read) is read_whole
    if language:
        # Settled by the evidence, or read by its opening at most.
        assert ranked[0][0] == language and all(len(text) < len(paragraph) / 2 for text in read)


@pytest.mark.parametrize(
    ("paragraph", "language"),
    [
        (" ".join([LITHUANIAN] * 3), "lt"),  # twelve evidence words: the margin exactly
        (" ".join([LATVIAN] * 2), "lv"),
        (" ".join([LATVIAN] * 6 + ["Ir bendruomenė."]), "lv"),
    ],
)
def test_detect_evidence_outnumbering_by_the_settled_margin_needs_no_lingua_reading(paragraph, language):
    backend = BalticBackend(LinguaBackend())
    counts, _ = backend.evidence(paragraph)
    assert max(counts.values()) - min(counts.values()) >= BalticBackend.SETTLED_MARGIN

    def unread(text):
        raise AssertionError(f"lingua read {text!r}")

    backend.base.scores = backend.base.trigram_scores = unread
    settled = LanguageDetector(backend).detect(paragraph)
    assert settled.language == language
    # What lingua's reading, re-ranked by the same evidence, would have given: the same result.
    read_by_lingua = BalticBackend(LinguaBackend())
    read_by_lingua.SETTLED_MARGIN = math.inf
    assert LanguageDetector(read_by_lingua).detect(paragraph) == settled


@pytest.mark.parametrize(
    "paragraph",
    [
        " ".join([LITHUANIAN] * 2),  # eight evidence words: lingua still reads it
        " ".join([LITHUANIAN, LATVIAN] * 3),  # both languages
        "The council and the society held a fair. " * 6,  # no evidence
    ],
)
def test_detect_evidence_below_the_settled_margin_is_not_settled(paragraph):
    backend = BalticBackend(LinguaBackend())
    assert backend.settled(backend.evidence(paragraph)[0]) is None


@pytest.mark.parametrize(
    ("text", "words", "opening"),
    [
        # Digits and underscores are no letters; a token counts as a word when it holds a letter.
        ("22 svečiai – iš Latvijos, 2025 m.", 4, "22 svečiai"),
        ("Liepājā\u00a0ieradās 22_viesi un 3 bērni", 5, "Liepājā"),
        ("The 2nd fair: 40 % more — see council_news.lv", 6, "The 2nd"),
    ],
)
def test_detect_words_and_opening_count_letters_not_digits(text, words, opening):
    assert _words(text) == words
    # The opening ends with the word that holds the given letter, whatever follows it.
    assert _opening(text, letters=5) == opening
    assert _opening(text, letters=len(text)) == text  # fewer letters than asked: all of it
