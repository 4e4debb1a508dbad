//! The exact model: the mixed-integer linear program of an instance ([`formulate`])
//! and running HiGHS on it ([`solve`]).

pub mod formulate;
pub mod solve;

pub use formulate::{formulate, Column, Formulation};
pub use solve::{lower_bound, solve_milp, Outcome, SolveOptions, SolveStats};
