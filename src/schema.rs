//! Reading a TOML document into its serde type, which is the document's
//! only schema.
//!
//! serde's `deny_unknown_fields` stops at the first stray key and forgets
//! where it was, and stops at the first bad value too. Here the document is
//! read through `serde_ignored` (as cargo reads `Cargo.toml`): every key the
//! type does not take is collected and placed by the spanned table it came
//! from, and after a bad value the key holding it is set aside and the rest
//! read again, so one run reports every unknown key and every bad value.
//! The keys a type takes, for "did you mean", come from the type too
//! ([`field_names`]): there is no second list of keys to keep in step.

use std::cell::Cell;
use std::ops::Range;

use serde::de::{self, Deserialize, DeserializeOwned, Visitor};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A key that the document's type does not take, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownKey {
    /// Dotted path of the table holding it: `""` for the top level,
    /// `"faq"` for a `[[faq]]` entry, `"markdown"` for `[markdown]`.
    pub(crate) table: String,
    pub(crate) name: String,
    /// Byte range of the key in the document.
    pub(crate) span: Range<usize>,
}

/// What reading a document found.
#[derive(Debug)]
pub(crate) struct Reading<T, D> {
    /// The typed value, when what is left after setting bad values aside
    /// reads (their keys then hold their defaults).
    pub(crate) value: Option<T>,
    /// Every bad value, as the caller's diagnostics.
    pub(crate) bad_values: Vec<D>,
    /// Every key the type does not take, in document order.
    pub(crate) unknown: Vec<UnknownKey>,
    /// The dotted names of the keys set aside for their bad values.
    pub(crate) set_aside: Vec<String>,
}

/// At most this many bad values are reported from one document.
const MAX_BAD_VALUES: usize = 20;

/// Reads `table`, parsed from `text`, as a `T`. `diagnostic` turns a
/// serde error, with the dotted name of the key set aside for it, into the
/// caller's diagnostic.
pub(crate) fn read<T: DeserializeOwned, D>(
    text: &str,
    table: Spanned<DeTable<'_>>,
    diagnostic: impl Fn(&toml::de::Error, Option<&str>) -> D,
) -> Reading<T, D> {
    let mut ignored: Vec<String> = Vec::new();
    // The common case, a document without a stray key or a bad value: one
    // pass, no copy of the table.
    let first = match deserialize_noting_ignored::<T>(table, &mut ignored) {
        Ok(value) if ignored.is_empty() => {
            return Reading {
                value: Some(value),
                bad_values: Vec::new(),
                unknown: Vec::new(),
                set_aside: Vec::new(),
            };
        }
        Ok(value) => Ok(value),
        Err(err) => Err(err),
    };
    // Else the text is read again: the keys are placed from the spanned
    // table, and after each bad value the rest is read once more.
    let Ok(spans) = DeTable::parse(text) else {
        return Reading {
            value: first.ok(),
            bad_values: Vec::new(),
            unknown: Vec::new(),
            set_aside: Vec::new(),
        };
    };
    let mut bad_values = Vec::new();
    let mut set_aside: Vec<String> = Vec::new();
    let mut attempt = spans.clone();
    let mut next = first;
    let value = loop {
        let error = match next {
            Ok(value) => break Some(value),
            Err(err) => err,
        };
        // A misspelt key (`questoin`) is the missing one (`question`) too:
        // its "unknown key" says so, with the fix, so a "missing field"
        // after one is not reported again.
        let misspelt = !ignored.is_empty() && error.message().contains("missing field");
        // A key set aside is missing now; that is not news.
        let message = error.message();
        let missing = |key: &String| {
            let name = key.rsplit('.').next().unwrap_or(key);
            message.contains(&format!("missing field `{name}`"))
        };
        if set_aside.iter().any(missing) {
            break None;
        }
        let holder = error
            .span()
            .and_then(|span| remove_key_at(attempt.get_mut(), span.start));
        if !misspelt {
            bad_values.push(diagnostic(&error, holder.as_deref()));
        }
        let Some(key) = holder.filter(|_| bad_values.len() < MAX_BAD_VALUES) else {
            break None;
        };
        set_aside.push(key);
        next = deserialize_noting_ignored::<T>(attempt.clone(), &mut ignored);
    };
    ignored.sort();
    ignored.dedup();
    let mut unknown: Vec<UnknownKey> = ignored
        .iter()
        .filter_map(|path| place_key(spans.get_ref(), path))
        .collect();
    unknown.sort_by_key(|key| key.span.start);
    Reading {
        value,
        bad_values,
        unknown,
        set_aside,
    }
}

fn deserialize_noting_ignored<T: DeserializeOwned>(
    table: Spanned<DeTable<'_>>,
    ignored: &mut Vec<String>,
) -> Result<T, toml::de::Error> {
    serde_ignored::deserialize(toml::de::Deserializer::from(table), |path| {
        ignored.push(path.to_string())
    })
}

/// The key at a dotted `serde_ignored` path (`faq.0.answr`) in `table`.
fn place_key(table: &DeTable<'_>, path: &str) -> Option<UnknownKey> {
    // A `Spanned<T>` reads its value under a private key of toml's, which
    // is no key of the document.
    let parts: Vec<&str> = path
        .split('.')
        .filter(|part| !part.starts_with("$__serde_spanned_private"))
        .collect();
    let (name, holders) = parts.split_last()?;
    let mut current = table;
    let mut tables = Vec::new();
    let mut at = 0;
    while at < holders.len() {
        let value = current.get(holders[at])?;
        tables.push(holders[at]);
        at += 1;
        current = match value.get_ref() {
            DeValue::Table(inner) => inner,
            DeValue::Array(items) => {
                let index: usize = holders.get(at)?.parse().ok()?;
                at += 1;
                match items.get(index)?.get_ref() {
                    DeValue::Table(inner) => inner,
                    _ => return None,
                }
            }
            _ => return None,
        };
    }
    let (key, _) = current.get_key_value(*name)?;
    Some(UnknownKey {
        table: tables.join("."),
        name: name.to_string(),
        span: key.span(),
    })
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

/// Every string value of `table` (nested tables and arrays included) that
/// holds a character matching `bad`: the value's span and the first such
/// character.
pub(crate) fn strings_holding(table: &DeTable<'_>, bad: fn(char) -> bool) -> Vec<(Range<usize>, char)> {
    string_values(table)
        .into_iter()
        .filter_map(|value| value.text.chars().find(|&c| bad(c)).map(|c| (value.span, c)))
        .collect()
}

/// A string value of a document.
pub(crate) struct StringValue<'a> {
    /// The dotted key holding it (`clinic.logo`; `clinic.hours` for an
    /// item of that array).
    pub(crate) key: String,
    pub(crate) span: Range<usize>,
    pub(crate) text: &'a str,
}

/// Every string value of `table`, nested tables and arrays included, in
/// document order.
pub(crate) fn string_values<'a>(table: &'a DeTable<'_>) -> Vec<StringValue<'a>> {
    fn visit<'a>(key: &str, value: &'a Spanned<DeValue<'_>>, found: &mut Vec<StringValue<'a>>) {
        match value.get_ref() {
            DeValue::String(text) => found.push(StringValue {
                key: key.to_string(),
                span: value.span(),
                text,
            }),
            DeValue::Array(items) => items.iter().for_each(|item| visit(key, item, found)),
            DeValue::Table(inner) => inner
                .iter()
                .for_each(|(name, item)| visit(&dotted(key, name.get_ref()), item, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    table
        .iter()
        .for_each(|(name, value)| visit(name.get_ref(), value, &mut found));
    found.sort_by_key(|value| value.span.start);
    found
}

fn dotted(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The keys a struct type takes, as its `Deserialize` impl names them
/// (after `rename`s): serde hands every struct's field list to the
/// deserializer, and this one only notes it.
pub(crate) fn field_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let fields = Cell::new(None);
    let _ = T::deserialize(FieldNames { fields: &fields });
    fields.get().unwrap_or(&[])
}

/// A deserializer that records the field list of the struct asked for and
/// fails everything else.
struct FieldNames<'a> {
    fields: &'a Cell<Option<&'static [&'static str]>>,
}

#[derive(Debug)]
struct NotAStruct;

impl std::fmt::Display for NotAStruct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("only noting field names")
    }
}

impl std::error::Error for NotAStruct {}

impl de::Error for NotAStruct {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        NotAStruct
    }
}

impl<'de> de::Deserializer<'de> for FieldNames<'_> {
    type Error = NotAStruct;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, NotAStruct> {
        Err(NotAStruct)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, NotAStruct> {
        self.fields.set(Some(fields));
        Err(NotAStruct)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Default)]
    #[serde(default)]
    struct Faq {
        question: String,
        answer: String,
    }

    #[derive(Debug, Deserialize, Default)]
    #[serde(default)]
    struct Page {
        title: Option<Spanned<String>>,
        weight: i64,
        faq: Vec<Faq>,
        extra: toml::Table,
    }

    fn read_page(text: &str) -> Reading<Page, String> {
        let table = DeTable::parse(text).unwrap();
        read(text, table, |err, key| {
            format!("{}: {}", key.unwrap_or("?"), err.message())
        })
    }

    #[test]
    fn reports_every_unknown_key_with_its_span() {
        let text = "titel = 'a'\nfoo = 1\n[extra]\nanything = 2\n[[faq]]\nquestoin = 'q'\n";
        let reading = read_page(text);
        let names: Vec<_> = reading
            .unknown
            .iter()
            .map(|u| (u.table.as_str(), u.name.as_str()))
            .collect();
        assert_eq!(names, [("", "titel"), ("", "foo"), ("faq", "questoin")]);
        assert_eq!(&text[reading.unknown[2].span.clone()], "questoin");
        assert!(reading.value.is_some());
    }

    #[test]
    fn reports_bad_values_and_unknown_keys_in_one_reading() {
        let text = "weight = 'heavy'\nwieght = 3\ntitle = 4\n";
        let reading = read_page(text);
        assert_eq!(reading.bad_values.len(), 2, "{:?}", reading.bad_values);
        assert!(reading.bad_values[0].starts_with("title:") || reading.bad_values[0].starts_with("weight:"));
        assert_eq!(reading.unknown.len(), 1);
        assert_eq!(reading.unknown[0].name, "wieght");
    }

    #[test]
    fn keys_inside_a_spanned_table_are_placed_too() {
        #[derive(Debug, Deserialize, Default)]
        #[serde(default)]
        struct Groups {
            group: Vec<Spanned<Faq>>,
        }
        let text = "[[group]]\nquestion = 'q'\nanwser = 'a'\n";
        let reading: Reading<Groups, String> =
            read(text, DeTable::parse(text).unwrap(), |err, _| err.message().to_string());
        assert_eq!(reading.unknown.len(), 1, "{reading:?}");
        assert_eq!(
            (reading.unknown[0].table.as_str(), reading.unknown[0].name.as_str()),
            ("group", "anwser")
        );
        assert_eq!(&text[reading.unknown[0].span.clone()], "anwser");
    }

    #[test]
    fn field_names_come_from_the_type() {
        assert_eq!(field_names::<Page>(), ["title", "weight", "faq", "extra"]);
        assert_eq!(field_names::<Faq>(), ["question", "answer"]);
        assert!(field_names::<String>().is_empty());
    }
}
