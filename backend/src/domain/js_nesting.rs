//! How deep parsing a JS library's code would recurse, estimated from its tokens before boa runs.
//!
//! boa's parser recurses once per nested construct, and so do the walks over what it builds: an
//! assignment's right side, each `!`, `-` or `typeof`, each `?:` branch, arrow body, `if`, `else`,
//! label, `new`, and each operator of a chain. Code that stacks 16384 of those without a single
//! bracket overflows any reasonable stack, so the estimate counts them as they stack up: per open
//! bracket, the operators and nesting keywords since its last `;`, `,` or line break that ends a
//! statement, plus the brackets open. Strings, comments, templates and regular expressions hold none.

/// The estimate beyond which code is refused. Real libraries stay far below it.
pub const MAX_DEPTH: usize = 1000;

/// Operators of two or more characters, longest first; any other punctuation is one character.
const OPERATORS: [&str; 33] = [
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=", "<=", ">=", "&&",
    "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>",
];

/// Keywords that open a construct nested in the one they are in.
const NESTING_KEYWORDS: [&str; 16] = [
    "if",
    "else",
    "while",
    "for",
    "with",
    "do",
    "new",
    "typeof",
    "void",
    "delete",
    "await",
    "yield",
    "in",
    "instanceof",
    "async",
    "case",
];

/// Words that end an expression as an identifier does.
const VALUE_KEYWORDS: [&str; 5] = ["this", "super", "null", "true", "false"];

/// What the previous token was, as far as the next one cares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    Start,
    /// An identifier, literal or closing bracket: an expression may end here.
    Value,
    /// The `)` of `if (...)`, `while (...)`, `for (...)` or `with (...)`: a statement follows.
    KeywordParen,
    /// Any other punctuation or keyword: an expression or statement continues.
    Other,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Bracket {
    Round {
        after_keyword: bool,
    },
    Square,
    Curly,
    /// `${` in a template literal: its `}` returns to the template's text.
    Substitution,
}

struct Level {
    bracket: Bracket,
    count: usize,
}

/// The estimate: the most constructs open at once anywhere in `code`.
pub fn depth(code: &str) -> usize {
    let chars: Vec<char> = code.chars().collect();
    let mut scan = Scanner { chars: &chars, at: 0, levels: vec![Level { bracket: Bracket::Curly, count: 0 }], open: 0 };
    scan.run()
}

struct Scanner<'c> {
    chars: &'c [char],
    at: usize,
    levels: Vec<Level>,
    /// Brackets open beyond the outermost level plus every level's count.
    open: usize,
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '$' | '\\') || !c.is_ascii()
}

impl Scanner<'_> {
    fn peek(&self, offset: usize) -> Option<char> {
        self.chars.get(self.at + offset).copied()
    }

    fn starts_with(&self, text: &str) -> bool {
        text.chars().enumerate().all(|(i, c)| self.peek(i) == Some(c))
    }

    fn count(&mut self) {
        if let Some(level) = self.levels.last_mut() {
            level.count += 1;
            self.open += 1;
        }
    }

    fn reset(&mut self) {
        if let Some(level) = self.levels.last_mut() {
            self.open -= level.count;
            level.count = 0;
        }
    }

    fn push(&mut self, bracket: Bracket) {
        self.levels.push(Level { bracket, count: 0 });
        self.open += 1;
    }

    /// Closes the innermost bracket; the outermost level never closes.
    fn pop(&mut self) -> Option<Bracket> {
        if self.levels.len() < 2 {
            return None;
        }
        let level = self.levels.pop()?;
        self.open -= 1 + level.count;
        Some(level.bracket)
    }

    fn run(&mut self) -> usize {
        let (mut deepest, mut prev, mut line_break, mut after_semicolon) = (0, Prev::Start, false, false);
        while let Some(c) = self.peek(0) {
            let starts_token = !c.is_whitespace() && !self.starts_with("//") && !self.starts_with("/*");
            if starts_token {
                // A statement ends at `;` and, by automatic semicolon insertion, at a line break after
                // a complete expression when a word or literal follows (not an operator); not when an
                // `else` (or `catch`, ...) follows, which continues the statement.
                let asi = line_break && prev == Prev::Value && (is_word_char(c) || matches!(c, '\'' | '"'));
                let continues =
                    matches!(self.word_at(self.at).as_str(), "else" | "catch" | "finally" | "in" | "instanceof" | "of");
                if (after_semicolon || asi) && !continues {
                    self.reset();
                }
                line_break = false;
                after_semicolon = false;
            }
            prev = match c {
                _ if is_line_break(c) => {
                    line_break = true;
                    self.at += 1;
                    prev
                }
                _ if c.is_whitespace() => {
                    self.at += 1;
                    prev
                }
                '/' if self.starts_with("//") => {
                    while self.peek(0).is_some_and(|c| !is_line_break(c)) {
                        self.at += 1;
                    }
                    prev
                }
                '/' if self.starts_with("/*") => {
                    self.at += 2;
                    while self.peek(0).is_some() && !self.starts_with("*/") {
                        line_break |= self.peek(0).is_some_and(is_line_break);
                        self.at += 1;
                    }
                    self.at += 2;
                    prev
                }
                '/' if prev != Prev::Value => {
                    self.skip_regex();
                    Prev::Value
                }
                '\'' | '"' => {
                    self.skip_string(c);
                    Prev::Value
                }
                '`' => {
                    self.at += 1;
                    self.template_text()
                }
                _ if c.is_ascii_digit() || (c == '.' && self.peek(1).is_some_and(|d| d.is_ascii_digit())) => {
                    while self.peek(0).is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '_') {
                        self.at += 1;
                    }
                    Prev::Value
                }
                _ if is_word_char(c) => {
                    let word = self.word_at(self.at);
                    self.at += word.chars().count().max(1);
                    if NESTING_KEYWORDS.contains(&word.as_str()) {
                        self.count();
                        Prev::Other
                    } else if VALUE_KEYWORDS.contains(&word.as_str()) || !is_reserved(&word) {
                        Prev::Value
                    } else {
                        Prev::Other
                    }
                }
                '(' | '[' | '{' => {
                    let bracket = match c {
                        '(' => Bracket::Round { after_keyword: self.after_statement_keyword() },
                        '[' => Bracket::Square,
                        _ => Bracket::Curly,
                    };
                    self.push(bracket);
                    self.at += 1;
                    Prev::Other
                }
                ')' | ']' | '}' => {
                    self.at += 1;
                    match self.pop() {
                        Some(Bracket::Substitution) => self.template_text(),
                        Some(Bracket::Round { after_keyword: true }) => Prev::KeywordParen,
                        _ => Prev::Value,
                    }
                }
                ';' | ',' => {
                    self.at += 1;
                    after_semicolon = true;
                    Prev::Other
                }
                _ => {
                    let operator = OPERATORS.iter().find(|op| self.starts_with(op)).map_or(1, |op| op.len());
                    let postfix = prev == Prev::Value && (self.starts_with("++") || self.starts_with("--"));
                    self.at += operator;
                    self.count();
                    if postfix {
                        Prev::Value
                    } else {
                        Prev::Other
                    }
                }
            };
            deepest = deepest.max(self.open);
        }
        deepest
    }

    fn word_at(&self, from: usize) -> String {
        self.chars[from..].iter().take_while(|c| is_word_char(**c)).collect()
    }

    /// Whether the word just before the current position is `if`, `while`, `for` or `with`.
    fn after_statement_keyword(&self) -> bool {
        let before: String = self.chars[..self.at]
            .iter()
            .rev()
            .skip_while(|c| c.is_whitespace())
            .take_while(|c| is_word_char(**c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        matches!(before.as_str(), "if" | "while" | "for" | "with")
    }

    fn skip_string(&mut self, quote: char) {
        self.at += 1;
        while let Some(c) = self.peek(0) {
            self.at += 1;
            match c {
                '\\' => self.at += 1,
                _ if c == quote || is_line_break(c) => return,
                _ => {}
            }
        }
    }

    fn skip_regex(&mut self) {
        self.at += 1;
        let mut in_class = false;
        while let Some(c) = self.peek(0) {
            self.at += 1;
            match c {
                '\\' => self.at += 1,
                '[' => in_class = true,
                ']' => in_class = false,
                '/' if !in_class => break,
                _ if is_line_break(c) => return,
                _ => {}
            }
        }
        while self.peek(0).is_some_and(is_word_char) {
            self.at += 1;
        }
    }

    /// A template's text up to its end (a value) or to `${` (a new level).
    fn template_text(&mut self) -> Prev {
        while let Some(c) = self.peek(0) {
            match c {
                '\\' => self.at += 2,
                '`' => {
                    self.at += 1;
                    return Prev::Value;
                }
                '$' if self.peek(1) == Some('{') => {
                    self.at += 2;
                    self.push(Bracket::Substitution);
                    return Prev::Other;
                }
                _ => self.at += 1,
            }
        }
        Prev::Value
    }
}

/// Reserved words other than the value keywords: after one, an expression starts.
fn is_reserved(word: &str) -> bool {
    matches!(
        word,
        "break"
            | "case"
            | "catch"
            | "class"
            | "const"
            | "continue"
            | "debugger"
            | "default"
            | "delete"
            | "do"
            | "else"
            | "export"
            | "extends"
            | "finally"
            | "for"
            | "function"
            | "if"
            | "import"
            | "in"
            | "instanceof"
            | "let"
            | "new"
            | "return"
            | "static"
            | "switch"
            | "throw"
            | "try"
            | "typeof"
            | "var"
            | "void"
            | "while"
            | "with"
            | "yield"
            | "await"
            | "async"
            | "of"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(unit: &str, end: &str) -> String {
        format!("{}{end}", unit.repeat((16384 - end.len()) / unit.len()))
    }

    #[test]
    fn stacked_constructs_without_brackets_are_counted() {
        for (name, code) in [
            ("assignments", fill("a=", "a")),
            ("negations", fill("!", "a")),
            ("unary plus", fill("+", "a")),
            ("a + chain", fill("a+", "a")),
            ("typeof", fill("typeof ", "a")),
            ("conditionals", fill("a?a:", "a")),
            ("arrows", fill("a=>", "a")),
            ("new", fill("new ", "a")),
            ("ifs", fill("if(a)", ";")),
            ("ifs on lines", fill("if(a)\n", ";")),
            ("labels", fill("a:\n", ";")),
            ("elses", fill("if(a);else\n", ";")),
            ("elses in blocks", fill("if(a){}else ", ";")),
            ("member chain", fill("a.", "a")),
            ("assignments on lines", fill("a=\n", "a")),
        ] {
            assert!(depth(&code) > MAX_DEPTH, "{name}: {}", depth(&code));
        }
    }

    #[test]
    fn statements_lists_and_hidden_text_do_not_add_up() {
        let statements = "a = b + c * d;\n".repeat(1000);
        assert!(depth(&statements) < 10, "{}", depth(&statements));
        let no_semicolons = "let a = b + c\nfoo(a)\nx.y.z = 1\n".repeat(300);
        assert!(depth(&no_semicolons) < 10, "{}", depth(&no_semicolons));
        let object = format!("var o = {{{}}};", "k: 1 + 2,\n".repeat(1000));
        assert!(depth(&object) < 10, "{}", depth(&object));
        let text = format!(
            "var s = '{}'; var r = /{}/; var t = `{}`; // {}\n/* {} */",
            "!".repeat(2000),
            "=".repeat(2000),
            "+".repeat(2000),
            "-".repeat(2000),
            "?".repeat(2000)
        );
        assert!(depth(&text) < 10, "{}", depth(&text));
        assert_eq!(depth("var t = `a${ b + `c${ d }` }`;"), 4);
    }

    #[test]
    fn ordinary_code_stays_shallow() {
        let code =
            "function add(a, b) { return a + b; }\nvar x = a ? b : c;\nif (x) { y = !z; } else if (w) { v(); }\n\
            var total = items.filter(i => i.price > 0).map(i => i.price * i.qty).reduce((a, b) => a + b, 0);";
        assert!(depth(code) < 20, "{}", depth(code));
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_scanned_to_its_end(code in "[a-z0-9 \n;,(){}\\[\\]'\"`/*+=!?:.$\\\\-]{0,400}|\\PC{0,200}") {
            let _ = depth(&code);
        }
    }
}
