//! The organisation's clock: every time shown, and every "today" (the earliest
//! loan day, due and overdue, statistics weeks and months, reminders), is in
//! the organisation's time zone (`EQUIPFLOW_TIME_ZONE`, default
//! `Asia/Shanghai`); the database keeps UTC.
//!
//! The zone travels to the browser as its UTC offsets over time (computed on
//! the server from the IANA database with chrono-tz), so the WebAssembly
//! bundle formats times exactly as the server did without carrying the whole
//! time-zone database: a few bytes for Shanghai, a few hundred for a zone
//! with daylight saving time.
use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};
use serde::{Deserialize, Serialize};

/// One time zone as UTC offsets over time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgClock {
    /// The IANA name, e.g. `Asia/Shanghai`.
    pub zone: String,
    /// `(from, offset)`: from that UTC second on, local time is UTC + offset
    /// seconds; sorted by `from`. The first entry also covers earlier times.
    offsets: Vec<(i64, i32)>,
}

impl Default for OrgClock {
    fn default() -> Self {
        Self::fixed("UTC", 0)
    }
}

impl OrgClock {
    /// A zone that is always `offset_secs` from UTC.
    pub fn fixed(zone: &str, offset_secs: i32) -> Self {
        Self {
            zone: zone.to_owned(),
            offsets: vec![(i64::MIN, offset_secs)],
        }
    }

    /// The zone's offsets from 1970 to 2100 (outside, the nearest one holds).
    #[cfg(feature = "ssr")]
    pub fn for_zone(zone: chrono_tz::Tz) -> Self {
        use chrono::TimeZone;
        let offset_at = |secs: i64| -> i32 {
            DateTime::from_timestamp(secs, 0).map_or(0, |at| {
                zone.offset_from_utc_datetime(&at.naive_utc())
                    .fix()
                    .local_minus_utc()
            })
        };
        const STEP: i64 = 6 * 3600;
        let start = 0i64; // 1970-01-01
        let end = 4_102_444_800i64; // 2100-01-01
        let mut offsets = vec![(i64::MIN, offset_at(start))];
        let mut at = start;
        while at < end {
            let next = at + STEP;
            if offset_at(next) != offset_at(at) {
                // Narrow the change down to the second.
                let (mut low, mut high) = (at, next);
                while high - low > 1 {
                    let middle = low + (high - low) / 2;
                    if offset_at(middle) == offset_at(low) {
                        low = middle;
                    } else {
                        high = middle;
                    }
                }
                offsets.push((high, offset_at(high)));
            }
            at = next;
        }
        Self {
            zone: zone.name().to_owned(),
            offsets,
        }
    }

    /// The offset from UTC at an instant.
    pub fn offset_at(&self, at: DateTime<Utc>) -> FixedOffset {
        let secs = at.timestamp();
        let index = self.offsets.partition_point(|(from, _)| *from <= secs);
        let offset = self
            .offsets
            .get(index.saturating_sub(1))
            .map_or(0, |(_, offset)| *offset);
        FixedOffset::east_opt(offset).unwrap_or_else(|| Utc.fix())
    }

    /// The instant in the organisation's local time.
    pub fn local(&self, at: DateTime<Utc>) -> DateTime<FixedOffset> {
        at.with_timezone(&self.offset_at(at))
    }

    /// An instant as every page shows it: `2026-11-29 21:08`.
    pub fn minute(&self, at: DateTime<Utc>) -> String {
        self.local(at).format("%Y-%m-%d %H:%M").to_string()
    }

    /// An instant to the second (the audit trail): `2026-11-29 21:08:31`.
    pub fn second(&self, at: DateTime<Utc>) -> String {
        self.local(at).format("%Y-%m-%d %H:%M:%S").to_string()
    }

    /// The organisation's calendar day of an instant.
    pub fn day(&self, at: DateTime<Utc>) -> NaiveDate {
        self.local(at).date_naive()
    }

    /// Today, in the organisation.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        self.day(now)
    }

    /// The instant a local day begins (midnight there).
    pub fn start_of(&self, day: NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        // The offset in force at that midnight: try the offset of the naive
        // instant read as UTC, then correct once (enough for whole-hour and
        // half-hour zones alike).
        let guess = midnight.and_utc();
        let first = guess - self.offset_at(guess);
        let offset = self.offset_at(first);
        midnight.and_utc() - offset
    }
}

/// The organisation's clock for the page being rendered (UTC if none was
/// provided, which only a broken set-up would do).
pub fn use_org_clock() -> OrgClock {
    leptos::prelude::use_context::<OrgClock>().unwrap_or_default()
}

/// The `<meta>` that carries the clock from the server's render to the
/// browser, where `provide_org_clock` reads it before hydrating.
const META_NAME: &str = "equipflow-clock";

/// Provides the clock to the whole page and returns it: on the server from
/// the node's state, in the browser from the page the server rendered.
pub fn provide_org_clock() -> OrgClock {
    #[cfg(feature = "ssr")]
    let clock = leptos::prelude::use_context::<crate::state::AppState>()
        .map(|state| state.clock.clone())
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let clock = from_page().unwrap_or_default();
    leptos::prelude::provide_context(clock.clone());
    clock
}

#[cfg(not(feature = "ssr"))]
fn from_page() -> Option<OrgClock> {
    let meta = leptos::prelude::document()
        .query_selector(&format!("meta[name={META_NAME}]"))
        .ok()??;
    serde_json::from_str(&meta.get_attribute("content")?).ok()
}

/// The clock, written into the page's head for the browser.
#[leptos::component]
pub fn ClockMeta(clock: OrgClock) -> impl leptos::IntoView {
    let content = serde_json::to_string(&clock).unwrap_or_default();
    leptos::view! { <leptos_meta::Meta name=META_NAME content=content /> }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("instant")
    }

    #[test]
    fn a_fixed_zone_shows_local_times_and_days() {
        let beijing = OrgClock::fixed("Asia/Shanghai", 8 * 3600);
        assert_eq!(
            beijing.minute(at("2026-11-29T13:08:31Z")),
            "2026-11-29 21:08"
        );
        assert_eq!(
            beijing.second(at("2026-11-29T13:08:31Z")),
            "2026-11-29 21:08:31"
        );
        // 00:00 to 08:00 in Beijing is still yesterday in UTC.
        let early = at("2026-11-29T17:30:00Z");
        assert_eq!(early.date_naive().to_string(), "2026-11-29");
        assert_eq!(beijing.today(early).to_string(), "2026-11-30");
        assert_eq!(
            beijing.start_of(NaiveDate::from_ymd_opt(2026, 11, 30).expect("day")),
            at("2026-11-29T16:00:00Z")
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_zone_with_daylight_saving_follows_its_transitions() {
        let berlin = OrgClock::for_zone(chrono_tz::Europe::Berlin);
        assert_eq!(
            berlin.minute(at("2026-01-15T12:00:00Z")),
            "2026-01-15 13:00"
        );
        assert_eq!(
            berlin.minute(at("2026-07-15T12:00:00Z")),
            "2026-07-15 14:00"
        );
        // 2026-03-29 01:00 UTC: clocks go from 02:00 to 03:00.
        assert_eq!(
            berlin.minute(at("2026-03-29T00:59:59Z")),
            "2026-03-29 01:59"
        );
        assert_eq!(
            berlin.minute(at("2026-03-29T01:00:00Z")),
            "2026-03-29 03:00"
        );
        assert_eq!(
            berlin.start_of(NaiveDate::from_ymd_opt(2026, 7, 1).expect("day")),
            at("2026-06-30T22:00:00Z")
        );
        let shanghai = OrgClock::for_zone(chrono_tz::Asia::Shanghai);
        assert!(shanghai.offsets.len() < 20, "summer time 1986-1991 only");
        assert_eq!(
            shanghai.minute(at("2026-11-29T13:08:31Z")),
            "2026-11-29 21:08"
        );
    }
}
