//! Where each value of `site.toml` stands, for messages about values that
//! are only judged after parsing: a colour that fails contrast in
//! `praxis check`, a legal page that does not exist at render time.

use std::collections::BTreeMap;

use toml::de::{DeTable, DeValue};

use crate::diagnostics::Position;

/// Positions of values by dotted key: `theme_options.primary_color`,
/// `clinic.hours.1` (array items by index).
#[derive(Debug, Clone, Default)]
pub(crate) struct ConfigPlaces {
    places: BTreeMap<String, Position>,
}

impl ConfigPlaces {
    /// Every value of `table`, parsed from `text`.
    pub(crate) fn of(table: &DeTable<'_>, text: &str) -> ConfigPlaces {
        let mut places = ConfigPlaces::default();
        places.walk_table(table, "", text);
        places
    }

    /// The value's place, or the start of the file when it has none (a
    /// default value, or a config built in a test).
    pub(crate) fn get(&self, key: &str) -> Position {
        self.places.get(key).copied().unwrap_or(Position::START)
    }

    fn walk_table(&mut self, table: &DeTable<'_>, prefix: &str, text: &str) {
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            let path = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            };
            let span = value.span();
            self.places
                .insert(path.clone(), Position::at(text, span.start, span.len()));
            match value.get_ref() {
                DeValue::Table(inner) => self.walk_table(inner, &path, text),
                DeValue::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let span = item.span();
                        self.places
                            .insert(format!("{path}.{i}"), Position::at(text, span.start, span.len()));
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_array_items_have_their_place() {
        let text = "title = 'T'\n[clinic]\nhours = ['a', 'bb']\n[theme_options]\nprimary_color = '#fff'\n";
        let table = DeTable::parse(text).unwrap();
        let places = ConfigPlaces::of(table.get_ref(), text);
        let at = |key| {
            let p = places.get(key);
            (p.line, p.col)
        };
        assert_eq!(at("theme_options.primary_color"), (5, 17));
        assert_eq!(at("clinic.hours.1"), (3, 15));
        assert_eq!(at("missing"), (1, 1));
    }
}
