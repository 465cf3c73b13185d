//! Transactions on equipment (borrow, return, repair, scrap): filing them,
//! the rules of what may be filed, and leaders' decisions.
mod api;
mod model;
mod pages;

pub use api::{
    CancelRequest, DecideRequest, DecideRequests, FileRequest, MyRequests, PendingApprovals,
    cancel_request, decide_request, decide_requests, file_request, my_requests, pending_approvals,
};
pub use model::{
    APPROVALS_LIMIT, BULK_LIMIT, BulkOutcome, Decision, REQUESTS_PAGE, RequestEvent, RequestKind,
    RequestPage, RequestRow, RequestStatus,
};
pub use pages::{ApprovalsPage, FileRequestForm, MyRequestsPage, NewRequestPage};

#[cfg(feature = "ssr")]
pub mod decide;
#[cfg(feature = "ssr")]
pub mod file;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod rules;

#[cfg(feature = "ssr")]
pub use repo::own_pending;
