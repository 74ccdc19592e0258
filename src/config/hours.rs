//! Opening hours as people write them (`Mon-Fri 07:30-18:30`,
//! `Sat 08:00-12:00`, `Mon, Wed 9:00–17:00`) read into days and times for
//! the clinic's JSON-LD. The footer shows the lines as written; a line this
//! cannot read ("Closed on public holidays") is left out of the structured
//! data only, and `praxis check` says so.

/// schema.org day names, Monday first.
pub(crate) const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// One line of opening hours: the days (indexes into [`DAYS`]) and the
/// times as `HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpeningHours {
    pub(crate) days: Vec<usize>,
    pub(crate) opens: String,
    pub(crate) closes: String,
}

impl OpeningHours {
    /// Reads `DAYS TIME-TIME`; `None` when the line is anything else.
    pub(crate) fn parse(line: &str) -> Option<OpeningHours> {
        let line = line.trim();
        let split = line.find(|c: char| c.is_ascii_digit())?;
        let (days_text, times_text) = line.split_at(split);
        let days = parse_days(days_text.trim().trim_end_matches(':'))?;
        let (opens, closes) = times_text
            .split_once(['-', '\u{2013}', '\u{2014}'])
            .map(|(a, b)| (a.trim(), b.trim()))?;
        Some(OpeningHours {
            days,
            opens: parse_time(opens)?,
            closes: parse_time(closes)?,
        })
    }

    /// The schema.org `openingHours` text: `Mo-Fr 07:30-18:30`.
    pub(crate) fn schema_text(&self) -> String {
        let short = |day: usize| &DAYS[day][..2];
        let contiguous = self.days.windows(2).all(|pair| pair[1] == pair[0] + 1);
        let days = match (self.days.first(), self.days.last()) {
            (Some(first), Some(last)) if contiguous && self.days.len() > 2 => {
                format!("{}-{}", short(*first), short(*last))
            }
            _ => self.days.iter().map(|d| short(*d)).collect::<Vec<_>>().join(","),
        };
        format!("{days} {}-{}", self.opens, self.closes)
    }
}

/// `Mon-Fri`, `Mon, Wed`, `Saturday`, `Mon-Wed, Fri`.
fn parse_days(text: &str) -> Option<Vec<usize>> {
    let mut days = Vec::new();
    for part in text.split([',', '&', '/']).map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once(['-', '\u{2013}']) {
            Some((from, to)) => {
                let (from, to) = (day_index(from)?, day_index(to)?);
                if to < from {
                    return None;
                }
                days.extend(from..=to);
            }
            None => days.push(day_index(part)?),
        }
    }
    days.sort_unstable();
    days.dedup();
    (!days.is_empty()).then_some(days)
}

/// A day by its name or a prefix of two letters or more: `Mo`, `Mon`,
/// `Monday`, `tues`.
fn day_index(text: &str) -> Option<usize> {
    let word = text.trim().trim_end_matches('.').to_lowercase();
    if word.len() < 2 {
        return None;
    }
    DAYS.iter().position(|day| day.to_lowercase().starts_with(&word))
}

/// `7:30`, `07:30`, `18.30`, `9` -> `HH:MM`.
fn parse_time(text: &str) -> Option<String> {
    let (hours, minutes) = match text.split_once([':', '.']) {
        Some((h, m)) => (h, m),
        None => (text, "0"),
    };
    let hours: u8 = hours.trim().parse().ok()?;
    let minutes: u8 = minutes.trim().parse().ok()?;
    (hours <= 24 && minutes < 60).then(|| format!("{hours:02}:{minutes:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_ranges_lists_and_times_are_read() {
        let weekdays = OpeningHours::parse("Mon-Fri 07:30-18:30").unwrap();
        assert_eq!(weekdays.days, [0, 1, 2, 3, 4]);
        assert_eq!((weekdays.opens.as_str(), weekdays.closes.as_str()), ("07:30", "18:30"));
        assert_eq!(weekdays.schema_text(), "Mo-Fr 07:30-18:30");

        let some = OpeningHours::parse("Mon, Wed & Friday: 9:00 \u{2013} 17.00").unwrap();
        assert_eq!(some.days, [0, 2, 4]);
        assert_eq!(some.schema_text(), "Mo,We,Fr 09:00-17:00");
        assert_eq!(OpeningHours::parse("Sat 8-12").unwrap().schema_text(), "Sa 08:00-12:00");
    }

    #[test]
    fn other_lines_are_not_guessed_at() {
        for line in [
            "Closed on public holidays",
            "Fri-Mon 9:00-17:00",
            "Mon 25:00-26:00",
            "9:00-17:00",
            "M 9-5",
        ] {
            assert_eq!(OpeningHours::parse(line), None, "{line}");
        }
    }
}
