//! Colour contrast of `[theme_options]`: every text colour the theme
//! derives from a site's colours, on each background it is shown on, must
//! reach 4.5:1 (WCAG 2.2 success criterion 1.4.3, level AA). Every build
//! warns (`build --strict` fails on it), not only `praxis check`.

use crate::color::{TEXT_CONTRAST, contrast, ratio_text};
use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::Rule;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::palette::{Palette, TextPair};

/// One warning per pair below the line, at the colour's value in site.toml.
pub(crate) fn check_theme_colors(config: &Config, found: &mut Diagnostics) {
    let options = &config.theme_options;
    for pair in Palette::of(options).text_pairs() {
        let chosen = match pair.option {
            "primary_color" => options.primary_color.as_deref(),
            _ => options.accent_color.as_deref(),
        };
        let Some(chosen) = chosen else {
            // The theme's own colours pass (a unit test keeps them so).
            continue;
        };
        let ratio = contrast(pair.text, pair.background);
        if ratio >= TEXT_CONTRAST {
            continue;
        }
        let position = config.places.get(&format!("theme_options.{}", pair.option));
        found.push(
            Diagnostic::warning(
                CONFIG_FILE,
                position,
                format!(
                    "{} {chosen}: {} ({} on {}) has contrast {}, below the 4.5:1 text needs",
                    pair.option,
                    pair.what,
                    pair.text,
                    pair.background,
                    ratio_text(ratio)
                ),
            )
            .with_rule(Rule::Contrast)
            .with_hint(hint(pair.option, site_color_is_lighter(&pair))),
        );
    }
}

/// Whether the site's colour is the lighter of its pair: it must then get
/// lighter still to stand out, else darker.
fn site_color_is_lighter(pair: &TextPair) -> bool {
    let (site, other) = if pair.site_color_is_text {
        (pair.text, pair.background)
    } else {
        (pair.background, pair.text)
    };
    site.luminance() > other.luminance()
}

fn hint(option: &str, lighter: bool) -> String {
    let direction = if lighter { "lighter" } else { "darker" };
    format!(
        "choose a {direction} {option}; WCAG 2.2 AA asks 4.5:1 for text, which people with low vision and phone users in sunlight need"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(toml: &str) -> Vec<Diagnostic> {
        let config = Config::parse(&format!("title = 'T'\nbase_url = 'https://example.org'\n{toml}")).unwrap();
        let mut found = Diagnostics::new();
        check_theme_colors(&config, &mut found);
        found.sorted()
    }

    #[test]
    fn a_light_primary_colour_is_named_with_its_pair_and_ratio() {
        let found = warnings("[theme_options]\nprimary_color = '#777'\n");
        // #777 on white is 4.47:1 (WebAIM's figure); on the tinted panel less.
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].line, found[0].col), (4, 17));
        assert_eq!(
            found[0].message,
            "primary_color #777: links on the page background (#777777 on #ffffff) has contrast 4.47:1, below the 4.5:1 text needs"
        );
        assert_eq!(found[0].rule, Some(Rule::Contrast));
        assert!(
            found[0]
                .hint
                .as_deref()
                .unwrap()
                .starts_with("choose a darker primary_color")
        );
        assert!(found[1].message.contains("tinted panels"), "{}", found[1].message);
    }

    #[test]
    fn a_light_accent_fails_as_the_booking_button() {
        let found = warnings("[theme_options]\naccent_color = '#ffd966'\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .starts_with("accent_color #ffd966: white text on the booking button"),
            "{}",
            found[0].message
        );
        assert!(
            found[0]
                .hint
                .as_deref()
                .unwrap()
                .starts_with("choose a darker accent_color")
        );
    }

    #[test]
    fn the_default_and_the_demo_colours_pass() {
        assert!(warnings("").is_empty());
        assert!(warnings("[theme_options]\nprimary_color = '#1d5c7a'\naccent_color = '#b4531c'\n").is_empty());
    }
}
