//! Security notices by email (ASVS 6.3.7): the owner hears of every change to how they sign in,
//! with when, from where and from which browser, so a change they did not make stands out.

use crate::mail::letters;
pub use crate::mail::letters::Notice;
use crate::request::{client_ip, user_agent};
use crate::state::AppState;
use actix_web::HttpRequest;
use chrono::Utc;

/// Emails `notice` to `to` in the background: the change has happened, and a slow or failing
/// mail server must not hold up or fail its answer (a failure is logged).
pub fn send(state: &AppState, req: &HttpRequest, to: &str, notice: Notice) {
    let letter = letters::notice(&notice, Utc::now().naive_utc(), &client_ip(req), &user_agent(req));
    let subject = letter.subject;
    let (mailer, to) = (state.mailer.clone(), to.to_string());
    actix_web::rt::spawn(async move {
        if let Err(e) = mailer.send(&to, letter).await {
            tracing::warn!(error = ?e, subject, "could not send a security notice");
        }
    });
}
