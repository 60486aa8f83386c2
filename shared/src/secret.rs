//! `Secret`: a string that must never reach a log. It travels as a plain JSON string, and its
//! `Debug` prints `***`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

/// For storing it (diesel's `serialize_as`): the value leaves the wrapper only to be written.
impl From<Secret> for String {
    fn from(value: Secret) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v1::*;

    #[test]
    fn no_request_or_answer_prints_the_secrets_it_carries() {
        let s = || Secret::new("hunter2-secret");
        let printed = [
            format!("{:?}", SignInRequest { email: "a@example.com".into(), password: s() }),
            format!("{:?}", SetPasswordRequest { token: s(), new_password: s(), new_password_confirmation: s() }),
            format!(
                "{:?}",
                ChangePasswordRequest {
                    current_password: s(),
                    new_password: s(),
                    new_password_confirmation: s(),
                    end_other_sessions: true
                }
            ),
            format!("{:?}", ApiAuthResponse { login: "l".into(), password: s() }),
            format!("{:?}", TwoFactorSignInRequest { challenge: s(), code: Some(s()), recovery_code: Some(s()) }),
            format!("{:?}", AuthenticatorSetup { secret: s(), otpauth_uri: s(), qr_svg: s() }),
            format!("{:?}", RecoveryCodesResponse { recovery_codes: vec![s(), s()] }),
            format!("{:?}", VerifyEmailRequest { token: s() }),
            format!(
                "{:?}",
                SignInResponse {
                    two_factor_required: true,
                    csrf_token: Some(s()),
                    user: None,
                    challenge: Some(s()),
                    method: None,
                    destination_hint: None,
                    passkey: false,
                }
            ),
            format!("{:?}", ChallengeRequest { challenge: s() }),
            format!(
                "{:?}",
                PasskeySignInRequest {
                    ceremony: "c".into(),
                    credential: serde_json::Value::Null,
                    challenge: Some(s())
                }
            ),
            format!("{:?}", VerifyCodeRequest { code: s() }),
            format!("{:?}", CertificateRequest { domain: "api.example.com".into(), pem: s() }),
            format!(
                "{:?}",
                IntegrationRequest {
                    name: "backups".into(),
                    kind: IntegrationType::AwsS3,
                    config: [("secret_access_key".to_string(), s())].into(),
                }
            ),
        ];
        for text in printed {
            assert!(!text.contains("hunter2"), "{text}");
        }
    }

    #[test]
    fn debug_hides_it_and_json_carries_it_plainly() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "***");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"hunter2\"");
        assert_eq!(serde_json::from_str::<Secret>("\"hunter2\"").unwrap().expose(), "hunter2");
    }
}
