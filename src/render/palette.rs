//! The default theme's colours, derived from `[theme_options]`, and the
//! `/theme-options.css` that carries them to the browser.
//!
//! The theme has two colours a clinic chooses (primary, accent) and derives
//! every other one from them: tinted surfaces, darker shades behind white
//! button text, and for dark mode (`prefers-color-scheme: dark`) lighter
//! shades that read on dark backgrounds. A stylesheet file rather than a
//! `style` attribute or `<style>` block, so a `default-src 'self'`
//! Content-Security-Policy holds. `praxis check` judges the same colours
//! ([`Palette::text_pairs`]), so what it measures is what visitors see.
//! `style.css` carries the palette of the default colours as its fallback; a
//! test keeps the two in step.

use std::fmt::Write as _;

use crate::color::{Color, TEXT_CONTRAST};
use crate::config::{FontStack, ThemeOptions};

/// Text colours and backgrounds that do not depend on the site's colours.
const TEXT: Color = Color::rgb(0x1f, 0x2a, 0x30);
const MUTED: Color = Color::rgb(0x4d, 0x5b, 0x63);
const DARK_BG: Color = Color::rgb(0x12, 0x17, 0x19);
const DARK_SURFACE: Color = Color::rgb(0x1a, 0x21, 0x25);
const DARK_SURFACE_STRONG: Color = Color::rgb(0x24, 0x2e, 0x34);
const DARK_TEXT: Color = Color::rgb(0xe3, 0xe9, 0xec);
const DARK_MUTED: Color = Color::rgb(0xad, 0xba, 0xc1);
const DARK_BORDER: Color = Color::rgb(0x3b, 0x48, 0x4f);
const DARK_BORDER_STRONG: Color = Color::rgb(0x8a, 0x99, 0xa1);

/// One colour scheme's custom properties.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scheme {
    pub(crate) bg: Color,
    pub(crate) surface: Color,
    pub(crate) surface_strong: Color,
    pub(crate) border: Color,
    pub(crate) border_strong: Color,
    pub(crate) text: Color,
    pub(crate) muted: Color,
    /// Links and the focus outline.
    pub(crate) primary: Color,
    /// Link hover, current navigation item.
    pub(crate) primary_strong: Color,
    /// Decoration only: borders of featured cards, facts, disclaimers.
    pub(crate) accent: Color,
    pub(crate) button_bg: Color,
    pub(crate) button_text: Color,
    pub(crate) booking_bg: Color,
    pub(crate) booking_text: Color,
}

/// Light and dark schemes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Palette {
    pub(crate) light: Scheme,
    pub(crate) dark: Scheme,
}

/// A text colour on a background that the theme really uses, and which
/// site colour it comes from (`primary_color`, `accent_color`).
#[derive(Debug, Clone)]
pub(crate) struct TextPair {
    pub(crate) option: &'static str,
    /// What the pair is, for messages: "links on the page background".
    pub(crate) what: &'static str,
    pub(crate) text: Color,
    pub(crate) background: Color,
    /// Whether the site's colour (or its shade) is the text, not the
    /// background, of the pair: which way it must move to pass.
    pub(crate) site_color_is_text: bool,
}

impl Palette {
    pub(crate) fn of(options: &ThemeOptions) -> Palette {
        let primary = options.primary();
        let accent = options.accent();
        // Surfaces are tints of the primary colour, so a clinic's green
        // gets green-grey panels, not the default blue-grey.
        let light = Scheme {
            bg: Color::WHITE,
            surface: primary.mix(Color::WHITE, 0.96),
            surface_strong: primary.mix(Color::WHITE, 0.9),
            border: primary.mix(Color::WHITE, 0.8),
            border_strong: Color::rgb(0x6b, 0x7b, 0x84),
            text: TEXT,
            muted: MUTED,
            primary,
            primary_strong: primary.mix(Color::BLACK, 0.2),
            accent,
            button_bg: primary.mix(Color::BLACK, 0.2),
            button_text: Color::WHITE,
            booking_bg: accent.mix(Color::BLACK, 0.28),
            booking_text: Color::WHITE,
        };
        // Dark mode: the site's colours lightened just enough to read on
        // every dark surface; buttons turn light with dark text.
        let dark_backgrounds = [DARK_BG, DARK_SURFACE, DARK_SURFACE_STRONG];
        let primary_dark = primary.until_contrast(Color::WHITE, &dark_backgrounds, TEXT_CONTRAST);
        let accent_dark = accent.until_contrast(Color::WHITE, &dark_backgrounds, TEXT_CONTRAST);
        let dark = Scheme {
            bg: DARK_BG,
            surface: DARK_SURFACE,
            surface_strong: DARK_SURFACE_STRONG,
            border: DARK_BORDER,
            border_strong: DARK_BORDER_STRONG,
            text: DARK_TEXT,
            muted: DARK_MUTED,
            primary: primary_dark,
            primary_strong: primary_dark.mix(Color::WHITE, 0.3),
            accent: accent_dark,
            button_bg: primary_dark,
            button_text: DARK_BG,
            booking_bg: accent_dark,
            booking_text: DARK_BG,
        };
        Palette { light, dark }
    }

    /// Every pair of a site colour (or a shade of it) with the background
    /// it is read on, in both schemes.
    pub(crate) fn text_pairs(&self) -> Vec<TextPair> {
        let (light, dark) = (&self.light, &self.dark);
        let pair = |option, what, text: Color, background: Color| TextPair {
            option,
            what,
            text,
            background,
            // The fixed colours of a pair are white, the theme's dark
            // background or its fixed panels; the other one is the site's.
            site_color_is_text: ![Color::WHITE, DARK_BG].contains(&text),
        };
        vec![
            pair("primary_color", "links on the page background", light.primary, light.bg),
            pair(
                "primary_color",
                "links on tinted panels (home page intro, footer)",
                light.primary,
                light.surface_strong,
            ),
            pair(
                "primary_color",
                "white text on buttons (the primary colour darkened by 20%)",
                light.button_text,
                light.button_bg,
            ),
            pair(
                "accent_color",
                "white text on the booking button (the accent colour darkened by 28%)",
                light.booking_text,
                light.booking_bg,
            ),
            pair(
                "primary_color",
                "dark mode: links on dark panels",
                dark.primary,
                dark.surface_strong,
            ),
            pair(
                "primary_color",
                "dark mode: button text",
                dark.button_text,
                dark.button_bg,
            ),
            pair(
                "accent_color",
                "dark mode: booking button text",
                dark.booking_text,
                dark.booking_bg,
            ),
        ]
    }
}

impl Scheme {
    /// `(custom property, colour)` in the order the stylesheet lists them.
    pub(crate) fn properties(&self) -> [(&'static str, Color); 14] {
        [
            ("--bg", self.bg),
            ("--surface", self.surface),
            ("--surface-strong", self.surface_strong),
            ("--border", self.border),
            ("--border-strong", self.border_strong),
            ("--text", self.text),
            ("--muted", self.muted),
            ("--primary", self.primary),
            ("--primary-strong", self.primary_strong),
            ("--accent", self.accent),
            ("--button-bg", self.button_bg),
            ("--button-text", self.button_text),
            ("--booking-bg", self.booking_bg),
            ("--booking-text", self.booking_text),
        ]
    }
}

/// `/theme-options.css`, or `None` when `[theme_options]` changes nothing
/// (style.css already holds the default palette).
pub(crate) fn theme_options_css(options: &ThemeOptions) -> Option<String> {
    if !options.is_set() {
        return None;
    }
    let palette = Palette::of(options);
    // Only what differs from style.css: every byte counts against the CSS
    // budget of each page view.
    let default = Palette::of(&ThemeOptions::default());
    let differs = |scheme: &Scheme, default: &Scheme| -> Vec<bool> {
        scheme
            .properties()
            .iter()
            .zip(default.properties())
            .map(|((_, color), (_, fallback))| *color != fallback)
            .collect()
    };
    let light_differs = differs(&palette.light, &default.light);
    let dark_differs = differs(&palette.dark, &default.dark);
    let mut css = String::from("/* Generated by Praxis from [theme_options] in site.toml. */\n:root {\n");
    for ((property, color), differs) in palette.light.properties().into_iter().zip(&light_differs) {
        if *differs {
            let _ = writeln!(css, "  {property}: {color};");
        }
    }
    let body_font = options.body_font().unwrap_or(FontStack::System);
    if body_font != FontStack::System {
        let _ = writeln!(css, "  --font-body: {};", body_font.css());
    }
    if let Some(font) = options.heading_font().filter(|font| *font != body_font) {
        let _ = writeln!(css, "  --font-heading: {};", font.css());
    }
    css.push_str("}\n");
    if css.ends_with(":root {\n}\n") {
        // The theme's own colours and fonts, written out in site.toml.
        return None;
    }
    // A light value set here would beat style.css's dark one (same
    // selector, later file), so dark mode repeats every property the light
    // block sets, as well as its own changes.
    let dark: Vec<(&str, Color)> = palette
        .dark
        .properties()
        .into_iter()
        .zip(light_differs.iter().zip(&dark_differs))
        .filter(|(_, (light, dark))| **light || **dark)
        .map(|(property, _)| property)
        .collect();
    if !dark.is_empty() {
        css.push_str("@media (prefers-color-scheme: dark) {\n  :root {\n");
        for (property, color) in dark {
            let _ = writeln!(css, "    {property}: {color};");
        }
        css.push_str("  }\n}\n");
    }
    Some(css)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::contrast;

    const STYLE_CSS: &str = include_str!("../../themes/default/static/style.css");

    /// `--name: value` declarations of the first rule after `marker`.
    fn declarations_after(css: &str, marker: &str) -> Vec<(String, String)> {
        let start = css.find(marker).expect("marker in style.css") + marker.len();
        let block = &css[start..];
        let block = &block[block.find('{').expect("a rule") + 1..];
        let block = &block[..block.find('}').expect("a closed rule")];
        block
            .split(';')
            .filter_map(|declaration| declaration.trim().split_once(':'))
            .filter(|(name, _)| name.trim().starts_with("--"))
            .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
            .collect()
    }

    fn check_scheme(scheme: &Scheme, declared: &[(String, String)]) {
        for (property, color) in scheme.properties() {
            let value = declared
                .iter()
                .find(|(name, _)| name == property)
                .map(|(_, value)| value.as_str());
            assert_eq!(value, Some(color.to_string().as_str()), "{property} in style.css");
        }
    }

    #[test]
    fn style_css_fallbacks_are_the_default_palette() {
        let palette = Palette::of(&ThemeOptions::default());
        check_scheme(&palette.light, &declarations_after(STYLE_CSS, "/* Palette: light */"));
        check_scheme(&palette.dark, &declarations_after(STYLE_CSS, "/* Palette: dark */"));
    }

    #[test]
    fn the_default_palette_passes_every_text_pair() {
        let palette = Palette::of(&ThemeOptions::default());
        for pair in palette.text_pairs() {
            assert!(contrast(pair.text, pair.background) >= TEXT_CONTRAST, "{}", pair.what);
        }
        // Fixed text colours on every background of their scheme.
        for scheme in [&palette.light, &palette.dark] {
            for text in [scheme.text, scheme.muted, scheme.primary_strong] {
                for bg in [scheme.bg, scheme.surface, scheme.surface_strong] {
                    assert!(contrast(text, bg) >= TEXT_CONTRAST, "{text} on {bg}");
                }
            }
        }
    }

    #[test]
    fn dark_mode_shades_of_any_colour_read_on_dark_panels() {
        for hex in ["#000000", "#1d5c7a", "#e07a2f", "#ffff00", "#6a0dad"] {
            let options = ThemeOptions {
                primary_color: Some(hex.into()),
                accent_color: Some(hex.into()),
                ..ThemeOptions::default()
            };
            let dark = Palette::of(&options).dark;
            for bg in [dark.bg, dark.surface, dark.surface_strong] {
                assert!(contrast(dark.primary, bg) >= TEXT_CONTRAST, "{hex}");
            }
            assert!(contrast(dark.button_text, dark.button_bg) >= TEXT_CONTRAST, "{hex}");
        }
    }

    #[test]
    fn the_stylesheet_is_generated_only_for_a_branded_site() {
        assert_eq!(theme_options_css(&ThemeOptions::default()), None);
        let defaults = ThemeOptions {
            primary_color: Some("#1D5C7A".into()),
            font: Some("system".into()),
            ..ThemeOptions::default()
        };
        assert_eq!(theme_options_css(&defaults), None, "the default colours, written out");
        let options = ThemeOptions {
            primary_color: Some("#2E7D32".into()),
            heading_font: Some("serif".into()),
            ..ThemeOptions::default()
        };
        let css = theme_options_css(&options).unwrap();
        assert!(css.contains("  --primary: #2e7d32;\n"), "{css}");
        // Colours that do not follow the site's stay in style.css only.
        assert!(!css.contains("--text:") && !css.contains("--bg:"), "{css}");
        // What the light block sets, dark mode sets again (it would win).
        let dark = &css[css.find("@media").unwrap()..];
        assert!(dark.contains("--surface: #1a2125;"), "{css}");
        assert!(css.contains("--font-heading: Charter,"), "{css}");
        assert!(!css.contains("--font-body"), "{css}");
        assert!(css.contains("@media (prefers-color-scheme: dark)"), "{css}");
    }
}
