//! The root component, its routes and the HTML document around it.
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::audit::AuditTrailPage;
use crate::auth::{ChangePasswordPage, LoginPage, Role, RoleGate, provide_current_user};
use crate::catalogue::CataloguePage;
use crate::clock::{ClockMeta, provide_org_clock};
use crate::confirm::ConfirmPage;
use crate::dead_letters::DeadLettersPage;
use crate::equipment::{
    EquipmentDetailPage, EquipmentFormPage, EquipmentImportPage, EquipmentListPage,
};
use crate::i18n::I18nContextProvider;
use crate::layout::AppLayout;
use crate::notifications::NotificationsPage;
use crate::overview::{LeaderConsolePage, UserConsolePage};
use crate::pages::{HomePage, NotFoundPage, PageBoundary};
use crate::people::{PeoplePage, PersonEditPage};
use crate::requests::{ApprovalsPage, MyRequestsPage, NewRequestPage};
use crate::statistics::{MyStatisticsPage, ScopeStatisticsPage};

/// The HTML document the server streams; `App` is hydrated inside `<body>`.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <AutoReload options=options.clone() />
                // equipflow.<hash>.css when the build hashes its files.
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Routes of the application. Data pages render in `Async` mode so that the
/// complete HTML (data included) reaches browsers without JavaScript.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_current_user();
    let clock = provide_org_clock();
    #[cfg(feature = "ssr")]
    crate::csp::set_content_security_policy();

    view! {
        <I18nContextProvider>
            <ClockMeta clock />
            <Title text="设备通 EquipFlow" />
            <Router>
                <AppLayout>
                    <PageBoundary>
                        <Routes fallback=NotFoundPage>
                            <Route path=path!("/") view=HomePage />
                            <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                            <Route path=path!("/account/password") view=ChangePasswordPage ssr=SsrMode::Async />
                            <Route path=path!("/console") view=UserConsolePage ssr=SsrMode::Async />
                            <Route path=path!("/equipment") view=EquipmentListPage ssr=SsrMode::Async />
                            <Route path=path!("/equipment/:id") view=EquipmentDetailPage ssr=SsrMode::Async />
                            <Route path=path!("/requests") view=MyRequestsPage ssr=SsrMode::Async />
                            <Route path=path!("/requests/new") view=NewRequestPage ssr=SsrMode::Async />
                            <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async />
                            <Route path=path!("/statistics") view=MyStatisticsPage ssr=SsrMode::Async />
                            <Route path=path!("/confirm/:action/:id") view=ConfirmPage ssr=SsrMode::Async />
                            <Route
                                path=path!("/admin/dead-letters")
                                view=|| view! { <RoleGate min=Role::Admin><DeadLettersPage /></RoleGate> }
                                ssr=SsrMode::Async
                            />
                            <Route
                                path=path!("/leader/approvals")
                                view=|| view! { <RoleGate min=Role::Leader><ApprovalsPage /></RoleGate> }
                                ssr=SsrMode::Async
                            />
                            <Route
                                path=path!("/admin/catalogue")
                                view=|| view! { <RoleGate min=Role::Admin><CataloguePage /></RoleGate> }
                                ssr=SsrMode::Async
                            />
                            <Route
                                path=path!("/admin/equipment/new")
                                view=|| view! { <RoleGate min=Role::Admin><EquipmentFormPage /></RoleGate> }
                                ssr=SsrMode::Async
                            />
                            <Route
                                path=path!("/admin/equipment/:id/edit")
                                view=|| view! { <RoleGate min=Role::Admin><EquipmentFormPage /></RoleGate> }
                                ssr=SsrMode::Async
                            />
                            <Route
                                path=path!("/admin/equipment/import")
                                view=|| view! { <RoleGate min=Role::Admin><EquipmentImportPage /></RoleGate> }
                                ssr=SsrMode::Async
                            />
                            <Route
                                path=path!("/leader")
                                view=|| view! { <RoleGate min=Role::Leader><LeaderConsolePage /></RoleGate> }
                                ssr=SsrMode::Async
                            />
                            <Route
                                path=path!("/leader/audit")
                                view=|| view! { <RoleGate min=Role::Leader><AuditTrailPage /></RoleGate> }
                                ssr=SsrMode::Async
                            />
                            <Route
                                path=path!("/admin/audit")
                                view=|| view! { <RoleGate min=Role::Admin><AuditTrailPage /></RoleGate> }
                                ssr=SsrMode::Async
                            />
                            <Route
                                path=path!("/leader/statistics")
                                view=|| view! { <RoleGate min=Role::Leader><ScopeStatisticsPage /></RoleGate> }
                                ssr=SsrMode::Async
                            />
                            <Route
                                path=path!("/leader/people/:id")
                                view=|| view! { <RoleGate min=Role::Leader><PersonEditPage /></RoleGate> }
                                ssr=SsrMode::Async
                            />
                            <Route
                                path=path!("/leader/people")
                                view=|| view! { <RoleGate min=Role::Leader><PeoplePage /></RoleGate> }
                                ssr=SsrMode::Async
                            />
                        </Routes>
                    </PageBoundary>
                </AppLayout>
            </Router>
        </I18nContextProvider>
    }
}
