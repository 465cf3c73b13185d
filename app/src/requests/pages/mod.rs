//! Pages of requests: filing, the user's own list, and leaders' approvals.
mod approvals;
mod file_form;
mod mine;
mod new;

pub use approvals::ApprovalsPage;
pub use file_form::FileRequestForm;
pub use mine::MyRequestsPage;
pub use new::NewRequestPage;
