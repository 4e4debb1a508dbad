//! `--vary PATH=V1,V2,…` and `--vary PATH=FROM:TO:STEP`: the values one path takes.

use crate::error::Diagnostic;

/// Most points one sweep may have: a typo in a range must not start a million solves.
pub const MAX_POINTS: usize = 100_000;

/// Relative slack when counting the steps of a range (see [`range`]).
const RANGE_SLACK: f64 = 1e-9;

/// One varied path and its values (as `--set` values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vary {
    /// The path, as `--set` takes it.
    pub path: String,
    /// The values, in the order given (ranges expanded).
    pub values: Vec<String>,
}

impl Vary {
    /// Parses `PATH=V1,V2,…` or `PATH=FROM:TO:STEP` (inclusive, both ends).
    pub fn parse(text: &str) -> Result<Vary, Diagnostic> {
        let bad = |why: &str| {
            Diagnostic::new(
                "E009",
                format!("--vary {text}"),
                why.to_string(),
                "write --vary PATH=V1,V2,... or --vary PATH=FROM:TO:STEP, e.g. --vary policy.max_provider_share=0.25:0.6:0.05",
            )
        };
        let (path, spec) = text
            .split_once('=')
            .filter(|(p, _)| !p.trim().is_empty())
            .ok_or_else(|| bad("a vary must have the form PATH=VALUES"))?;
        let values = match range(spec) {
            Some(r) => r.map_err(|why| bad(&why))?,
            None => split_values(spec),
        };
        if values.is_empty() {
            return Err(bad("no values given"));
        }
        Ok(Vary {
            path: path.trim().to_string(),
            values,
        })
    }
}

/// `FROM:TO:STEP` expanded, or `None` if `spec` is not a range. Values are computed as
/// `FROM + i·STEP` and printed with the decimals of the inputs, so that 0.25:0.6:0.05
/// gives 0.3 and not 0.30000000000000004.
fn range(spec: &str) -> Option<Result<Vec<String>, String>> {
    let parts: Vec<&str> = spec.split(':').map(str::trim).collect();
    let [from, to, step] = parts[..] else {
        return None;
    };
    let nums: Option<Vec<f64>> = [from, to, step].iter().map(|s| s.parse().ok()).collect();
    let Some([a, b, s]) = nums.as_deref().map(|v| [v[0], v[1], v[2]]) else {
        return Some(Err("FROM, TO and STEP must be numbers".into()));
    };
    if !(a.is_finite() && b.is_finite() && s.is_finite() && s > 0.0 && a <= b) {
        return Some(Err("a range needs FROM <= TO and STEP > 0".into()));
    }
    // (TO − FROM) / STEP is a whole number in decimal but may fall a hair short in
    // binary (0.35 / 0.05 = 6.999…); the slack keeps TO in the range.
    let n = ((b - a) / s + RANGE_SLACK).floor() as usize + 1;
    if n > MAX_POINTS {
        return Some(Err(format!(
            "the range has {n} values, more than {MAX_POINTS}"
        )));
    }
    let digits = [from, to, step]
        .iter()
        .map(|t| t.split_once('.').map_or(0, |(_, f)| f.len()))
        .max()
        .unwrap_or(0);
    Some(Ok((0..n)
        .map(|i| format_number(a + i as f64 * s, digits))
        .collect()))
}

/// A number with at most `digits` decimals, without trailing zeros.
fn format_number(x: f64, digits: usize) -> String {
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Splits at commas that are not inside brackets or quotes, so that a list value can
/// be written as JSON: `--vary 'data_classes.x.allowed_countries=["DE"],["DE","AT"]'`.
fn split_values(spec: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth, mut quoted) = (Vec::new(), String::new(), 0i32, false);
    for c in spec.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' | '{' if !quoted => depth += 1,
            ']' | '}' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out.into_iter()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// Every combination of the values, first vary slowest.
pub fn points(varies: &[Vary]) -> Result<Vec<Vec<String>>, Diagnostic> {
    let count = varies
        .iter()
        .try_fold(1usize, |n, v| n.checked_mul(v.values.len()))
        .filter(|&n| n <= MAX_POINTS);
    if count.is_none() {
        return Err(Diagnostic::new(
            "E009",
            "--vary",
            format!("the sweep has more than {MAX_POINTS} points"),
            "vary fewer paths or use coarser steps",
        ));
    }
    let mut out: Vec<Vec<String>> = vec![Vec::new()];
    for v in varies {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                v.values.iter().map(move |x| {
                    let mut p = prefix.clone();
                    p.push(x.clone());
                    p
                })
            })
            .collect();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_print_clean_decimals_and_include_both_ends() {
        let v = Vary::parse("policy.max_provider_share=0.25:0.6:0.05").unwrap();
        assert_eq!(
            v.values,
            ["0.25", "0.3", "0.35", "0.4", "0.45", "0.5", "0.55", "0.6"]
        );
        let v = Vary::parse("policy.min_providers=1:3:1").unwrap();
        assert_eq!(v.values, ["1", "2", "3"]);
    }

    #[test]
    fn lists_and_bad_specs() {
        let v = Vary::parse(r#"data_classes.x.allowed_countries=["DE"],["DE","AT"],none"#).unwrap();
        assert_eq!(v.values, [r#"["DE"]"#, r#"["DE","AT"]"#, "none"]);
        assert!(Vary::parse("policy.x=1:0:1").is_err());
        assert!(Vary::parse("policy.x=0:1:0").is_err());
        assert!(Vary::parse("=1,2").is_err());
    }

    #[test]
    fn points_vary_the_first_path_slowest() {
        let a = Vary::parse("a=1,2").unwrap();
        let b = Vary::parse("b=x,y,z").unwrap();
        let p = points(&[a, b]).unwrap();
        assert_eq!(p.len(), 6);
        assert_eq!(p[0], ["1", "x"]);
        assert_eq!(p[1], ["1", "y"]);
        assert_eq!(p[3], ["2", "x"]);
    }
}
