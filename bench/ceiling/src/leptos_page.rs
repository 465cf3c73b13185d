//! The floor of a server-rendered page: the same Redis GET as the ceiling,
//! then a Leptos document through `leptos_axum` (async mode, as the app's data
//! pages) with hydration scripts and one static heading — no router, no
//! layout, no data, no session middleware. What it costs above the ceiling is
//! Leptos's own per-request work, which no page of the app can go below.
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use leptos::config::LeptosOptions;
use leptos::prelude::*;

use crate::{Ceiling, session_value};

pub type Render = Arc<
    dyn Fn(Request<Body>) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>> + Send + Sync,
>;

#[component]
fn Blank() -> impl IntoView {
    view! {
        <main>
            <h1>"EquipFlow"</h1>
            <p>"A page with no layout and no data."</p>
        </main>
    }
}

fn document(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <HydrationScripts options />
            </head>
            <body>
                <Blank />
            </body>
        </html>
    }
}

pub fn renderer() -> Render {
    // What `leptos_routes` would do: resources and streaming spawn on tokio.
    let _ = any_spawner::Executor::init_tokio();
    let options = LeptosOptions::builder().output_name("equipflow").build();
    let render = leptos_axum::render_app_async(move || document(options.clone()));
    Arc::new(render)
}

pub async fn page(State(ceiling): State<Ceiling>, request: Request) -> Response {
    match session_value(&ceiling, request.headers()).await {
        Ok(_) => (ceiling.leptos)(request).await,
        Err(response) => response,
    }
}
