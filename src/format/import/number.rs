//! Numbers as spreadsheets write them into CSV: `1234.5`, `1234,5`, `1.234,5`,
//! `1 234,5`. Which mark is the decimal one is decided per file ([`Decimal`]); a
//! number that would read differently in the other notation and the file does not
//! settle it (`1.500` in a `;` file without a decimal comma) is refused rather than
//! guessed, because a factor of 1000 in a demand silently changes a plan.

/// The decimal mark of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decimal {
    /// `.` is the decimal mark; a `,` in a number is an error.
    Point,
    /// `,` is the decimal mark; `.` may only group thousands (`1.234.567,8`).
    Comma,
    /// `.` is the decimal mark as far as the file shows (a `;`-separated file without
    /// a decimal comma), but `1.500` could be German thousands: refused.
    PointUnsure,
}

/// Parses one cell. The error says what is wrong with the text (for the message).
pub fn parse(cell: &str, decimal: Decimal) -> Result<f64, String> {
    // Grouping spaces (also the no-break and narrow no-break spaces of a German Excel).
    let s: String = cell
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let plain = match decimal {
        Decimal::Point | Decimal::PointUnsure => {
            if s.contains(',') {
                return Err("has a comma, but this file writes decimals with a point".into());
            }
            if decimal == Decimal::PointUnsure && is_grouped(&s, '.') {
                return Err(
                    "could be a decimal (point) or thousands (German notation); the file does not tell which"
                        .into(),
                );
            }
            s
        }
        Decimal::Comma => {
            let (int, frac) = s.split_once(',').unwrap_or((&s, ""));
            if int.contains('.') && !is_grouped(int, '.') {
                return Err(
                    "has a point, but this file writes decimals with a comma (a point may only group thousands, as in 1.234,5)"
                        .into(),
                );
            }
            let int = int.replace('.', "");
            if frac.is_empty() && s.ends_with(',') {
                return Err("ends in a comma".into());
            }
            if frac.is_empty() {
                int
            } else {
                format!("{int}.{frac}")
            }
        }
    };
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E');
    match plain.parse::<f64>() {
        Ok(x) if x.is_finite() && plain.chars().all(allowed) => Ok(x),
        _ => Err("is not a number".into()),
    }
}

/// `1.234`, `12.345.678`, `-1.234`: digits in groups of three after the first.
fn is_grouped(s: &str, mark: char) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let mut groups = s.split(mark);
    let first = groups.next().unwrap_or("");
    let mut rest = groups.peekable();
    rest.peek().is_some()
        && (1..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_digit())
        && rest.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_notations_and_their_groupings() {
        assert_eq!(parse("1234.5", Decimal::Point), Ok(1234.5));
        assert_eq!(parse("1234,5", Decimal::Comma), Ok(1234.5));
        assert_eq!(parse("1.234,5", Decimal::Comma), Ok(1234.5));
        assert_eq!(parse("12.000", Decimal::Comma), Ok(12000.0));
        assert_eq!(parse("1 234,5", Decimal::Comma), Ok(1234.5));
        assert_eq!(parse("1\u{a0}234", Decimal::Point), Ok(1234.0));
        assert_eq!(parse("-2,5", Decimal::Comma), Ok(-2.5));
        assert_eq!(parse("1.5", Decimal::PointUnsure), Ok(1.5));
        assert_eq!(parse("1e3", Decimal::Point), Ok(1000.0));
    }

    #[test]
    fn what_is_not_a_number_or_ambiguous_is_refused() {
        for (s, d) in [
            ("1,5", Decimal::Point),
            ("1.5", Decimal::Comma),
            ("1.500", Decimal::PointUnsure),
            ("abc", Decimal::Point),
            ("inf", Decimal::Point),
            ("NaN", Decimal::Point),
            ("12 EUR", Decimal::Point),
            ("1,", Decimal::Comma),
            ("", Decimal::Point),
        ] {
            assert!(parse(s, d).is_err(), "{s} {d:?}");
        }
    }
}
