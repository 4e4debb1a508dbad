//! A linear program held by HiGHS through its C API (`highs-sys`), for the one thing
//! good_lp does not give: row duals, and columns added to a solved LP that is then
//! re-solved from its basis (see [`super::pricing`]).
//!
//! Every `unsafe` call is confined to [`Lp`]: the instance pointer it owns is created
//! by `Highs_create`, never shared, and freed once by `Highs_destroy` in `Drop`; every
//! array handed over is a live Rust slice of the length HiGHS is told; every status is
//! checked.

use crate::error::Error;
use highs_sys::HighsInt;
use std::ffi::{c_void, CString};

/// A sparse block of columns, column-wise: column `k` has the entries
/// `index[start[k]..start[k+1]]` (row numbers) with `value[..]`.
#[derive(Debug, Default, Clone)]
pub struct Columns {
    /// Objective coefficient per column.
    pub cost: Vec<f64>,
    /// Lower bound per column.
    pub lower: Vec<f64>,
    /// Upper bound per column.
    pub upper: Vec<f64>,
    /// Where each column's entries start; one more than there are columns.
    pub start: Vec<HighsInt>,
    /// Row of each entry.
    pub index: Vec<HighsInt>,
    /// Value of each entry.
    pub value: Vec<f64>,
}

impl Columns {
    /// No columns yet.
    pub fn new() -> Self {
        Columns {
            start: vec![0],
            ..Default::default()
        }
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        self.cost.len()
    }

    /// Whether there is no column.
    pub fn is_empty(&self) -> bool {
        self.cost.is_empty()
    }

    /// Appends a column with its entries (row, value).
    pub fn push(
        &mut self,
        cost: f64,
        bounds: (f64, f64),
        entries: &[(u32, f64)],
    ) -> Result<(), Error> {
        self.cost.push(cost);
        self.lower.push(bounds.0);
        self.upper.push(bounds.1);
        for &(r, v) in entries {
            self.index.push(to_int(r as usize)?);
            self.value.push(v);
        }
        self.start.push(to_int(self.index.len())?);
        Ok(())
    }
}

/// A number of rows or entries as HiGHS's integer type.
fn to_int(n: usize) -> Result<HighsInt, Error> {
    HighsInt::try_from(n).map_err(|_| Error::Solver(format!("{n} is too large for HiGHS")))
}

/// An LP `min cost·x s.t. row_lower ≤ A x ≤ row_upper, lower ≤ x ≤ upper` in HiGHS.
pub struct Lp {
    /// The HiGHS instance; owned, non-null, freed in `Drop`.
    ptr: *mut c_void,
    rows: usize,
    cols: usize,
}

// SAFETY: a HiGHS instance is not tied to the thread that created it; `Lp` owns it
// exclusively, so moving it to another thread moves the only handle.
unsafe impl Send for Lp {}

impl Drop for Lp {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `Highs_create` and is destroyed exactly once, here.
        unsafe { highs_sys::Highs_destroy(self.ptr) }
    }
}

/// HiGHS's statuses: ok (0) and warning (1) go on, error (-1) fails.
fn check(status: HighsInt, what: &str) -> Result<(), Error> {
    if status == highs_sys::kHighsStatusError {
        Err(Error::Solver(format!("HiGHS failed in {what}")))
    } else {
        Ok(())
    }
}

impl Lp {
    /// A quiet HiGHS instance holding the LP with the given rows and columns.
    pub fn new(row_lower: &[f64], row_upper: &[f64], cols: &Columns) -> Result<Lp, Error> {
        // SAFETY: Highs_create takes no argument and returns an owned instance.
        let ptr = unsafe { highs_sys::Highs_create() };
        if ptr.is_null() {
            return Err(Error::Solver("HiGHS could not be created".into()));
        }
        let mut lp = Lp {
            ptr,
            rows: row_lower.len(),
            cols: 0,
        };
        lp.set_bool("output_flag", false)?;
        if row_upper.len() != row_lower.len() {
            return Err(Error::Solver("row bounds of different lengths".into()));
        }
        let (nc, nr, nz) = (
            to_int(cols.len())?,
            to_int(lp.rows)?,
            to_int(cols.index.len())?,
        );
        // SAFETY: `ptr` is live; the arrays have the lengths HiGHS reads: `nc` costs,
        // bounds and starts (the extra last start is not read), `nr` row bounds, `nz`
        // entries.
        let status = unsafe {
            highs_sys::Highs_passLp(
                lp.ptr,
                nc,
                nr,
                nz,
                highs_sys::kHighsMatrixFormatColwise,
                highs_sys::kHighsObjSenseMinimize,
                0.0,
                cols.cost.as_ptr(),
                cols.lower.as_ptr(),
                cols.upper.as_ptr(),
                row_lower.as_ptr(),
                row_upper.as_ptr(),
                cols.start.as_ptr(),
                cols.index.as_ptr(),
                cols.value.as_ptr(),
            )
        };
        check(status, "Highs_passLp")?;
        lp.cols = cols.len();
        Ok(lp)
    }

    /// The raw instance, for installing the interrupt callback ([`super::watch::install`]).
    pub fn as_mut_ptr(&mut self) -> *mut c_void {
        self.ptr
    }

    /// Sets a boolean option.
    pub fn set_bool(&mut self, name: &str, value: bool) -> Result<(), Error> {
        let key = CString::new(name).map_err(|_| Error::Solver(format!("option {name}")))?;
        // SAFETY: `ptr` is live; `key` is a NUL-terminated string that outlives the call.
        let s =
            unsafe { highs_sys::Highs_setBoolOptionValue(self.ptr, key.as_ptr(), value.into()) };
        check(s, name)
    }

    /// Sets a numeric option.
    pub fn set_double(&mut self, name: &str, value: f64) -> Result<(), Error> {
        let key = CString::new(name).map_err(|_| Error::Solver(format!("option {name}")))?;
        // SAFETY: as in `set_bool`.
        let s = unsafe { highs_sys::Highs_setDoubleOptionValue(self.ptr, key.as_ptr(), value) };
        check(s, name)
    }

    /// Sets an integer option.
    pub fn set_int(&mut self, name: &str, value: i32) -> Result<(), Error> {
        let key = CString::new(name).map_err(|_| Error::Solver(format!("option {name}")))?;
        // SAFETY: as in `set_bool`.
        let s = unsafe { highs_sys::Highs_setIntOptionValue(self.ptr, key.as_ptr(), value) };
        check(s, name)
    }

    /// Sets a text option.
    pub fn set_string(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let key = CString::new(name).map_err(|_| Error::Solver(format!("option {name}")))?;
        let val = CString::new(value).map_err(|_| Error::Solver(format!("option {name}")))?;
        // SAFETY: as in `set_bool`; `val` too is NUL-terminated and outlives the call.
        let s =
            unsafe { highs_sys::Highs_setStringOptionValue(self.ptr, key.as_ptr(), val.as_ptr()) };
        check(s, name)
    }

    /// Appends columns; HiGHS keeps its basis (the new columns nonbasic at their lower
    /// bound), so that the next [`Lp::run`] starts from the last optimum.
    pub fn add_cols(&mut self, cols: &Columns) -> Result<(), Error> {
        if cols.is_empty() {
            return Ok(());
        }
        let (nc, nz) = (to_int(cols.len())?, to_int(cols.index.len())?);
        // SAFETY: `ptr` is live; `nc` costs, bounds and starts, `nz` entries whose row
        // numbers are below the LP's row count (HiGHS checks them and fails otherwise).
        let s = unsafe {
            highs_sys::Highs_addCols(
                self.ptr,
                nc,
                cols.cost.as_ptr(),
                cols.lower.as_ptr(),
                cols.upper.as_ptr(),
                nz,
                cols.start.as_ptr(),
                cols.index.as_ptr(),
                cols.value.as_ptr(),
            )
        };
        check(s, "Highs_addCols")?;
        self.cols += cols.len();
        Ok(())
    }

    /// Solves; returns HiGHS's model status (`kHighsModelStatus*`).
    pub fn run(&mut self) -> Result<HighsInt, Error> {
        // SAFETY: `ptr` is live; any callback installed was given data that outlives
        // this call (the caller's obligation in `watch::install`).
        check(unsafe { highs_sys::Highs_run(self.ptr) }, "Highs_run")?;
        // SAFETY: `ptr` is live.
        Ok(unsafe { highs_sys::Highs_getModelStatus(self.ptr) })
    }

    /// The objective value of the last solve.
    pub fn objective(&self) -> f64 {
        // SAFETY: `ptr` is live.
        unsafe { highs_sys::Highs_getObjectiveValue(self.ptr) }
    }

    /// The row duals `y` of the last solve (HiGHS's convention: reduced cost
    /// `d = c − Aᵀy`; see `pricing` for how they are used whatever their quality).
    pub fn row_duals(&self) -> Result<Vec<f64>, Error> {
        // SAFETY: `ptr` is live.
        let (nc, nr) = unsafe {
            (
                highs_sys::Highs_getNumCol(self.ptr),
                highs_sys::Highs_getNumRow(self.ptr),
            )
        };
        let (nc, nr) = (
            usize::try_from(nc).unwrap_or(0),
            usize::try_from(nr).unwrap_or(0),
        );
        if nc != self.cols || nr != self.rows {
            return Err(Error::Solver(
                "HiGHS holds another LP than was passed".into(),
            ));
        }
        let mut col_value = vec![0.0; nc];
        let mut col_dual = vec![0.0; nc];
        let mut row_value = vec![0.0; nr];
        let mut row_dual = vec![0.0; nr];
        // SAFETY: `ptr` is live; each buffer has the length HiGHS writes: its own
        // column and row counts, just read.
        let s = unsafe {
            highs_sys::Highs_getSolution(
                self.ptr,
                col_value.as_mut_ptr(),
                col_dual.as_mut_ptr(),
                row_value.as_mut_ptr(),
                row_dual.as_mut_ptr(),
            )
        };
        check(s, "Highs_getSolution")?;
        Ok(row_dual)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// min x1 + 2·x2 s.t. x1 + x2 ≥ 1, x ∈ [0, 1]: optimum 1 with row dual 1 (HiGHS's
    /// convention `d = c − Aᵀy`, which `bound` relies on); a column of cost 0.5 added
    /// afterwards takes over from the basis.
    #[test]
    fn row_duals_follow_d_equals_c_minus_a_transposed_y_and_columns_can_be_added() {
        let mut cols = Columns::new();
        cols.push(1.0, (0.0, 1.0), &[(0, 1.0)]).unwrap();
        cols.push(2.0, (0.0, 1.0), &[(0, 1.0)]).unwrap();
        let mut lp = Lp::new(&[1.0], &[f64::INFINITY], &cols).unwrap();
        assert_eq!(lp.run().unwrap(), highs_sys::kHighsModelStatusOptimal);
        assert!((lp.objective() - 1.0).abs() < 1e-9);
        let y = lp.row_duals().unwrap();
        assert!((y[0] - 1.0).abs() < 1e-9, "{y:?}");
        let mut more = Columns::new();
        // Upper bound 2, so that the new optimum (x3 = 1) is not degenerate.
        more.push(0.5, (0.0, 2.0), &[(0, 1.0)]).unwrap();
        lp.add_cols(&more).unwrap();
        assert_eq!(lp.run().unwrap(), highs_sys::kHighsModelStatusOptimal);
        assert!((lp.objective() - 0.5).abs() < 1e-9);
        assert!((lp.row_duals().unwrap()[0] - 0.5).abs() < 1e-9);
    }

    #[test]
    fn a_row_index_out_of_range_is_an_error_not_a_crash() {
        let mut cols = Columns::new();
        cols.push(1.0, (0.0, 1.0), &[(5, 1.0)]).unwrap();
        assert!(Lp::new(&[1.0], &[2.0], &cols).is_err());
    }
}
