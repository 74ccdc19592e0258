//! Checks the keys of a parsed TOML document against what Praxis knows, before
//! serde sees it.
//!
//! serde's `deny_unknown_fields` stops at the first stray key and forgets
//! where it was; walking the spanned table ourselves reports every unknown key
//! of a file at once, at its exact place, with the closest known key.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// What a key holds, as far as key checking cares.
#[derive(Debug, Clone, Copy)]
pub enum KeyShape {
    /// A plain value (string, number, date, array of plain values).
    Value,
    /// A table whose keys are checked against the list.
    Table(&'static [KnownKey]),
    /// An array of tables (`[[faq]]`) whose keys are checked against the list.
    TableArray(&'static [KnownKey]),
    /// Free-form data (`[extra]`): anything goes.
    FreeForm,
}

/// One key a document may hold.
#[derive(Debug, Clone, Copy)]
pub struct KnownKey {
    pub name: &'static str,
    pub shape: KeyShape,
}

impl KnownKey {
    pub const fn value(name: &'static str) -> KnownKey {
        KnownKey {
            name,
            shape: KeyShape::Value,
        }
    }
}

/// A key that is not in the schema, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// Dotted path of the table holding it (`""` for the top level, `"faq"`).
    pub table: String,
    pub name: String,
    /// Byte range of the key in the checked text.
    pub span: Range<usize>,
    /// Known keys of the same table, for suggestions.
    pub known: Vec<&'static str>,
}

/// Every key of `table` (and its known sub-tables) that `schema` lacks.
pub fn unknown_keys(table: &DeTable<'_>, schema: &[KnownKey]) -> Vec<UnknownKey> {
    let mut found = Vec::new();
    walk(table, schema, "", &mut found);
    // The parsed table keeps keys sorted by name; report in file order.
    found.sort_by_key(|unknown| unknown.span.start);
    found
}

/// Every string value of `table` (nested tables and arrays included) that
/// holds a character matching `bad`: the value's span and the first such
/// character.
pub fn strings_holding(table: &DeTable<'_>, bad: fn(char) -> bool) -> Vec<(Range<usize>, char)> {
    fn visit(value: &toml::Spanned<DeValue<'_>>, bad: fn(char) -> bool, found: &mut Vec<(Range<usize>, char)>) {
        match value.get_ref() {
            DeValue::String(text) => {
                if let Some(c) = text.chars().find(|&c| bad(c)) {
                    found.push((value.span(), c));
                }
            }
            DeValue::Array(items) => items.iter().for_each(|item| visit(item, bad, found)),
            DeValue::Table(inner) => inner.iter().for_each(|(_, item)| visit(item, bad, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    table.iter().for_each(|(_, value)| visit(value, bad, &mut found));
    found.sort_by_key(|(span, _)| span.start);
    found
}

/// Deserialises the TOML `fragment` into `T` after serde failed on it with
/// `first`, and reports every bad value, not just the first: serde stops at
/// one, so after each the innermost key holding it is set aside and the rest
/// is read again (up to 20 errors). `diagnostic` turns an error, with the
/// dotted name of the key set aside for it, into a diagnostic. Returns `T`
/// when what is left reads (its set-aside keys at their defaults), for
/// checks that need the rest of the values.
pub fn read_every_bad_value<T: serde::de::DeserializeOwned, D>(
    fragment: &str,
    first: toml::de::Error,
    diagnostic: impl Fn(&toml::de::Error, Option<&str>) -> D,
) -> (Option<T>, Vec<D>) {
    let Ok(mut table) = DeTable::parse(fragment) else {
        return (None, vec![diagnostic(&first, None)]);
    };
    table.get_mut().make_owned();
    let mut errors = Vec::new();
    let mut set_aside: Vec<String> = Vec::new();
    let mut next = first;
    loop {
        // A key set aside is missing now; that is not news.
        let message = next.message();
        let missing = |key: &String| {
            let name = key.rsplit('.').next().unwrap_or(key);
            message.contains(&format!("missing field `{name}`"))
        };
        if set_aside.iter().any(missing) {
            return (None, errors);
        }
        let holder = next.span().and_then(|span| remove_key_at(table.get_mut(), span.start));
        errors.push(diagnostic(&next, holder.as_deref()));
        let Some(key) = holder.filter(|_| errors.len() < 20) else {
            return (None, errors);
        };
        set_aside.push(key);
        match T::deserialize(toml::de::Deserializer::from(table.clone())) {
            Ok(value) => return (Some(value), errors),
            Err(err) => next = err,
        }
    }
}

/// Removes the innermost key of `table` whose key or value holds byte
/// `at`, looking into tables (not arrays: a bad `[[faq]]` entry sets aside
/// the whole array); returns its dotted name.
fn remove_key_at(table: &mut DeTable<'_>, at: usize) -> Option<String> {
    let mut holder = None;
    for (key, value) in table.iter_mut() {
        if let DeValue::Table(inner) = value.get_mut()
            && let Some(deeper) = remove_key_at(inner, at)
        {
            return Some(format!("{}.{deeper}", key.get_ref()));
        }
        if key.span().contains(&at) || value.span().contains(&at) {
            holder = Some(key.get_ref().to_string());
            break;
        }
    }
    let key = holder?;
    table.remove(key.as_str());
    Some(key)
}

fn walk(table: &DeTable<'_>, schema: &[KnownKey], prefix: &str, found: &mut Vec<UnknownKey>) {
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        let Some(known) = schema.iter().find(|k| k.name == name) else {
            found.push(UnknownKey {
                table: prefix.to_string(),
                name: name.to_string(),
                span: key.span(),
                known: schema.iter().map(|k| k.name).collect(),
            });
            continue;
        };
        let child_prefix = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        };
        match (known.shape, value.get_ref()) {
            (KeyShape::Table(keys), DeValue::Table(inner)) => walk(inner, keys, &child_prefix, found),
            (KeyShape::TableArray(keys), DeValue::Array(items)) => {
                for item in items.iter() {
                    if let DeValue::Table(inner) = item.get_ref() {
                        walk(inner, keys, &child_prefix, found);
                    }
                }
            }
            // Wrong shapes are left to serde, which names the expected type.
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAQ: &[KnownKey] = &[KnownKey::value("question"), KnownKey::value("answer")];
    const SCHEMA: &[KnownKey] = &[
        KnownKey::value("title"),
        KnownKey {
            name: "faq",
            shape: KeyShape::TableArray(FAQ),
        },
        KnownKey {
            name: "extra",
            shape: KeyShape::FreeForm,
        },
    ];

    #[test]
    fn reports_every_unknown_key_with_its_span() {
        let text = "titel = 'a'\nfoo = 1\n[extra]\nanything = 2\n[[faq]]\nquestoin = 'q'\n";
        let table = DeTable::parse(text).unwrap();
        let found = unknown_keys(table.get_ref(), SCHEMA);
        let names: Vec<_> = found.iter().map(|u| (u.table.as_str(), u.name.as_str())).collect();
        assert_eq!(names, [("", "titel"), ("", "foo"), ("faq", "questoin")]);
        assert_eq!(&text[found[2].span.clone()], "questoin");
    }
}
