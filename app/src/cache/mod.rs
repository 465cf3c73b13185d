//! The two-level read cache of DESIGN.md "Reads", one generic component for
//! every entity: L1 in-process (moka, short TTL, bounded, single-flight
//! loads), L2 in Redis (long TTL with jitter), PostgreSQL behind both.
//!
//! - L2 values carry their own logical expiry: the first reader past it takes
//!   a Redis mutex (SET NX PX) and rebuilds in the background while every
//!   reader keeps getting the stale value (no stampede on hot keys).
//! - Missing ids are cached briefly as "absent" (no penetration to PostgreSQL).
//! - Writes: update PostgreSQL, then `invalidate`: delete the L2 key and
//!   broadcast on Redis pub/sub so every node drops its L1 entry.
//! - Redis down: reads fall through to PostgreSQL with a warning; the cache
//!   recovers by itself when Redis returns.
mod bus;
mod envelope;
mod two_level;

pub use bus::CacheBus;
pub use envelope::Envelope;
pub use two_level::{CacheSettings, Loader, TwoLevelCache};
