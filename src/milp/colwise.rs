//! The full model of [`formulate`](super::formulate) read back column-wise: every
//! column's objective coefficient, bounds and entries in every row, and every row's
//! bounds. Read from the very rows HiGHS would be given, so that the column of a
//! placement left out of a restricted LP is exactly its column in the full model.

use super::formulate::{Column, Formulation};
use crate::instance::Instance;
use crate::model::OfferingId;
use good_lp::IntoAffineExpression;
use std::collections::HashMap;

/// The full model `min cost·z + constant s.t. row_lower ≤ A z ≤ row_upper,
/// lower ≤ z ≤ upper`, column-wise.
#[derive(Debug, Clone)]
pub struct ColModel {
    /// Meaning of every column (as in the formulation).
    pub kinds: Vec<Column>,
    /// Objective coefficient per column.
    pub cost: Vec<f64>,
    /// The objective's constant.
    pub constant: f64,
    /// Column bounds as formulated (spend and monthly columns have no upper bound).
    pub lower: Vec<f64>,
    /// See `lower`.
    pub upper: Vec<f64>,
    /// Upper bounds implied by the equality rows (finite for spend and monthly
    /// columns); valid for every feasible point of the full model.
    pub implied_upper: Vec<f64>,
    /// Row bounds.
    pub row_lower: Vec<f64>,
    /// See `row_lower`.
    pub row_upper: Vec<f64>,
    /// Entries of column `j`: `entries[start[j]..start[j+1]]`, sorted by row.
    pub start: Vec<usize>,
    /// (row, value) of every entry.
    pub entries: Vec<(u32, f64)>,
    /// Per auxiliary column, its parents: (placement column, row `aux − parent ≤ 0`).
    pub parents: Vec<Vec<(usize, u32)>>,
    /// Per placement group, its (offering, column), by offering.
    pub choice: Vec<Vec<(OfferingId, usize)>>,
}

impl ColModel {
    /// Reads a formulation of `inst` (consumed, to free its memory early).
    pub fn new(inst: &Instance, f: Formulation) -> ColModel {
        let n = f.kinds.len();
        let index: HashMap<good_lp::Variable, usize> = f
            .vars
            .iter_variables_with_def()
            .enumerate()
            .map(|(j, (v, _))| (v, j))
            .collect();
        let (lower, upper): (Vec<f64>, Vec<f64>) = f
            .vars
            .iter_variables_with_def()
            .map(|(_, d)| (d.get_min(), d.get_max()))
            .unzip();
        let mut cost = vec![0.0; n];
        for (v, c) in (&f.objective).linear_coefficients() {
            cost[index[&v]] += c;
        }
        let constant = f.objective.constant();
        let (row_lower, row_upper, by_col) = rows(&f.constraints, &index, n);
        let kinds = f.kinds;
        // The formulation's rows are no longer needed: freed before the copies below.
        drop((f.constraints, f.vars, f.objective, index));
        let mut start = Vec::with_capacity(n + 1);
        let mut entries = Vec::new();
        start.push(0);
        for mut col in by_col {
            col.sort_by_key(|e| e.0);
            entries.extend(col);
            start.push(entries.len());
        }
        let mut m = ColModel {
            kinds,
            cost,
            constant,
            implied_upper: upper.clone(),
            lower,
            upper,
            row_lower,
            row_upper,
            start,
            entries,
            parents: Vec::new(),
            choice: Vec::new(),
        };
        m.choice = choices(inst, &m.kinds);
        let csr = by_row(&m);
        m.parents = (0..n).map(|j| m.find_parents(inst, &csr, j)).collect();
        m.imply_upper_bounds(&csr);
        m
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.kinds.len()
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.row_lower.len()
    }

    /// The entries of column `j`.
    pub fn col(&self, j: usize) -> &[(u32, f64)] {
        &self.entries[self.start[j]..self.start[j + 1]]
    }

    /// The column of group `g` on offering `o`, if it is a choice of the group.
    pub fn choice_col(&self, g: usize, o: OfferingId) -> Option<usize> {
        let row = &self.choice[g];
        row.binary_search_by_key(&o, |c| c.0).ok().map(|i| row[i].1)
    }

    /// The placement columns an auxiliary column is pinned below (`aux ≤ x`), with the
    /// row that says so; empty for other columns.
    fn find_parents(
        &self,
        inst: &Instance,
        csr: &[Vec<(usize, f64)>],
        j: usize,
    ) -> Vec<(usize, u32)> {
        let sc = &inst.sc;
        let ends: Vec<(crate::model::ServiceId, OfferingId)> = match self.kinds[j] {
            Column::SameProvider { dep, offering } => vec![(sc.dependencies[dep].from, offering)],
            Column::SameOffering { dep, offering } => {
                let d = &sc.dependencies[dep];
                vec![(d.from, offering), (d.to, offering)]
            }
            _ => return Vec::new(),
        };
        ends.into_iter()
            .filter_map(|(s, o)| self.choice_col(inst.group(s), o))
            .filter_map(|x| self.link_row(csr, j, x).map(|r| (x, r)))
            .collect()
    }

    /// The row `a·z_aux − a·x ≤ 0` (a > 0) with no other entry, if the model has it.
    fn link_row(&self, csr: &[Vec<(usize, f64)>], aux: usize, x: usize) -> Option<u32> {
        self.col(aux).iter().find_map(|&(r, a)| {
            let ri = r as usize;
            let pinned = a > 0.0
                && self.row_upper[ri] == 0.0
                && self.row_lower[ri] == f64::NEG_INFINITY
                && csr[ri].len() == 2;
            let other = self.col(x).binary_search_by_key(&r, |e| e.0).ok();
            (pinned && other.is_some_and(|k| self.col(x)[k].1 == -a)).then_some(r)
        })
    }

    /// Upper bounds for columns without one, from equality rows in which every other
    /// column is bounded: `a_j z_j = b − Σ a_k z_k ≤ b − Σ min(a_k l_k, a_k u_k)`.
    fn imply_upper_bounds(&mut self, csr: &[Vec<(usize, f64)>]) {
        for _ in 0..3 {
            for (r, row) in csr.iter().enumerate() {
                if self.row_lower[r] != self.row_upper[r] {
                    continue;
                }
                let unbounded: Vec<&(usize, f64)> = row
                    .iter()
                    .filter(|(j, _)| self.implied_upper[*j] == f64::INFINITY)
                    .collect();
                let [&(j, a)] = unbounded[..] else { continue };
                if a <= 0.0 || self.lower[j] != 0.0 {
                    continue;
                }
                let rest: f64 = row
                    .iter()
                    .filter(|e| e.0 != j)
                    .map(|&(k, ak)| (ak * self.lower[k]).min(ak * self.implied_upper[k]))
                    .sum();
                let ub = (self.row_upper[r] - rest) / a;
                if ub.is_finite() {
                    // Widened by float noise so that it stays valid.
                    self.implied_upper[j] = ub.max(0.0) * (1.0 + 1e-9) + 1e-9;
                }
            }
        }
    }
}

/// Row bounds and, per column, its (row, value) entries, from the formulation's rows
/// (good_lp keeps each as `Σ a z + k ≤ 0` or `= 0`).
#[allow(clippy::type_complexity)]
fn rows(
    constraints: &[good_lp::Constraint],
    index: &HashMap<good_lp::Variable, usize>,
    n: usize,
) -> (Vec<f64>, Vec<f64>, Vec<Vec<(u32, f64)>>) {
    let mut by_col: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
    let (mut lo, mut hi) = (Vec::new(), Vec::new());
    for (r, c) in constraints.iter().enumerate() {
        let e = c.expression();
        let rhs = -e.constant();
        hi.push(rhs);
        lo.push(if c.is_equality() {
            rhs
        } else {
            f64::NEG_INFINITY
        });
        for (v, a) in e.linear_coefficients() {
            if a != 0.0 {
                by_col[index[&v]].push((r as u32, a));
            }
        }
    }
    (lo, hi, by_col)
}

/// Per group, its (offering, placement column), sorted by offering.
fn choices(inst: &Instance, kinds: &[Column]) -> Vec<Vec<(OfferingId, usize)>> {
    let mut out = vec![Vec::new(); inst.groups()];
    for (j, k) in kinds.iter().enumerate() {
        if let Column::Choice { group, offering } = *k {
            out[group].push((offering, j));
        }
    }
    for row in &mut out {
        row.sort_by_key(|c| c.0);
    }
    out
}

/// The model row-wise: per row, its (column, value) entries.
fn by_row(m: &ColModel) -> Vec<Vec<(usize, f64)>> {
    let mut csr = vec![Vec::new(); m.rows()];
    for j in 0..m.cols() {
        for &(r, a) in m.col(j) {
            csr[r as usize].push((j, a));
        }
    }
    csr
}
