//! The layers point down: configuration, crypto, the clock, the change feed, what a request says of
//! its sender, the batching of writes, domain rules and the database name nothing of the HTTP layer
//! above them (routes, extractors, state, limits, the remembered reads, the security log, the API's
//! errors), so each can be read, tested and changed on its own.

use std::path::{Path, PathBuf};

const LOWER: &[&str] =
    &["config.rs", "crypto.rs", "clock.rs", "change_feed.rs", "request.rs", "write_batches.rs", "domain", "db"];
const HIGHER: &[&str] = &["routes", "auth", "state", "rate_limit", "recent", "audit", "error"];

fn rust_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .unwrap()
        .flat_map(|entry| rust_files(&entry.unwrap().path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

/// Every `crate::x` a source names, in paths and in `use crate::{x, y::z}` groups.
fn named_modules(source: &str) -> Vec<String> {
    let code: String = source.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let mut named = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            named.extend(group.split(',').map(|item| item.trim().split("::").next().unwrap_or("").to_string()));
        } else {
            named.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    named
}

#[test]
fn lower_modules_name_no_higher_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for file in LOWER.iter().flat_map(|lower| rust_files(&src.join(lower))) {
        let source = std::fs::read_to_string(&file).unwrap();
        for module in named_modules(&source).into_iter().filter(|m| HIGHER.contains(&m.as_str())) {
            wrong.push(format!("{} names crate::{module}", file.strip_prefix(&src).unwrap().display()));
        }
    }
    assert!(wrong.is_empty(), "a lower layer names a higher one:\n{}", wrong.join("\n"));
}

#[test]
fn the_check_sees_paths_and_use_groups() {
    let source = "use crate::{db, auth::session};\nfn f() { crate::routes::x(); }\n// crate::state in a comment\n";
    let named = named_modules(source);
    assert!(named.contains(&"auth".to_string()) && named.contains(&"routes".to_string()), "{named:?}");
    assert!(!named.contains(&"state".to_string()));
}
