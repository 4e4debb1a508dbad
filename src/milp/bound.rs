//! The Lagrangian lower bound of the full model from the row duals of any LP over a
//! subset of its columns, and the reduced cost of every placement column.
//!
//! # Why the bound is valid
//!
//! The full model ([`ColModel`]) is `min c·z + k` over
//! `P = { z : lo_i ≤ a_i z ≤ hi_i (rows i), l ≤ z ≤ u }`, and its integer points are
//! the plans. Take *any* row multipliers `y` with the right signs: `y_i > 0` only if
//! `lo_i > −∞`, `y_i < 0` only if `hi_i < ∞` (equality rows: either sign; duals of the
//! wrong sign are set to 0 first, which keeps validity whatever HiGHS returned). For
//! `z ∈ P`, `y_i·a_i z ≥ y_i·lo_i` when `y_i ≥ 0` and `≥ y_i·hi_i` when `y_i ≤ 0`, so
//! with `b_i(y_i)` that right-hand side
//!
//! `c·z ≥ c·z − Σ_i (y_i a_i z − b_i(y_i)) = Σ_i b_i(y_i) + Σ_j d_j z_j`,
//! `d = c − Aᵀy` (HiGHS's sign convention for row duals).
//!
//! A subset `K` of rows may be kept as constraints instead of being priced (their `y`
//! is not used): with `Q = {l ≤ z ≤ u, rows of K}` ⊇ P,
//!
//! `L(y) = k + Σ_{i∉K} b_i(y_i) + min_{z∈Q} Σ_j d_j z_j  ≤  c·z + k`  for all z ∈ P,
//!
//! so `L(y)` bounds the optimum of the full MILP (and of its LP relaxation) from
//! below. `K` here is the rows `aux − x ≤ 0` that pin an auxiliary traffic column below
//! its placement column (each auxiliary keeps exactly one such row, to the parent
//! chosen in [`lagrangian`]). Then `Q` splits into blocks: each placement column `x`
//! with its children `a ∈ [0, x]`, and every other column alone in its box. A block's
//! minimum is `min_{x∈[0,1]} x·D_x = min(0, D_x)` with
//! `D_x = d_x + Σ_children min(0, d_a)` (take `a = x` for a child with `d_a < 0`, else
//! 0); a lone column contributes `min(d_j l_j, d_j u_j)`. The spend and monthly columns
//! have no upper bound in the model; the bound uses the upper bound their equality
//! rows imply for every point of `P` ([`ColModel::implied_upper`]), so it stays finite
//! when float noise leaves `d_j` slightly negative.
//!
//! **Fixing a column.** On `P ∩ {x = 1}` the block of `x` contributes `D_x` instead of
//! `min(0, D_x)`, every other term is unchanged, so every plan with `x = 1` costs at
//! least `L(y) + max(0, D_x)`. A plan that uses no excluded placement column is a plan
//! of the restricted model (its auxiliaries below excluded parents are 0). Hence: if
//! `L(y) + D_x ≥ T` for every excluded `x`, every plan cheaper than `T` is a plan of
//! the restricted model — the certificate of [`super::pricing`].
//!
//! **Tightness.** With every column in the LP and `y` its optimal duals, `L(y)` equals
//! the LP optimum: keeping `K` can only raise the minimum over `Q` (it is the full
//! Lagrangian's, plus the non-negative `y_i (a_i z − b_i)` of the kept rows), and no
//! lower bound exceeds the LP optimum. The tests check both directions.
//!
//! **Float error.** `L` and each `D_x` are computed in floating point; a rigorous
//! first-order bound on the rounding error of every sum (`(n+1)·ε·Σ|terms|`) is
//! subtracted, so the returned numbers are safe lower bounds in exact arithmetic.

use super::colwise::ColModel;
use super::formulate::Column;

/// The bound and the reduced costs from one set of row duals.
#[derive(Debug, Clone)]
pub struct Priced {
    /// `L(y)`, a lower bound on the full model's optimum (objective constant included).
    pub bound: f64,
    /// Per column: for a placement column, `D_x` less its rounding error, so that every
    /// plan with `x = 1` costs at least `bound + max(0, reduced[x])`; 0 for others.
    pub reduced: Vec<f64>,
}

/// `(n+1)·ε`-style factor on the sum of absolute values, doubled for safety.
fn rounding(terms: usize, abs_sum: f64) -> f64 {
    2.0 * (terms as f64 + 1.0) * f64::EPSILON * abs_sum
}

/// Row multipliers of valid sign (see the module comment), with the kept link rows of
/// the auxiliaries (chosen per auxiliary: a parent outside `active` if it has one, so
/// that the child's saving counts toward re-admitting that parent) set to 0; returns the
/// multipliers and each auxiliary's chosen parent.
fn multipliers(m: &ColModel, raw: &[f64], active: &[bool]) -> (Vec<f64>, Vec<Option<usize>>) {
    let mut y: Vec<f64> = raw
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let ok = v.is_finite()
                && !(v > 0.0 && m.row_lower[i] == f64::NEG_INFINITY)
                && !(v < 0.0 && m.row_upper[i] == f64::INFINITY);
            if ok {
                v
            } else {
                0.0
            }
        })
        .collect();
    let parent: Vec<Option<usize>> = m
        .parents
        .iter()
        .map(|ps| {
            let pick = ps.iter().find(|p| !active[p.0]).or(ps.first())?;
            y[pick.1 as usize] = 0.0;
            Some(pick.0)
        })
        .collect();
    (y, parent)
}

/// `d = c − Aᵀy` per column, with the rounding error of each.
fn reduced_costs(m: &ColModel, y: &[f64]) -> (Vec<f64>, Vec<f64>) {
    (0..m.cols())
        .map(|j| {
            let (mut d, mut abs) = (m.cost[j], m.cost[j].abs());
            for &(r, a) in m.col(j) {
                let t = y[r as usize] * a;
                d -= t;
                abs += t.abs();
            }
            (d, rounding(m.col(j).len(), abs))
        })
        .unzip()
}

/// The Lagrangian bound of the full model for the row duals `raw` of an LP over the
/// columns marked `active` (any duals give a valid bound; optimal ones a tight one).
pub fn lagrangian(m: &ColModel, raw: &[f64], active: &[bool]) -> Priced {
    let (y, parent) = multipliers(m, raw, active);
    let (d, err) = reduced_costs(m, &y);
    // Blocks: each placement column with the children that chose it.
    let mut block = vec![0.0; m.cols()];
    let mut block_err = err.clone();
    for j in 0..m.cols() {
        if matches!(m.kinds[j], Column::Choice { .. }) {
            block[j] += d[j];
        }
        if let Some(x) = parent[j] {
            block[x] += d[j].min(0.0);
            block_err[x] += err[j];
        }
    }
    let mut terms: Vec<f64> = Vec::with_capacity(m.rows() + m.cols() + 1);
    terms.push(m.constant);
    for (i, &yi) in y.iter().enumerate() {
        if yi > 0.0 {
            terms.push(yi * m.row_lower[i]);
        } else if yi < 0.0 {
            terms.push(yi * m.row_upper[i]);
        }
    }
    for j in 0..m.cols() {
        if parent[j].is_some() {
            continue; // counted in its parent's block
        }
        // The minimum over z ∈ [l, u], l ≥ 0, of (d + δ)·z for every |δ| ≤ err.
        let d_low = block[j] - block_err[j];
        let t = if matches!(m.kinds[j], Column::Choice { .. }) {
            d_low.min(0.0)
        } else {
            let d_low = d[j] - err[j];
            (d_low * m.lower[j]).min(d_low * m.implied_upper[j])
        };
        terms.push(if t.is_nan() { f64::NEG_INFINITY } else { t });
    }
    let abs: f64 = terms.iter().map(|t| t.abs()).sum();
    let bound = terms.iter().sum::<f64>() - rounding(terms.len(), abs);
    let reduced = (0..m.cols())
        .map(|j| match m.kinds[j] {
            Column::Choice { .. } => block[j] - block_err[j],
            _ => 0.0,
        })
        .collect();
    Priced { bound, reduced }
}
