//! Host names a certificate is bound to: `api.example.com`, `*.example.com`, `bücher.example`.

use std::fmt;

const HOST_MAX_CHARS: usize = 253;
const LABEL_MAX_CHARS: usize = 63;

/// A host name in its ASCII (punycode) form, lower-case, possibly with a leading `*.` wildcard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertDomain(String);

impl CertDomain {
    pub fn parse(input: &str) -> Result<Self, String> {
        let input = input.trim().trim_end_matches('.');
        if input.is_empty() {
            return Err("Enter the domain the certificate is for, e.g. api.example.com".into());
        }
        if input.parse::<std::net::IpAddr>().is_ok() {
            return Err("Enter a host name, not an IP address".into());
        }
        let (wildcard, rest) = match input.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, input),
        };
        // UTS #46 mapping turns internationalised names into their punycode form.
        let ascii = idna::domain_to_ascii(rest).map_err(|_| format!("\"{input}\" is not a valid host name"))?;
        let labels_ok = ascii.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= LABEL_MAX_CHARS
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        if !labels_ok || ascii.len() > HOST_MAX_CHARS {
            return Err(format!(
                "\"{input}\" is not a valid host name: use letters, digits and hyphens between dots (a leading *. is allowed)"
            ));
        }
        if wildcard && !ascii.contains('.') {
            return Err("A wildcard must cover a domain with at least two labels, e.g. *.example.com".into());
        }
        Ok(CertDomain(if wildcard { format!("*.{ascii}") } else { ascii }))
    }

    /// Read back from the database, where only parsed values are stored.
    pub fn from_stored(stored: String) -> Self {
        CertDomain(stored)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name without a wildcard's `*.`: where a test connects by default.
    pub fn base(&self) -> &str {
        self.0.trim_start_matches("*.")
    }

    /// A wildcard covers exactly one label, as in TLS: `*.example.com` covers `a.example.com`, not
    /// `example.com` or `a.b.example.com`.
    pub fn covers(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        match self.0.strip_prefix("*.") {
            Some(parent) => host.split_once('.').is_some_and(|(first, rest)| !first.is_empty() && rest == parent),
            None => host == self.0,
        }
    }
}

impl fmt::Display for CertDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_wildcard_and_international_names_are_accepted_in_ascii_form() {
        assert_eq!(CertDomain::parse("API.Example.com.").unwrap().as_str(), "api.example.com");
        assert_eq!(CertDomain::parse("*.example.com").unwrap().as_str(), "*.example.com");
        assert_eq!(CertDomain::parse("bücher.example").unwrap().as_str(), "xn--bcher-kva.example");
        assert_eq!(CertDomain::parse("localhost").unwrap().as_str(), "localhost");
    }

    #[test]
    fn bad_names_are_refused() {
        for bad in
            ["", "exa mple.com", "-a.example.com", "a..b", "*.com", "a.*.example.com", "127.0.0.1", "::1", "a_b.com"]
        {
            assert!(CertDomain::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(CertDomain::parse(&format!("{}.com", "a".repeat(64))).is_err(), "a label over 63");
    }

    #[test]
    fn a_wildcard_covers_one_label_only() {
        let wildcard = CertDomain::parse("*.example.com").unwrap();
        assert!(wildcard.covers("api.example.com"));
        assert!(wildcard.covers("API.example.com."));
        assert!(!wildcard.covers("example.com"));
        assert!(!wildcard.covers("a.b.example.com"));
        assert!(CertDomain::parse("api.example.com").unwrap().covers("api.example.com"));
        assert!(!CertDomain::parse("api.example.com").unwrap().covers("www.example.com"));
    }
}
