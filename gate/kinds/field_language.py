"""field_language: a response field is written in the expected language, in enough answers."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from gate.corpus import CorpusItem
from gate.kinds.base import PASSED, Judgement, Measurement, ResponseKind, rate_verdict
from gate.kinds.fields import MISSING, get_field
from gate.redact import scrub
from gate.registry import kind

if TYPE_CHECKING:
    from lingua import LanguageDetector

    from gate.tally import Tally

# The languages lingua's wheel carries models for, by their English names; a test
# holds this list to lingua's own, so `gate validate` needs no import of it.
LANGUAGES = (  # noqa: SIM905 (as a list literal, a line per language)
    "afrikaans albanian arabic armenian azerbaijani basque belarusian bengali bokmal bosnian "
    "bulgarian catalan chinese croatian czech danish dutch english esperanto estonian finnish "
    "french ganda georgian german greek gujarati hebrew hindi hungarian icelandic indonesian "
    "irish italian japanese kazakh korean latin latvian lithuanian macedonian malay maori "
    "marathi mongolian nynorsk persian polish portuguese punjabi romanian russian serbian shona "
    "slovak slovene somali sotho spanish swahili swedish tagalog tamil telugu thai tsonga "
    "tswana turkish ukrainian urdu vietnamese welsh xhosa yoruba zulu"
).split()
_LANGUAGE: Mapping[str, Any] = {"enum": LANGUAGES}


@cache
def detector(candidates: tuple[str, ...]) -> LanguageDetector:
    """lingua's detector for these languages, built once per process.

    Imported here, not at the top: its models load here (one to three seconds
    for two languages), which `gate validate` and `gate --version` never pay. They
    are loaded whole up front, since lingua's lazy loading made each of the
    first few hundred texts slow. Everything comes from the installed wheel;
    nothing is downloaded.
    """
    from lingua import Language, LanguageDetectorBuilder

    languages = [Language.from_str(name) for name in candidates]
    return (
        LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
    )


@kind
class FieldLanguage(ResponseKind):
    """A response field is written in the expected language (a Spanish gloss is Spanish).

    The language is told by lingua (its models ship inside its wheel), choosing
    only among the `among` languages: a gloss that came back as the English
    sentence is caught, while a language nobody expects is never guessed.

    Params:
      field: the field to read, as a dotted path into the response (`spanish`).
      language: the language the field must be in, by English name (`spanish`).
      among: the languages to tell it from, `language` included (`[spanish, english]`).
      max_failure_rate: the largest share of answers with text that may be in another
        language, from 0 to 1 (default 0); above it the check fails: at 0.02, 2 in
        100 pass and 3 fail.
      empty: what a blank or missing field counts as. `skip` (the default) leaves it
        to field_nonempty: it is counted as passed and left out of the share, which
        is taken over the answers with text. `fail` counts it as not in the language.
    A field that is not a string fails.
    """

    name = "field_language"
    params_schema: ClassVar[Mapping[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["field", "language", "among"],
        "examples": [
            {
                "field": "spanish",
                "language": "spanish",
                "among": ["spanish", "english"],
                "max_failure_rate": 0.02,
            }
        ],
        "properties": {
            "field": {
                "type": "string",
                "minLength": 1,
                "description": "the response field to read, as a dotted path such as spanish",
            },
            "language": {**_LANGUAGE, "description": "the language the field must be in"},
            "among": {
                "type": "array",
                "minItems": 2,
                "uniqueItems": True,
                "items": _LANGUAGE,
                "description": "the languages the detector chooses among, language included",
            },
            "max_failure_rate": {
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "description": "the largest share of answers with text in another language",
            },
            "empty": {
                "enum": ["skip", "fail"],
                "description": "a blank or missing field: skip (left to field_nonempty) or fail",
            },
        },
    }

    def __init__(self, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        self.field: str = params["field"]
        self.language: str = params["language"]
        self.among = tuple(sorted(params["among"]))
        self.max_rate: float = params.get("max_failure_rate", 0.0)
        blank = f"'{self.field}' is blank"
        self._blank = Judgement(False, blank) if params.get("empty") == "fail" else _SKIPPED

    @classmethod
    def check_params(cls, params: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
        if params["language"] not in params["among"]:
            return [(("among",), f"must include the expected language '{params['language']}'")]
        return []

    @classmethod
    def rate_limit(cls, params: Mapping[str, Any]) -> float | None:
        return float(params.get("max_failure_rate", 0.0))

    def judge(self, item: CorpusItem, response: Mapping[str, Any]) -> Judgement:
        value = get_field(response, self.field)
        if value is MISSING or (isinstance(value, str) and not value.strip()):
            return self._blank
        if not isinstance(value, str):
            return Judgement(False, f"'{self.field}' is {type(value).__name__}, not a string")
        # The models load with the first answer that has text: a run that judges
        # none (a target nobody answers, a merge) never pays for them.
        found = detector(self.among).detect_language_of(value)
        name = found.name.lower() if found is not None else None
        if name == self.language:
            return PASSED
        text = scrub(value)  # masked before it is cut: no half of a secret survives
        shown = text if len(text) <= 60 else text[:57] + "..."
        return Judgement(False, f"'{self.field}' reads as {name or 'no language'}: {shown!r}")

    def verdict(self, tally: Tally) -> Measurement:
        what = f"with '{self.field}' not in {self.language}"
        return rate_verdict(tally, self.max_rate, what, exempt=int(tally.sums.get("blank", 0)))


# A blank field, left to field_nonempty: passed, and counted apart so the share skips it.
_SKIPPED = Judgement(True, sums={"blank": 1})
