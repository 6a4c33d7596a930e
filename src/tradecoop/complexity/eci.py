"""Economic and product complexity: eigenvector (default), method of reflections, fitness-complexity.

Plain functions on numpy arrays (no pandas). ``m`` is the binary presence matrix (Nc, Np) as
float64 with no empty row or column; ``kc0`` / ``kp0`` its row / column sums.

References
----------
Hidalgo, C. A. & Hausmann, R. (2009). The building blocks of economic complexity. *PNAS* 106(26),
10570-10575. https://doi.org/10.1073/pnas.0900943106 (method of reflections).

Hausmann, R., Hidalgo, C. A. et al. (2014). *The Atlas of Economic Complexity*. MIT Press.
https://doi.org/10.7551/mitpress/9647.001.0001 (eigenvector ECI/PCI).

Tacchella, A., Cristelli, M., Caldarelli, G., Gabrielli, A. & Pietronero, L. (2012). A new metrics
for countries' fitness and products' complexity. *Scientific Reports* 2, 723.
https://doi.org/10.1038/srep00723 (fitness-complexity).
"""

from __future__ import annotations

import warnings

import numpy as np

from tradecoop.errors import ConvergenceError

#: eigenvalue gap below which the second eigenvector is not determined: lambda1 - lambda2 below it
#: means the bipartite network is disconnected (lambda2 = lambda1 = 1 up to rounding, ~1e-15);
#: lambda2 - lambda3 below it means the ECI vector is not unique.
EIGEN_GAP_TOL = 1e-10
#: above this many rows the symmetric matrix goes to the Lanczos solver (``eigsh``) instead of ``eigh``
DENSE_EIGH_MAX = 2000


def _top3(sym: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Three largest eigenpairs (descending) of a symmetric PSD matrix."""
    n = sym.shape[0]
    if n <= DENSE_EIGH_MAX:
        vals, vecs = np.linalg.eigh(sym)
        vals, vecs = vals[-3:], vecs[:, -3:]
    else:
        import scipy.sparse.linalg

        vals, vecs = scipy.sparse.linalg.eigsh(sym, k=3, which="LA", v0=np.ones(n))
    order = np.argsort(vals)[::-1]
    return vals[order], vecs[:, order]


def eigenvector_complexity(
    m: np.ndarray, kc0: np.ndarray, kp0: np.ndarray, *, tol: float = EIGEN_GAP_TOL
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Raw (un-signed, un-standardised) kc and kp from the second eigenvector (docs/complexity.md, the recipe: ECI/PCI).

    kp is the second eigenvector of M~P = Dp^-1 M' Dc^-1 M. It is computed on the smaller side
    through a symmetric similar matrix: with Nc <= Np,
    S = Dc^-1/2 M Dp^-1 M' Dc^-1/2, u its second eigenvector, kc* = Dc^-1/2 u,
    kp = Dp^-1 M' kc*; otherwise T = Dp^-1/2 M' Dc^-1 M Dp^-1/2 and kp = Dp^-1/2 v.
    Then kc = Dc^-1 M kp (step 5: the mean of kp over the products c has).

    Returns
    -------
    kc, kp, eigenvalues
        ``eigenvalues`` are the three largest (lambda1 = 1).

    Raises
    ------
    ConvergenceError
        If lambda1 - lambda2 < tol: the location-product network is disconnected and the
        second eigenvector is not defined. Warns (RuntimeWarning) if lambda2 - lambda3 < tol.
    """
    nc, np_ = m.shape
    if nc < 3 or np_ < 3:
        raise ConvergenceError(
            f"complexity needs at least 3 locations and 3 products with presence; got {nc} x {np_}"
        )
    if nc <= np_:
        rc = 1.0 / np.sqrt(kc0)
        sym = ((m / kp0) @ m.T) * np.outer(rc, rc)
        vals, vecs = _top3(sym)
        kp = (m.T @ (vecs[:, 1] * rc)) / kp0
    else:
        rp = 1.0 / np.sqrt(kp0)
        sym = ((m.T / kc0) @ m) * np.outer(rp, rp)
        vals, vecs = _top3(sym)
        kp = vecs[:, 1] * rp
    if vals[0] - vals[1] < tol:
        raise ConvergenceError(
            f"the location-product network is disconnected (lambda1 - lambda2 = {vals[0] - vals[1]:.2e} "
            f"< {tol:g}): ECI is not defined; compute it per connected component or widen the sample"
        )
    if len(vals) > 2 and vals[1] - vals[2] < tol:
        warnings.warn(
            f"lambda2 - lambda3 = {vals[1] - vals[2]:.2e} < {tol:g}: the ECI vector is not unique",
            RuntimeWarning,
            stacklevel=2,
        )
    kc = (m @ kp) / kc0
    return kc, kp, vals


#: a correlation (or a standardised third moment) smaller than this in absolute value is a tie:
#: it is floating-point noise whose sign depends on the order of rows and columns
SIGN_TIE_TOL = 1e-9


def _corr_sign(a: np.ndarray, b: np.ndarray) -> float:
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return 0.0
    r = np.corrcoef(a, b)[0, 1]
    return float(np.sign(r)) if np.isfinite(r) and abs(r) > SIGN_TIE_TOL else 0.0


def orient(
    kc: np.ndarray, kp: np.ndarray, kc0: np.ndarray, kp0: np.ndarray | None = None,
    size: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Deterministic sign (step 6): s = sign(corr(kc0, kc)); kc <- s kc, kp <- s kp.

    When that correlation is a tie (0 or undefined, e.g. all diversities equal) the sign makes
    corr(kp0, kp) negative (rare products are complex), then corr(log size, kc) positive
    (``size``: the locations' total exports), then the third moment of kc positive. Each rule is
    invariant to the order of rows and columns, and a value below :data:`SIGN_TIE_TOL` counts as
    a tie, so the result never depends on labels, floating-point noise or the solver.
    """
    s = _corr_sign(kc0, kc)
    if s == 0 and kp0 is not None:
        s = -_corr_sign(kp0, kp)
    if s == 0 and size is not None:
        s = _corr_sign(np.log(np.maximum(size, np.finfo(float).tiny)), kc)
    if s == 0:
        centred = kc - kc.mean()
        scale = float(np.sqrt(np.mean(centred**2))) or 1.0
        third = float(np.mean((centred / scale) ** 3))
        s = -1.0 if third < -SIGN_TIE_TOL else 1.0
    return s * kc, s * kp


def standardise(kc: np.ndarray, kp: np.ndarray, n_products: int) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Stata's standardisation (steps 7-8) with ECI's constants applied to PCI as well.

    mu = mean_c kc;  sigma = sqrt(Np * sum_c (kc_c - mu)^2 / (Nc * Np - 1))
    (the sd with n - 1 over the long Nc*Np table, where each kc_c appears Np times);
    ECI = (kc - mu) / sigma,  PCI = (kp - mu) / sigma, so ECI_c = mean PCI over c's products.

    Returns
    -------
    eci, pci, mu, sigma
    """
    nc = kc.shape[0]
    mu = float(kc.mean())
    sigma = float(np.sqrt(n_products * np.sum((kc - mu) ** 2) / (nc * n_products - 1)))
    if not np.isfinite(sigma) or sigma == 0:
        raise ConvergenceError("ECI has zero spread (every location is equally complex); not standardisable")
    return (kc - mu) / sigma, (kp - mu) / sigma, mu, sigma


def reflections_complexity(
    m: np.ndarray, kc0: np.ndarray, kp0: np.ndarray, *, tol: float = 1e-10, max_iter: int = 10_000
) -> tuple[np.ndarray, np.ndarray, int]:
    """Raw kc, kp by the method of reflections (Hidalgo & Hausmann 2009).

    kc_N = (1/kc0) sum_p M_cp kp_{N-1},  kp_N = (1/kp0) sum_c M_cp kc_{N-1}, from kc_0 = kc0.
    The even iterates kc_{2N} = (M~C)^N kc0 converge, once standardised, to the second
    eigenvector at the rate (lambda3 / lambda2)^N. The constant component (eigenvalue 1) is
    projected out after each double reflection (x <- x - (kc0.x / sum kc0) 1, exact because kc0
    is M~C's left eigenvector for 1), which changes no standardised iterate but keeps the
    precision the plain iteration loses as lambda2^N shrinks.

    Stops when the largest change of the z-scored even iterate is below ``tol``.

    Raises
    ------
    ConvergenceError
        If that has not happened after ``max_iter`` double reflections.
    """
    weights = kc0 / kc0.sum()
    x = kc0.astype(np.float64)
    prev = None
    for it in range(1, max_iter + 1):
        kp = (m.T @ x) / kp0
        x = (m @ kp) / kc0
        x = x - weights @ x
        spread = x.std()
        if spread == 0 or not np.isfinite(spread):
            raise ConvergenceError(f"reflections collapsed to a constant after {it} iterations")
        x = x / np.linalg.norm(x)
        z = (x - x.mean()) / x.std()
        if prev is not None and np.max(np.abs(z - prev)) < tol:
            kp = (m.T @ x) / kp0
            return (m @ kp) / kc0, kp, it
        prev = z
    raise ConvergenceError(
        f"method of reflections did not converge in {max_iter} iterations (tol {tol:g}); "
        "use method='eigenvector'"
    )


def fitness_complexity(
    m: np.ndarray, *, max_iter: int = 1000, patience: int = 50
) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """Fitness F_c and complexity Q_p (Tacchella et al. 2012), iterated in log space.

    F~_c = sum_p M_cp Q_p,  Q~_p = 1 / sum_c (M_cp / F_c), then F = F~ / mean(F~),
    Q = Q~ / mean(Q~), from F = Q = 1. Values of weakly diversified locations may decay towards 0
    while the ranking converges, so the stopping rule is rank stability: the ranking of F and Q
    unchanged for ``patience`` consecutive iterations. If that does not happen within ``max_iter``
    iterations the current values are returned with a RuntimeWarning (docs/complexity.md: fitness-complexity warns, never raises).

    Returns
    -------
    fitness, complexity, iterations, rank_stable
    """
    from scipy.special import logsumexp

    nc, np_ = m.shape
    log_f = np.zeros(nc)
    log_q = np.zeros(np_)
    stable = 0
    prev_rank = None
    with np.errstate(divide="ignore"):
        for it in range(1, max_iter + 1):
            new_f = logsumexp(np.broadcast_to(log_q, m.shape), b=m, axis=1)
            new_q = -logsumexp(np.broadcast_to(-log_f[:, None], m.shape), b=m, axis=0)
            log_f = new_f - (logsumexp(new_f) - np.log(nc))
            log_q = new_q - (logsumexp(new_q) - np.log(np_))
            rank = np.concatenate([np.argsort(log_f, kind="stable"), np.argsort(log_q, kind="stable")])
            stable = stable + 1 if prev_rank is not None and np.array_equal(rank, prev_rank) else 0
            prev_rank = rank
            if stable >= patience:
                return np.exp(log_f), np.exp(log_q), it, True
    warnings.warn(
        f"fitness-complexity: ranking not stable for {patience} iterations after {max_iter}; "
        "values are returned as they stand (fitness of weak locations decays towards 0)",
        RuntimeWarning,
        stacklevel=2,
    )
    return np.exp(log_f), np.exp(log_q), max_iter, False
