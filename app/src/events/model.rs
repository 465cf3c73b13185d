//! What travels through the outbox and RabbitMQ: one JSON body per event.
pub use crate::requests::RequestEvent;

pub const REQUEST_SUBMITTED: &str = "request.submitted";
pub const REQUEST_APPROVED: &str = "request.approved";
pub const REQUEST_REJECTED: &str = "request.rejected";
pub const REQUEST_CANCELLED: &str = "request.cancelled";
/// Not a routing key: the notification kind of a holder whose item an
/// approved request (not theirs) took from them.
pub const ITEM_TAKEN: &str = "equipment.taken";
