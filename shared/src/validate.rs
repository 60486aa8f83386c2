//! The rules both sides apply: the password policy and the field limits.
//! The SPA shows these verdicts as the user types; the API enforces them.

use crate::common_passwords::CommonPasswords;

/// Characters that satisfy the "special character" rule, exactly as the spec lists them.
pub const PASSWORD_SPECIALS: &str = "$&+,:;=?@#|'<>.^*(){}%!-";
pub const PASSWORD_MIN_CHARS: usize = 7;
pub const PASSWORD_MAX_CHARS: usize = 256;
pub const NAME_MAX_CHARS: usize = 100;
pub const ACCOUNT_NAME_MAX_CHARS: usize = 100;
pub const EMAIL_MAX_CHARS: usize = 254;
/// A JS library's code, in characters (not bytes), as the platform allows.
pub const JS_CODE_MAX_CHARS: usize = 16384;
pub const DESCRIPTION_MAX_CHARS: usize = 1000;
/// A local part shorter than this is too common a string to forbid in passwords.
const EMAIL_NAME_MIN_CHARS_TO_FORBID: usize = 3;

/// One requirement of the password policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordRule {
    MinLength,
    Letter,
    Number,
    Special,
    MaxLength,
}

impl PasswordRule {
    pub const ALL: [PasswordRule; 5] = [
        PasswordRule::MinLength,
        PasswordRule::Letter,
        PasswordRule::Number,
        PasswordRule::Special,
        PasswordRule::MaxLength,
    ];

    /// The requirement as the Reset Password section lists it.
    pub fn description(self) -> String {
        match self {
            PasswordRule::MinLength => format!("A minimum of {PASSWORD_MIN_CHARS} characters"),
            PasswordRule::Letter => "At least 1 letter".into(),
            PasswordRule::Number => "At least 1 number".into(),
            PasswordRule::Special => format!("At least 1 of these special characters: {PASSWORD_SPECIALS}"),
            PasswordRule::MaxLength => format!("At most {PASSWORD_MAX_CHARS} characters"),
        }
    }

    pub fn is_met(self, password: &str) -> bool {
        match self {
            PasswordRule::MinLength => password.chars().count() >= PASSWORD_MIN_CHARS,
            PasswordRule::Letter => password.chars().any(char::is_alphabetic),
            PasswordRule::Number => password.chars().any(|c| c.is_ascii_digit()),
            PasswordRule::Special => password.chars().any(|c| PASSWORD_SPECIALS.contains(c)),
            PasswordRule::MaxLength => password.chars().count() <= PASSWORD_MAX_CHARS,
        }
    }
}

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    Rule(PasswordRule),
    SameAsCurrent,
    ContainsEmailName,
    ConfirmationMismatch,
    Common,
}

impl PasswordProblem {
    pub fn message(self) -> String {
        match self {
            PasswordProblem::Rule(rule) => format!("Needs: {}", rule.description().to_lowercase()),
            PasswordProblem::SameAsCurrent => "Must differ from the current password".into(),
            PasswordProblem::ContainsEmailName => "Must not contain the name part of your email address".into(),
            PasswordProblem::ConfirmationMismatch => "The two new passwords do not match".into(),
            PasswordProblem::Common => "Is one of the most common passwords: choose one that is harder to guess".into(),
        }
    }
}

/// Every policy rule the password fails, in the spec's order.
pub fn unmet_password_rules(password: &str) -> Vec<PasswordRule> {
    PasswordRule::ALL.into_iter().filter(|r| !r.is_met(password)).collect()
}

/// All problems with a new password for the user with `email`; `current` is
/// the (already verified) current password when the user is changing it.
pub fn check_new_password(
    new: &str,
    current: Option<&str>,
    email: &str,
    common: &CommonPasswords,
) -> Vec<PasswordProblem> {
    let mut problems: Vec<_> = unmet_password_rules(new).into_iter().map(PasswordProblem::Rule).collect();
    if common.contains(new) {
        problems.push(PasswordProblem::Common);
    }
    if current == Some(new) {
        problems.push(PasswordProblem::SameAsCurrent);
    }
    if contains_email_name(new, email) {
        problems.push(PasswordProblem::ContainsEmailName);
    }
    problems
}

/// Whether the password holds the name part of the email address (case ignored), when that part is
/// long enough to be worth forbidding.
pub fn contains_email_name(password: &str, email: &str) -> bool {
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    local.chars().count() >= EMAIL_NAME_MIN_CHARS_TO_FORBID && password.to_lowercase().contains(&local)
}

/// A person's or an account's display name: trimmed, non-empty, no control characters.
pub fn parse_name(raw: &str, max_chars: usize) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("Enter a name".into());
    }
    if name.chars().count() > max_chars {
        return Err(format!("Use at most {max_chars} characters"));
    }
    if name.chars().any(char::is_control) {
        return Err("Remove control characters such as line breaks".into());
    }
    Ok(name.to_string())
}

/// A free-text description: trimmed, may be empty.
pub fn parse_description(raw: &str) -> Result<String, String> {
    let text = raw.trim();
    if text.chars().count() > DESCRIPTION_MAX_CHARS {
        return Err(format!("Use at most {DESCRIPTION_MAX_CHARS} characters"));
    }
    Ok(text.to_string())
}

/// The length rule for library code; the syntax is checked by the server.
pub fn check_js_code_length(code: &str) -> Result<(), String> {
    let chars = code.chars().count();
    if chars > JS_CODE_MAX_CHARS {
        return Err(format!("The code has {chars} characters; the limit is {JS_CODE_MAX_CHARS}"));
    }
    if code.trim().is_empty() {
        return Err("Enter the library's JavaScript".into());
    }
    Ok(())
}

/// The length limit alone, for forms that look an address up rather than store it (sign-in):
/// no address is longer (RFC 5321), so a longer one is refused before it is counted or stored.
pub fn check_email_length(raw: &str) -> Result<(), String> {
    match raw.trim().chars().count() > EMAIL_MAX_CHARS {
        true => Err(format!("Use at most {EMAIL_MAX_CHARS} characters")),
        false => Ok(()),
    }
}

/// An email address, trimmed. Deliberately permissive beyond the basic shape:
/// the only real proof of an address is mail arriving there.
pub fn parse_email(raw: &str) -> Result<String, String> {
    let email = raw.trim();
    if email.is_empty() {
        return Err("Enter an email address".into());
    }
    check_email_length(email)?;
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if valid {
        Ok(email.to_string())
    } else {
        Err("Enter an email address such as name@example.com".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_meeting_every_rule_passes() {
        assert!(unmet_password_rules("abc123!").is_empty());
    }

    #[test]
    fn each_missing_requirement_is_named() {
        assert_eq!(unmet_password_rules("abc12!"), vec![PasswordRule::MinLength]);
        assert_eq!(unmet_password_rules("1234567!"), vec![PasswordRule::Letter]);
        assert_eq!(unmet_password_rules("abcdefg!"), vec![PasswordRule::Number]);
        assert_eq!(unmet_password_rules("abcdefg1"), vec![PasswordRule::Special]);
        let long = format!("a1!{}", "x".repeat(PASSWORD_MAX_CHARS));
        assert_eq!(unmet_password_rules(&long), vec![PasswordRule::MaxLength]);
    }

    #[test]
    fn every_listed_special_character_counts() {
        for c in PASSWORD_SPECIALS.chars() {
            assert!(PasswordRule::Special.is_met(&format!("abc123{c}")), "{c}");
        }
        assert!(!PasswordRule::Special.is_met("abc123_~"));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(PasswordRule::MinLength.is_met("ééé1!xy"));
        assert!(!PasswordRule::MinLength.is_met("éé1!xy"));
    }

    #[test]
    fn new_password_may_not_repeat_the_current_one_or_the_email_name() {
        let p = check_new_password("Secret1!", Some("Secret1!"), "ann@example.com", &CommonPasswords::default());
        assert_eq!(p, vec![PasswordProblem::SameAsCurrent]);
        let p = check_new_password("xANNx1!y", None, "ann@example.com", &CommonPasswords::default());
        assert_eq!(p, vec![PasswordProblem::ContainsEmailName]);
        assert!(check_new_password("zz1!zzzz", None, "a@example.com", &CommonPasswords::default()).is_empty());
    }

    #[test]
    fn a_listed_password_is_refused_whatever_its_case() {
        let common = CommonPasswords::parse("p@ssw0rd\n");
        assert_eq!(check_new_password("P@SSW0RD", None, "ann@example.com", &common), vec![PasswordProblem::Common]);
        assert!(check_new_password("P@SSW0RD", None, "ann@example.com", &CommonPasswords::default()).is_empty());
    }

    #[test]
    fn names_are_trimmed_and_limited() {
        assert_eq!(parse_name("  Ann  ", 10), Ok("Ann".into()));
        assert!(parse_name("   ", 10).is_err());
        assert!(parse_name("abcdefghijk", 10).is_err());
        assert!(parse_name("a\nb", 10).is_err());
    }

    #[test]
    fn emails_need_the_basic_shape() {
        assert_eq!(parse_email(" ann@example.com "), Ok("ann@example.com".into()));
        for bad in ["", "ann", "@example.com", "ann@example", "ann@@example.com", "a nn@example.com", "ann@.com"] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails_longer_than_254_characters_are_refused() {
        let local = "a".repeat(EMAIL_MAX_CHARS - "@example.com".len());
        assert!(parse_email(&format!("{local}@example.com")).is_ok());
        assert!(parse_email(&format!("{local}a@example.com")).is_err());
        assert!(check_email_length(&format!("{local}a@example.com")).is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Any text at all gets a verdict, never a panic; and a verdict of "fine" means every rule holds.
            #[test]
            fn any_text_gets_a_consistent_verdict(password in any::<String>(), email in any::<String>()) {
                let problems = check_new_password(&password, None, &email, &CommonPasswords::default());
                let allowed_length = (PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&password.chars().count());
                if problems.is_empty() {
                    prop_assert!(allowed_length);
                    prop_assert!(PasswordRule::ALL.iter().all(|rule| rule.is_met(&password)));
                }
                if !allowed_length {
                    prop_assert!(!problems.is_empty());
                }
            }

            /// A letter, a digit and a listed special character, padded to any allowed length, always pass.
            #[test]
            fn every_password_built_to_the_rules_passes(
                letter in "[a-zA-Zéß]",
                digit in "[0-9]",
                special in prop::sample::select(PASSWORD_SPECIALS.chars().collect::<Vec<_>>()),
                padding in prop::collection::vec(any::<char>(), 4..PASSWORD_MAX_CHARS - 3),
            ) {
                let password: String = [letter, digit, special.to_string(), padding.into_iter().collect()].concat();
                prop_assert_eq!(unmet_password_rules(&password), Vec::<PasswordRule>::new());
            }
        }
    }
}
