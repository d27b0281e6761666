"""The machine-readable contract: field set, JSON types and offset semantics."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from onrecord.export import article_to_contract
from onrecord.models import Article, ExtractedArticle, Quote, Speaker

ARTICLE_FIELDS: dict[str, type | tuple[type, ...]] = {
    "source": str,
    "title": (str, type(None)),
    "published": (str, type(None)),
    "published_inferred": bool,
    "published_source": (str, type(None)),
    "updated": (str, type(None)),
    "url": (str, type(None)),
    "outlet": (str, type(None)),
    "authors": list,
    "language": (str, type(None)),
    "flags": list,
    "text": str,
    "removed": list,
    "quotes": list,
}
QUOTE_FIELDS: dict[str, type | tuple[type, ...]] = {
    "text": str,
    "start": int,
    "end": int,
    "kind": str,
    "cue": (str, type(None)),
    "cue_start": (int, type(None)),
    "cue_end": (int, type(None)),
    "confidence": float,
    "via": list,
    "audience": list,
    "inner_speaker": (str, type(None)),
    "extractor": str,
    "speaker": dict,
}
SPEAKER_FIELDS: dict[str, type | tuple[type, ...]] = {
    "name": (str, type(None)),
    "mention": (str, type(None)),
    "mention_start": (int, type(None)),
    "mention_end": (int, type(None)),
    "role": (str, type(None)),
    "org": (str, type(None)),
    "kind": str,
    "confidence": (float, type(None)),
}


def test_contract_has_every_field_with_its_type(item: ExtractedArticle) -> None:
    contract = article_to_contract(item)
    assert set(contract) == set(ARTICLE_FIELDS)
    for name, kind in ARTICLE_FIELDS.items():
        assert isinstance(contract[name], kind), name
    for quote in contract["quotes"]:
        assert set(quote) == set(QUOTE_FIELDS)
        for name, kind in QUOTE_FIELDS.items():
            assert isinstance(quote[name], kind), name
        assert set(quote["speaker"]) == set(SPEAKER_FIELDS)
        for name, kind in SPEAKER_FIELDS.items():
            assert isinstance(quote["speaker"][name], kind), name
    assert all(set(r) == {"text", "reason"} for r in contract["removed"])


def test_contract_values(item: ExtractedArticle) -> None:
    contract = article_to_contract(item)
    assert contract["published"] == "2024-03-05"
    assert contract["updated"] == "2024-03-06"
    assert contract["published_inferred"] is True
    assert contract["authors"] == ["Lena Ward", "Jo Quist"]
    assert contract["removed"] == [{"text": "Subscribe now!", "reason": "boilerplate"}]
    first, second, third = contract["quotes"]
    assert first["speaker"]["role"] == "finance minister"
    assert second["via"] == ["Reuters", "Daily Ledger"]
    assert second["kind"] == "indirect"
    assert third["speaker"]["name"] is None
    assert third["cue"] is None


def test_offsets_index_the_text(item: ExtractedArticle) -> None:
    contract = article_to_contract(item)
    text = contract["text"]
    for quote in contract["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["text"]
        speaker = quote["speaker"]
        if speaker["mention_start"] is not None:
            assert text[speaker["mention_start"] : speaker["mention_end"]] == speaker["mention"]


def test_undated_article_has_null_dates(undated_item: ExtractedArticle) -> None:
    contract = article_to_contract(undated_item)
    assert contract["published"] is None
    assert contract["updated"] is None
    assert contract["title"] is None


@given(
    text=st.text(min_size=1),
    data=st.data(),
    published=st.one_of(st.none(), st.dates()),
)
def test_contract_survives_json_and_keeps_offsets(
    text: str, data: st.DataObject, published: date | None
) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote = Quote(
        text=text[start:end],
        start=start,
        end=end,
        kind="direct",
        cue=None,
        confidence=1.0,
        speaker=Speaker(name=None, mention=None, mention_start=None, mention_end=None),
    )
    item = ExtractedArticle(
        article=Article(id="x", source="s", text=text, published=published), quotes=(quote,)
    )
    decoded = json.loads(json.dumps(article_to_contract(item), ensure_ascii=False))
    assert decoded == article_to_contract(item)
    [out] = decoded["quotes"]
    assert decoded["text"][out["start"] : out["end"]] == out["text"]
    assert decoded["published"] == (published.isoformat() if published else None)
