//! `[clinic]` values the structured data cannot use: opening hours that
//! do not read as days and times are shown in the footer as written but
//! left out of the clinic's JSON-LD, so search engines would not know them.

use crate::config::hours::OpeningHours;
use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::Rule;
use crate::diagnostics::{Diagnostic, Diagnostics};

pub(super) fn check_hours(config: &Config, found: &mut Diagnostics) {
    let Some(clinic) = &config.clinic else {
        return;
    };
    for (i, line) in clinic.hours.iter().enumerate() {
        if OpeningHours::parse(line).is_none() {
            found.push(
                Diagnostic::warning(
                    CONFIG_FILE,
                    config.places.get(&format!("clinic.hours.{i}")),
                    format!("opening hours `{line}` are not days and times, so search engines will not see them"),
                )
                .with_rule(Rule::ClinicHours)
                .with_hint("write one day range per line, e.g. \"Mon-Fri 07:30-18:30\" or \"Sat 08:00-12:00\"; put notes such as holidays on a page of the site"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_hours_are_named_at_their_line() {
        let text = "title = 'T'\nbase_url = 'https://x'\n[clinic]\nhours = ['Mon-Fri 8-17', 'Closed on holidays']\n";
        let config = Config::parse(text).unwrap();
        let mut found = Diagnostics::new();
        check_hours(&config, &mut found);
        let found = found.sorted();
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].line, found[0].col), (4, 26));
        assert!(found[0].message.contains("`Closed on holidays`"));
    }
}
