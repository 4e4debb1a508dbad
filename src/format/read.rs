//! Reading scenario files from disk, resolving `include`, and keeping track of
//! where every entity came from so that later errors can name file and JSON path.
//!
//! What may be read is bounded ([`ReadLimits`], `SOVPLAN_MAX_FILE_MB`): only regular
//! files, or standard input for a top file written `-`, each at most 64 MiB by default.
//! Includes are followed with an explicit stack, so that a chain of thousands of files
//! cannot overflow the call stack.

mod json;
mod source;

pub use source::{ReadLimits, DEFAULT_MAX_FILE_MB, MAX_FILE_MB_ENV, TOTAL_FILES_FACTOR};

use crate::error::{clip, display_path, Diagnostic, MESSAGE_MAX_CHARS};
use crate::format::{
    DataClassDef, DependencyDef, OfferingDef, PolicyDef, ProviderDef, RoadmapDef, ScenarioFile,
    ServiceDef,
};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// An entity together with the place it was read from, e.g. `a.json: services[3]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The entity as written.
    pub item: T,
    /// File and JSON path of the entity.
    pub location: String,
}

/// All files of a scenario merged, not yet validated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawScenario {
    /// The top file as given by the user.
    pub file: String,
    /// Name from the top file.
    pub name: Option<String>,
    /// Description from the top file.
    pub description: Option<String>,
    /// Policy from the top file.
    pub policy: Option<PolicyDef>,
    /// Roadmap from the top file.
    pub roadmap: Option<RoadmapDef>,
    /// Providers of all files, included files first.
    pub providers: Vec<Located<ProviderDef>>,
    /// Offerings of all files.
    pub offerings: Vec<Located<OfferingDef>>,
    /// Data classes of all files.
    pub data_classes: Vec<Located<DataClassDef>>,
    /// Services of all files.
    pub services: Vec<Located<ServiceDef>>,
    /// Dependencies of all files.
    pub dependencies: Vec<Located<DependencyDef>>,
}

/// Reads a scenario file and everything it includes, within the limits that
/// `SOVPLAN_MAX_FILE_MB` sets (see [`ReadLimits::from_env`]). The path `-` means
/// standard input; its includes resolve against the current directory.
///
/// Every file is read even when an earlier one is broken, so that all syntax
/// problems are reported together.
pub fn read_scenario(path: &Path) -> Result<RawScenario, Vec<Diagnostic>> {
    read_scenario_with(path, &ReadLimits::from_env().map_err(|d| vec![d])?)
}

/// [`read_scenario`] within explicit limits.
pub fn read_scenario_with(
    path: &Path,
    limits: &ReadLimits,
) -> Result<RawScenario, Vec<Diagnostic>> {
    let mut reader = Reader::new(*limits);
    let top = reader.load(path, true);
    let file = if source::is_stdin(path) {
        source::STDIN_LABEL.to_string()
    } else {
        display_path(path)
    };
    finish(reader, top, file)
}

/// Parses a scenario from a string; `include` paths resolve against `base_dir`.
pub fn read_scenario_str(
    text: &str,
    label: &str,
    base_dir: &Path,
) -> Result<RawScenario, Vec<Diagnostic>> {
    let limits = ReadLimits::from_env().map_err(|d| vec![d])?;
    read_scenario_str_with(text, label, base_dir, &limits)
}

/// [`read_scenario_str`] within explicit limits (for the includes; `text` is already
/// in memory).
pub fn read_scenario_str_with(
    text: &str,
    label: &str,
    base_dir: &Path,
    limits: &ReadLimits,
) -> Result<RawScenario, Vec<Diagnostic>> {
    let mut reader = Reader::new(*limits);
    let top = match json::parse_all::<ScenarioFile>(text, label) {
        Ok(file) => {
            reader.walk(Frame {
                file,
                label: label.to_string(),
                base: base_dir.to_path_buf(),
                canonical: None,
                next_include: 0,
                top: true,
            });
            true
        }
        Err(d) => {
            reader.errors.extend(d);
            false
        }
    };
    finish(reader, top, label.to_string())
}

/// Reads files as if an unnamed top file included them, in order: the generator's
/// catalogue and templates get the same diagnostics (E001-E005) as a scenario's includes.
pub fn read_included(paths: &[PathBuf]) -> Result<RawScenario, Vec<Diagnostic>> {
    let mut reader = Reader::new(ReadLimits::from_env().map_err(|d| vec![d])?);
    for path in paths {
        reader.load(path, false);
    }
    let labels: Vec<String> = paths.iter().map(|p| display_path(p)).collect();
    reader.raw.file = labels.join(", ");
    if reader.errors.is_empty() {
        Ok(reader.raw)
    } else {
        Err(reader.errors)
    }
}

/// Reads and parses one file as written, without following its includes.
pub fn read_file(path: &Path) -> Result<ScenarioFile, Diagnostic> {
    let label = display_path(path);
    parse(&read_text(path)?, &label)
}

/// The text of one JSON file (a plan, a shard, a scenario) under the limits of
/// [`ReadLimits::from_env`]: a regular file no larger than the limit, or standard input
/// for `-`, as UTF-8 without a byte-order mark.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    read_text_with(path, &ReadLimits::from_env()?)
}

/// The bytes of a regular file or standard input (`-`), within the size limit of
/// [`ReadLimits::from_env`]; for inputs that decode their own encoding (CSV).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let limits = ReadLimits::from_env()?;
    if source::is_stdin(path) {
        return source::read_stdin(&limits);
    }
    source::check_regular(path, &limits, true)?;
    source::read_regular(path, &limits)
}

/// [`read_text`] within explicit limits.
pub fn read_text_with(path: &Path, limits: &ReadLimits) -> Result<String, Diagnostic> {
    if source::is_stdin(path) {
        return source::decode(source::read_stdin(limits)?, source::STDIN_LABEL);
    }
    source::check_regular(path, limits, true)?;
    source::decode(source::read_regular(path, limits)?, &display_path(path))
}

fn finish(reader: Reader, top_ok: bool, file: String) -> Result<RawScenario, Vec<Diagnostic>> {
    let mut raw = reader.raw;
    raw.file = file;
    let mut errors = reader.errors;
    if top_ok && raw.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        errors.push(Diagnostic::new(
            "E006",
            format!("{}: name", raw.file),
            "the scenario has no name",
            "add a non-empty \"name\" to the top-level object",
        ));
    }
    if errors.is_empty() {
        Ok(raw)
    } else {
        Err(errors)
    }
}

/// Parses one file's text; syntax errors carry line and column, structural errors the JSON path.
pub fn parse(text: &str, label: &str) -> Result<ScenarioFile, Diagnostic> {
    parse_json(text, label)
}

/// Parses any of sovplan's JSON files (scenarios, plans) with the same error format:
/// E002 with line and column for syntax, E011 for a key given twice in one object (with
/// both positions), E003 with the JSON path for structure. A leading byte-order mark is
/// skipped. Returns the first problem; a scenario's reader reports all of them.
pub fn parse_json<T: serde::de::DeserializeOwned>(
    text: &str,
    label: &str,
) -> Result<T, Diagnostic> {
    json::parse_all(text, label).map_err(|mut d| d.swap_remove(0))
}

/// A file whose includes are being followed.
struct Frame {
    file: ScenarioFile,
    label: String,
    /// Directory its includes are relative to.
    base: PathBuf,
    /// None for text that is no file (standard input, a string).
    canonical: Option<PathBuf>,
    /// How many of `file.include` were followed.
    next_include: usize,
    top: bool,
}

struct Reader {
    raw: RawScenario,
    errors: Vec<Diagnostic>,
    /// Canonical paths already merged: a catalogue included along two routes is merged once.
    loaded: BTreeSet<PathBuf>,
    limits: ReadLimits,
    /// Bytes read so far, against [`ReadLimits::max_total_bytes`].
    bytes_read: u64,
}

impl Reader {
    fn new(limits: ReadLimits) -> Self {
        Reader {
            raw: RawScenario::default(),
            errors: Vec::new(),
            loaded: BTreeSet::new(),
            limits,
            bytes_read: 0,
        }
    }

    /// Loads `path` and everything it includes; returns whether the file itself could
    /// be parsed.
    fn load(&mut self, path: &Path, top: bool) -> bool {
        match self.open(path, top, &[], &HashSet::new()) {
            Ok(Some(frame)) => {
                self.walk(frame);
                true
            }
            Ok(None) => true,
            Err(d) => {
                self.errors.extend(d);
                false
            }
        }
    }

    /// Follows the includes of `root` depth first, each file's includes before its own
    /// entities ("catalogue, then my own services"), with an explicit stack.
    fn walk(&mut self, root: Frame) {
        let mut on_path: HashSet<PathBuf> = root.canonical.iter().cloned().collect();
        let mut stack = vec![root];
        while let Some(frame) = stack.last_mut() {
            let Some(include) = frame.file.include.get(frame.next_include) else {
                let frame = stack.pop().expect("the loop holds a frame");
                if let Some(c) = &frame.canonical {
                    on_path.remove(c);
                }
                self.merge(frame);
                continue;
            };
            frame.next_include += 1;
            let path = frame.base.join(include);
            match self.open(&path, false, &stack, &on_path) {
                Ok(Some(child)) => {
                    if let Some(c) = &child.canonical {
                        on_path.insert(c.clone());
                    }
                    stack.push(child);
                }
                Ok(None) => {}
                Err(d) => self.errors.extend(d),
            }
        }
    }

    /// Reads and parses one file; `Ok(None)` when it was merged already. `stack` holds
    /// the files that include it, `on_path` their canonical paths (for the cycle check,
    /// in constant time however long the chain).
    fn open(
        &mut self,
        path: &Path,
        top: bool,
        stack: &[Frame],
        on_path: &HashSet<PathBuf>,
    ) -> Result<Option<Frame>, Vec<Diagnostic>> {
        if top && source::is_stdin(path) {
            let text = source::decode(
                source::read_stdin(&self.limits).map_err(|d| vec![d])?,
                source::STDIN_LABEL,
            )
            .map_err(|d| vec![d])?;
            return self.parsed(&text, source::STDIN_LABEL, PathBuf::new(), None, top);
        }
        let label = display_path(path);
        source::check_regular(path, &self.limits, top).map_err(|d| vec![d])?;
        let canonical = path.canonicalize().map_err(|e| {
            vec![Diagnostic::new(
                "E001",
                label.clone(),
                format!("cannot read the file: {e}"),
                "check the path (includes are relative to the including file)",
            )]
        })?;
        if on_path.contains(&canonical) {
            return Err(vec![cycle(&label, stack, &canonical)]);
        }
        if !self.loaded.insert(canonical.clone()) {
            return Ok(None);
        }
        let bytes = source::read_regular(path, &self.limits).map_err(|d| vec![d])?;
        self.bytes_read += bytes.len() as u64;
        if self.bytes_read > self.limits.max_total_bytes {
            return Err(vec![source::total_too_large(&label, &self.limits)]);
        }
        let text = source::decode(bytes, &label).map_err(|d| vec![d])?;
        let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        self.parsed(&text, &label, base, Some(canonical), top)
    }

    fn parsed(
        &mut self,
        text: &str,
        label: &str,
        base: PathBuf,
        canonical: Option<PathBuf>,
        top: bool,
    ) -> Result<Option<Frame>, Vec<Diagnostic>> {
        let file = json::parse_all::<ScenarioFile>(text, label)?;
        Ok(Some(Frame {
            file,
            label: label.to_string(),
            base,
            canonical,
            next_include: 0,
            top,
        }))
    }

    /// Merges a file whose includes have all been merged.
    fn merge(&mut self, frame: Frame) {
        let Frame {
            file, label, top, ..
        } = frame;
        if top {
            self.raw.name = file.name;
            self.raw.description = file.description;
            self.raw.policy = file.policy;
            self.raw.roadmap = file.roadmap;
        } else {
            if file.policy.is_some() {
                self.errors.push(Diagnostic::new(
                    "E005",
                    format!("{label}: policy"),
                    "an included file has a policy; policies are only read from the top file",
                    "move the policy into the scenario file that includes this one",
                ));
            }
            // A roadmap is part of the policy: it too is only read from the top file.
            if file.roadmap.is_some() {
                self.errors.push(Diagnostic::new(
                    "E005",
                    format!("{label}: roadmap"),
                    "an included file has a roadmap; roadmaps are only read from the top file",
                    "move the roadmap into the scenario file that includes this one",
                ));
            }
        }
        let loc = |kind: &str, i: usize| format!("{label}: {kind}[{i}]");
        extend(&mut self.raw.providers, file.providers, |i| {
            loc("providers", i)
        });
        extend(&mut self.raw.offerings, file.offerings, |i| {
            loc("offerings", i)
        });
        extend(&mut self.raw.data_classes, file.data_classes, |i| {
            loc("data_classes", i)
        });
        extend(&mut self.raw.services, file.services, |i| {
            loc("services", i)
        });
        extend(&mut self.raw.dependencies, file.dependencies, |i| {
            loc("dependencies", i)
        });
    }
}

/// E004 for `label`, whose canonical path is already on the include stack.
fn cycle(label: &str, stack: &[Frame], canonical: &Path) -> Diagnostic {
    let mut chain: Vec<String> = stack
        .iter()
        .filter_map(|f| f.canonical.as_ref())
        .map(|p| p.display().to_string())
        .collect();
    chain.push(canonical.display().to_string());
    Diagnostic::new(
        "E004",
        label,
        clip(
            &format!("include cycle: {}", chain.join(" -> ")),
            MESSAGE_MAX_CHARS,
        ),
        "remove one of the includes so that no file includes itself",
    )
}

fn extend<T>(into: &mut Vec<Located<T>>, items: Vec<T>, location: impl Fn(usize) -> String) {
    into.extend(items.into_iter().enumerate().map(|(i, item)| Located {
        item,
        location: location(i),
    }));
}
