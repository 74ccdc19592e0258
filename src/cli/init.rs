//! `praxis init DIR`: a small starter site that builds and checks cleanly
//! and shows each kind of page, a relation and a cross-link.
//!
//! Its health pages say they were reviewed today by "Your name, PT, DPT":
//! a placeholder plain enough that nobody publishes it unnoticed, and a
//! date that keeps `praxis check` quiet until the real review replaces it.

use std::path::Path;
use std::process::ExitCode;

const STARTER: &[(&str, &str)] = &[
    (
        "site.toml",
        r#"title = "My Physical Therapy Clinic"
base_url = "https://example.org"
description = "Plain-language guides to physical therapy."
language = "en"
default_audience = "patients"
disclaimer = "For education only; it does not replace advice from your own clinician."

[links]
auto_link = true
"#,
    ),
    (
        "content/_index.md",
        "+++\ntitle = \"Welcome\"\ndescription = \"Guides to the care we offer.\"\n+++\n\nRead about the techniques we use and the conditions we treat.\n",
    ),
    (
        "content/articles/_index.md",
        "+++\ntitle = \"Articles\"\nsort_by = \"date\"\npaginate_by = 10\n+++\n",
    ),
    (
        "content/articles/getting-started.md",
        r#"+++
title = "Getting started with physical therapy"
description = "What happens at your first visit."
{review}
date = 2026-01-15
authors = ["The clinic team"]
categories = ["Tips and Guides"]
tags = ["first visit"]
applications = ["ankle-sprain"]
techniques = ["balance-training"]
+++

Your first visit starts with questions about your health and goals.
Then your therapist checks how you move.

## What to bring

Bring a list of your medicines and wear clothes you can move in.

## What comes next

Many people with an [[ankle-sprain]] start [[balance-training|balance exercises]] early.
"#,
    ),
    (
        "content/techniques/balance-training.md",
        r#"+++
title = "Balance training"
description = "Exercises that help you stay steady on your feet."
{review}
synonyms = ["balance exercises"]
applications = ["ankle-sprain"]
body_regions = ["ankle"]
+++

Balance training teaches your body to react when you start to tip.

## How it works

You practise standing and moving on steady and then less steady ground.
"#,
    ),
    (
        "content/applications/ankle-sprain.md",
        r#"+++
title = "Ankle sprain"
description = "A stretched or torn ligament in the ankle."
{review}
synonyms = ["sprained ankle"]
body_regions = ["ankle"]

[[faq]]
question = "How long does an ankle sprain take to heal?"
answer = "Mild sprains often feel better in two to four weeks. Ask your therapist about your own timeline."
+++

An ankle sprain happens when the ankle rolls too far.

## Getting back to activity

Gentle movement and balance work help most people recover.
"#,
    ),
    (
        "content/faq/general.md",
        r#"+++
title = "Common questions"
description = "Short answers to questions we hear often."
{review}

[[faq]]
question = "What should I wear?"
answer = "Loose, comfortable clothes and flat shoes."
+++

Here are answers to questions patients often ask.
"#,
    ),
    (
        "content/about/about.md",
        "+++\ntitle = \"About us\"\ndescription = \"Who we are.\"\n+++\n\nWe are a small team of physical therapists.\n",
    ),
];

pub(crate) fn run(dir: &Path) -> ExitCode {
    match create(dir) {
        Ok(()) => {
            println!("Created a starter site in {}", dir.display());
            let shown = dir.display().to_string();
            // Quoted when a shell would split it or read its characters.
            let plain = shown.chars().all(|c| c.is_alphanumeric() || "/._-".contains(c));
            if plain {
                println!("Next: praxis build --root {shown}");
            } else {
                println!("Next: praxis build --root '{}'", shown.replace('\'', "'\\''"));
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

fn create(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if entries.next().is_some() {
            return Err(format!("{} is not empty; choose a new or empty folder", dir.display()));
        }
    }
    let review = format!("reviewed_by = \"Your name, PT, DPT\"\nlast_reviewed = {}", today_iso());
    for (path, text) in STARTER {
        let text = text.replace("{review}", &review);
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&target, text).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    Ok(())
}

/// Today's date (UTC) as `2026-11-24`.
fn today_iso() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`, public-domain algorithm; the inverse of
/// [`crate::parse::date::days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_from_days_inverts_days_from_civil() {
        for (year, month, day) in [(1970, 1, 1), (2000, 2, 29), (2026, 11, 24), (2100, 12, 31)] {
            let days = crate::parse::date::days_from_civil(year, month, day);
            assert_eq!(
                civil_from_days(days),
                (i64::from(year), u32::from(month), u32::from(day))
            );
        }
    }
}
