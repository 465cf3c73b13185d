//! EquipFlow's Leptos application: pages, components and server functions.
//!
//! Compiled twice: with `ssr` into the server (rendering, server functions, the
//! PostgreSQL/Redis/RabbitMQ plumbing they stand on) and with `hydrate` into the
//! browser's WebAssembly bundle.
#![recursion_limit = "256"]

pub mod app;
pub mod audit;
pub mod auth;
pub mod catalogue;
pub mod clock;
pub mod confirm;
pub mod dates;
pub mod dead_letters;
pub mod equipment;
pub mod error;
#[cfg(feature = "ssr")]
pub mod forms;
pub mod layout;
pub mod notifications;
pub mod overview;
pub mod pages;
pub mod people;
pub mod requests;
pub mod statistics;

#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod csp;
#[cfg(feature = "ssr")]
pub mod events;
#[cfg(feature = "ssr")]
pub mod messaging;
#[cfg(feature = "ssr")]
pub mod metrics;
#[cfg(feature = "ssr")]
pub mod phones;
#[cfg(feature = "ssr")]
pub mod spreadsheet;
#[cfg(feature = "ssr")]
pub mod state;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub use app::{App, shell};

/// Entry point of the WebAssembly bundle: attaches to the server-rendered DOM.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
