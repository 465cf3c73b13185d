//! The trail's filter as the address gives it, checked field by field: every
//! wrong field is named at once, and nothing unchecked reaches SQL.
use chrono::{DateTime, NaiveDate, Utc};

use super::model::ENTITY_TYPES;
use crate::clock::OrgClock;
use crate::equipment::cursor::Cursor;
use crate::error::AppError;
use crate::forms::{Issues, optional_id};

/// The raw filter, as strings from the query (empty means "any").
#[derive(Debug, Default, Clone)]
pub struct RawFilter {
    pub actor: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub before: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditFilter {
    /// Account name of the actor.
    pub actor: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
    /// Inclusive start, exclusive end (the day after `to`): the organisation's
    /// midnights.
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub before: Option<Cursor>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// An optional `YYYY-MM-DD` day.
fn optional_day(value: &Option<String>, field: &str, issues: &mut Issues) -> Option<NaiveDate> {
    let text = given(value)?;
    crate::dates::parse_day(text)
        .map_err(|error| issues.add(field, error.key()))
        .ok()
}

impl AuditFilter {
    /// The filter; its days are the organisation's (`clock`).
    pub fn parse(raw: &RawFilter, clock: &OrgClock) -> Result<Self, AppError> {
        let mut issues = Issues::default();
        let actor = given(&raw.actor).map(str::to_owned);
        if actor.as_ref().is_some_and(|a| a.chars().count() > 64) {
            issues.add("actor", "text_too_long");
        }
        let entity_type = given(&raw.entity).map(str::to_owned);
        if entity_type
            .as_deref()
            .is_some_and(|e| !ENTITY_TYPES.contains(&e))
        {
            issues.add("entity", "choose_one");
        }
        let entity_id = optional_id(raw.entity_id.as_deref(), "entity_id", &mut issues);
        let from_day = optional_day(&raw.from, "from", &mut issues);
        let to_day = optional_day(&raw.to, "to", &mut issues);
        if let (Some(from), Some(to)) = (from_day, to_day)
            && to < from
        {
            issues.add("to", "period_end_before_start");
        }
        let before = given(&raw.before).and_then(|text| {
            Cursor::decode(text)
                .map_err(|_| issues.add("before", "cursor_invalid"))
                .ok()
        });
        issues.finish()?;
        Ok(Self {
            actor,
            entity_type,
            entity_id,
            from: from_day.map(|d| clock.start_of(d)),
            until: to_day.and_then(|d| d.succ_opt()).map(|d| clock.start_of(d)),
            before,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> RawFilter {
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        };
        RawFilter {
            actor: get("actor"),
            entity: get("entity"),
            entity_id: get("entity_id"),
            from: get("from"),
            to: get("to"),
            before: get("before"),
        }
    }

    fn utc() -> OrgClock {
        OrgClock::default()
    }

    #[test]
    fn the_period_is_in_the_organisations_days() {
        let beijing = OrgClock::fixed("Asia/Shanghai", 8 * 3600);
        let filter = AuditFilter::parse(
            &raw(&[("from", "2026-11-01"), ("to", "2026-11-01")]),
            &beijing,
        )
        .expect("ok");
        assert_eq!(
            filter.from.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-10-31T16:00:00+00:00")
        );
        assert_eq!(
            filter.until.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-11-01T16:00:00+00:00")
        );
    }

    #[test]
    fn empty_fields_mean_any() {
        let filter =
            AuditFilter::parse(&raw(&[("actor", " "), ("entity", "")]), &utc()).expect("ok");
        assert_eq!(filter.actor, None);
        assert_eq!(filter.entity_type, None);
        assert_eq!(filter.from, None);
    }

    #[test]
    fn the_period_covers_whole_days() {
        let filter = AuditFilter::parse(
            &raw(&[("from", "2026-11-01"), ("to", "2026-11-01")]),
            &utc(),
        )
        .expect("ok");
        assert_eq!(
            filter.from.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-11-01T00:00:00+00:00")
        );
        assert_eq!(
            filter.until.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-11-02T00:00:00+00:00")
        );
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let error = AuditFilter::parse(
            &raw(&[
                ("entity", "users; DROP TABLE"),
                ("entity_id", "-3"),
                ("from", "2026-13-01"),
                ("before", "forged"),
            ]),
            &utc(),
        )
        .expect_err("wrong");
        let fields: Vec<String> = error.issues().into_iter().map(|i| i.field).collect();
        assert_eq!(fields, ["entity", "entity_id", "from", "before"]);
    }

    #[test]
    fn a_reversed_period_is_refused() {
        let error = AuditFilter::parse(
            &raw(&[("from", "2026-11-05"), ("to", "2026-11-01")]),
            &utc(),
        )
        .expect_err("reversed");
        assert_eq!(error.field_message("to"), Some("period_end_before_start"));
    }
}
