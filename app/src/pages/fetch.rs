use std::pin::Pin;

/// A resource's fetch, boxed. On the server a server function's future holds
/// its whole body inline — cache, SQL and Redis calls, tens of KiB — and a
/// resource moves its future several times while wrapping it; boxed, each move
/// copies a pointer. Unboxed, those copies were a third of the instructions of
/// an equipment page's render (callgrind, see BENCHMARKS.md).
pub fn boxed_fetch<F: Future + Send + 'static>(fetch: F) -> Pin<Box<F>> {
    Box::pin(fetch)
}
