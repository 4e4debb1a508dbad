//! Sharding a sweep over a batch cluster, and merging the shard files.

use super::{report, PointResult, Vary};
use crate::error::Diagnostic;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Marks a shard file (a whole sweep's report is not one).
pub const SHARD_KIND: &str = "sovplan-sweep-shard";

/// Shard K of N (1-based): the points with index ≡ K−1 (mod N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// K, from 1.
    pub index: usize,
    /// N.
    pub count: usize,
}

impl Shard {
    /// The whole sweep.
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Whether point `i` belongs to this shard.
    pub fn owns(self, i: usize) -> bool {
        i % self.count == self.index - 1
    }

    /// Parses `K/N`, or `auto`: a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, 0-based,
    /// with the count from `shards`) or a Slurm job array (`SLURM_ARRAY_TASK_ID` minus
    /// `SLURM_ARRAY_TASK_MIN`, count `SLURM_ARRAY_TASK_COUNT`). `env` reads the environment.
    pub fn parse(
        spec: &str,
        shards: Option<usize>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Shard, Diagnostic> {
        let bad = |why: String| {
            Diagnostic::new(
                "E010",
                format!("--shard {spec}"),
                why,
                "write --shard K/N with 1 <= K <= N, or --shard auto inside a Kubernetes Indexed Job (with --shards N) or a Slurm job array",
            )
        };
        let num = |name: &str| -> Result<Option<usize>, Diagnostic> {
            match env(name) {
                None => Ok(None),
                Some(v) => v
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| bad(format!("{name}={v} is not a whole number"))),
            }
        };
        let (k0, n) = if spec == "auto" {
            if let Some(i) = num("JOB_COMPLETION_INDEX")? {
                let n = shards.ok_or_else(|| {
                    bad("a Kubernetes Indexed Job needs the count: add --shards N (the Job's completions)".into())
                })?;
                (i, n)
            } else if let Some(id) = num("SLURM_ARRAY_TASK_ID")? {
                let min = num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
                let n = num("SLURM_ARRAY_TASK_COUNT")?.or(shards).ok_or_else(|| {
                    bad("SLURM_ARRAY_TASK_COUNT is not set; add --shards N".into())
                })?;
                (
                    id.checked_sub(min)
                        .ok_or_else(|| bad("SLURM_ARRAY_TASK_ID < SLURM_ARRAY_TASK_MIN".into()))?,
                    n,
                )
            } else {
                return Err(bad(
                    "neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID is set".into(),
                ));
            }
        } else {
            let (k, n) = spec
                .split_once('/')
                .and_then(|(k, n)| Some((k.trim().parse::<usize>().ok()?, n.trim().parse().ok()?)))
                .ok_or_else(|| bad("not of the form K/N".into()))?;
            (k.wrapping_sub(1), n)
        };
        if n == 0 || k0 >= n {
            return Err(bad(format!(
                "shard {} of {n} does not exist",
                k0.wrapping_add(1)
            )));
        }
        Ok(Shard {
            index: k0 + 1,
            count: n,
        })
    }
}

/// One shard's results, as written by `sweep --shard`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardFile {
    /// Always [`SHARD_KIND`].
    pub kind: String,
    /// Scenario name.
    pub scenario: String,
    /// Hash of the merged scenario, overrides and varies.
    pub scenario_hash: String,
    /// The `--set` overrides of the sweep.
    pub overrides: Vec<String>,
    /// The varied paths and values.
    pub vary: Vec<VaryDef>,
    /// `K/N`.
    pub shard: String,
    /// Points in the whole sweep.
    pub points_total: usize,
    /// This shard's points.
    pub points: Vec<PointResult>,
}

/// A varied path as a shard file records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VaryDef {
    /// The path.
    pub path: String,
    /// Its values.
    pub values: Vec<String>,
}

impl ShardFile {
    /// The shard file of `results`.
    pub fn new(sweep: &super::Sweep, shard: Shard, results: Vec<PointResult>) -> ShardFile {
        ShardFile {
            kind: SHARD_KIND.into(),
            scenario: sweep.scenario.clone(),
            scenario_hash: sweep.hash.clone(),
            overrides: sweep.overrides.clone(),
            vary: sweep
                .varies
                .iter()
                .map(|v| VaryDef {
                    path: v.path.clone(),
                    values: v.values.clone(),
                })
                .collect(),
            shard: format!("{}/{}", shard.index, shard.count),
            points_total: sweep.points.len(),
            points: results,
        }
    }
}

/// Combines shard files into the report of the whole sweep; refuses parts of different
/// sweeps and missing or duplicated points.
pub fn merge(parts: Vec<ShardFile>) -> Result<Value, String> {
    let Some(first) = parts.first().cloned() else {
        return Err("no shard files given".into());
    };
    for (i, p) in parts.iter().enumerate() {
        if p.kind != SHARD_KIND {
            return Err(format!("part {} is not a sweep shard file", i + 1));
        }
        let same = p.scenario == first.scenario
            && p.scenario_hash == first.scenario_hash
            && p.overrides == first.overrides
            && p.vary == first.vary
            && p.points_total == first.points_total;
        if !same {
            return Err(format!(
                "part {} (shard {}) is from a different sweep than part 1 (scenario, its hash, overrides or varied values differ)",
                i + 1,
                p.shard
            ));
        }
    }
    let mut points: Vec<Option<PointResult>> = vec![None; first.points_total];
    for p in parts.into_iter().flat_map(|p| p.points) {
        let i = p.index;
        match points.get_mut(i) {
            None => {
                return Err(format!(
                    "point {i} is outside the sweep's {} points",
                    first.points_total
                ))
            }
            Some(Some(_)) => return Err(format!("point {i} appears in more than one part")),
            Some(slot) => *slot = Some(p),
        }
    }
    let missing: Vec<String> = (0..points.len())
        .filter(|&i| points[i].is_none())
        .map(|i| i.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "points missing (is a shard file absent?): {}",
            missing.join(", ")
        ));
    }
    let results: Vec<PointResult> = points.into_iter().flatten().collect();
    let varies: Vec<Vary> = first
        .vary
        .iter()
        .map(|v| Vary {
            path: v.path.clone(),
            values: v.values.clone(),
        })
        .collect();
    Ok(report(
        &first.scenario,
        &first.scenario_hash,
        &first.overrides,
        &varies,
        &results,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn parses_explicit_kubernetes_and_slurm_shards() {
        let none = env(&[]);
        assert_eq!(
            Shard::parse("2/4", None, &none).unwrap(),
            Shard { index: 2, count: 4 }
        );
        assert!(Shard::parse("0/4", None, &none).is_err());
        assert!(Shard::parse("5/4", None, &none).is_err());
        assert!(Shard::parse("auto", None, &none).is_err());
        let k8s = env(&[("JOB_COMPLETION_INDEX", "3")]);
        assert_eq!(
            Shard::parse("auto", Some(4), &k8s).unwrap(),
            Shard { index: 4, count: 4 }
        );
        assert!(Shard::parse("auto", None, &k8s).is_err());
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "11"),
            ("SLURM_ARRAY_TASK_MIN", "10"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ]);
        assert_eq!(
            Shard::parse("auto", None, &slurm).unwrap(),
            Shard { index: 2, count: 3 }
        );
    }

    #[test]
    fn shards_partition_the_points() {
        let n = 3;
        for i in 0..10 {
            let owners = (1..=n)
                .filter(|&k| Shard { index: k, count: n }.owns(i))
                .count();
            assert_eq!(owners, 1);
        }
    }
}
