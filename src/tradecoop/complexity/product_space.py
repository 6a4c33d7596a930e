"""Product space: proximity (discrete and continuous), density and distance.

Plain functions on numpy arrays. Pinned (docs/complexity.md, the recipe: proximity, density): the discrete proximity has a
**zero diagonal**, and density is normalised by the proximity row sum of the target product.

References
----------
Hidalgo, C. A., Klinger, B., Barabasi, A.-L. & Hausmann, R. (2007). The product space conditions
the development of nations. *Science* 317(5837), 482-487. https://doi.org/10.1126/science.1144581
"""

from __future__ import annotations

import warnings

import numpy as np

from tradecoop.errors import DataQualityWarning

#: rows of the proximity matrix built per block (bounds the temporary memory of the max())
_BLOCK = 1024


def cooccurrence(m: np.ndarray) -> np.ndarray:
    """C = M'M, the number of locations exporting both p and p' (float32, exact below 2**24).

    numpy computes ``a.T @ a`` with the symmetric rank-k BLAS update (syrk, half the work).
    """
    m32 = np.ascontiguousarray(m, dtype=np.float32)
    return m32.T @ m32


def proximity(m: np.ndarray, kp0: np.ndarray) -> np.ndarray:
    """Discrete proximity with a zero diagonal (Hidalgo et al. 2007; docs/complexity.md, the recipe: proximity).

    phi_pp' = (M'M)_pp' / max(kp0_p, kp0_p')  for p != p',  phi_pp = 0.

    >>> m = np.array([[1., 1., 0.], [1., 0., 1.], [1., 1., 1.]])   # ubiquities 3, 2, 2
    >>> proximity(m, m.sum(axis=0))     # C_01 = 2 -> 2/max(3,2); C_12 = 1 -> 1/2
    array([[0.        , 0.66666667, 0.66666667],
           [0.66666667, 0.        , 0.5       ],
           [0.66666667, 0.5       , 0.        ]])
    """
    counts = cooccurrence(m)
    n = counts.shape[0]
    phi = np.empty((n, n))
    for s in range(0, n, _BLOCK):
        e = min(s + _BLOCK, n)
        phi[s:e] = counts[s:e] / np.maximum(kp0[s:e, None], kp0[None, :])
    np.fill_diagonal(phi, 0.0)
    return phi


class ProximityOperator:
    """The discrete zero-diagonal proximity as a linear operator: ``y @ phi`` without the matrix.

    Sort products by ubiquity u and cut them into blocks. For p' in an earlier block I than
    p's block J, u_p' <= u_p, so phi_p'p = (M'M)_p'p / u_p; for a later block, / u_p'. Hence

        (Y phi)_:J = (sum_{I<J} Y_I M_I') M_J / u_J + (sum_{I>J} (Y_I / u_I) M_I') M_J + Y_J phi_JJ,

    with prefix / suffix sums of the (R, Nc) products; phi is formed only on the diagonal
    blocks (once, here). Cost per product ~4 R Nc Np + 2 R Np block in large BLAS calls instead
    of R Np^2 and a 200 MB proximity matrix at 230 x 5,000. Equal to ``y @ proximity(m, kp0)``
    to rounding (a unit test holds it).
    """

    def __init__(self, m: np.ndarray, kp0: np.ndarray, block: int = 256) -> None:
        self.order = np.argsort(kp0, kind="stable")
        self.ms = np.ascontiguousarray(m[:, self.order])
        self.us = kp0[self.order]
        n = len(self.us)
        self.bounds = [(s, min(s + block, n)) for s in range(0, n, block)]
        self.diag = []
        for s, e in self.bounds:
            counts = cooccurrence(self.ms[:, s:e]).astype(np.float64)
            phi_jj = counts / np.maximum(self.us[s:e, None], self.us[None, s:e])
            np.fill_diagonal(phi_jj, 0.0)
            self.diag.append(phi_jj)
        self._row_sums: np.ndarray | None = None

    def rmatmul(self, y: np.ndarray) -> np.ndarray:
        """Y @ phi for Y of shape (R, Np) (or (Np,))."""
        y = np.atleast_2d(np.asarray(y, dtype=np.float64))
        ys = np.ascontiguousarray(y[:, self.order])
        ms, us = self.ms, self.us
        lower = [ys[:, s:e] @ ms[:, s:e].T for s, e in self.bounds]  # Y_I M_I'
        upper = [(ys[:, s:e] / us[s:e]) @ ms[:, s:e].T for s, e in self.bounds]  # (Y_I / u_I) M_I'
        before = np.zeros_like(lower[0])
        after = np.sum(upper, axis=0)
        out = np.empty_like(ys)
        for k, (s, e) in enumerate(self.bounds):
            after -= upper[k]
            mj = ms[:, s:e]
            out[:, s:e] = np.hstack([before, after]) @ np.vstack([mj / us[s:e], mj])
            out[:, s:e] += ys[:, s:e] @ self.diag[k]
            before += lower[k]
        result = np.empty_like(out)
        result[:, self.order] = out
        return result

    @property
    def row_sums(self) -> np.ndarray:
        """s_p = sum_p' phi_pp'."""
        if self._row_sums is None:
            self._row_sums = self.rmatmul(np.ones((1, self.ms.shape[1])))[0]
        return self._row_sums


def proximity_matmul(y: np.ndarray, m: np.ndarray, kp0: np.ndarray, block: int = 256) -> np.ndarray:
    """Y @ phi for the discrete proximity of ``m`` (see :class:`ProximityOperator`)."""
    return ProximityOperator(m, kp0, block).rmatmul(y)


def apply_proximity(y: np.ndarray, phi: np.ndarray | ProximityOperator | ContinuousProximityOperator) -> np.ndarray:
    """Y @ phi for an explicit matrix or a :class:`ProximityOperator`."""
    return y @ phi if isinstance(phi, np.ndarray) else phi.rmatmul(y)


def row_sums(phi: np.ndarray | ProximityOperator | ContinuousProximityOperator) -> np.ndarray:
    """sum_p' phi_pp' for an explicit matrix or a :class:`ProximityOperator`."""
    return phi.sum(axis=1) if isinstance(phi, np.ndarray) else phi.row_sums


def continuous_proximity(rca: np.ndarray) -> np.ndarray:
    """Continuous proximity (1 + corr(RCA_p, RCA_p')) / 2 over locations, zero diagonal.

    Pairs with an undefined correlation (a product whose RCA is the same everywhere) get 0,
    with a :class:`DataQualityWarning` giving the count.

    The Np x Np matrix is built in place (``np.corrcoef``'s own steps: one allocation and no
    pass over it for the undefined cells, which can only lie in the rows and columns of the
    constant products): the same bits as ``(1 + np.corrcoef(rca, rowvar=False)) / 2`` in
    about half the time (a unit test holds them equal).

    >>> continuous_proximity(np.array([[1., 2., 3.], [2., 4., 1.], [3., 6., 2.]]))  # corr 1, -1/2, -1/2
    array([[0.  , 1.  , 0.25],
           [1.  , 0.  , 0.25],
           [0.25, 0.25, 0.  ]])
    """
    arr = np.asarray(rca)
    if arr.ndim != 2 or arr.shape[1] < 2 or not np.isfinite(arr).all() or np.abs(arr).max() > 1e100:
        return _continuous_proximity_general(arr)
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.cov(arr, rowvar=False)
        sd = np.sqrt(np.diag(phi))
        phi /= sd[:, None]
        phi /= sd[None, :]
        np.clip(phi, -1, 1, out=phi)  # as np.corrcoef; then (1 + corr) / 2 in place
        phi += 1.0
        phi /= 2.0
    # with finite input an undefined (NaN) cell needs a zero standard deviation in its row or column
    zero = np.flatnonzero(~(sd > 0))
    if zero.size:
        n_bad = int(np.isnan(phi[zero, :]).sum() + np.isnan(phi[:, zero]).sum()
                    - np.isnan(phi[np.ix_(zero, zero)]).sum())
        if n_bad:
            warnings.warn(
                f"{n_bad} proximity cells have an undefined correlation (constant RCA); set to 0",
                DataQualityWarning,
                stacklevel=2,
            )
            phi[zero, :] = np.nan_to_num(phi[zero, :], nan=0.0)
            phi[:, zero] = np.nan_to_num(phi[:, zero], nan=0.0)
    np.fill_diagonal(phi, 0.0)
    return phi


def _continuous_proximity_general(rca: np.ndarray) -> np.ndarray:
    """:func:`continuous_proximity` for any input (non-finite values, a single product)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = (1.0 + np.corrcoef(rca, rowvar=False)) / 2.0
    bad = ~np.isfinite(phi)
    if bad.any():
        warnings.warn(
            f"{int(bad.sum())} proximity cells have an undefined correlation (constant RCA); set to 0",
            DataQualityWarning,
            stacklevel=3,
        )
        phi[bad] = 0.0
    np.fill_diagonal(phi, 0.0)
    return phi


class ContinuousProximityOperator:
    """The continuous proximity of :func:`continuous_proximity` as a linear operator, without
    the Np x Np matrix (for :func:`density`).

    With U the products' RCA columns centred over locations and scaled to unit length (zero
    for a product with constant RCA, whose proximities are 0), corr = U'U, and for a product
    q that varies

        (Y phi)_q = ((Y v) + (Y U' U)_q - Y_q (1 + U_q'U_q)) / 2,   v = 1 on varying products,

    two (R, Nc) products instead of an R x Np x Np one: at 11 locations x 5,200 products a
    few milliseconds instead of ~0.25 s and 216 MB. Equal to ``y @ continuous_proximity(rca)``
    to rounding (no clipping of |corr| to 1, which only moves the last bits; a unit test holds
    it), with the same :class:`DataQualityWarning` for products of constant RCA.
    """

    def __init__(self, rca: np.ndarray) -> None:
        x = np.asarray(rca, dtype=np.float64)
        z = x - x.mean(axis=0)
        norm = np.sqrt(np.einsum("ij,ij->j", z, z))
        self.varies = norm > 0
        n_const = int((~self.varies).sum())
        if n_const:
            n = x.shape[1]
            warnings.warn(
                f"{n_const * (2 * n - n_const)} proximity cells have an undefined correlation "
                "(constant RCA); set to 0",
                DataQualityWarning,
                stacklevel=2,
            )
        with np.errstate(invalid="ignore", divide="ignore"):
            self.u = np.where(self.varies, z / norm, 0.0)
        self.self_corr = np.einsum("ij,ij->j", self.u, self.u)
        self._row_sums: np.ndarray | None = None

    def rmatmul(self, y: np.ndarray) -> np.ndarray:
        """Y @ phi for Y of shape (R, Np) (or (Np,))."""
        y = np.atleast_2d(np.asarray(y, dtype=np.float64))
        total = y[:, self.varies].sum(axis=1, keepdims=True)
        out = 0.5 * (total + (y @ self.u.T) @ self.u - y * (1.0 + self.self_corr))
        out[:, ~self.varies] = 0.0
        return out

    @property
    def row_sums(self) -> np.ndarray:
        """s_p = sum_p' phi_pp'."""
        if self._row_sums is None:
            self._row_sums = self.rmatmul(np.ones((1, self.u.shape[1])))[0]
        return self._row_sums


def density(levels: np.ndarray, phi: np.ndarray | ProximityOperator | ContinuousProximityOperator) -> np.ndarray:
    """Density w_cp = sum_p' L_cp' phi_pp' / sum_p' phi_pp'.

    ``levels`` is M (discrete, then w in [0, 1]) or RCA (continuous proximity; then w is not
    bounded by 1); ``phi`` an explicit matrix, a :class:`ProximityOperator` or a
    :class:`ContinuousProximityOperator`. NaN where the
    product's proximity row sums to 0 (it co-occurs with nothing).

    >>> m = np.array([[1., 1., 0.], [1., 0., 1.], [1., 1., 1.]])
    >>> density(m, proximity(m, m.sum(axis=0)))[0]   # product 2: (2/3 + 1/2) / (2/3 + 1/2) = 1
    array([0.5       , 0.57142857, 1.        ])
    """
    sums = row_sums(phi)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sums > 0, apply_proximity(levels, phi) / sums, np.nan)


def distance(dens: np.ndarray) -> np.ndarray:
    """Distance d_cp = 1 - w_cp (Hausmann et al. 2014)."""
    return 1.0 - dens
