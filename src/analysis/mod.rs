//! Decision support on top of the planner: what each rule costs ([`price`]), what a
//! range of settings gives ([`sweep`]), what changes between two plans ([`diff`]), and
//! the shared way of solving one what-if ([`point`]). Analyses call the planner through
//! [`crate::search`] only; they never reach into the solver.

pub mod diff;
pub mod point;
pub mod price;
pub mod sweep;

pub use point::{solve_point, Point, Status};
