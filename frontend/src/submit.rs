//! Sending a form's request and handling its answer.

use crate::api::ApiFailure;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

/// A form's requests (one or several kinds with the same answer type): [`Submit::pending`] while
/// any is on its way, and each answer handed to the form's handler. Leptos's `Action` does this
/// too, but its machinery is compiled once per request type (about 3 KB of wasm each); here the
/// handler is the only part that knows the types.
pub struct Submit<O: 'static> {
    running: RwSignal<u32>,
    answered: StoredValue<Answered<O>, LocalStorage>,
}

type Answered<O> = Rc<dyn Fn(Result<O, ApiFailure>)>;

impl<O: 'static> Clone for Submit<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O: 'static> Copy for Submit<O> {}

impl<O: 'static> Submit<O> {
    /// Make it while rendering the form: it lives as long as the form does.
    pub fn new(answered: impl Fn(Result<O, ApiFailure>) + 'static) -> Self {
        Submit { running: RwSignal::new(0), answered: StoredValue::new_local(Rc::new(answered)) }
    }

    /// Sends one request. An answer that arrives after the form has gone is dropped: there is
    /// nothing left to show it in.
    pub fn send(self, request: impl Future<Output = Result<O, ApiFailure>> + 'static) {
        self.send_boxed(Box::pin(request));
    }

    /// [`Submit::send`] for any request of this answer type: compiled once per answer type, not
    /// once per request.
    pub fn send_boxed(self, request: Pin<Box<dyn Future<Output = Result<O, ApiFailure>>>>) {
        self.running.update(|n| *n += 1);
        spawn_local(async move {
            let answer = request.await;
            if self.running.is_disposed() {
                return;
            }
            self.running.update(|n| *n -= 1);
            if let Some(answered) = self.answered.try_get_value() {
                answered(answer);
            }
        });
    }

    /// Whether a request is on its way (tracked).
    pub fn pending(self) -> bool {
        self.running.get() > 0
    }
}
