//! Row structs: `XRow` to read, `NewX` to write. They never reach the wire;
//! functions here turn them into the shared DTOs.

use crate::db::schema::{accounts, sessions, users};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::v1::{AccountSummary, MeResponse, Role};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub struct AccountRow {
    pub id: String,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = accounts)]
pub struct NewAccount {
    pub id: String,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub email: String,
    pub email_normalized: String,
    pub password_hash: String,
    pub role: String,
    pub is_active: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow").field("id", &self.id).field("email", &self.email).finish_non_exhaustive()
    }
}

impl UserRow {
    /// Unknown roles read as the weaker one.
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Standard)
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub email: String,
    pub email_normalized: String,
    pub password_hash: String,
    pub role: String,
    pub is_active: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub password_checked_at: NaiveDateTime,
    pub ip: String,
    pub user_agent: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession {
    pub id: String,
    pub user_id: String,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub password_checked_at: NaiveDateTime,
    pub ip: String,
    pub user_agent: String,
}

/// The user as `GET /api/v1/me` shows them.
pub fn me_response(user: UserRow, account: AccountRow) -> MeResponse {
    MeResponse {
        role: user.role(),
        id: user.id,
        name: user.name,
        email: user.email,
        account: AccountSummary { id: account.id, name: account.name },
        created_at: user.created_at.and_utc(),
    }
}
