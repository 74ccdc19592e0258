//! Described and reviewed: every page needs a description (search engines,
//! cards, feeds show it); every health page needs a clinical reviewer and a
//! review date no older than `[review] max_age_days`.

use super::SourceFile;
use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::diagnostics::Rule;
use crate::parse::Page;

pub(super) fn check_page(page: &Page, config: &Config, today: i64, file: &SourceFile<'_>, found: &mut Diagnostics) {
    if page.description.is_none() {
        let diagnostic = match page.places.description {
            Some(offset) => file.warning(offset, 2, "`description` is empty"),
            None => file.file_warning("page has no `description`"),
        };
        found.push(
            diagnostic
                .with_rule(Rule::DescriptionMissing)
                .with_hint("add `description = \"...\"`: one plain sentence saying what the page is about (search results and cards show it)"),
        );
    }
    if !page.kind.is_health_page() {
        return;
    }
    if page.reviewed_by.is_none() {
        let diagnostic = match page.places.reviewed_by {
            Some(offset) => file.warning(offset, 2, "`reviewed_by` is empty"),
            None => file.file_warning(format!("{} page has no `reviewed_by`", page.kind.name())),
        };
        found.push(
            diagnostic
                .with_rule(Rule::ReviewMissing)
                .with_hint("health pages need a clinical reviewer: add `reviewed_by = \"Name, credentials\"` once a clinician has checked the page"),
        );
    }
    let max_age = i64::from(config.review.max_age_days);
    match (&page.last_reviewed, page.places.last_reviewed) {
        (Some(date), Some(offset)) => {
            let age = today - date.days_since_epoch();
            if age > max_age {
                found.push(
                    file.warning(
                        offset,
                        date.iso.len(),
                        format!(
                            "last reviewed {} days ago ({}), more than [review] max_age_days = {max_age}",
                            age, date.iso
                        ),
                    )
                    .with_rule(Rule::ReviewOutdated)
                    .with_hint("have a clinician review the page again, then update `last_reviewed` (and `updated` if the text changed)"),
                );
            } else if age < 0 {
                found.push(
                    file.warning(
                        offset,
                        date.iso.len(),
                        format!("`last_reviewed` {} is in the future", date.iso),
                    )
                    .with_rule(Rule::ReviewOutdated)
                    .with_hint("write the date the review took place, such as 2026-03-14"),
                );
            }
        }
        _ => found.push(
            file.file_warning(format!("{} page has no `last_reviewed` date", page.kind.name()))
                .with_rule(Rule::ReviewMissing)
                .with_hint("add `last_reviewed = 2026-03-14` with the date a clinician last checked the page"),
        ),
    }
}
