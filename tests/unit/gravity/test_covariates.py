"""Gravity covariates and the second-stage customs-union indicator against known facts."""

from __future__ import annotations

import pandas as pd
import pytest

from tradecoop.data.bundled import bundled_path
from tradecoop.gravity.potential import CUSTOMS_UNIONS

#: pairs with a common official language (constitutions): Russian in BLR, RUS, KAZ, KGZ; German in AUT, DEU
SHARED_OFFICIAL = [("BLR", "RUS"), ("KAZ", "RUS"), ("BLR", "KAZ"), ("KGZ", "RUS"), ("AUT", "DEU"), ("USA", "GBR")]
#: pairs without one (Russian is not official in Ukraine or Armenia)
NO_SHARED_OFFICIAL = [("UKR", "RUS"), ("ARM", "RUS"), ("DEU", "POL")]


@pytest.fixture(scope="module")
def covariates() -> pd.DataFrame:
    return pd.read_parquet(bundled_path("gravity_covariates")).set_index(["exporter", "importer"])


@pytest.mark.parametrize(("x", "y"), SHARED_OFFICIAL)
def test_common_official_language_is_one(covariates, x, y) -> None:
    assert covariates.loc[(x, y), "lang"] == 1 and covariates.loc[(y, x), "lang"] == 1


@pytest.mark.parametrize(("x", "y"), NO_SHARED_OFFICIAL)
def test_no_common_official_language_is_zero(covariates, x, y) -> None:
    assert covariates.loc[(x, y), "lang"] == 0


@pytest.mark.parametrize(("name", "is_cu"), [
    ("Eurasian Economic Union (EAEU)", True), ("Russian Federation - Belarus - Kazakhstan", True),
    ("EC/EU", True), ("EU - Turkey", True), ("Southern Common Market (MERCOSUR)", True),
    ("Southern African Customs Union (SACU)", True),
    ("European Economic Area (EEA)", False), ("EFTA - Turkey", False),
    ("Treaty on a Free Trade Area between members of the Commonwealth of Independent States (CIS)", False),
    ("Southern Common Market (MERCOSUR) - India", False), ("Gulf Cooperation Council (GCC) - Singapore", False),
])
def test_customs_union_names(name, is_cu) -> None:
    assert bool(CUSTOMS_UNIONS.search(name)) is is_cu
