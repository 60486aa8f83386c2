//! User-Agent strings in words ("Chrome 131 on Windows 10"), parsed by woothee (Project Woothee's
//! maintained rules), for sessions, remembered devices and the security log.

use std::sync::LazyLock;
use woothee::parser::Parser;

static PARSER: LazyLock<Parser> = LazyLock::new(Parser::new);

/// The browser and system of `user_agent` in words; a program (`curl/8.5.0`) by its own name.
pub fn describe(user_agent: &str) -> String {
    let user_agent = user_agent.trim();
    if user_agent.is_empty() {
        return "Unknown browser".into();
    }
    // Browsers only: woothee files programs such as curl as crawlers ("HTTP Library").
    let parsed = PARSER
        .parse(user_agent)
        .filter(|p| p.name != "UNKNOWN" && matches!(p.category, "pc" | "smartphone" | "mobilephone" | "appliance"));
    let Some(parsed) = parsed else {
        // Scripts and tools name themselves first: `curl/8.5.0`, `python-requests/2.31`.
        return user_agent.split_whitespace().next().unwrap_or(user_agent).chars().take(40).collect();
    };
    let major = parsed.version.split('.').next().filter(|v| !v.is_empty() && *v != "UNKNOWN");
    let browser = match major {
        Some(major) => format!("{} {major}", parsed.name),
        None => parsed.name.to_string(),
    };
    let os = match parsed.os {
        "UNKNOWN" => return browser,
        "Mac OSX" => "macOS",
        os => os,
    };
    format!("{browser} on {os}")
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn browsers_and_systems_are_named() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                      Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(describe(chrome), "Chrome 131 on Windows 10");
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(describe(firefox), "Firefox 133 on Linux");
        let safari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) \
                      Version/18.1 Safari/605.1.15";
        assert_eq!(describe(safari), "Safari 18 on macOS");
    }

    #[test]
    fn programs_and_nothing_are_named_plainly() {
        assert_eq!(describe("curl/8.5.0"), "curl/8.5.0");
        assert_eq!(describe(""), "Unknown browser");
    }
}
