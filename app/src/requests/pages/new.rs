//! `/requests/new`: file a transaction on any item, named by its asset code.
use leptos::prelude::*;

use super::file_form::FileRequestForm;
use crate::i18n::*;
use crate::requests::{FileRequest, RequestKind};

#[component]
pub fn NewRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<FileRequest>::new();
    view! {
        <section class="page-head">
            <h1>{t!(i18n, request_new)}</h1>
            <p class="lead">{t!(i18n, request_new_lead)}</p>
        </section>
        <section class="panel form-panel narrow">
            <FileRequestForm equipment_id=None offered=RequestKind::ALL.to_vec() action />
        </section>
    }
}
