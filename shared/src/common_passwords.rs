//! The most common passwords, refused whatever else they satisfy (ASVS 6.2.4).
//! The list is Django's 20,000 common passwords (see `data/README.md`), decoded and lowercased;
//! the check ignores case, so `P@ssw0rd` is as common as `p@ssw0rd`.

use std::collections::HashSet;

/// The bundled list, one lowercase password a line. The dashboard does not embed it (it would
/// add a third to the download): it fetches this same text from `/common-passwords.txt`.
#[cfg(feature = "common-passwords")]
pub const LIST: &str = include_str!("../data/common-passwords.txt");

/// A set of common passwords to check new ones against.
#[derive(Debug, Clone, Default)]
pub struct CommonPasswords(HashSet<String>);

impl CommonPasswords {
    /// One password a line; blank lines are skipped.
    pub fn parse(text: &str) -> CommonPasswords {
        CommonPasswords(text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_lowercase).collect())
    }

    pub fn contains(&self, password: &str) -> bool {
        self.0.contains(&password.to_lowercase())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The bundled list, parsed once.
#[cfg(feature = "common-passwords")]
pub fn bundled() -> &'static CommonPasswords {
    static SET: std::sync::OnceLock<CommonPasswords> = std::sync::OnceLock::new();
    SET.get_or_init(|| CommonPasswords::parse(LIST))
}

#[cfg(all(test, feature = "common-passwords"))]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_holds_at_least_the_top_ten_thousand() {
        assert!(bundled().len() >= 10_000, "{} entries", bundled().len());
    }

    #[test]
    fn common_passwords_that_meet_the_seed_rules_are_found_in_any_case() {
        for password in ["p@ssw0rd", "P@SSW0RD", "P@ssw0rd"] {
            assert!(bundled().contains(password), "{password}");
        }
        assert!(!bundled().contains("Correct-Horse-9-Battery"));
    }
}
