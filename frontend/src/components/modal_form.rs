//! The editor window every add/edit dialog is: a titled form in a [`ModalFrame`] whose fields read
//! their problems from the form's [`FormErrors`], the failure that is no field's, and Cancel beside
//! the caller's Save, which submits through a [`FormAction`].

use crate::api::ApiFailure;
use crate::components::dialog::ModalFrame;
use crate::submit::Submit;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

type Work<I> = Rc<dyn Fn(&I) -> Pin<Box<dyn Future<Output = Result<(), ApiFailure>>>>>;

/// What a [`ModalForm`] submits through: the form's work (given an input: `()`, or a password asked
/// for afterwards), which closes the window when it is done, and the failure of its last run.
pub struct FormAction<I: 'static = ()> {
    work: StoredValue<Work<I>, LocalStorage>,
    submit: Submit<()>,
    failure: RwSignal<Option<ApiFailure>>,
}

impl<I: 'static> Clone for FormAction<I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static> Copy for FormAction<I> {}

/// A [`FormAction`] running `run`. Every form's work is one boxed future type, so what runs it is
/// compiled once rather than once per form.
pub fn form_action<I, F, Fu>(run: F) -> FormAction<I>
where
    I: 'static,
    F: Fn(&I) -> Fu + 'static,
    Fu: Future<Output = Result<(), ApiFailure>> + 'static,
{
    let failure = RwSignal::new(None);
    let work: Work<I> = Rc::new(move |input: &I| Box::pin(run(input)));
    let submit = Submit::new(move |answer: Result<(), ApiFailure>| failure.set(answer.err()));
    FormAction { work: StoredValue::new_local(work), submit, failure }
}

impl<I: 'static> FormAction<I> {
    pub fn dispatch(self, input: I) {
        if let Some(work) = self.work.try_get_value() {
            self.submit.send_boxed(work(&input));
        }
    }

    /// Whether the work is running (tracked).
    pub fn pending(self) -> bool {
        self.submit.pending()
    }
}

/// What a form's last submission failed with, for its fields to show: a [`ModalForm`] provides
/// them to the fields inside it ([`crate::components::field::Field`]'s `errors_for`).
#[derive(Clone, Copy)]
pub struct FormErrors(Signal<Option<ApiFailure>>);

impl FormErrors {
    /// The failure of the action's last run, if it failed.
    pub fn of<I: 'static>(action: FormAction<I>) -> FormErrors {
        FormErrors(action.failure.into())
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
    I: Default + 'static,
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
            pending: Signal::derive(move || action.pending()),
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
