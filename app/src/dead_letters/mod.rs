//! The dead-letter queue for admins: look, and re-queue a message.
mod api;
mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod queue;

pub use api::{ListDeadLetters, RequeueDeadLetter, list_dead_letters, requeue_dead_letter};
pub use model::{DEAD_LETTERS_SHOWN, DeadLetter, DeadLetters};
pub use page::DeadLettersPage;
