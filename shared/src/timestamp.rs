//! Reading the API's timestamps back: RFC 3339 as chrono writes them (`2026-12-02T16:57:00.123456Z`).
//!
//! chrono's own reader goes through its general format parser, about 18 KB of the dashboard's
//! wasm; every timestamp the API sends has this one form, so the wire types read it here instead
//! (`#[serde(deserialize_with = "crate::timestamp::deserialize")]`). Writing stays chrono's.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::de::Error;
use serde::{Deserialize, Deserializer};

/// `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits, then `Z` or `±HH:MM`.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let digits = |from: usize, to: usize| -> Option<u32> {
        let part = text.get(from..to)?;
        part.bytes().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let at = |i: usize, c: u8| text.as_bytes().get(i) == Some(&c);
    if !(at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':')) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(digits(0, 4)?).ok()?, digits(5, 7)?, digits(8, 10)?)?;
    let mut rest = text.get(19..)?;
    let mut nanos = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let count = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=9).contains(&count) {
            return None;
        }
        nanos = digits(20, 20 + count)? * 10u32.pow(9 - count as u32);
        rest = &fraction[count..];
    }
    let time = NaiveTime::from_hms_nano_opt(digits(11, 13)?, digits(14, 16)?, digits(17, 19)?, nanos)?;
    let east_seconds = match rest.as_bytes() {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let two = |a: u8, b: u8| {
                (a.is_ascii_digit() && b.is_ascii_digit()).then(|| i64::from((a - b'0') * 10 + b - b'0'))
            };
            let (hours, minutes) = (two(*h1, *h2)?, two(*m1, *m2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = hours * 3600 + minutes * 60;
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    let utc = date.and_time(time).checked_sub_signed(TimeDelta::seconds(east_seconds))?;
    Some(utc.and_utc())
}

/// serde's `deserialize_with` for a `DateTime<Utc>` field.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse(&text).ok_or_else(|| D::Error::custom("expected an RFC 3339 timestamp"))
}

/// serde's `deserialize_with` for an `Option<DateTime<Utc>>` field (with `default`: absent is `None`).
pub fn deserialize_option<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(deserializer)? {
        Some(text) => parse(&text).map(Some).ok_or_else(|| D::Error::custom("expected an RFC 3339 timestamp")),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};
    use proptest::prelude::*;

    #[test]
    fn reads_the_forms_the_api_writes() {
        let at = Utc.with_ymd_and_hms(2026, 12, 2, 16, 57, 0).unwrap();
        assert_eq!(parse("2026-12-02T16:57:00Z"), Some(at));
        assert_eq!(parse("2026-12-02T17:57:00+01:00"), Some(at));
        assert_eq!(parse("2026-12-02T16:27:00-00:30"), Some(at));
        assert_eq!(parse("2026-12-02T16:57:00.5Z"), Some(at + TimeDelta::milliseconds(500)));
        assert_eq!(parse("2026-12-02T16:57:00.000000001Z"), Some(at + TimeDelta::nanoseconds(1)));
    }

    #[test]
    fn refuses_what_is_not_one_instant() {
        for text in [
            "",
            "2026-12-02",
            "2026-12-02T16:57:00",
            "2026-12-02 16:57:00Z",
            "2026-13-02T16:57:00Z",
            "2026-02-30T16:57:00Z",
            "2026-12-02T24:00:00Z",
            "2026-12-02T16:57:00.Z",
            "2026-12-02T16:57:00.1234567891Z",
            "2026-12-02T16:57:00+1:00",
            "2026-12-02T16:57:00+24:00",
            "2026-12-02T16:57:00Zjunk",
            "2026-1a-02T16:57:00Z",
            "+2026-12-02T16:57:00Z",
            "2026-12-02T16:57:00é",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_field_reads_through_serde_and_names_the_problem() {
        #[derive(Deserialize)]
        struct Row {
            #[serde(deserialize_with = "deserialize")]
            at: DateTime<Utc>,
            #[serde(default, deserialize_with = "deserialize_option")]
            seen: Option<DateTime<Utc>>,
        }
        let row: Row = serde_json::from_str(r#"{"at":"2026-12-02T16:57:00Z"}"#).unwrap();
        assert_eq!((row.at, row.seen), (Utc.with_ymd_and_hms(2026, 12, 2, 16, 57, 0).unwrap(), None));
        let row: Row = serde_json::from_str(r#"{"at":"2026-12-02T16:57:00Z","seen":null}"#).unwrap();
        assert_eq!(row.seen, None);
        let error = serde_json::from_str::<Row>(r#"{"at":"yesterday"}"#).err().unwrap();
        assert!(error.to_string().contains("RFC 3339"), "{error}");
    }

    /// A wire type's timestamp left to chrono's own reader would bring its format parser back into
    /// the dashboard: every `DateTime` field of `v1` reads here.
    #[test]
    fn every_wire_timestamp_reads_here() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/v1");
        let mut fields = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            for (i, line) in lines.iter().enumerate() {
                if line.starts_with("pub ") && line.contains("DateTime<") && line.ends_with(',') {
                    fields += 1;
                    // Its attributes and doc comments: the lines up to the previous field or the struct's start.
                    let mut above = lines[..i].iter().rev().take_while(|l| !(l.is_empty() || l.starts_with("pub ")));
                    assert!(above.any(|l| l.contains("crate::timestamp::deserialize")), "{}:{}", path.display(), i + 1);
                }
            }
        }
        assert!(fields > 20, "found only {fields} timestamp fields: is the scan still reading the wire types?");
    }

    proptest! {
        /// Whatever chrono writes (the API's own serde), this reads back to the same instant, and it
        /// agrees with chrono's reader on other offsets.
        #[test]
        fn reads_back_what_chrono_writes(
            // From 0001-01-02 to 9999-12-30: a day inside the four-digit years at any offset.
            seconds in -62_135_510_400i64..253_402_214_400,
            nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000],
            offset_minutes in -1439i32..1440,
        ) {
            let at = DateTime::from_timestamp(seconds, nanos).unwrap();
            let written = serde_json::to_value(at).unwrap();
            prop_assert_eq!(parse(written.as_str().unwrap()), Some(at));
            let offset = FixedOffset::east_opt(offset_minutes * 60).unwrap();
            let elsewhere = at.with_timezone(&offset).to_rfc3339();
            prop_assert_eq!(parse(&elsewhere), Some(at));
        }
    }
}
