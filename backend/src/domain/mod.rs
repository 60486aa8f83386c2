//! Validated input types: handlers parse request fields into these before
//! touching the database, so invalid data cannot travel further.

mod client_certificate;
mod email;
mod host;
mod js_code;
mod js_nesting;
mod name;
mod password;

pub use client_certificate::{ClientCertificate, PemProblem, PEM_MAX_BYTES};
pub use email::Email;
pub use host::CertDomain;
pub use js_code::JsCode;
pub use name::{AccountName, PersonName};
pub use password::{NewPassword, Password};

use shared::FieldErrors;

/// Collects the problems of several fields so one 422 can name them all.
#[derive(Default)]
pub struct FieldCheck {
    errors: FieldErrors,
}

impl FieldCheck {
    /// Keeps the value, or notes the problem under `field`.
    pub fn take<T>(&mut self, field: &str, parsed: Result<T, Vec<String>>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(problems) => {
                problems.into_iter().for_each(|p| self.note(field, p));
                None
            }
        }
    }

    /// Notes one problem with `field`.
    pub fn note(&mut self, field: &str, problem: impl Into<String>) {
        self.errors.entry(field.to_string()).or_default().push(problem.into());
    }

    /// `Ok` when no field had a problem.
    pub fn finish(self) -> Result<(), Invalid> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.into_error())
        }
    }

    /// The problems of every field noted so far.
    pub fn into_error(self) -> Invalid {
        Invalid(self.errors)
    }
}

/// Fields that break the rules, by name (the API answers them as one 422).
#[derive(Debug)]
pub struct Invalid(pub FieldErrors);
