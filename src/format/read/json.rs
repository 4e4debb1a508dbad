//! Parsing JSON text into sovplan's serde types with one error format for every file:
//! E002 syntax (line, column), E011 duplicate keys (both positions), E003 structure
//! (JSON path).
//!
//! serde_json keeps the last of two equal keys without a word, so that
//! `"monthly_budget": 243.5, "monthly_budget": 1e9` would plan with 1e9. The keys are
//! therefore checked on the text itself, after serde_json has accepted its syntax.

use crate::error::{clip, quote, Diagnostic, ECHO_MAX_CHARS, MESSAGE_MAX_CHARS};

/// Longest JSON path shown, in characters: real paths are short, but a key is input.
const PATH_MAX_CHARS: usize = 2 * ECHO_MAX_CHARS;
use std::collections::HashMap;

/// At most this many duplicate keys are reported per file; the last report counts the
/// rest, so that a generated file full of them cannot flood the terminal.
const MAX_DUPLICATES: usize = 100;

/// Parses `text` (a leading byte-order mark is skipped) into `T`; every duplicate key
/// and the first structural problem are reported.
pub(crate) fn parse_all<T: serde::de::DeserializeOwned>(
    text: &str,
    label: &str,
) -> Result<T, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    // Syntax first, so that a syntax error is reported as such rather than as a type error.
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        vec![Diagnostic::new(
            "E002",
            format!("{label}: line {}, column {}", e.line(), e.column()),
            clip(&format!("invalid JSON: {e}"), MESSAGE_MAX_CHARS),
            "fix the JSON syntax at that position",
        )]
    })?;
    let mut errors = duplicate_keys(text, label);
    match serde_path_to_error::deserialize(value) {
        Ok(v) if errors.is_empty() => return Ok(v),
        Ok(_) => {}
        Err(e) => {
            let path = e.path().to_string();
            let path = if path == "." {
                "(top level)".to_string()
            } else {
                path
            };
            errors.push(Diagnostic::new(
                "E003",
                format!("{label}: {}", clip(&path, PATH_MAX_CHARS)),
                clip(&e.inner().to_string(), MESSAGE_MAX_CHARS),
                "use the field names and types documented in the README (unknown fields are not allowed)",
            ));
        }
    }
    Err(errors)
}

/// Line and column (1-based, the column in characters as editors count them) of the
/// position just past `prefix`.
pub(crate) fn line_column(prefix: &[u8]) -> (usize, usize) {
    let line_start = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = 1 + prefix.iter().filter(|&&b| b == b'\n').count();
    (line, 1 + chars_in(&prefix[line_start..]))
}

/// Characters in UTF-8 bytes: every byte that does not continue a character starts one.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// An object or array the scanner is inside of.
enum Open {
    /// The keys seen so far (decoded) with the byte offset of their first occurrence,
    /// the current key, and whether the next string is a key.
    Object {
        keys: HashMap<String, usize>,
        key: Option<String>,
        expect_key: bool,
    },
    /// The index of the current element.
    Array { index: usize },
}

/// A key given twice in one object.
struct Duplicate {
    key: String,
    /// JSON path of the key, e.g. `policy.monthly_budget`.
    path: String,
    first: usize,
    second: usize,
}

/// E011 for every key that appears twice in one object of `text`, which serde_json has
/// already accepted as JSON (so strings are closed and brackets balanced).
fn duplicate_keys(text: &str, label: &str) -> Vec<Diagnostic> {
    let (dups, total) = scan(text);
    if dups.is_empty() {
        return Vec::new();
    }
    let offsets: Vec<usize> = dups.iter().flat_map(|d| [d.first, d.second]).collect();
    let at = line_columns(text.as_bytes(), &offsets);
    let n = dups.len();
    dups.into_iter()
        .enumerate()
        .map(|(i, d)| {
            let ((l1, c1), (l2, c2)) = (at[2 * i], at[2 * i + 1]);
            let mut message = format!(
                "key {} appears twice in one object: at line {l1}, column {c1} and again at line {l2}, column {c2}",
                quote(&d.key)
            );
            if i + 1 == n && total > n {
                message.push_str(&format!(
                    " (and {} more duplicate key(s) in this file, not listed)",
                    total - n
                ));
            }
            Diagnostic::new(
                "E011",
                format!("{label}: {}", clip(&d.path, PATH_MAX_CHARS)),
                message,
                "keep one of the two: JSON readers disagree on which one counts, so sovplan takes neither",
            )
        })
        .collect()
}

/// Finds the first [`MAX_DUPLICATES`] duplicate keys and counts all of them, in one
/// pass with an explicit stack (the nesting depth serde_json allows is no concern).
fn scan(text: &str) -> (Vec<Duplicate>, usize) {
    let bytes = text.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    let mut dups = Vec::new();
    let mut total = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => stack.push(Open::Object {
                keys: HashMap::new(),
                key: None,
                expect_key: true,
            }),
            b'[' => stack.push(Open::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Open::Object { expect_key, .. }) => *expect_key = true,
                Some(Open::Array { index }) => *index += 1,
                None => {}
            },
            b'"' => {
                let start = i;
                i = string_end(bytes, i);
                if let Some(first) = key_at(&mut stack, &text[start..=i], start) {
                    total += 1;
                    if dups.len() < MAX_DUPLICATES {
                        let key = current_key(&stack).unwrap_or_default();
                        dups.push(Duplicate {
                            path: path_of(&stack),
                            key,
                            first,
                            second: start,
                        });
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    (dups, total)
}

/// The index of the closing quote of the string that opens at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() && bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i
}

/// Records `raw` (a string with its quotes) if it is a key; returns the offset of the
/// key's first occurrence when the object already has it.
fn key_at(stack: &mut [Open], raw: &str, offset: usize) -> Option<usize> {
    let Some(Open::Object {
        keys,
        key,
        expect_key,
    }) = stack.last_mut()
    else {
        return None;
    };
    if !*expect_key {
        return None;
    }
    *expect_key = false;
    // Keys are compared as serde sees them: "a" and "\u0061" are the same key.
    let decoded = if raw.contains('\\') {
        serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_string())
    } else {
        raw[1..raw.len() - 1].to_string()
    };
    let first = match keys.get(&decoded) {
        Some(&first) => Some(first),
        None => {
            keys.insert(decoded.clone(), offset);
            None
        }
    };
    *key = Some(decoded);
    first
}

fn current_key(stack: &[Open]) -> Option<String> {
    match stack.last() {
        Some(Open::Object { key, .. }) => key.clone(),
        _ => None,
    }
}

/// The JSON path of the current position, written as serde_path_to_error writes it.
fn path_of(stack: &[Open]) -> String {
    let mut path = String::new();
    for open in stack {
        match open {
            Open::Object { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&clip(k, PATH_MAX_CHARS));
            }
            Open::Object { key: None, .. } => {}
            Open::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    if path.is_empty() {
        "(top level)".to_string()
    } else {
        path
    }
}

/// Line and column of every byte offset, in one pass over the text.
fn line_columns(bytes: &[u8], offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&k| offsets[k]);
    let mut out = vec![(0, 0); offsets.len()];
    let (mut line, mut column, mut pos) = (1, 1, 0);
    for k in order {
        while pos < offsets[k] {
            match bytes[pos] {
                b'\n' => (line, column) = (line + 1, 1),
                b if b & 0xC0 != 0x80 => column += 1,
                _ => {}
            }
            pos += 1;
        }
        out[k] = (line, column);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn codes(text: &str) -> Vec<(String, String, String)> {
        match parse_all::<Value>(text, "f.json") {
            Ok(_) => Vec::new(),
            Err(d) => d
                .into_iter()
                .map(|d| (d.code.to_string(), d.location, d.message))
                .collect(),
        }
    }

    #[test]
    fn duplicate_keys_name_both_positions_and_the_path() {
        let text = "{\"policy\": {\n  \"monthly_budget\": 243.5,\n  \"monthly_budget\": 1e9\n}}";
        let d = codes(text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "E011");
        assert_eq!(d[0].1, "f.json: policy.monthly_budget");
        assert!(
            d[0].2
                .contains("line 2, column 3 and again at line 3, column 3"),
            "{}",
            d[0].2
        );
    }

    #[test]
    fn keys_compare_decoded_and_per_object() {
        assert_eq!(codes(r#"{"a": 1, "\u0061": 2}"#)[0].0, "E011");
        // Equal keys in different objects, and equal values, are fine.
        assert!(codes(r#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": "a"}], "c": "a"}"#).is_empty());
        let d = codes(r#"{"s": [{"id": 1}, {"id": 2, "x": "\"", "id": 3}]}"#);
        assert_eq!(d[0].1, "f.json: s[1].id");
    }

    #[test]
    fn columns_count_characters_and_a_bom_is_skipped() {
        let d = codes("\u{FEFF}{\"ä\": 1, \"ä\": 2}");
        assert!(
            d[0].2
                .contains("line 1, column 2 and again at line 1, column 10"),
            "{d:?}"
        );
        assert!(parse_all::<Value>("\u{FEFF}{}", "f").is_ok());
    }

    #[test]
    fn many_duplicates_are_counted_not_listed() {
        let body: Vec<String> = (0..150).map(|i| format!("\"k\": {i}")).collect();
        let d = codes(&format!("{{{}}}", body.join(",")));
        assert_eq!(d.len(), MAX_DUPLICATES);
        assert!(
            d[MAX_DUPLICATES - 1].2.contains("and 49 more"),
            "{:?}",
            d.last()
        );
    }
}
