//! sRGB colours from `[theme_options]`: parsing, mixing and WCAG contrast.
//!
//! The theme's stylesheet and `praxis check` must agree on every colour a
//! visitor sees, so the shades the theme derives from a site's colours
//! (darker for buttons, lighter for dark mode) are computed here, once, and
//! both the generated `/theme-options.css` and the contrast check use them.

use std::fmt;

/// An opaque sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Color {
    pub(crate) r: u8,
    pub(crate) g: u8,
    pub(crate) b: u8,
}

/// WCAG 2.2 success criterion 1.4.3: normal text needs 4.5:1.
pub(crate) const TEXT_CONTRAST: f64 = 4.5;

impl Color {
    pub(crate) const WHITE: Color = Color::rgb(0xff, 0xff, 0xff);
    pub(crate) const BLACK: Color = Color::rgb(0, 0, 0);

    pub(crate) const fn rgb(r: u8, g: u8, b: u8) -> Color {
        Color { r, g, b }
    }

    /// `#rgb` or `#rrggbb` (any case); `None` for anything else.
    pub(crate) fn parse_hex(text: &str) -> Option<Color> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |at: usize| u8::from_str_radix(&hex[at..at + 1], 16).ok();
        let pair = |at: usize| u8::from_str_radix(&hex[at..at + 2], 16).ok();
        match hex.len() {
            3 => Some(Color::rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            6 => Some(Color::rgb(pair(0)?, pair(2)?, pair(4)?)),
            _ => None,
        }
    }

    /// WCAG 2.x relative luminance (the sRGB transfer function with the
    /// 0.04045 threshold of IEC 61966-2-1).
    pub(crate) fn luminance(self) -> f64 {
        let channel = |value: u8| {
            let c = f64::from(value) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }

    /// `amount` (0..=1) of `other` mixed into this colour, per channel in
    /// sRGB, as CSS `color-mix(in srgb, ...)` does.
    pub(crate) fn mix(self, other: Color, amount: f64) -> Color {
        let amount = amount.clamp(0.0, 1.0);
        let channel = |a: u8, b: u8| (f64::from(a) * (1.0 - amount) + f64::from(b) * amount).round() as u8;
        Color::rgb(
            channel(self.r, other.r),
            channel(self.g, other.g),
            channel(self.b, other.b),
        )
    }

    /// This colour mixed with `toward` in the smallest step of 5% that
    /// reaches `ratio` against every colour of `backgrounds` (or `toward`
    /// itself, when nothing less does).
    pub(crate) fn until_contrast(self, toward: Color, backgrounds: &[Color], ratio: f64) -> Color {
        (0..=20)
            .map(|step| self.mix(toward, f64::from(step) * 0.05))
            .find(|shade| backgrounds.iter().all(|bg| contrast(*shade, *bg) >= ratio))
            .unwrap_or(toward)
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// The WCAG contrast ratio of two colours, from 1 to 21.
pub(crate) fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// A ratio as WCAG documents write it, rounded down to two decimals so a
/// colour just under the line never reads as passing ("4.49:1", not "4.5:1").
pub(crate) fn ratio_text(ratio: f64) -> String {
    format!("{:.2}:1", (ratio * 100.0).floor() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Color {
        Color::parse_hex(text).unwrap()
    }

    #[test]
    fn hex_colours_parse_in_both_lengths_and_nothing_else() {
        assert_eq!(hex("#1d5c7a"), Color::rgb(0x1d, 0x5c, 0x7a));
        assert_eq!(hex("#FFF"), Color::WHITE);
        assert_eq!(hex("#abc"), Color::rgb(0xaa, 0xbb, 0xcc));
        for bad in ["1d5c7a", "#1d5c7", "#12345g", "blue", "", "#", "rgb(0,0,0)", "#ééé"] {
            assert_eq!(Color::parse_hex(bad), None, "{bad}");
        }
        assert_eq!(hex("#1D5C7A").to_string(), "#1d5c7a");
    }

    #[test]
    fn contrast_ratios_match_known_values() {
        // Worked values from the WCAG understanding documents and WebAIM.
        assert!((contrast(Color::BLACK, Color::WHITE) - 21.0).abs() < 1e-9);
        assert_eq!(ratio_text(contrast(hex("#777"), Color::WHITE)), "4.47:1");
        assert!((contrast(hex("#777777"), Color::WHITE) - 4.48).abs() < 0.01);
        assert!(contrast(hex("#767676"), Color::WHITE) >= TEXT_CONTRAST);
        assert!((contrast(hex("#e07a2f"), Color::WHITE) - 3.0).abs() < 0.05);
        assert_eq!(
            contrast(hex("#123456"), hex("#abcdef")),
            contrast(hex("#abcdef"), hex("#123456"))
        );
    }

    #[test]
    fn mixing_follows_css_color_mix() {
        // color-mix(in srgb, #1d5c7a 80%, #000) = rgb(23.2 73.6 97.6)
        assert_eq!(hex("#1d5c7a").mix(Color::BLACK, 0.2), Color::rgb(23, 74, 98));
        assert_eq!(Color::WHITE.mix(Color::BLACK, 0.5), Color::rgb(128, 128, 128));
    }

    #[test]
    fn shades_lighten_until_they_read_on_dark_backgrounds() {
        let dark = [hex("#14191c"), hex("#232d33")];
        let shade = hex("#1d5c7a").until_contrast(Color::WHITE, &dark, TEXT_CONTRAST);
        assert!(dark.iter().all(|bg| contrast(shade, *bg) >= TEXT_CONTRAST));
        // One step less would not do.
        assert_ne!(shade, hex("#1d5c7a"));
    }
}
