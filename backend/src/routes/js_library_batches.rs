//! JS library writes in batches ([`crate::write_batches`]): additions to one account, changes to one
//! library. Each request in a batch is answered as if the batch's requests had come one after another.

use super::js_libraries::{library_response, name_taken, not_found, Library};
use crate::db::models::{JsLibraryRow, NewJsLibrary, NewSecurityEvent};
use crate::db::{self, applications, is_unique_violation, js_libraries};
use crate::error::{ApiError, ApiResult};
use crate::write_batches::WriteBatches;
use chrono::{NaiveDateTime, TimeDelta, Utc};
use shared::v1::JsLibraryResponse;
use uuid::Uuid;

/// New libraries of one account (its id), written in batches.
pub type Additions = WriteBatches<String, Addition, ApiResult<JsLibraryResponse>>;

/// Changes to one library (the account's id and the library's), written in batches.
pub type Changes = WriteBatches<(String, String), Change, ApiResult<JsLibraryResponse>>;

/// A checked library to add, and its log entry.
pub struct Addition {
    library: Library,
    event: NewSecurityEvent,
}

impl Addition {
    pub(super) fn new(library: Library, event: NewSecurityEvent) -> Self {
        Addition { library, event }
    }
}

/// A checked change, and its log entry.
pub struct Change {
    normalized: String,
    library: Library,
    event: NewSecurityEvent,
}

impl Change {
    pub(super) fn new(library: Library, event: NewSecurityEvent) -> Self {
        Change { normalized: library.name.to_lowercase(), library, event }
    }
}

/// The same refusal for each of `count` requests; the first keeps its cause (for the log).
fn all_refused(refused: ApiError, count: usize) -> Vec<ApiResult<JsLibraryResponse>> {
    let copies: Vec<_> = (1..count).map(|_| Err(refused.same_answer())).collect();
    std::iter::once(Err(refused)).chain(copies).collect()
}

/// Log entries of one batch, stamped `now` plus a microsecond each in arrival order, so that the log
/// (newest first) keeps their order.
fn stamped(events: impl Iterator<Item = NewSecurityEvent>, now: NaiveDateTime) -> Vec<NewSecurityEvent> {
    events
        .zip(0..)
        .map(|(event, i)| NewSecurityEvent { created_at: now + TimeDelta::microseconds(i), ..event })
        .collect()
}

/// Adds a batch of libraries to one account as one write. Should that fail on a name (taken, or given
/// twice in the batch), each is added alone instead, in arrival order, so that only those whose names
/// are taken are refused.
pub(super) async fn add(
    pool: db::DbPool,
    account_id: String,
    additions: Vec<Addition>,
) -> Vec<ApiResult<JsLibraryResponse>> {
    let count = additions.len();
    let written = db::run_with::<_, ApiError, _>(&pool, move |conn| {
        let now = Utc::now().naive_utc();
        let (rows, events): (Vec<_>, Vec<_>) = additions
            .into_iter()
            .map(|Addition { library, event }| {
                let row = NewJsLibrary {
                    id: Uuid::new_v4().to_string(),
                    account_id: account_id.clone(),
                    name_normalized: library.name.to_lowercase(),
                    name: library.name,
                    description: library.description,
                    code: library.code.into_string(),
                    created_at: now,
                    updated_at: now,
                };
                (row, event)
            })
            .unzip();
        let events = stamped(events.into_iter(), now);
        // A new library is used by no application yet.
        let added = |row: NewJsLibrary| Ok(library_response(row.into(), Vec::new()));
        Ok(match js_libraries::insert_logged(conn, &rows, &events) {
            Ok(()) => rows.into_iter().map(added).collect(),
            Err(e) if rows.len() > 1 && is_unique_violation(&e) => rows
                .into_iter()
                .zip(&events)
                .map(|(row, event)| {
                    js_libraries::insert_logged(conn, std::slice::from_ref(&row), std::slice::from_ref(event))
                        .map_err(name_taken)?;
                    added(row)
                })
                .collect(),
            Err(e) => all_refused(name_taken(e), rows.len()),
        })
    })
    .await;
    written.unwrap_or_else(|failed| all_refused(failed, count))
}

/// Writes a batch of changes to one library, in order. Consecutive changes to the same name are one
/// write: the last one's fields, and each one's log entry. Such changes stand or fall together (the
/// library is gone, or another library has that name), as they would one after another.
pub(super) async fn change(
    pool: db::DbPool,
    account_id: String,
    id: String,
    changes: Vec<Change>,
) -> Vec<ApiResult<JsLibraryResponse>> {
    let count = changes.len();
    let written = db::run_with::<_, ApiError, _>(&pool, move |conn| {
        let mut outcomes = Vec::new();
        let mut now = Utc::now().naive_utc();
        for same_name in changes.chunk_by(|a, b| a.normalized == b.normalized) {
            let Change { library, normalized, .. } = &same_name[same_name.len() - 1];
            let fields =
                (library.name.as_str(), normalized.as_str(), library.description.as_str(), library.code.as_str());
            let events = stamped(same_name.iter().map(|change| change.event.clone()), now);
            now = events[events.len() - 1].created_at;
            let row = js_libraries::update_logged(conn, (&account_id, &id), fields, now, &events)
                .map_err(name_taken)
                .and_then(|row| row.ok_or_else(not_found));
            outcomes.push((same_name.len(), row));
            now += TimeDelta::microseconds(1);
        }
        // Which applications use the library, for the answers of the changes kept (they are written
        // already: should this read fail, only their answers say so).
        let users = match outcomes.iter().any(|(_, row)| row.is_ok()) {
            true => applications::using_library(conn, &id).map_err(ApiError::from),
            false => Ok(Vec::new()),
        };
        let mut changes = changes.into_iter();
        let mut answers = Vec::with_capacity(count);
        for (len, row) in outcomes {
            for change in changes.by_ref().take(len) {
                answers.push(match (&row, &users) {
                    (Ok(row), Ok(users)) => Ok(changed(row, change.library, users.clone())),
                    (Err(refused), _) | (Ok(_), Err(refused)) => Err(refused.same_answer()),
                });
            }
        }
        Ok(answers)
    })
    .await;
    written.unwrap_or_else(|failed| all_refused(failed, count))
}

/// The answer to one change of a batch: the library as that change left it.
fn changed(row: &JsLibraryRow, library: Library, users: Vec<(String, String, bool)>) -> JsLibraryResponse {
    let row = JsLibraryRow {
        id: row.id.clone(),
        account_id: row.account_id.clone(),
        name_normalized: library.name.to_lowercase(),
        name: library.name,
        description: library.description,
        code: library.code.into_string(),
        created_at: row.created_at,
        updated_at: row.updated_at,
    };
    library_response(row, users)
}
