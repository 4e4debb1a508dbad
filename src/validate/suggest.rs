//! "Did you mean": the known id closest to an unknown one, in bounded time.
//!
//! Comparing every unknown id with every known one by full edit distance is
//! quadratic twice over: 7,180 dependencies into a renamed scenario of 5,336 services
//! took 56 s, one 200,000-character id 9 s. Here a suggestion is still the closest id
//! (fewest edits, then alphabetically first) within the same threshold as before, but
//! found with bounds that skip hopeless candidates:
//!
//! - ids much longer than any typo would be are not looked up ([`MAX_CHARS`]);
//! - candidates are indexed by length, and only lengths within the current bound of
//!   the length are tried (the length difference is a lower bound of the distance);
//! - a character-count lower bound skips most of the rest before any table is built;
//! - the edit-distance table is computed in a band around its diagonal and abandoned
//!   once every cell of a row exceeds the bound;
//! - repeated unknown ids are answered from a memo;
//! - a deterministic work budget ([`BUDGET`]) ends the search for the whole
//!   validation: later unknown ids are reported without a suggestion.

use std::collections::{BTreeMap, HashMap};

/// Unknown ids longer than this (in characters) get no suggestion.
pub const MAX_CHARS: usize = 128;

/// Work units (edit-distance cells plus candidate comparisons) one validation may
/// spend on suggestions, about half a second; no realistic number of typos comes near.
pub const BUDGET: u64 = 400_000_000;

/// Buckets of the character-count signature.
const BUCKETS: usize = 32;

/// A known id with what the bounds need.
struct Known<'a> {
    id: &'a str,
    chars: Vec<char>,
    counts: [u8; BUCKETS],
}

/// The known ids of one kind, indexed by length, with a memo of answers.
pub struct Suggester<'a> {
    by_len: BTreeMap<usize, Vec<Known<'a>>>,
    memo: HashMap<String, Option<&'a str>>,
    /// Whether any id is known at all (for "none is defined").
    any: bool,
}

/// Work left for all suggesters of one validation.
pub struct Budget(pub u64);

impl Default for Budget {
    fn default() -> Self {
        Budget(BUDGET)
    }
}

impl<'a> Suggester<'a> {
    /// Indexes `ids`.
    pub fn new(ids: impl Iterator<Item = &'a str>) -> Self {
        let mut by_len: BTreeMap<usize, Vec<Known<'a>>> = BTreeMap::new();
        let mut any = false;
        for id in ids {
            any = true;
            let chars: Vec<char> = id.chars().collect();
            let counts = signature(&chars);
            by_len
                .entry(chars.len())
                .or_default()
                .push(Known { id, chars, counts });
        }
        Suggester {
            by_len,
            memo: HashMap::new(),
            any,
        }
    }

    /// Whether no id of this kind is defined.
    pub fn is_empty(&self) -> bool {
        !self.any
    }

    /// The closest known id to `id` within `max(1, chars / 3)` edits, if any is found
    /// within the budget.
    pub fn closest(&mut self, id: &str, budget: &mut Budget) -> Option<&'a str> {
        if let Some(&hit) = self.memo.get(id) {
            return hit;
        }
        let chars: Vec<char> = id.chars().collect();
        let hit = if chars.len() > MAX_CHARS {
            None
        } else {
            self.search(&chars, budget)
        };
        self.memo.insert(id.to_string(), hit);
        hit
    }

    fn search(&self, a: &[char], budget: &mut Budget) -> Option<&'a str> {
        let n = a.len();
        let counts = signature(a);
        let mut bound = (n / 3).max(1);
        let mut best: Option<(usize, &'a str)> = None;
        // Same length first, then growing length differences: close candidates lower
        // the bound early, which narrows the lengths still worth trying (so the loop
        // re-reads the bound on every step).
        let mut delta = 0;
        while delta <= bound {
            let lens = [n.checked_sub(delta), (delta > 0).then_some(n + delta)];
            for len in lens.into_iter().flatten() {
                for k in self.by_len.get(&len).into_iter().flatten() {
                    if budget.0 == 0 {
                        return None;
                    }
                    budget.0 -= 1;
                    if count_bound(&counts, &k.counts) > bound {
                        continue;
                    }
                    let Some(d) = bounded_distance(a, &k.chars, bound, budget) else {
                        if budget.0 == 0 {
                            // Spent mid-search: a suggestion must be the closest id or none.
                            return None;
                        }
                        continue;
                    };
                    if best.is_none_or(|b| (d, k.id) < b) {
                        best = Some((d, k.id));
                        bound = d;
                    }
                }
            }
            delta += 1;
        }
        best.map(|(_, id)| id)
    }
}

/// How often each character bucket occurs (saturating).
fn signature(chars: &[char]) -> [u8; BUCKETS] {
    let mut c = [0u8; BUCKETS];
    for &ch in chars {
        let b = (ch as usize).wrapping_mul(0x9E37_79B9) >> 7;
        c[b % BUCKETS] = c[b % BUCKETS].saturating_add(1);
    }
    c
}

/// A lower bound of the edit distance from the character counts: every character one
/// string has more of must be deleted or substituted, and likewise for the other.
/// Merging characters into buckets only lowers the bound, and saturated counts are
/// equal in both, so it stays a lower bound.
fn count_bound(a: &[u8; BUCKETS], b: &[u8; BUCKETS]) -> usize {
    let (mut more, mut fewer) = (0usize, 0usize);
    for (&x, &y) in a.iter().zip(b) {
        if x >= y {
            more += usize::from(x - y);
        } else {
            fewer += usize::from(y - x);
        }
    }
    more.max(fewer)
}

/// The Levenshtein distance of `a` and `b` if it is at most `bound`: only cells within
/// `bound` of the diagonal can stay within it, and once a whole row exceeds it the
/// distance does too. Every computed cell is charged to `budget`.
fn bounded_distance(a: &[char], b: &[char], bound: usize, budget: &mut Budget) -> Option<usize> {
    if a.len().abs_diff(b.len()) > bound {
        return None;
    }
    let big = bound + 1;
    let mut prev: Vec<usize> = (0..=b.len()).map(|j| j.min(big)).collect();
    let mut cur = vec![big; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        let row = i + 1;
        let lo = row.saturating_sub(bound).max(1);
        let hi = (row + bound).min(b.len());
        let width = (hi + 1).saturating_sub(lo) as u64 + 1;
        let Some(left) = budget.0.checked_sub(width) else {
            budget.0 = 0;
            return None;
        };
        budget.0 = left;
        cur.fill(big);
        cur[0] = row.min(big);
        let mut row_min = cur[0];
        for j in lo..=hi {
            let sub = prev[j - 1] + usize::from(ca != b[j - 1]);
            let v = sub.min(prev[j] + 1).min(cur[j - 1] + 1).min(big);
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > bound {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= bound).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain Levenshtein over characters, for comparison.
    fn reference(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, cb) in b.iter().enumerate() {
                cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    /// The old exhaustive suggestion.
    fn exhaustive<'a>(id: &str, known: &[&'a str]) -> Option<&'a str> {
        let best = known.iter().map(|n| (reference(id, n), *n)).min()?;
        (best.0 <= (id.chars().count() / 3).max(1)).then_some(best.1)
    }

    #[test]
    fn bounded_distance_agrees_with_the_full_table() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "kitten",
            "sitting",
            "stackit-eu01",
            "stackit-eu02",
            "hetzner-fsn",
            "ionos-de-fra",
            "münchen",
            "muenchen",
            "aaaaaaa",
            "aaaabaaa",
        ];
        for a in words {
            for b in words {
                let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                let d = reference(a, b);
                for bound in 0..8 {
                    let got = bounded_distance(&ca, &cb, bound, &mut Budget::default());
                    assert_eq!(got, (d <= bound).then_some(d), "{a:?} {b:?} bound {bound}");
                    let lb = count_bound(&signature(&ca), &signature(&cb));
                    assert!(lb <= d, "{a:?} {b:?}: lower bound {lb} > {d}");
                }
            }
        }
    }

    #[test]
    fn suggests_what_the_exhaustive_search_suggested() {
        let known = [
            "stackit-eu01",
            "stackit-eu02",
            "hetzner-fsn",
            "hetzner-nbg",
            "ionos-de-fra",
            "otc-de",
            "aws-eu-central-1",
            "m1-ewo-app",
            "m12-ewo-app",
            "m2-ewo-db",
            "b",
            "ab",
        ];
        let mut s = Suggester::new(known.iter().copied());
        let probes = [
            "stackit-eu03",
            "stackit",
            "hetzner-fns",
            "ionos",
            "otc",
            "aws-eu-central",
            "m1-ewo-ap",
            "m13-ewo-app",
            "x",
            "a",
            "ba",
            "completely-different",
            "",
            "m2-ewo-dbx",
        ];
        for p in probes {
            let want = exhaustive(p, &known);
            assert_eq!(s.closest(p, &mut Budget::default()), want, "{p:?}");
            // Answered again from the memo.
            assert_eq!(s.closest(p, &mut Budget(0)), want, "{p:?}");
        }
    }

    #[test]
    fn random_ids_get_the_exhaustive_answer() {
        // Small alphabets and lengths make near misses, ties and bucket collisions common.
        let mut rng = crate::generate::Rng::new(7);
        let word = |rng: &mut crate::generate::Rng| -> String {
            let len = rng.below(9);
            (0..len)
                .map(|_| ['a', 'b', 'c', 'ä', '-'][rng.below(5)])
                .collect()
        };
        for _ in 0..200 {
            let known: Vec<String> = (0..1 + rng.below(30)).map(|_| word(&mut rng)).collect();
            let refs: Vec<&str> = known.iter().map(String::as_str).collect();
            let mut s = Suggester::new(refs.iter().copied());
            for _ in 0..20 {
                let p = word(&mut rng);
                assert_eq!(
                    s.closest(&p, &mut Budget::default()),
                    exhaustive(&p, &refs),
                    "{p:?} in {refs:?}"
                );
            }
        }
    }

    #[test]
    fn long_ids_and_an_empty_budget_give_no_suggestion() {
        let long = "x".repeat(MAX_CHARS + 1);
        let mut s = Suggester::new([long.as_str()].into_iter());
        assert_eq!(
            s.closest(&long[1..], &mut Budget::default()),
            Some(long.as_str())
        );
        assert_eq!(s.closest(&format!("{long}y"), &mut Budget::default()), None);
        let mut s = Suggester::new(["abc"].into_iter());
        assert_eq!(s.closest("abd", &mut Budget(0)), None);
    }
}
