//! Modal dialogs: the frame every one is shown in, a yes/no confirmation, and a password prompt for
//! sensitive steps.

use crate::components::field::{Field, UsernameHint};
use crate::components::second_factor_field::SecondFactorField;
use leptos::html::Dialog;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The frame of a modal: the browser's own `<dialog>`, opened with `showModal()` while this is on
/// the page, so focus moves into it (its first field, or what has `autofocus`) and cannot leave it,
/// the page behind cannot be clicked, and Escape asks `on_close`. When it goes, focus returns to
/// whatever had it before (the button that opened it).
#[component]
pub fn ModalFrame(
    /// The id of the element that names the dialog (its heading).
    labelledby: &'static str,
    on_close: Callback<()>,
    #[prop(optional)] wide: bool,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let opener = document().active_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let shown = std::rc::Rc::new(std::cell::RefCell::new(None::<web_sys::HtmlDialogElement>));
    let keep = shown.clone();
    dialog.on_load(move |dialog| {
        let _ = dialog.show_modal();
        *keep.borrow_mut() = Some(dialog);
    });
    // While a modal is open the page behind is inert and cannot take focus: close it first.
    let leaving = send_wrapper::SendWrapper::new((shown, opener));
    on_cleanup(move || {
        let (shown, opener) = leaving.take();
        if let Some(dialog) = shown.borrow_mut().take() {
            dialog.close();
        }
        if let Some(opener) = opener {
            let _ = opener.focus();
        }
    });
    view! {
        <dialog node_ref=dialog class="modal-frame" class:wide=wide aria-labelledby=labelledby
            on:cancel=move |ev: web_sys::Event| { ev.prevent_default(); on_close.run(()); }>
            {children()}
        </dialog>
    }
}

/// A list's row action that is asked first (removing the row, or another step with consequences
/// such as deactivating a user): [`Removal::button`] on a row, or the row's own button calling
/// [`Removal::ask`], picks it and opens the [`RemovalDialog`], which names the picked row and, on
/// its verb, hands the row to `on_yes`.
pub struct Removal<T: Send + Sync + 'static> {
    picked: RwSignal<Option<T>>,
    open: RwSignal<bool>,
}

impl<T: Send + Sync + 'static> Clone for Removal<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Removal<T> {}

impl<T: Send + Sync + 'static> Default for Removal<T> {
    fn default() -> Self {
        Removal { picked: RwSignal::new(None), open: RwSignal::new(false) }
    }
}

impl<T: Clone + Send + Sync + 'static> Removal<T> {
    /// The row's destructive button ("Delete", "Revoke"): picks `item` and asks.
    pub fn button(self, label: &'static str, item: T) -> impl IntoView {
        view! { <button class="button danger-outline small" on:click=move |_| self.ask(item.clone())>{label}</button> }
    }

    /// Picks `item` and asks.
    pub fn ask(self, item: T) {
        self.picked.set(Some(item));
        self.open.set(true);
    }
}

/// The confirmation of a [`Removal`]: `message` says what becomes of the picked row.
#[component]
pub fn RemovalDialog<T, M>(
    removal: Removal<T>,
    title: &'static str,
    message: M,
    /// A verb naming the action ("Delete certificate").
    yes_label: &'static str,
    on_yes: Callback<T>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    M: Fn(&T) -> String + Send + Sync + 'static,
{
    let Removal { picked, open } = removal;
    let message = Signal::derive(move || picked.with(|p| p.as_ref().map(&message).unwrap_or_default()));
    let on_yes = Callback::new(move |()| {
        if let Some(item) = picked.get_untracked() {
            on_yes.run(item);
        }
    });
    view! { <ConfirmDialog open title message yes_label danger=true on_yes/> }
}

/// A modal asking to confirm an action, naming the thing and what follows. `open` shows it; the
/// action's button calls `on_yes` and closes it.
#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    title: &'static str,
    #[prop(into)] message: Signal<String>,
    /// A verb naming the action ("Delete certificate"), never a bare "Yes".
    yes_label: &'static str,
    #[prop(optional)] danger: bool,
    on_yes: Callback<()>,
) -> impl IntoView {
    view! {
        <Show when=move || open.get()>
            <ModalFrame labelledby="dialog-title" on_close=Callback::new(move |()| { open.set(false); })>
                <div class="modal">
                    <h2 id="dialog-title">{title}</h2>
                    <p>{move || message.get()}</p>
                    <div class="modal-actions">
                        <button class="button secondary" on:click=move |_| open.set(false)>"Cancel"</button>
                        <button
                            class="button"
                            class:primary=!danger
                            class:danger=danger
                            autofocus=true
                            on:click=move |_| {
                                open.set(false);
                                on_yes.run(());
                            }
                        >
                            {yes_label}
                        </button>
                    </div>
                </div>
            </ModalFrame>
        </Show>
    }
}

/// A modal asking for the password; `on_submit` receives it. With `second_factor`, it also asks
/// for a current two-factor code while two-factor authentication is on (read that signal on submit).
#[component]
pub fn PasswordDialog(
    open: RwSignal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    on_submit: Callback<String>,
    #[prop(optional)] second_factor: Option<(RwSignal<String>, Signal<Option<String>>)>,
    #[prop(default = "Confirm your password")] title: &'static str,
    #[prop(default = "Your last sign-in was more than 15 minutes ago. Enter your password to continue.")]
    message: &'static str,
    #[prop(default = "Continue")] submit_label: &'static str,
    #[prop(optional)] danger: bool,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_submit.run(password.get());
        password.set(String::new());
    };
    view! {
        <Show when=move || open.get()>
            <ModalFrame labelledby="reauth-title" on_close=Callback::new(move |()| { open.set(false); })>
                <form class="modal" on:submit=submit>
                    <h2 id="reauth-title">{title}</h2>
                    <p>{message}</p>
                    <UsernameHint/>
                    <Field id="reauth-password" label="Password" value=password error=error kind="password"
                        autocomplete="current-password" required=true/>
                    {second_factor.map(|(code, code_error)| view! {
                        <SecondFactorField id="reauth-two-factor-code" value=code error=code_error/>
                    })}
                    <div class="modal-actions">
                        <button type="button" class="button secondary" on:click=move |_| open.set(false)>"Cancel"</button>
                        <button type="submit" class="button" class:primary=!danger class:danger=danger>{submit_label}</button>
                    </div>
                </form>
            </ModalFrame>
        </Show>
    }
}
