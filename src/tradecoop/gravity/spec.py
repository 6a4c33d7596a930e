"""What a structural gravity model estimates: dependent variable, covariates, fixed effects, sample.

The structural gravity equation (Anderson & van Wincoop 2003, doi:10.1257/000282803321455214;
Yotov, Piermartini, Monteiro & Larch 2016, *An Advanced Guide to Trade Policy Analysis*,
doi:10.30875/abc0167e-en) is estimated as

    X_ijt = exp(pi_it + chi_jt + mu_ij + b'Z_ijt) * e_ijt

where ``pi_it`` (exporter x year) and ``chi_jt`` (importer x year) are the multilateral
resistance terms, ``mu_ij`` an optional pair fixed effect and ``Z_ijt`` the bilateral covariates
(ln distance, contiguity, common language, colonial ties, trade agreements).

A :class:`GravitySpec` holds that choice and turns it into a pyfixest formula
(``trade ~ ln_dist + cntg | exporter^year + importer^year``). It can also be parsed from such a
formula string; :meth:`GravitySpec.check_columns` names every column the data lacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from tradecoop.errors import DataValidationError

#: columns derived on the fly when the data lacks them: name -> (source column, description)
DERIVED_COLUMNS: dict[str, tuple[str, str]] = {
    "ln_dist": ("dist", "natural log of dist"),
    "ln_distcap": ("distcap", "natural log of distcap"),
}

#: names that may appear in a pyfixest formula without being columns (functions, namespaces)
_FORMULA_FUNCTIONS = frozenset({"np", "log", "exp", "sqrt", "C", "i", "I", "Q", "abs"})
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def _identifiers(text: str) -> list[str]:
    """Identifiers in a formula term, skipping functions (``log(x)`` -> ``x``) and numbers."""
    out = []
    for match in _IDENT.finditer(text):
        name = match.group(0)
        end = match.end()
        is_call = end < len(text) and text[end] == "("
        if is_call or name in _FORMULA_FUNCTIONS or name.split(".")[0] == "np":
            continue
        out.append(name)
    return out


def _split_terms(text: str) -> tuple[str, ...]:
    """Split ``a + b + log(c)`` on the top-level ``+`` signs (not inside parentheses)."""
    terms, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "+" and depth == 0:
            terms.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    terms.append("".join(current).strip())
    return tuple(t for t in terms if t and t != "1")


@dataclass(frozen=True)
class GravitySpec:
    """A gravity model: ``dependent ~ covariates | fixed_effects`` on a sample.

    Parameters
    ----------
    dependent : column of bilateral flows (levels, USD or any unit; never logged by the user:
        ``family='ols'`` takes the log of the positive flows itself)
    covariates : bilateral covariates ``Z_ijt`` (pyfixest terms, e.g. ``ln_dist``, ``cntg``)
    fixed_effects : pyfixest fixed-effect terms; ``exporter^year`` is the exporter x year
        interaction. Default: exporter-year and importer-year (the multilateral resistances).
    years : keep only these years (None: all)
    international_only : drop intra-national flows (exporter == importer)
    exporter, importer, year : names of the key columns used by the sample filters
    """

    dependent: str = "trade"
    covariates: tuple[str, ...] = ("ln_dist", "cntg", "lang", "clny")
    fixed_effects: tuple[str, ...] = ("exporter^year", "importer^year")
    years: tuple[int, ...] | None = None
    international_only: bool = False
    exporter: str = "exporter"
    importer: str = "importer"
    year: str = "year"

    def __post_init__(self) -> None:
        if not self.dependent or not _identifiers(self.dependent):
            raise DataValidationError(f"gravity spec: expected a dependent variable, found {self.dependent!r}")
        if not self.covariates:
            raise DataValidationError(
                "gravity spec: expected at least one covariate (e.g. ln_dist), found none; "
                "a model made of fixed effects only has nothing to estimate"
            )
        object.__setattr__(self, "covariates", tuple(self.covariates))
        object.__setattr__(self, "fixed_effects", tuple(self.fixed_effects))
        if self.years is not None:
            object.__setattr__(self, "years", tuple(int(y) for y in self.years))

    # --- formula ----------------------------------------------------------------------
    @property
    def formula(self) -> str:
        """The pyfixest formula, e.g. ``trade ~ ln_dist + cntg | exporter^year + importer^year``."""
        rhs = " + ".join(self.covariates)
        if self.fixed_effects:
            return f"{self.dependent} ~ {rhs} | {' + '.join(self.fixed_effects)}"
        return f"{self.dependent} ~ {rhs}"

    @classmethod
    def from_formula(
        cls,
        formula: str,
        *,
        years: Iterable[int] | None = None,
        international_only: bool = False,
    ) -> GravitySpec:
        """Parse a pyfixest formula ``y ~ x1 + x2 | fe1 + fe2``.

        Raises
        ------
        DataValidationError
            If the text is not of that form (no ``~``, no covariate, an IV part ``| a ~ b``).
        """
        text = " ".join(formula.split())
        if text.count("~") != 1:
            raise DataValidationError(
                f"formula: expected 'dependent ~ covariates | fixed effects' "
                f"(e.g. 'trade ~ ln_dist + cntg | exporter^year + importer^year'), found {formula!r}"
            )
        lhs, rhs = (part.strip() for part in text.split("~"))
        parts = [p.strip() for p in rhs.split("|")]
        if len(parts) > 2:
            raise DataValidationError(
                f"formula: expected at most one '|' (before the fixed effects), found {len(parts) - 1} "
                f"in {formula!r}; instrumental-variable gravity is not supported"
            )
        covariates = _split_terms(parts[0])
        fixed_effects = _split_terms(parts[1]) if len(parts) == 2 else ()
        if not lhs:
            raise DataValidationError(f"formula: no dependent variable before '~' in {formula!r}")
        if not covariates:
            raise DataValidationError(
                f"formula: expected at least one covariate after '~', found none in {formula!r}"
            )
        return cls(
            dependent=lhs,
            covariates=covariates,
            fixed_effects=fixed_effects,
            years=tuple(years) if years is not None else None,
            international_only=international_only,
        )

    def with_sample(
        self, *, years: Iterable[int] | None = None, international_only: bool | None = None
    ) -> GravitySpec:
        """A copy with other sample filters."""
        return replace(
            self,
            years=tuple(years) if years is not None else self.years,
            international_only=self.international_only if international_only is None else international_only,
        )

    # --- columns ----------------------------------------------------------------------
    def covariate_columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for term in self.covariates for n in _identifiers(term)))

    def fixed_effect_columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for term in self.fixed_effects for n in _identifiers(term)))

    def columns(self) -> tuple[str, ...]:
        """Every column the model reads (dependent, covariates, fixed effects, filters)."""
        names = [*_identifiers(self.dependent), *self.covariate_columns(), *self.fixed_effect_columns()]
        if self.years is not None:
            names.append(self.year)
        if self.international_only:
            names += [self.exporter, self.importer]
        return tuple(dict.fromkeys(names))

    def check_columns(self, available: Iterable[str], *, where: str = "data") -> None:
        """Raise :class:`DataValidationError` naming every column the model needs but ``available`` lacks.

        Columns in :data:`DERIVED_COLUMNS` count as present when their source column is.
        """
        have = set(available)
        missing = [
            c for c in self.columns()
            if c not in have and not (c in DERIVED_COLUMNS and DERIVED_COLUMNS[c][0] in have)
        ]
        if missing:
            hint = ""
            for name in missing:
                if name in DERIVED_COLUMNS:
                    hint = f" ({name} can be derived from a '{DERIVED_COLUMNS[name][0]}' column)"
            raise DataValidationError(
                f"{where}: the formula {self.formula!r} names column(s) {', '.join(missing)} that the "
                f"data does not have{hint}; available columns: {', '.join(sorted(have))}"
            )
