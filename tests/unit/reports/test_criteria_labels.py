"""Every criterion of the opportunity engine has an English and a Russian label in the brief."""

from tradecoop.opportunities.criteria import all_criteria
from tradecoop.reports import i18n


def test_every_registered_criterion_is_translated() -> None:
    for name in all_criteria():
        for lang in ("en", "ru"):
            assert i18n.has(f"criterion.{name}", lang), f"no {lang} label for criterion {name!r}"
