//! schema.org structured data for each page, as one JSON-LD `@graph`.
//!
//! Built with serde_json (never by string pasting) so it is always valid
//! JSON; `<` is escaped so no text can close the surrounding `<script>`.
//!
//! What each page says (docs/health-checks.md has the full table):
//!
//! - every content page: a `WebPage` (`MedicalWebPage` for health pages,
//!   with `lastReviewed`, `reviewedBy`, `audience`, `specialty`, `about`)
//!   and its `BreadcrumbList`; a `FAQPage` when it has FAQ entries;
//! - a technique: a `PhysicalTherapy` (a schema.org `MedicalTherapy`) as the
//!   page's `about`, and each clinical application it serves as a
//!   `MedicalCondition` whose `possibleTreatment` is that therapy;
//! - a clinical application: a `MedicalCondition` whose
//!   `possibleTreatment` lists the techniques used for it;
//! - an article: an `Article` with author, publisher and dates, about the
//!   techniques and conditions it relates to.
//!
//! Therapies and conditions have the same `@id` on every page
//! (`URL#therapy`, `URL#condition`), so the pages' graphs join up; so do
//! the site (`BASE/#website`) and the clinic (`BASE/#clinic`), which the
//! home page describes in full (`clinic.rs`).

mod clinic;

use serde_json::{Map, Value, json};

use crate::config::Audience;
use crate::link::{PageId, Site};
use crate::parse::kind::Kind;
use crate::render::context::{LinkContext, absolute, summary_text};
use crate::render::graph_pages::region_title;

/// The schema.org specialty of the whole site: physical therapy.
const SPECIALTY: &str = "https://schema.org/Physiotherapy";

/// The JSON-LD of a content page.
pub(crate) fn page(site: &Site, id: PageId, breadcrumb: &[LinkContext]) -> String {
    let page = &site.pages[id];
    let url = absolute(site, &page.path);
    let description = page.description.clone().unwrap_or_else(|| summary_text(page));
    let health = page.kind.is_health_page();
    let mut main = object(json!({
        "@type": if health { "MedicalWebPage" } else { "WebPage" },
        "@id": format!("{url}#main"),
        "url": url,
        "name": page.title,
        "description": description,
        "inLanguage": site.config.language,
        "isPartOf": { "@type": "WebSite", "@id": clinic::website_id(site), "name": site.config.title, "url": format!("{}/", site.config.base_url) },
        "breadcrumb": { "@id": format!("{url}#breadcrumb") },
    }));
    if let Some(date) = &page.date {
        main.insert("datePublished".into(), json!(date.iso));
    }
    if let Some(date) = page.updated.as_ref().or(page.date.as_ref()) {
        main.insert("dateModified".into(), json!(date.iso));
    }
    if !page.tags.is_empty() {
        main.insert("keywords".into(), json!(page.tags.join(", ")));
    }

    let mut graph = Vec::new();
    if health {
        main.insert("specialty".into(), json!(SPECIALTY));
        main.insert("audience".into(), audience(page.audience));
        if let Some(date) = &page.last_reviewed {
            main.insert("lastReviewed".into(), json!(date.iso));
        }
        if let Some(reviewer) = &page.reviewed_by {
            main.insert("reviewedBy".into(), json!({"@type": "Person", "name": reviewer}));
        }
        match page.kind {
            Kind::Technique => {
                let therapy = therapy_id(site, id);
                main.insert("about".into(), json!({ "@id": therapy }));
                main.insert("mainEntity".into(), json!({ "@id": therapy }));
                graph.push(Value::Object(main));
                graph.push(therapy_node(site, id, &description));
                // The conditions it serves, each pointing back at it.
                for application in &site.graph.relations[id].applications {
                    let mut condition = object(condition_ref(site, *application));
                    condition.insert("possibleTreatment".into(), json!({ "@id": therapy }));
                    graph.push(Value::Object(condition));
                }
            }
            Kind::Application => {
                let condition = condition_id(site, id);
                main.insert("about".into(), json!({ "@id": condition }));
                main.insert("mainEntity".into(), json!({ "@id": condition }));
                graph.push(Value::Object(main));
                graph.push(condition_node(site, id, &description));
            }
            Kind::Article => {
                let article = format!("{url}#article");
                main.insert("mainEntity".into(), json!({ "@id": article }));
                let relations = &site.graph.relations[id];
                let about: Vec<Value> = relations
                    .techniques
                    .iter()
                    .map(|t| therapy_ref(site, *t))
                    .chain(relations.applications.iter().map(|a| condition_ref(site, *a)))
                    .collect();
                if !about.is_empty() {
                    main.insert("about".into(), Value::Array(about));
                }
                graph.push(Value::Object(main));
                graph.push(article_node(site, id, &description));
            }
            Kind::Faq | Kind::Page => graph.push(Value::Object(main)),
        }
    } else {
        graph.push(Value::Object(main));
    }

    if !page.faq.is_empty() {
        let questions: Vec<Value> = page
            .faq
            .iter()
            .map(|entry| {
                json!({
                    "@type": "Question",
                    "name": entry.question,
                    "url": format!("{url}#{}", entry.anchor),
                    "acceptedAnswer": { "@type": "Answer", "text": entry.answer.text.trim() },
                })
            })
            .collect();
        graph.push(json!({ "@type": "FAQPage", "@id": format!("{url}#faq"), "url": url, "mainEntity": questions }));
    }
    let mut crumbs = breadcrumb.to_vec();
    crumbs.push(LinkContext {
        title: page.title.clone(),
        url: page.path.clone(),
        description: None,
        kind_label: None,
    });
    let mut crumb_list = object(breadcrumb_list(site, &crumbs));
    crumb_list.insert("@id".into(), json!(format!("{url}#breadcrumb")));
    graph.push(Value::Object(crumb_list));
    to_script_text(&json!({ "@context": "https://schema.org", "@graph": graph }))
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Who the page is written for: patients (schema.org `Patient`, a
/// `MedicalAudience`), clinicians, or both.
fn audience(audience: Audience) -> Value {
    let patients = json!({ "@type": "Patient" });
    let clinicians = json!({ "@type": "MedicalAudience", "audienceType": "Clinician" });
    match audience {
        Audience::Patients => patients,
        Audience::Clinicians => clinicians,
        Audience::Everyone => json!([patients, clinicians]),
    }
}

fn therapy_id(site: &Site, id: PageId) -> String {
    format!("{}#therapy", absolute(site, &site.pages[id].path))
}

fn condition_id(site: &Site, id: PageId) -> String {
    format!("{}#condition", absolute(site, &site.pages[id].path))
}

/// A short node naming a technique: type, id, name, url.
fn therapy_ref(site: &Site, id: PageId) -> Value {
    let page = &site.pages[id];
    json!({
        "@type": "PhysicalTherapy",
        "@id": therapy_id(site, id),
        "name": page.title,
        "url": absolute(site, &page.path),
    })
}

/// A short node naming a clinical application.
fn condition_ref(site: &Site, id: PageId) -> Value {
    let page = &site.pages[id];
    json!({
        "@type": "MedicalCondition",
        "@id": condition_id(site, id),
        "name": page.title,
        "url": absolute(site, &page.path),
    })
}

/// A technique in full: every technique on a physical-therapy site is a
/// `PhysicalTherapy`, schema.org's `MedicalTherapy` for "progressive
/// physical care and rehabilitation".
fn therapy_node(site: &Site, id: PageId, description: &str) -> Value {
    let page = &site.pages[id];
    let mut node = object(therapy_ref(site, id));
    node.insert("description".into(), json!(description));
    node.insert("relevantSpecialty".into(), json!(SPECIALTY));
    if !page.front.synonyms.is_empty() {
        node.insert("alternateName".into(), json!(page.front.synonyms));
    }
    if !page.front.body_regions.is_empty() {
        let regions: Vec<String> = page.front.body_regions.iter().map(|r| region_title(r)).collect();
        node.insert("bodyLocation".into(), json!(regions.join(", ")));
    }
    Value::Object(node)
}

/// A clinical application in full, with the techniques used for it.
fn condition_node(site: &Site, id: PageId, description: &str) -> Value {
    let page = &site.pages[id];
    let mut node = object(condition_ref(site, id));
    node.insert("description".into(), json!(description));
    node.insert("relevantSpecialty".into(), json!(SPECIALTY));
    if !page.front.synonyms.is_empty() {
        node.insert("alternateName".into(), json!(page.front.synonyms));
    }
    if !page.front.body_regions.is_empty() {
        let anatomy: Vec<Value> = page
            .front
            .body_regions
            .iter()
            .map(|region| json!({ "@type": "AnatomicalStructure", "name": region_title(region) }))
            .collect();
        node.insert("associatedAnatomy".into(), Value::Array(anatomy));
    }
    let treatments: Vec<Value> = site.graph.techniques_using[id]
        .iter()
        .map(|technique| therapy_ref(site, *technique))
        .collect();
    if !treatments.is_empty() {
        node.insert("possibleTreatment".into(), Value::Array(treatments));
    }
    Value::Object(node)
}

/// An article: headline, author (the clinic when no author is named),
/// publisher, dates.
fn article_node(site: &Site, id: PageId, description: &str) -> Value {
    let page = &site.pages[id];
    let url = absolute(site, &page.path);
    let publisher = clinic::clinic_ref(site).unwrap_or_else(
        || json!({ "@type": "Organization", "name": site.config.title, "url": format!("{}/", site.config.base_url) }),
    );
    let authors: Vec<Value> = page
        .front
        .authors
        .iter()
        .map(|name| json!({"@type": "Person", "name": name}))
        .collect();
    let mut node = object(json!({
        "@type": "Article",
        "@id": format!("{url}#article"),
        "headline": page.title,
        "description": description,
        "url": url,
        "inLanguage": site.config.language,
        "mainEntityOfPage": { "@id": format!("{url}#main") },
        "author": if authors.is_empty() { json!([publisher]) } else { Value::Array(authors) },
        "publisher": publisher,
    }));
    if let Some(date) = &page.date {
        node.insert("datePublished".into(), json!(date.iso));
    }
    if let Some(date) = page.updated.as_ref().or(page.date.as_ref()) {
        node.insert("dateModified".into(), json!(date.iso));
    }
    Value::Object(node)
}

/// The JSON-LD of a list page: a CollectionPage with its breadcrumb.
pub(crate) fn collection(
    site: &Site,
    title: &str,
    path: &str,
    description: Option<&str>,
    breadcrumb: &[LinkContext],
) -> String {
    let mut graph = vec![Value::Object(collection_node(site, title, path, description))];
    if breadcrumb.len() > 1 {
        graph.push(breadcrumb_list(site, breadcrumb));
    }
    to_script_text(&json!({ "@context": "https://schema.org", "@graph": graph }))
}

/// A list page as a `CollectionPage` node (`URL#main`).
fn collection_node(site: &Site, title: &str, path: &str, description: Option<&str>) -> Map<String, Value> {
    let url = absolute(site, path);
    object(json!({
        "@type": "CollectionPage",
        "@id": format!("{url}#main"),
        "url": url,
        "name": title,
        "description": description.unwrap_or(&site.config.description),
        "inLanguage": site.config.language,
    }))
}

/// The JSON-LD of the home page: the page, the `WebSite` with its search,
/// and the clinic in full.
pub(crate) fn home(site: &Site, title: &str, path: &str, description: Option<&str>) -> String {
    let mut page = collection_node(site, title, path, description);
    page.insert("isPartOf".into(), json!({ "@id": clinic::website_id(site) }));
    let mut graph = Vec::new();
    let clinic = clinic::clinic_node(site);
    if clinic.is_some() {
        page.insert("about".into(), json!({ "@id": clinic::clinic_id(site) }));
    }
    graph.push(Value::Object(page));
    graph.push(clinic::website_node(site));
    graph.extend(clinic);
    to_script_text(&json!({ "@context": "https://schema.org", "@graph": graph }))
}

fn breadcrumb_list(site: &Site, crumbs: &[LinkContext]) -> Value {
    let items: Vec<Value> = crumbs
        .iter()
        .enumerate()
        .map(|(i, crumb)| json!({"@type": "ListItem", "position": i + 1, "name": crumb.title, "item": absolute(site, &crumb.url)}))
        .collect();
    json!({ "@type": "BreadcrumbList", "itemListElement": items })
}

/// JSON safe to place inside `<script type="application/ld+json">`.
fn to_script_text(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c")
}
