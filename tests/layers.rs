//! The stages of the code (README, "How the code is laid out"): a module
//! imports only from its own stage or a lower one, and no two top-level
//! modules import each other, directly or round a circle. Read from the
//! sources themselves: every `crate::name` outside comments and tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of `src/` and its stage, lowest first. A new
/// module must be placed here.
const STAGES: &[(u8, &[&str])] = &[
    (
        1,
        &[
            "forms", "units", "kinds", "names", "hash", "escape", "lock", "limits", "numbers",
            "period", "device", "chars", "address", "clock", "owner", "whole", "logging", "i18n",
            "yaml", "text",
        ],
    ),
    (2, &["config", "schedule"]),
    (3, &["plan"]),
    (4, &["onair", "sound", "player", "station", "program"]),
    (5, &["playlog"]),
    (6, &["preview", "report", "publish", "status"]),
    (7, &["daemon", "cli"]),
];

fn stage_of(module: &str) -> Option<u8> {
    STAGES
        .iter()
        .find(|(_, ms)| ms.contains(&module))
        .map(|(s, _)| *s)
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file under `src/` belongs to; None for the crate
/// root and the binary.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// A test file (`tests.rs`, `*_tests.rs`) imports what it tests from any
/// stage.
fn is_test_file(file: &Path) -> bool {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == "tests.rs" || name.ends_with("_tests.rs")
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules a piece of code names after `crate::`, with the
/// line each is on; `use crate::{a::x, b}` names `a` and `b`.
fn imports(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let mut depth = 0;
                let mut at_item = true;
                for (j, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => at_item = true,
                        c if at_item && (c.is_ascii_alphabetic() || c == '_') => {
                            out.push((n + 1, ident_at(&group[j..]).to_string()));
                            at_item = false;
                        }
                        _ => {}
                    }
                }
            } else {
                let name = ident_at(rest);
                if !name.is_empty() {
                    out.push((n + 1, name.to_string()));
                }
            }
        }
    }
    out
}

struct Edge {
    from: String,
    to: String,
    at: String,
}

fn edges() -> Vec<Edge> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files.iter().filter(|f| !is_test_file(f)) {
        let Some(from) = module_of(&src, file) else {
            continue;
        };
        let text =
            std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (line, to) in imports(code) {
            if to != from && !matches!(to.as_str(), "self" | "super") {
                let at = format!(
                    "src/{}:{line}",
                    file.strip_prefix(&src).unwrap_or(file).display()
                );
                out.push(Edge {
                    from: from.clone(),
                    to,
                    at,
                });
            }
        }
    }
    out
}

#[test]
fn every_module_has_a_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let missing: BTreeSet<String> = files
        .iter()
        .filter(|f| !is_test_file(f))
        .filter_map(|f| module_of(&src, f))
        .filter(|m| stage_of(m).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "modules with no stage in tests/layers.rs STAGES: {missing:?}"
    );
}

#[test]
fn no_module_imports_a_higher_stage() {
    let upward: Vec<String> = edges()
        .into_iter()
        .filter_map(|e| {
            let (from, to) = (stage_of(&e.from)?, stage_of(&e.to)?);
            (to > from).then(|| {
                format!(
                    "{}: {} (stage {from}) imports {} (stage {to})",
                    e.at, e.from, e.to
                )
            })
        })
        .collect();
    assert!(
        upward.is_empty(),
        "imports from a higher stage:\n{}",
        upward.join("\n")
    );
}

#[test]
fn no_two_modules_import_each_other() {
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for e in edges() {
        graph.entry(e.from).or_default().entry(e.to).or_insert(e.at);
    }
    // A circle is an edge a → b with a path b → … → a.
    let reaches = |start: &str, goal: &str| -> Option<Vec<String>> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![vec![start.to_string()]];
        while let Some(path) = stack.pop() {
            let last = path.last().cloned().unwrap_or_default();
            if last == goal {
                return Some(path);
            }
            if !seen.insert(last.clone()) {
                continue;
            }
            for next in graph.get(&last).into_iter().flat_map(|m| m.keys()) {
                let mut p = path.clone();
                p.push(next.clone());
                stack.push(p);
            }
        }
        None
    };
    let mut circles = Vec::new();
    for (a, outs) in &graph {
        for (b, at) in outs {
            if let Some(path) = reaches(b, a) {
                circles.push(format!("{at}: {a} -> {}", path.join(" -> ")));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_reader_finds_grouped_and_plain_imports() {
    let code = "use crate::{alpha::X, beta};\n// crate::gamma\nlet x = crate::delta::f();\n";
    let names: Vec<String> = imports(code).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["alpha", "beta", "delta"]);
}
