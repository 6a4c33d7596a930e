"""Any text: extraction never fails and every offset points at the text it reports."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradecoop.news.extract import extract

WORDS = ["Челябинской", "области", "Минск", "МТЗ", "БелАЗа", "1,5", "млрд", "долларов", "42", "%",
         "11", "августа", "в", "2024", "году", "встретился", "подписали", "соглашение", "Belarus",
         "$59-60", "billion", "Chelyabisnk", "region", "met", "with", "Governor", "Aleksei", "Teksler",
         "Чэлябінскай", "вобласці", "жніўня", "«Беларус»", "—", ",", ".", "\n", "три", "дня", "назад"]
texts = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from(["auto", "ru", "en", "be"]), st.sampled_from([None, "2025-08-11"]))
def test_extract_any_text(text: str, lang: str, published: str | None) -> None:
    r = extract(text, lang=lang, published=published)
    assert set(r) == {"document", "entities", "facts"}
    for e in r["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    for f in r["facts"]:
        assert text[f["start"]:f["end"]] == f["text"]
        assert f["polarity"] in ("fact", "plan", "intent")
        assert f["value"] is None or f["unit"] is not None
