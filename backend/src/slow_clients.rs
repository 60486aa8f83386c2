//! Deadlines for clients that send slowly. actix-web bounds the request head
//! (`client_request_timeout`); this bounds the body, which it would otherwise wait for
//! as long as bytes trickle in, holding the connection and the handler that reads it.

use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::HttpMessage;
use futures_util::Stream;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

const TIMED_OUT: &str = "the request body did not arrive in time";

/// Middleware: a request's body must have arrived within `client_timeout` of its head.
pub async fn body_deadline(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let has_body = [CONTENT_LENGTH, TRANSFER_ENCODING].iter().any(|h| req.headers().contains_key(h));
    if !has_body {
        return next.call(req).await;
    }
    let within = req.app_data::<web::Data<AppState>>().map_or(Duration::from_secs(10), |s| s.settings.client_timeout);
    let body = req.take_payload();
    let limited: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(Deadline { body, expires: Box::pin(tokio::time::sleep(within)), expired: false });
    req.set_payload(Payload::from(limited));
    next.call(req).await
}

/// True for the error [`body_deadline`] gives when time ran out.
pub fn timed_out(e: &PayloadError) -> bool {
    matches!(e, PayloadError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut && io.to_string() == TIMED_OUT)
}

struct Deadline {
    body: Payload,
    expires: Pin<Box<tokio::time::Sleep>>,
    expired: bool,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.expired {
            return Poll::Ready(None);
        }
        // Bytes already here are taken first; the deadline only ends a wait.
        if let Poll::Ready(item) = Pin::new(&mut self.body).poll_next(cx) {
            return Poll::Ready(item);
        }
        if self.expires.as_mut().poll(cx).is_ready() {
            self.expired = true;
            let error = std::io::Error::new(std::io::ErrorKind::TimedOut, TIMED_OUT);
            return Poll::Ready(Some(Err(PayloadError::Io(error))));
        }
        Poll::Pending
    }
}
