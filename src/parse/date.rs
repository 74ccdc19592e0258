//! Dates from front matter: a TOML date (`2025-12-14`), a TOML datetime, or
//! the same written as a string. Kept as the writer wrote it (for JSON-LD and
//! feeds) plus a sortable key and a human form for pages.

use std::str::FromStr;

use serde::Serialize;
use toml::value::Datetime;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar date with an optional time, as written in front matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct PageDate {
    /// `2025-12-14` or the full RFC 3339 datetime.
    pub(crate) iso: String,
    /// `14 December 2025`.
    pub(crate) display: String,
    #[serde(skip)]
    pub(crate) year: i32,
    #[serde(skip)]
    pub(crate) month: u8,
    #[serde(skip)]
    pub(crate) day: u8,
    /// Seconds since 1970-01-01 UTC (local times taken as UTC), for sorting.
    #[serde(skip)]
    pub(crate) timestamp: i64,
}

impl PageDate {
    /// Converts a TOML value (date, datetime or string) into a date, or says
    /// what is wrong with it.
    pub(crate) fn from_toml(value: &toml::Value) -> Result<PageDate, String> {
        let datetime = match value {
            toml::Value::Datetime(datetime) => *datetime,
            toml::Value::String(text) => {
                Datetime::from_str(text.trim()).map_err(|_| format!("`{text}` is not a date"))?
            }
            other => return Err(format!("expected a date, found {}", other.type_str())),
        };
        PageDate::from_datetime(&datetime)
    }

    fn from_datetime(datetime: &Datetime) -> Result<PageDate, String> {
        let date = datetime
            .date
            .ok_or_else(|| format!("`{datetime}` has a time but no date"))?;
        let (year, month, day) = (i32::from(date.year), date.month, date.day);
        let mut seconds = days_from_civil(year, month, day) * 86_400;
        if let Some(time) = datetime.time {
            seconds += i64::from(time.hour) * 3600 + i64::from(time.minute) * 60 + i64::from(time.second.unwrap_or(0));
        }
        if let Some(toml::value::Offset::Custom { minutes }) = datetime.offset {
            seconds -= i64::from(minutes) * 60;
        }
        Ok(PageDate {
            iso: datetime.to_string(),
            display: format!("{} {} {}", day, MONTHS[usize::from(month.clamp(1, 12)) - 1], year),
            year,
            month,
            day,
            timestamp: seconds,
        })
    }

    /// RFC 3339 form for feeds and sitemaps: dates get midnight UTC.
    pub(crate) fn rfc3339(&self) -> String {
        if self.iso.len() == 10 {
            format!("{}T00:00:00Z", self.iso)
        } else if self.iso.contains('Z') || self.iso[10..].contains(['+', '-']) {
            self.iso.replace(' ', "T")
        } else {
            format!("{}Z", self.iso.replace(' ', "T"))
        }
    }

    /// Days since 1970-01-01, for age checks.
    pub(crate) fn days_since_epoch(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`, public-domain algorithm).
pub(crate) fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_dates_and_strings_are_accepted() {
        let native: toml::Table = toml::from_str("d = 2025-12-14").unwrap();
        let date = PageDate::from_toml(&native["d"]).unwrap();
        assert_eq!(date.iso, "2025-12-14");
        assert_eq!(date.display, "14 December 2025");
        assert_eq!(date.rfc3339(), "2025-12-14T00:00:00Z");
        let text = PageDate::from_toml(&toml::Value::String("2025-12-14T08:30:00+01:00".into())).unwrap();
        assert_eq!(text.rfc3339(), "2025-12-14T08:30:00+01:00");
        assert_eq!(text.timestamp, date.timestamp + 7 * 3600 + 30 * 60);
    }

    #[test]
    fn bad_dates_say_why() {
        let err = PageDate::from_toml(&toml::Value::String("14/12/2025".into())).unwrap_err();
        assert!(err.contains("not a date"));
        assert!(PageDate::from_toml(&toml::Value::Integer(3)).is_err());
        assert!(PageDate::from_toml(&toml::Value::String("2025-02-30".into())).is_err());
    }

    #[test]
    fn civil_days_match_known_values() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 11, 24) - days_from_civil(2025, 11, 24), 365);
    }
}
