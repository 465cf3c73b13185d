//! The button of an irreversible action. Without JavaScript it is a link to
//! the confirmation page; hydrated, a click opens a dialog that asks the same
//! question, and only "confirm" runs the action.
use leptos::html::Dialog;
use leptos::prelude::*;

use super::Irreversible;
use crate::i18n::*;

#[component]
pub fn ConfirmButton(
    action: Irreversible,
    id: i64,
    /// The page to come back to after confirming without JavaScript.
    #[prop(into)]
    back: String,
    /// The button's text (what it does: "Withdraw", "Disable").
    #[prop(into)]
    label: String,
    /// The question, naming what it acts on.
    #[prop(into)]
    question: String,
    /// Runs the action (with `confirmed=yes`).
    on_confirm: Callback<()>,
    #[prop(into, default = "button button-small".to_owned())] class: String,
    #[prop(into, default = Signal::from(false))] pending: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<Dialog>::new();
    let title_id = format!("confirm-{}-{id}", action.slug());
    let open = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(dialog) = dialog.get() {
            let _ = dialog.show_modal();
        }
    };
    let confirm = move |_| {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
        on_confirm.run(());
    };
    view! {
        <a
            class=class
            href=action.href(id, &back)
            role="button"
            aria-disabled=move || pending.get().then_some("true")
            on:click=open
        >
            {label.clone()}
        </a>
        <dialog node_ref=dialog class="confirm-dialog" aria-labelledby=title_id.clone()>
            <form method="dialog" class="confirm-form">
                <p id=title_id.clone() class="confirm-question">{question}</p>
                <p class="muted">{t!(i18n, confirm_cannot_undo)}</p>
                <div class="confirm-buttons">
                    <button type="submit" value="keep" class="button">{t!(i18n, confirm_keep)}</button>
                    <button type="button" class="button button-danger" on:click=confirm>{label}</button>
                </div>
            </form>
        </dialog>
    }
}
