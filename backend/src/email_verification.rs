//! Email verification: a sign-up proves its address with a link mailed there. Until then the
//! address is not reserved: whoever proves it (the owner's own sign-up, or an admin's invitation)
//! takes it over. Nothing else waits for verification.

use crate::crypto::{random_token, token_hash};
use crate::db::models::UserRow;
use crate::db::purposes::LinkPurpose;
use crate::db::{self, accounts, api_credentials, developer_keys, password_tokens, sessions, users, DbConnection};
use crate::domain::Email;
use crate::error::ApiError;
use crate::mail::letters::{self, Letter};
use crate::request::client_ip;
use crate::routes::public_base;
use crate::state::AppState;
use actix_web::HttpRequest;
use chrono::{Duration, NaiveDateTime, Utc};

pub const LINK_LIFETIME: Duration = Duration::hours(24);
/// Links a user may ask to be sent again per hour.
pub const RESENDS_PER_HOUR: u32 = 5;

/// Who has an address now.
pub enum Holder {
    Nobody,
    /// A sign-up that has not used its link: it gives the address up to whoever proves it.
    Unverified(Box<UserRow>),
    /// A user who proved it, at the address as they wrote it.
    Verified {
        email: String,
    },
}

pub fn holder_of(conn: &mut DbConnection, email_normalized: &str) -> Result<Holder, ApiError> {
    Ok(match users::find_by_email(conn, email_normalized)? {
        None => Holder::Nobody,
        Some(user) if user.email_verified => Holder::Verified { email: user.email },
        Some(user) => Holder::Unverified(Box::new(user)),
    })
}

/// A look-up form no address can have (there is no `@`): held by a user whose claim to their
/// address is unproven while someone else has it, or whose address was taken over.
pub fn placeholder() -> String {
    format!("unclaimed:{}", uuid::Uuid::new_v4())
}

/// Takes the address from an unverified holder. An account that sign-up made and nobody joined
/// goes entirely (its sessions and data with it, by the foreign keys); otherwise the holder stays
/// in the account but loses the address, and their sessions and credentials end: whoever made
/// them did not own it.
pub fn evict(conn: &mut DbConnection, holder: &UserRow, now: NaiveDateTime) -> Result<(), ApiError> {
    if users::count_in_account(conn, &holder.account_id)? <= 1 {
        accounts::delete(conn, &holder.account_id)?;
        return Ok(());
    }
    users::release_email(conn, &holder.id, &placeholder(), now)?;
    sessions::delete_all_for_user(conn, &holder.id)?;
    api_credentials::delete_all_for_user(conn, &holder.id)?;
    developer_keys::delete_for_user(conn, &holder.id)?;
    Ok(())
}

/// Stores a new link for the user (earlier ones stop working) and mails it in the background:
/// a failing mail server must not fail the sign-up (the dashboard offers to resend).
pub async fn send_link(state: &AppState, user_id: &str, name: &str, email: &str) -> Result<(), ApiError> {
    let token = random_token();
    let (user_id, hash, expires_at) = (user_id.to_string(), token_hash(&token), Utc::now().naive_utc() + LINK_LIFETIME);
    db::run(&state.pool, move |conn| {
        Ok(password_tokens::replace(conn, &user_id, LinkPurpose::VerifyEmail, &hash, expires_at)?)
    })
    .await?;
    let link = format!("{}/verify-email?token={token}", public_base(state));
    mail_in_background(state, email, letters::confirm_address(name, &link));
    Ok(())
}

/// Tells an address's owner that someone tried to sign up with it. The sign-up itself is answered
/// as any other, so it does not reveal that the address has an account.
pub fn tell_owner(state: &AppState, req: &HttpRequest, email: &str) {
    mail_in_background(state, email, letters::sign_up_attempt(email, Utc::now().naive_utc(), &client_ip(req)));
}

fn mail_in_background(state: &AppState, to: &str, letter: Letter) {
    let (mailer, to, subject) = (state.mailer.clone(), to.to_string(), letter.subject);
    actix_web::rt::spawn(async move {
        if let Err(e) = mailer.send(&to, letter).await {
            tracing::warn!(error = ?e, subject, "could not send an email-verification message");
        }
    });
}

/// What using a link did.
pub enum Verified {
    Done,
    /// Unknown, used or expired.
    BadLink,
    /// Another user proved the address first.
    AddressInUse,
}

/// Uses a link: the user's address is proven, and becomes theirs if an unverified sign-up held it.
pub fn verify(conn: &mut DbConnection, token: &str, now: NaiveDateTime) -> Result<Verified, ApiError> {
    use diesel::Connection;
    conn.transaction(|conn| {
        let Some(user_id) = password_tokens::take(conn, &token_hash(token), &[LinkPurpose::VerifyEmail], now)? else {
            return Ok(Verified::BadLink);
        };
        let Some((user, _)) = users::find_with_account(conn, &user_id)? else { return Ok(Verified::BadLink) };
        let address = Email::normalize(&user.email);
        if user.email_normalized != address {
            match holder_of(conn, &address)? {
                Holder::Verified { .. } => return Ok(Verified::AddressInUse),
                Holder::Unverified(holder) => evict(conn, &holder, now)?,
                Holder::Nobody => {}
            }
        }
        users::mark_verified(conn, &user.id, &address, now)?;
        Ok(Verified::Done)
    })
}
