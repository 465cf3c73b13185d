//! Keyset cursors: the (created_at, id) of the last row shown, opaque to
//! clients (`v1.` + hex) and validated on the way back in: a forged or
//! damaged cursor is a 400, never a 500.
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub created_at: DateTime<Utc>,
    pub id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the cursor is not one this server made")]
pub struct BadCursor;

const PREFIX: &str = "v1.";

impl Cursor {
    pub fn encode(&self) -> String {
        let plain = format!("{}:{}", self.created_at.timestamp_micros(), self.id);
        let hex: String = plain.bytes().map(|b| format!("{b:02x}")).collect();
        format!("{PREFIX}{hex}")
    }

    pub fn decode(text: &str) -> Result<Self, BadCursor> {
        let hex = text.strip_prefix(PREFIX).ok_or(BadCursor)?;
        if hex.len() % 2 != 0 || hex.len() > 80 {
            return Err(BadCursor);
        }
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| {
                u8::from_str_radix(hex.get(i..i + 2).ok_or(BadCursor)?, 16).map_err(|_| BadCursor)
            })
            .collect::<Result<Vec<u8>, BadCursor>>()?;
        let plain = String::from_utf8(bytes).map_err(|_| BadCursor)?;
        let (micros, id) = plain.split_once(':').ok_or(BadCursor)?;
        let micros: i64 = micros.parse().map_err(|_| BadCursor)?;
        let id: i64 = id.parse().map_err(|_| BadCursor)?;
        let created_at = DateTime::from_timestamp_micros(micros)
            .filter(|at| crate::dates::instant_in_window(*at))
            .ok_or(BadCursor)?;
        if id <= 0 {
            return Err(BadCursor);
        }
        Ok(Self { created_at, id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let cursor = Cursor {
            created_at: DateTime::from_timestamp_micros(1_764_000_000_123_456).expect("time"),
            id: 42,
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Ok(cursor));
        for forged in [
            "",
            "v1.",
            "v1.zz",
            "v1.3",
            "abc",
            "v1.313a2d31",
            "v2.31323a3432",
            "v1.3a3432",
            // -8000000000000000000:1, a real instant PostgreSQL cannot store.
            "v1.2d383030303030303030303030303030303030303a31",
        ] {
            assert_eq!(Cursor::decode(forged), Err(BadCursor), "{forged}");
        }
    }
}
