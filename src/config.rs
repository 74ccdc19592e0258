//! `site.toml` -> [`Config`].
//!
//! The file is parsed once into a spanned TOML table so that every unknown
//! key can be reported at its place with the closest known key, then handed
//! to serde for the typed values (docs/site-format.md, "site.toml").

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::de::DeTable;

use crate::diagnostics::{Diagnostic, Diagnostics, Position, Rule, closest};
use crate::schema::field_names;

mod branding;
pub(crate) mod hours;
mod places;
mod toml_errors;

pub(crate) use toml_errors::{MISSING_KEY_HINT, keyed_toml_error, toml_error};

pub(crate) use branding::{ClinicConfig, FontStack, ThemeOptions};
pub(crate) use places::ConfigPlaces;

/// The file name of the configuration, relative to the site root.
pub(crate) const CONFIG_FILE: &str = "site.toml";

/// Who a page is written for; decides labels, readability checks and JSON-LD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Audience {
    #[default]
    Patients,
    Clinicians,
    Everyone,
}

impl Audience {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Audience::Patients => "For patients",
            Audience::Clinicians => "For clinicians",
            Audience::Everyone => "For everyone",
        }
    }
}

/// The whole of `site.toml`. Like every table of the file, its type is its
/// only schema: the keys it takes are its fields, their defaults are its
/// `Default`, and `title` and `base_url`, which have none, are checked for
/// by [`Config::parse`].
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct Config {
    pub(crate) title: String,
    pub(crate) base_url: String,
    pub(crate) description: String,
    pub(crate) language: String,
    pub(crate) theme: String,
    pub(crate) output_dir: String,
    pub(crate) default_audience: Audience,
    pub(crate) disclaimer: Option<String>,
    pub(crate) markdown: MarkdownConfig,
    pub(crate) links: LinksConfig,
    pub(crate) search: SearchConfig,
    pub(crate) readability: ReadabilityConfig,
    pub(crate) review: ReviewConfig,
    pub(crate) clinic: Option<ClinicConfig>,
    pub(crate) theme_options: ThemeOptions,
    pub(crate) privacy: PrivacyConfig,
    pub(crate) extra: toml::Table,
    /// Where each value stands in site.toml, for messages about values
    /// judged after parsing (contrast, legal pages).
    #[serde(skip)]
    pub(crate) places: ConfigPlaces,
}

/// The theme built into the binary, `theme = "default"`.
pub(crate) const DEFAULT_THEME: &str = "default";

impl Default for Config {
    fn default() -> Self {
        Config {
            title: String::new(),
            base_url: String::new(),
            description: String::new(),
            language: "en".into(),
            theme: DEFAULT_THEME.into(),
            output_dir: "public".into(),
            default_audience: Audience::default(),
            disclaimer: None,
            markdown: MarkdownConfig::default(),
            links: LinksConfig::default(),
            search: SearchConfig::default(),
            readability: ReadabilityConfig::default(),
            review: ReviewConfig::default(),
            clinic: None,
            theme_options: ThemeOptions::default(),
            privacy: PrivacyConfig::default(),
            extra: toml::Table::new(),
            places: ConfigPlaces::default(),
        }
    }
}

/// `[markdown]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct MarkdownConfig {
    pub(crate) highlight_theme: Option<String>,
    pub(crate) smart_punctuation: bool,
    pub(crate) unsafe_html: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight_theme: None,
            smart_punctuation: true,
            unsafe_html: false,
        }
    }
}

/// `[links]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct LinksConfig {
    pub(crate) auto_link: bool,
}

impl Default for LinksConfig {
    fn default() -> Self {
        LinksConfig { auto_link: true }
    }
}

/// `[search]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct SearchConfig {
    pub(crate) synonyms: Option<String>,
    /// Postings kept in a term's first file for the browser; the rest load
    /// only when needed. Larger heads mean fewer second fetches.
    pub(crate) postings_head: usize,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            synonyms: None,
            postings_head: 64,
        }
    }
}

/// `[readability]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct ReadabilityConfig {
    pub(crate) patients_max_grade: f64,
}

impl Default for ReadabilityConfig {
    fn default() -> Self {
        ReadabilityConfig {
            patients_max_grade: 8.0,
        }
    }
}

/// `[review]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct ReviewConfig {
    pub(crate) max_age_days: u32,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        ReviewConfig { max_age_days: 730 }
    }
}

/// `[privacy]`: what the site's pages may load from other hosts. By
/// default nothing: a visitor's browser contacts no one but the site.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct PrivacyConfig {
    /// Hosts (`fonts.example.org`) that pages may load resources from. Each
    /// learns which page a visitor reads, with their address.
    pub(crate) allowed_hosts: Vec<String>,
}

/// The keys of a table of site.toml (`""` for the top level), from the
/// type that reads it, for "did you mean".
fn keys_of_table(table: &str) -> &'static [&'static str] {
    match table {
        "" => field_names::<Config>(),
        "markdown" => field_names::<MarkdownConfig>(),
        "links" => field_names::<LinksConfig>(),
        "search" => field_names::<SearchConfig>(),
        "readability" => field_names::<ReadabilityConfig>(),
        "review" => field_names::<ReviewConfig>(),
        "clinic" => field_names::<ClinicConfig>(),
        "theme_options" => field_names::<ThemeOptions>(),
        "privacy" => field_names::<PrivacyConfig>(),
        _ => &[],
    }
}

/// The closest key to `name` in a table of site.toml other than `table`.
fn key_of_another_table(name: &str, table: &str) -> Option<(&'static str, &'static str)> {
    field_names::<Config>()
        .iter()
        .copied()
        .filter(|other| *other != table && !keys_of_table(other).is_empty())
        .find_map(|other| closest(name, keys_of_table(other).iter().copied()).map(|best| (other, best)))
}

/// The keys site.toml must have: they have no sensible default.
const REQUIRED_KEYS: [&str; 2] = ["title", "base_url"];

/// A parsed `site.toml` with its text (kept for diagnostics snippets).
#[derive(Debug, Clone)]
pub(crate) struct LoadedConfig {
    pub(crate) config: Config,
    pub(crate) text: Arc<str>,
}

impl Config {
    /// Reads and checks `ROOT/site.toml`. Every problem comes back as a
    /// diagnostic; the text is returned too when it could be read.
    pub(crate) fn load(root: &Path) -> Result<LoadedConfig, (Diagnostics, Option<Arc<str>>)> {
        Config::read(root).map_err(|(diagnostics, text)| (diagnostics.tag(Rule::SiteToml), text))
    }

    fn read(root: &Path) -> Result<LoadedConfig, (Diagnostics, Option<Arc<str>>)> {
        let path = root.join(CONFIG_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) => {
                let message = if err.kind() == std::io::ErrorKind::NotFound {
                    format!("no {CONFIG_FILE} in {}", root.display())
                } else {
                    format!("cannot read {CONFIG_FILE}: {err}")
                };
                let diagnostic = Diagnostic::error(CONFIG_FILE, Position::START, message)
                    .with_hint("run praxis in a site folder, pass --root DIR, or create one with `praxis init DIR`");
                return Err((std::iter::once(diagnostic).collect(), None));
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(text) => crate::text::normalise_text(text),
            Err(_) => {
                let diagnostic = Diagnostic::error(CONFIG_FILE, Position::START, "site.toml is not valid UTF-8")
                    .with_hint("save the file with UTF-8 encoding");
                return Err((std::iter::once(diagnostic).collect(), None));
            }
        };
        let text: Arc<str> = text.into();
        // The theme is looked for here, with the file's other values, even
        // when some of them are wrong: every problem of site.toml comes in
        // one run, not the theme's in a second one.
        let missing_theme = missing_theme(root, &text);
        match (Config::parse(&text), missing_theme) {
            (Ok(config), None) => Ok(LoadedConfig { config, text }),
            (Ok(_), Some(missing)) => Err((std::iter::once(missing).collect(), Some(text))),
            (Err(mut diagnostics), missing) => {
                diagnostics.extend(missing);
                Err((diagnostics, Some(text)))
            }
        }
    }

    /// Parses the text of a `site.toml`.
    pub(crate) fn parse(text: &str) -> Result<Config, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let table = DeTable::parse(text)
            .map_err(|err| std::iter::once(toml_error(CONFIG_FILE, text, 0, &err)).collect::<Diagnostics>())?;
        for (span, c) in crate::schema::strings_holding(table.get_ref(), crate::text::is_forbidden_control) {
            diagnostics.push(crate::text::control_character_error(
                CONFIG_FILE,
                Position::at(text, span.start, span.len()),
                c,
            ));
        }
        // Values of site.toml end up in every page (the logo, links,
        // `[extra]` read by templates): none may run script.
        for value in crate::schema::string_values(table.get_ref()) {
            // These two are addresses with a check of their own, below.
            let own_check = matches!(value.key.as_str(), "base_url" | "clinic.booking_url");
            if crate::text::is_script_url(value.text) && !own_check {
                let shown: String = value.text.chars().take(40).collect();
                diagnostics.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        Position::at(text, value.span.start, value.span.len()),
                        format!("`{shown}` is an address that would run script"),
                    )
                    .with_hint("write a web address (https://...) or a path of the site (/about/); site.toml values end up in every page"),
                );
            }
        }
        let places = ConfigPlaces::of(table.get_ref(), text);
        let mut missing_required = false;
        for key in REQUIRED_KEYS {
            if table.get_ref().get(key).is_none() {
                missing_required = true;
                diagnostics.push(
                    Diagnostic::error(CONFIG_FILE, Position::START, format!("missing field `{key}`"))
                        .with_hint(MISSING_KEY_HINT),
                );
            }
        }
        // Unknown keys and bad values do not stop the reading: every
        // problem of the file comes in one run.
        let reading =
            crate::schema::read::<Config, _>(text, table, |err, key| keyed_toml_error(CONFIG_FILE, text, 0, err, key));
        for unknown in reading.unknown {
            let place = if unknown.table.is_empty() {
                String::new()
            } else {
                format!(" in [{}]", unknown.table)
            };
            let mut diagnostic = Diagnostic::error(
                CONFIG_FILE,
                Position::at(text, unknown.span.start, unknown.span.len()),
                format!("unknown key `{}`{place}", unknown.name),
            );
            if let Some(best) = closest(&unknown.name, keys_of_table(&unknown.table).iter().copied()) {
                diagnostic = diagnostic.with_hint(format!("did you mean `{best}`?"));
            } else if let Some((table, best)) = key_of_another_table(&unknown.name, &unknown.table) {
                // `primary_colour` under [links] is `primary_color` of [theme_options].
                diagnostic = diagnostic.with_hint(format!("did you mean `{best}` in [{table}]?"));
            } else if unknown.table.is_empty() {
                diagnostic = diagnostic.with_hint("put free-form values under [extra]");
            }
            diagnostics.push(diagnostic);
        }
        diagnostics.extend(reading.bad_values);
        missing_required |= reading
            .set_aside
            .iter()
            .any(|key| REQUIRED_KEYS.contains(&key.as_str()));
        // Without a required key the values are not checked further: a
        // missing or mistyped base_url is not also a bad address.
        let Some(mut config) = reading.value.filter(|_| !missing_required) else {
            return Err(diagnostics);
        };
        config.base_url = config.base_url.trim_end_matches('/').to_string();
        branding::check_theme_options(&config.theme_options, &places, &mut diagnostics);
        check_addresses(&config, &places, &mut diagnostics);
        check_grade(&config, &places, &mut diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        config.places = places;
        Ok(config)
    }
}

/// `theme = "NAME"` as written in site.toml, with the place of the key;
/// read from the TOML syntax alone, so it is known even when other values
/// of the file are wrong. `None` without a `theme` string (the default
/// theme, or a value of another type, which serde reports).
pub(crate) fn theme_setting(text: &str) -> Option<(String, Position)> {
    let table = DeTable::parse(text).ok()?;
    let (key, value) = table.get_ref().iter().find(|(key, _)| key.get_ref() == "theme")?;
    let name = value.get_ref().as_str()?.to_string();
    let span = key.span();
    Some((name, Position::at(text, span.start, span.len())))
}

/// The error for a theme that is neither built in nor a folder of the
/// site's `themes/`, at the `theme` key.
pub(crate) fn theme_not_found(name: &str, at: Position) -> Diagnostic {
    Diagnostic::error(CONFIG_FILE, at, format!("theme `{name}` not found")).with_hint(format!(
        "add the folder themes/{name}/ or use theme = \"default\" (built in)"
    ))
}

/// [`theme_not_found`] when site.toml names a theme the site lacks.
fn missing_theme(root: &Path, text: &str) -> Option<Diagnostic> {
    let (name, at) = theme_setting(text)?;
    let found = name == DEFAULT_THEME || root.join("themes").join(&name).is_dir();
    (!found).then(|| theme_not_found(&name, at))
}

/// `patients_max_grade` is a school grade, as the readability formulas give
/// them: one below 1 would warn on every page. (A high one is how a site
/// turns the warning off.)
fn check_grade(config: &Config, places: &ConfigPlaces, diagnostics: &mut Diagnostics) {
    let grade = config.readability.patients_max_grade;
    if grade.is_nan() || grade < 1.0 {
        diagnostics.push(
            Diagnostic::error(
                CONFIG_FILE,
                places.get("readability.patients_max_grade"),
                format!("patients_max_grade {grade} is not a school grade"),
            )
            .with_hint("give a US school grade of 1 or more; 6 to 8 suits most patient material"),
        );
    }
}

/// Checks the addresses serde takes as plain strings: `base_url` is the
/// start of every canonical link, sitemap entry and feed link, so it needs
/// its scheme; the booking link is on every page, so it may not run script.
fn check_addresses(config: &Config, places: &ConfigPlaces, diagnostics: &mut Diagnostics) {
    if let Some(problem) = crate::text::base_address_problem(&config.base_url) {
        diagnostics.push(
            Diagnostic::error(
                CONFIG_FILE,
                places.get("base_url"),
                format!("base_url `{}` cannot be the site's address: {problem}", config.base_url),
            )
            .with_hint("write it with its scheme and nothing after its path, such as \"https://example.org\"; canonical links, the sitemap and the feed start with it"),
        );
    }
    if let Some(url) = config.clinic.as_ref().and_then(|clinic| clinic.booking_url.as_deref()) {
        // Only these starts are usable, and none of them runs a script.
        let lower = url.trim().to_ascii_lowercase();
        let usable = ["https://", "http://", "/", "mailto:", "tel:"]
            .iter()
            .any(|start| lower.starts_with(start));
        if !usable {
            diagnostics.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    places.get("clinic.booking_url"),
                    format!("booking_url `{url}` is not an address a visitor can open"),
                )
                .with_hint("write a web address such as \"https://example.org/book\", a page of the site such as \"/contact/\", or a \"tel:\" or \"mailto:\" link"),
            );
        }
    }
    // The logo is an image every page loads: a file of the site (or a web
    // address, which the privacy rule then judges), never inline data.
    if let Some(logo) = config.clinic.as_ref().and_then(|clinic| clinic.logo.as_deref()) {
        let lower = logo.trim().to_ascii_lowercase();
        let has_scheme = lower.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        });
        let web = lower.starts_with("https://") || lower.starts_with("http://");
        if has_scheme && !web && !crate::text::is_script_url(logo) {
            let shown: String = logo.chars().take(40).collect();
            diagnostics.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    places.get("clinic.logo"),
                    format!("logo `{shown}` is not a file of the site"),
                )
                .with_hint("put the logo in static/ and set logo = \"/logo.svg\""),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_is_looked_for_even_when_other_values_are_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let text = "title = 'T'\nbase_url = 3\n  theme = \"nope\"\n";
        assert_eq!(
            theme_setting(text),
            Some((
                "nope".to_string(),
                Position {
                    line: 3,
                    col: 3,
                    len: 5
                }
            ))
        );
        std::fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
        let (diagnostics, _) = Config::load(dir.path()).expect_err("two errors");
        let messages: Vec<String> = diagnostics.into_iter().map(|d| d.headline()).collect();
        assert_eq!(messages.len(), 2, "{messages:#?}");
        assert!(
            messages.iter().any(|m| m.starts_with("site.toml:2:12: error: ")),
            "{messages:#?}"
        );
        assert!(messages.contains(&"site.toml:3:3: error: theme `nope` not found".to_string()));
        // Built in, or a folder of themes/: found. Not a string: serde's to report.
        assert!(missing_theme(dir.path(), "theme = 'default'").is_none());
        std::fs::create_dir_all(dir.path().join("themes/nope")).unwrap();
        assert!(missing_theme(dir.path(), text).is_none());
        assert_eq!(theme_setting("theme = 3"), None);
        assert_eq!(theme_setting("theme = ["), None);
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let config = Config::parse("title = 'T'\nbase_url = 'https://example.org/'\n").unwrap();
        assert_eq!(config.base_url, "https://example.org");
        assert_eq!(config.output_dir, "public");
        assert!(config.links.auto_link);
        assert!(config.markdown.smart_punctuation);
        assert_eq!(config.review.max_age_days, 730);
    }

    #[test]
    fn unknown_keys_are_all_reported_with_suggestions() {
        let text = "title = 'T'\nbase_url = 'https://x'\ntitel = 'y'\n[markdown]\nsmart_punctation = true\n";
        let diagnostics: Vec<_> = Config::parse(text).unwrap_err().sorted();
        assert_eq!(diagnostics.len(), 2);
        assert_eq!((diagnostics[0].line, diagnostics[0].col), (3, 1));
        assert_eq!(diagnostics[0].hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(diagnostics[1].line, 5);
        assert!(diagnostics[1].message.contains("[markdown]"));
        assert_eq!(
            diagnostics[1].hint.as_deref(),
            Some("did you mean `smart_punctuation`?")
        );
    }

    #[test]
    fn addresses_need_a_scheme_and_may_not_run_script() {
        let text = "title = 'T'\nbase_url = 'example.org'\n[clinic]\nname = 'C'\nbooking_url = 'javascript:alert(3)'\n";
        let diagnostics = Config::parse(text).unwrap_err().sorted();
        let found: Vec<_> = diagnostics.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(found, [(2, 12), (5, 15)]);
        assert!(diagnostics[0].message.contains("base_url `example.org`"));
        assert!(diagnostics[1].message.contains("booking_url `javascript:alert(3)`"));
        for booking in [
            "https://example.org/book",
            "/contact/",
            "tel:+15550100",
            "mailto:desk@example.org",
        ] {
            let text = format!("title = 'T'\nbase_url = 'http://x'\n[clinic]\nname = 'C'\nbooking_url = '{booking}'\n");
            assert!(Config::parse(&text).is_ok(), "{booking}");
        }
    }

    #[test]
    fn wrong_type_points_at_the_value() {
        let text = "title = 'T'\nbase_url = 'https://x'\n[links]\nauto_link = 'yes'\n";
        let diagnostics = Config::parse(text).unwrap_err().sorted();
        assert_eq!(diagnostics[0].line, 4);
        assert_eq!(diagnostics[0].col, 13);
    }

    #[test]
    fn bad_colours_and_fonts_are_errors_at_their_value() {
        let text = "title = 'T'\nbase_url = 'https://x'\n[theme_options]\nprimary_color = 'teal'\naccent_color = '#b4531c'\nfont = 'serf'\n";
        let diagnostics = Config::parse(text).unwrap_err().sorted();
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
        assert_eq!((diagnostics[0].line, diagnostics[0].col), (4, 17));
        assert!(diagnostics[0].message.contains("`teal`"), "{}", diagnostics[0].message);
        assert!(diagnostics[0].hint.as_deref().unwrap().contains("#1d5c7a"));
        assert_eq!((diagnostics[1].line, diagnostics[1].col), (6, 8));
        assert!(
            diagnostics[1]
                .hint
                .as_deref()
                .unwrap()
                .starts_with("did you mean \"serif\"?")
        );
    }

    #[test]
    fn missing_base_url_is_an_error() {
        let diagnostics = Config::parse("title = 'T'\n").unwrap_err().sorted();
        assert!(diagnostics[0].message.contains("base_url"), "{:?}", diagnostics);
    }
}
