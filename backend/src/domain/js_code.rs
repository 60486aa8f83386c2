//! `JsCode`: a JS library's code, checked the way the platform will run it:
//! at most 16384 characters, valid plain-script JavaScript, no modules.

use boa_ast::expression::{Call, Expression};
use boa_ast::scope::Scope;
use boa_ast::visitor::{VisitWith, Visitor};
use boa_interner::Interner;
use boa_parser::{Parser, Source};
use shared::validate::check_js_code_length;
use std::ops::ControlFlow;
use std::sync::{Condvar, Mutex, PoisonError};

use super::js_nesting;

/// Brackets open at once beyond this are refused before parsing: the parser recurses per level.
const MAX_NESTING: usize = 256;
/// Every parse runs on a stack of its own with room for far more recursion than the checks before it
/// let through (a debug build takes about 22 KiB per `!`, so even 16384 of them fit): should code get
/// past the estimate, it is parsed, not a crash. Only the part used is ever touched, and it is given
/// back when the parse ends. (A stack switched in place, not a thread: a thread per write cost the
/// write path more in task switches than the parse itself. Not the caller's own stack either, even for
/// code that looks shallow: a chain such as `a()()()…` or `a, a, a…` escapes every cheap estimate, and
/// the tree it builds is walked recursively.)
const PARSER_STACK_BYTES: usize = 512 * 1024 * 1024;
/// Parses at once; each may touch much of its stack on hostile code.
static PARSERS: Gate = Gate::new(2);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsCode(String);

impl JsCode {
    /// Blocking (it parses): call from the blocking pool.
    pub fn parse(raw: &str) -> Result<JsCode, Vec<String>> {
        check_js_code_length(raw).map_err(|e| vec![e])?;
        if nesting_depth(raw) > MAX_NESTING {
            return Err(vec![format!("The code nests brackets more than {MAX_NESTING} deep")]);
        }
        if js_nesting::depth(raw) > js_nesting::MAX_DEPTH {
            return Err(vec![format!(
                "The code nests more than {} constructs in one statement (operators, ?:, if and else, \
                 labels, arrows); split it into smaller statements",
                js_nesting::MAX_DEPTH
            )]);
        }
        let _turn = PARSERS.enter();
        let checked = stacker::grow(PARSER_STACK_BYTES, || guarded_check(raw));
        checked.map(|()| JsCode(raw.to_string())).map_err(|e| vec![e])
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// [`check_syntax`], with a panic in the parser an answer rather than a crash.
fn guarded_check(code: &str) -> Result<(), String> {
    std::panic::catch_unwind(|| check_syntax(code))
        .unwrap_or_else(|_| Err("The code could not be checked; simplify it and try again".into()))
}

/// Lets a fixed number of callers in at once; the others wait their turn.
struct Gate {
    inside: Mutex<usize>,
    left: Condvar,
    limit: usize,
}

struct Turn<'g>(&'g Gate);

impl Gate {
    const fn new(limit: usize) -> Gate {
        Gate { inside: Mutex::new(0), left: Condvar::new(), limit }
    }

    fn enter(&self) -> Turn<'_> {
        let mut inside = self.inside.lock().unwrap_or_else(PoisonError::into_inner);
        while *inside >= self.limit {
            inside = self.left.wait(inside).unwrap_or_else(PoisonError::into_inner);
        }
        *inside += 1;
        Turn(self)
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        *self.0.inside.lock().unwrap_or_else(PoisonError::into_inner) -= 1;
        self.0.left.notify_one();
    }
}

/// The deepest run of open brackets, a cheap over-estimate (brackets in strings count too).
fn nesting_depth(code: &str) -> usize {
    let mut depth: usize = 0;
    let mut deepest = 0;
    for c in code.chars() {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

fn check_syntax(code: &str) -> Result<(), String> {
    let scope = Scope::new_global();
    let mut interner = Interner::default();
    match Parser::new(Source::from_bytes(code)).parse_script(&scope, &mut interner) {
        Ok(script) => {
            let mut finder = FindRequire { interner: &interner };
            if script.visit_with(&mut finder).is_break() {
                return Err(NO_MODULES.into());
            }
            Ok(())
        }
        Err(error) => {
            // Import and export parse only as a module: say why rather than "unexpected token".
            let mut interner = Interner::default();
            if Parser::new(Source::from_bytes(code)).parse_module(&scope, &mut interner).is_ok() {
                return Err(NO_MODULES.into());
            }
            let message = error.to_string();
            Err(match message.as_str() {
                "abrupt end" => format!("Syntax error: the code ends too early (line {})", code.lines().count().max(1)),
                _ => format!("Syntax error: {message}"),
            })
        }
    }
}

const NO_MODULES: &str = "import, export and require() are not supported: libraries run as plain scripts on the \
    voice platform, and third-party modules will not work there";

/// Finds calls to `require(...)`.
struct FindRequire<'i> {
    interner: &'i Interner,
}

impl<'ast> Visitor<'ast> for FindRequire<'_> {
    type BreakTy = ();

    fn visit_call(&mut self, node: &'ast Call) -> ControlFlow<()> {
        if let Expression::Identifier(id) = node.function() {
            if self.interner.resolve_expect(id.sym()).to_string() == "require" {
                return ControlFlow::Break(());
            }
        }
        node.visit_with(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_script_code_passes() {
        assert!(JsCode::parse("function add(a, b) { return a + b; }\nvar greeting = 'require(x)';").is_ok());
    }

    #[test]
    fn syntax_errors_name_their_line_and_column() {
        let errors = JsCode::parse("function f(a) {\n  return (\n}").unwrap_err();
        assert!(errors[0].contains("line 3, col 1"), "{errors:?}");
        assert!(JsCode::parse("function f(").unwrap_err()[0].contains("ends too early"));
    }

    #[test]
    fn modules_are_refused_with_the_reason() {
        for code in ["import x from 'lodash';", "export function f() {}", "var fs = require('fs');"] {
            assert!(JsCode::parse(code).unwrap_err()[0].contains("not supported"), "{code}");
        }
    }

    #[test]
    fn the_limit_counts_characters_not_bytes() {
        let at_limit = format!("var s = '{}';", "é".repeat(16384 - 11));
        assert_eq!(at_limit.chars().count(), 16384);
        assert!(JsCode::parse(&at_limit).is_ok());
        let over = format!("var s = '{}';", "é".repeat(16384 - 10));
        assert!(JsCode::parse(&over).unwrap_err()[0].contains("16384"));
    }

    /// Chains the nesting estimates cannot see (each bracket closes before the next opens, or a comma
    /// starts over) still build trees thousands of levels deep: at full length they are answered, not a
    /// stack overflow on the caller's thread (a test thread has the blocking pool's 2 MiB).
    #[test]
    fn long_chains_the_estimates_miss_are_answered_not_a_crash() {
        let fill = |unit: &str| format!("var x = a{};", unit.repeat((16384 - 12) / unit.len()));
        for code in [fill("()"), fill("[0]"), fill(",a"), fill(".b"), fill("``")] {
            assert!(code.chars().count() <= 16384);
            let parsed = std::thread::Builder::new()
                .stack_size(2 * 1024 * 1024)
                .spawn(move || JsCode::parse(&code).map(|_| ()))
                .unwrap()
                .join()
                .unwrap();
            assert!(parsed.is_ok() || !parsed.unwrap_err().is_empty());
        }
    }

    #[test]
    fn hostile_nesting_is_refused_without_crashing() {
        assert!(JsCode::parse(&"(".repeat(10_000)).is_err());
        let deep_but_allowed = format!("var x = {}1{};", "(".repeat(200), ")".repeat(200));
        assert!(JsCode::parse(&deep_but_allowed).is_ok());
    }
}
