//! `praxis init DIR`: a small starter site that builds cleanly and shows
//! each kind of page, a relation and a cross-link.

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

pub fn run(dir: &Path) -> ExitCode {
    match create(dir) {
        Ok(()) => {
            println!("Created a starter site in {}", dir.display());
            println!("Next: praxis build --root {}", dir.display());
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
    for (path, text) in STARTER {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&target, text).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    Ok(())
}
