//! The editor window every add/edit dialog is: a titled form in a [`ModalFrame`] whose fields read
//! their problems from the form's [`FormErrors`], the failure that is no field's, and Cancel beside
//! the caller's Save, which submits through an [`Action`].

use crate::api::ApiFailure;
use crate::components::dialog::ModalFrame;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::future::Future;
use std::pin::Pin;

/// What a [`ModalForm`] submits through: the form's work, which closes the window when it is done,
/// or the failure to show.
pub type FormAction<I = ()> = Action<I, Result<(), ApiFailure>>;

/// A [`FormAction`] running `run` (the browser's requests are not `Send`: it stays on this thread).
/// Every form's work is one boxed future type, so the action's machinery is compiled once rather
/// than once per form.
pub fn form_action<I, F, Fu>(run: F) -> FormAction<I>
where
    I: Send + Sync + 'static,
    F: Fn(&I) -> Fu + 'static,
    Fu: Future<Output = Result<(), ApiFailure>> + 'static,
{
    let run = SendWrapper::new(run);
    Action::new(move |input: &I| {
        let work: Pin<Box<dyn Future<Output = Result<(), ApiFailure>>>> = Box::pin(run(input));
        SendWrapper::new(work)
    })
}

/// What a form's last submission failed with, for its fields to show: a [`ModalForm`] provides
/// them to the fields inside it ([`crate::components::field::Field`]'s `errors_for`).
#[derive(Clone, Copy)]
pub struct FormErrors(Signal<Option<ApiFailure>>);

impl FormErrors {
    /// The failure of the action's last run, if it failed.
    pub fn of<I: Send + Sync + 'static>(action: FormAction<I>) -> FormErrors {
        let value = action.value();
        FormErrors(Signal::derive(move || value.with(|v| v.clone().and_then(Result::err))))
    }

    /// The enclosing form's, when there is one (take it while rendering inside a [`ModalForm`]).
    pub fn find() -> Option<FormErrors> {
        use_context::<FormErrors>()
    }

    /// The problems with one field, named as the API names it (`first_name`, `config.bucket`).
    pub fn field(self, name: impl Into<String>) -> Signal<Option<String>> {
        let (failure, name) = (self.0, name.into());
        Signal::derive(move || failure.with(|f| f.as_ref().and_then(|f| f.field(&name))))
    }

    /// A failure that names no field (the server could not be reached, a conflict).
    fn general(self) -> Option<String> {
        self.0.with(|f| f.as_ref().filter(|f| f.body.fields.is_none()).map(ApiFailure::message))
    }
}

/// Cancel and Escape ask `question` before closing while `changed` holds.
#[derive(Clone, Copy)]
pub struct Unsaved {
    pub question: &'static str,
    pub changed: Signal<bool>,
}

/// An add/edit window. Save dispatches `action` with `I::default()` (others may dispatch other
/// inputs: a password asked for afterwards, say); the action does the work, closes the window
/// when it is done, and returns the failure to show, if any. Focus goes to the first field (or
/// the one with `autofocus`) and comes back to the opener when the window goes.
#[component]
pub fn ModalForm<I>(
    title: &'static str,
    /// The heading's id, which names the dialog.
    title_id: &'static str,
    /// A verb naming what Save does ("Save library", "Add user").
    save_label: &'static str,
    action: FormAction<I>,
    /// Cancel and Escape (once `unsaved` allows).
    on_close: Callback<()>,
    #[prop(optional)] wide: bool,
    #[prop(optional)] unsaved: Option<Unsaved>,
    /// Lets the browser check `required` fields before submitting (most forms leave it to the
    /// shared rules and the server, which say more).
    #[prop(optional)]
    browser_checks: bool,
    children: Children,
) -> impl IntoView
where
    I: Default + Send + Sync + 'static,
{
    let errors = FormErrors::of(action);
    provide_context(errors);
    let close = Callback::new(move |()| {
        let discard = unsaved
            .is_none_or(|u| !u.changed.get_untracked() || window().confirm_with_message(u.question).unwrap_or(false));
        if discard {
            on_close.run(());
        }
    });
    let submit = Callback::new(move |()| {
        action.dispatch(I::default());
    });
    form_window(
        FormWindow {
            title,
            title_id,
            save_label,
            wide,
            browser_checks,
            pending: action.pending().into(),
            errors,
            close,
            submit,
        },
        children,
    )
}

/// What [`form_window`] lays out: one copy of the window's view, whatever the action's input.
struct FormWindow {
    title: &'static str,
    title_id: &'static str,
    save_label: &'static str,
    wide: bool,
    browser_checks: bool,
    pending: Signal<bool>,
    errors: FormErrors,
    close: Callback<()>,
    submit: Callback<()>,
}

fn form_window(parts: FormWindow, children: Children) -> impl IntoView {
    let FormWindow { title, title_id, save_label, wide, browser_checks, pending, errors, close, submit } = parts;
    view! {
        <ModalFrame labelledby=title_id wide=wide on_close=close>
            <form class="modal" class:wide=wide novalidate=!browser_checks on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                submit.run(());
            }>
                <h2 id=title_id>{title}</h2>
                {children()}
                <p class="form-error" role="alert">{move || errors.general()}</p>
                <div class="modal-actions">
                    <button type="button" class="button secondary" on:click=move |_| close.run(())>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=move || pending.get()>{save_label}</button>
                </div>
            </form>
        </ModalFrame>
    }
}
