//! The clinic and its look: `[clinic]` and `[theme_options]` of site.toml.
//!
//! A clinic brands the default theme here instead of in templates. Colours
//! are hex values (the theme and the contrast check compute with them);
//! fonts are names of system font stacks, because the theme loads no web
//! fonts: nothing on the site may make a visitor's browser contact a third
//! party, and every extra file slows the first visit on a phone.

use serde::{Deserialize, Serialize};

use super::places::ConfigPlaces;
use crate::color::Color;
use crate::config::CONFIG_FILE;
use crate::diagnostics::{Diagnostic, Diagnostics, closest};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct ClinicConfig {
    pub(crate) name: Option<String>,
    /// A path of the site's static files (`/logo.svg`).
    pub(crate) logo: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) email: Option<String>,
    /// The street address; with `city`, `region`, `postal_code` and
    /// `country` it becomes a full postal address in the clinic's JSON-LD.
    pub(crate) address: Option<String>,
    pub(crate) city: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) postal_code: Option<String>,
    pub(crate) country: Option<String>,
    /// One line per day range, `Mon-Fri 07:30-18:30` (see `hours.rs`).
    pub(crate) hours: Vec<String>,
    pub(crate) booking_url: Option<String>,
    /// Content paths (`about/privacy.md`) of the pages linked in every
    /// footer: privacy policy, terms, accessibility statement.
    pub(crate) legal_pages: Vec<String>,
}

impl ClinicConfig {
    /// The address as lines to show, in the US order the theme's
    /// audience expects: street, `city, region postal_code`, country;
    /// whatever is not set is left out.
    pub(crate) fn address_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.address.iter().cloned().collect();
        let region_code: Vec<&str> = [self.region.as_deref(), self.postal_code.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let town: Vec<String> = self
            .city
            .iter()
            .cloned()
            .chain((!region_code.is_empty()).then(|| region_code.join(" ")))
            .collect();
        if !town.is_empty() {
            lines.push(town.join(", "));
        }
        lines.extend(self.country.iter().cloned());
        lines
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct ThemeOptions {
    /// Links, headings' accents, buttons (darkened for white text).
    pub(crate) primary_color: Option<String>,
    /// The booking button (darkened for white text) and decoration.
    pub(crate) accent_color: Option<String>,
    /// A [`FontStack`] name for body text.
    pub(crate) font: Option<String>,
    /// A [`FontStack`] name for headings; the body font when absent.
    pub(crate) heading_font: Option<String>,
}

/// The theme's own colours, used when `[theme_options]` sets none.
pub(crate) const DEFAULT_PRIMARY: Color = Color::rgb(0x1d, 0x5c, 0x7a);
pub(crate) const DEFAULT_ACCENT: Color = Color::rgb(0xb4, 0x53, 0x1c);

impl ThemeOptions {
    pub(crate) fn primary(&self) -> Color {
        parsed_or(self.primary_color.as_deref(), DEFAULT_PRIMARY)
    }

    pub(crate) fn accent(&self) -> Color {
        parsed_or(self.accent_color.as_deref(), DEFAULT_ACCENT)
    }

    pub(crate) fn body_font(&self) -> Option<FontStack> {
        self.font.as_deref().and_then(FontStack::named)
    }

    pub(crate) fn heading_font(&self) -> Option<FontStack> {
        self.heading_font.as_deref().and_then(FontStack::named)
    }

    /// Whether anything here changes the theme's look, so a
    /// `/theme-options.css` is worth a request.
    pub(crate) fn is_set(&self) -> bool {
        self.primary_color.is_some()
            || self.accent_color.is_some()
            || self.body_font().is_some()
            || self.heading_font().is_some()
    }
}

fn parsed_or(text: Option<&str>, default: Color) -> Color {
    text.and_then(Color::parse_hex).unwrap_or(default)
}

/// Font stacks made only of fonts that come with the operating system
/// (after modernfontstacks.com): every phone and computer shows the site in
/// a good font without downloading one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FontStack {
    System,
    Humanist,
    Serif,
    Rounded,
}

impl FontStack {
    pub(crate) const NAMES: [&'static str; 4] = ["system", "humanist", "serif", "rounded"];

    pub(crate) fn named(name: &str) -> Option<FontStack> {
        match name {
            "system" => Some(FontStack::System),
            "humanist" => Some(FontStack::Humanist),
            "serif" => Some(FontStack::Serif),
            "rounded" => Some(FontStack::Rounded),
            _ => None,
        }
    }

    /// The CSS `font-family` value.
    pub(crate) fn css(self) -> &'static str {
        match self {
            FontStack::System => {
                "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Noto Sans\", \"Helvetica Neue\", Arial, sans-serif"
            }
            FontStack::Humanist => {
                "Seravek, \"Gill Sans Nova\", Ubuntu, Calibri, \"DejaVu Sans\", source-sans-pro, sans-serif"
            }
            FontStack::Serif => "Charter, \"Bitstream Charter\", \"Sitka Text\", Cambria, \"Noto Serif\", serif",
            FontStack::Rounded => {
                "ui-rounded, \"Hiragino Maru Gothic ProN\", Quicksand, Comfortaa, Manjari, \"Arial Rounded MT\", Calibri, sans-serif"
            }
        }
    }
}

/// Checks the values serde cannot: colour syntax and font names. Every
/// bad value is an error at its place in site.toml.
pub(super) fn check_theme_options(options: &ThemeOptions, places: &ConfigPlaces, diagnostics: &mut Diagnostics) {
    for (key, value) in [
        ("primary_color", &options.primary_color),
        ("accent_color", &options.accent_color),
    ] {
        if let Some(text) = value
            && Color::parse_hex(text).is_none()
        {
            diagnostics.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    places.get(&format!("theme_options.{key}")),
                    format!("`{text}` is not a colour the theme can use for {key}"),
                )
                .with_hint("write a hex colour, \"#1d5c7a\" or \"#fff\"; praxis check then tells whether text in it is readable"),
            );
        }
    }
    for (key, value) in [("font", &options.font), ("heading_font", &options.heading_font)] {
        if let Some(name) = value
            && FontStack::named(name).is_none()
        {
            let hint = match closest(name, FontStack::NAMES) {
                Some(best) => format!("did you mean \"{best}\"? The theme uses system fonts only: one of \"system\", \"humanist\", \"serif\", \"rounded\""),
                None => "the theme uses system fonts only, no web fonts: choose \"system\", \"humanist\", \"serif\" or \"rounded\"".to_string(),
            };
            diagnostics.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    places.get(&format!("theme_options.{key}")),
                    format!("unknown font `{name}` for {key}"),
                )
                .with_hint(hint),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_lines_leave_out_what_is_not_set() {
        let clinic = ClinicConfig {
            address: Some("48 Mill Race Road".into()),
            city: Some("Springfield".into()),
            region: Some("IL".into()),
            postal_code: Some("62701".into()),
            country: Some("USA".into()),
            ..ClinicConfig::default()
        };
        assert_eq!(
            clinic.address_lines(),
            ["48 Mill Race Road", "Springfield, IL 62701", "USA"]
        );
        assert!(ClinicConfig::default().address_lines().is_empty());
    }

    #[test]
    fn unset_or_unusable_colours_fall_back_to_the_theme_defaults() {
        let options = ThemeOptions {
            primary_color: Some("#FFF".into()),
            accent_color: Some("orange".into()),
            ..ThemeOptions::default()
        };
        assert_eq!(options.primary(), Color::WHITE);
        assert_eq!(options.accent(), DEFAULT_ACCENT);
        assert!(options.is_set());
        assert!(!ThemeOptions::default().is_set());
    }
}
