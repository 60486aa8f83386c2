//! What a stored one-time secret is for. Each is kept as a word in its table and read back into its
//! enum at the row boundary: a word no variant names is an error, never a default.

/// An enum stored as one snake_case word per variant, read back through [`shared::stored_as_text`].
macro_rules! stored_words {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $word:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($(#[$vdoc])* $variant),* }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),* }
            }

            pub fn parse(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)* _ => None }
            }
        }

        shared::stored_as_text!($name);
    };
}

stored_words! {
    /// What an emailed link is for (`password_tokens.purpose`); a link of one purpose never does
    /// another's work (a verification link sets no password).
    LinkPurpose {
        Invite => "invite",
        Reset => "reset",
        VerifyEmail => "verify_email",
    }
}

stored_words! {
    /// What a two-factor code is for (`two_factor_codes.purpose`).
    CodePurpose {
        Setup => "setup",
        SignIn => "sign_in",
        /// Confirms a sensitive change (two-factor authentication off or changed, a new email).
        Confirm => "confirm",
    }
}

stored_words! {
    /// What a WebAuthn ceremony is for (`webauthn_ceremonies.purpose`); one kind cannot finish another.
    CeremonyPurpose {
        Register => "register",
        SecondFactor => "second_factor",
        SignIn => "sign_in",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_reads_back_and_an_unknown_one_is_an_error() {
        for purpose in [LinkPurpose::Invite, LinkPurpose::Reset, LinkPurpose::VerifyEmail] {
            assert_eq!(LinkPurpose::try_from(String::from(purpose)), Ok(purpose));
        }
        assert_eq!(CodePurpose::try_from("sign_in".to_string()), Ok(CodePurpose::SignIn));
        assert_eq!(CeremonyPurpose::try_from("register".to_string()), Ok(CeremonyPurpose::Register));
        let unknown = LinkPurpose::try_from("set_password".to_string()).unwrap_err();
        assert_eq!(unknown.to_string(), "\"set_password\" is not a known LinkPurpose");
        assert!(CodePurpose::try_from("".to_string()).is_err());
    }
}
