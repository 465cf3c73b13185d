//! Latency summaries, printed as one `RESULT` line each for bench/events.sh.
use std::time::Duration;

/// Nearest-rank percentile of sorted milliseconds (`q` in 0..=1).
fn percentile(sorted_ms: &[f64], q: f64) -> f64 {
    if sorted_ms.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted_ms.len() as f64).ceil() as usize;
    sorted_ms[rank.clamp(1, sorted_ms.len()) - 1]
}

/// `RESULT <label> <measured> <missing> <p50 ms> <p99 ms> <max ms>`.
pub fn print_result(label: &str, samples: &[Duration], missing: usize) {
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    println!(
        "RESULT {label} {} {missing} {:.2} {:.2} {:.2}",
        ms.len(),
        percentile(&ms, 0.50),
        percentile(&ms, 0.99),
        ms.last().copied().unwrap_or(f64::NAN),
    );
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn nearest_rank() {
        let ms: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&ms, 0.50), 50.0);
        assert_eq!(percentile(&ms, 0.99), 99.0);
        assert_eq!(percentile(&ms[..1], 0.99), 1.0);
        assert!(percentile(&[], 0.5).is_nan());
    }
}
