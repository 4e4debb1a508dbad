//! The exact model: the mixed-integer linear program of an instance ([`formulate`])
//! and running HiGHS on it ([`solve`]) within a deadline ([`watch`]); for large
//! instances through certified candidate pricing ([`pricing`]).

mod bound;
mod colwise;
pub mod formulate;
mod lp;
pub mod pricing;
pub mod roadmap;
mod roadmap_solve;
pub mod solve;
pub mod watch;

pub use formulate::{formulate, Column, Formulation};
pub use pricing::{solve_search, Pricing, PricingStats};
pub use roadmap::{formulate_roadmap, Layout, RoadmapFormulation, Slot};
pub use roadmap_solve::{solve_roadmap, RoadmapOutcome};
pub use solve::{
    check_highs_option, lower_bound, solve_milp, Outcome, SolveOptions, SolveStats, Stop,
};
