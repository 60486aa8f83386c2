//! The error body every failing API response carries.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Field name to the problems found with it.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// `{"error": ..., "code": ..., "fields": {...}}` as in the API contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// A sentence a person can act on.
    pub error: String,
    /// A stable snake_case machine code.
    pub code: String,
    /// Present only for validation errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<FieldErrors>,
}

impl ErrorBody {
    /// The problems reported for one field, empty when there are none.
    pub fn field(&self, name: &str) -> &[String] {
        self.fields.as_ref().and_then(|f| f.get(name)).map(Vec::as_slice).unwrap_or_default()
    }
}
