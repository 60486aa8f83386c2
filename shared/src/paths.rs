//! Every API path, once. The server routes each handler at the path its OpenAPI annotation names
//! from here, and the dashboard and `keydesk-cli` call the same constants, so a path cannot drift
//! between them. `{id}` marks the one path parameter; [`with_id`] fills it in.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

pub const HEALTHZ: &str = "/healthz";
/// The common-passwords list the password policy refuses, for the dashboard's live checklist.
pub const COMMON_PASSWORDS: &str = "/common-passwords.txt";
/// The original form-urlencoded endpoint, 15 requests per 15 minutes.
pub const API_AUTH: &str = "/api/auth";
pub const OPENAPI: &str = "/api/openapi.json";

pub const ACCOUNTS: &str = "/api/v1/accounts";
pub const EMAIL_VERIFICATION: &str = "/api/v1/email-verification";
pub const PASSWORD_RESET: &str = "/api/v1/password-reset";
/// Spends an emailed link to set a password.
pub const PASSWORD: &str = "/api/v1/password";

pub const SESSION: &str = "/api/v1/session";
pub const SESSION_TWO_FACTOR: &str = "/api/v1/session/two-factor";
pub const SESSION_TWO_FACTOR_RESEND: &str = "/api/v1/session/two-factor/resend";
pub const SESSION_TWO_FACTOR_PASSKEY_OPTIONS: &str = "/api/v1/session/two-factor/passkey-options";
pub const SESSION_TWO_FACTOR_PASSKEY: &str = "/api/v1/session/two-factor/passkey";
pub const SESSION_PASSKEY_OPTIONS: &str = "/api/v1/session/passkey-options";
pub const SESSION_PASSKEY: &str = "/api/v1/session/passkey";

pub const ME: &str = "/api/v1/me";
pub const MY_PASSWORD: &str = "/api/v1/me/password";
pub const MY_EMAIL_VERIFICATION: &str = "/api/v1/me/email-verification";
pub const MY_TWO_FACTOR: &str = "/api/v1/me/two-factor";
pub const MY_TWO_FACTOR_VERIFY: &str = "/api/v1/me/two-factor/verify";
pub const MY_TWO_FACTOR_CONFIRMATION_CODE: &str = "/api/v1/me/two-factor/confirmation-code";
pub const MY_TWO_FACTOR_RECOVERY_CODES: &str = "/api/v1/me/two-factor/recovery-codes";
pub const MY_PASSKEYS: &str = "/api/v1/me/passkeys";
pub const MY_PASSKEY_REGISTRATION: &str = "/api/v1/me/passkeys/registration";
pub const MY_PASSKEY: &str = "/api/v1/me/passkeys/{id}";
pub const MY_SESSIONS: &str = "/api/v1/me/sessions";
pub const MY_SESSION: &str = "/api/v1/me/sessions/{id}";
pub const MY_DEVICES: &str = "/api/v1/me/devices";
pub const MY_DEVICE: &str = "/api/v1/me/devices/{id}";
pub const MY_SECURITY_EVENTS: &str = "/api/v1/me/security-events";
pub const MY_DEVELOPER_KEY: &str = "/api/v1/me/developer-key";
pub const MY_DEVELOPER_KEY_REVEAL: &str = "/api/v1/me/developer-key/reveal";
pub const MY_TOKENS: &str = "/api/v1/me/tokens";
pub const MY_TOKEN: &str = "/api/v1/me/tokens/{id}";
pub const MY_API_CREDENTIALS: &str = "/api/v1/me/api-credentials";
pub const MY_API_CREDENTIAL: &str = "/api/v1/me/api-credentials/{id}";

pub const ACCOUNT: &str = "/api/v1/account";
pub const TOKEN_POLICY: &str = "/api/v1/account/token-policy";
pub const USERS: &str = "/api/v1/users";
pub const USER: &str = "/api/v1/users/{id}";
pub const USER_PASSWORD_RESET: &str = "/api/v1/users/{id}/password-reset";
pub const USER_SESSIONS: &str = "/api/v1/users/{id}/sessions";
pub const TOKENS: &str = "/api/v1/tokens";
pub const TOKEN: &str = "/api/v1/tokens/{id}";
pub const SECURITY_EVENTS: &str = "/api/v1/security-events";

pub const APPLICATIONS: &str = "/api/v1/applications";
pub const APPLICATION: &str = "/api/v1/applications/{id}";
pub const DEPLOYMENTS: &str = "/api/v1/deployments";
pub const DEPLOYMENT: &str = "/api/v1/deployments/{id}";
pub const JS_LIBRARIES: &str = "/api/v1/js-libraries";
pub const JS_LIBRARY: &str = "/api/v1/js-libraries/{id}";
pub const CERTIFICATES: &str = "/api/v1/certificates";
pub const CERTIFICATE: &str = "/api/v1/certificates/{id}";
pub const CERTIFICATE_TEST: &str = "/api/v1/certificates/{id}/test";
pub const REST_REQUESTS: &str = "/api/v1/rest-requests";
pub const INTEGRATIONS: &str = "/api/v1/integrations";
pub const INTEGRATION: &str = "/api/v1/integrations/{id}";
pub const OAUTH_TOKENS: &str = "/api/v1/oauth-tokens";
pub const OAUTH_TOKEN: &str = "/api/v1/oauth-tokens/{id}";
/// Where Stripe sends the browser back after its authorization page.
pub const STRIPE_CALLBACK: &str = "/api/v1/oauth/stripe/callback";

/// For the operator (`Authorization: Bearer KEYDESK_OPERATOR_TOKEN`).
pub const OPERATOR_ACCOUNT_STRIPE: &str = "/api/operator/accounts/{id}/stripe";

/// Everything but the unreserved characters of RFC 3986 is encoded in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `path` with its `{id}` replaced by `id`, encoded as one path segment.
pub fn with_id(path: &str, id: &str) -> String {
    path.replacen("{id}", &utf8_percent_encode(id, SEGMENT).to_string(), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_fills_its_segment_and_cannot_leave_it() {
        assert_eq!(with_id(USER, "6f1c-2a"), "/api/v1/users/6f1c-2a");
        assert_eq!(with_id(CERTIFICATE_TEST, "c1"), "/api/v1/certificates/c1/test");
        assert_eq!(with_id(USER, "../me?x=1#"), "/api/v1/users/..%2Fme%3Fx%3D1%23");
    }
}
