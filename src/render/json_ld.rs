//! schema.org structured data for each page, as one JSON-LD `@graph`.
//!
//! Built with serde_json (never by string pasting) so it is always valid
//! JSON; `<` is escaped so no text can close the surrounding `<script>`.

use serde_json::{Value, json};

use crate::link::{PageId, Site};
use crate::parse::kind::Kind;
use crate::render::context::{LinkContext, absolute, summary_text};

/// The JSON-LD of a content page: Article or WebPage, FAQPage when the page
/// has FAQ entries, and its BreadcrumbList.
pub fn page(site: &Site, id: PageId, breadcrumb: &[LinkContext]) -> String {
    let page = &site.pages[id];
    let url = absolute(site, &page.path);
    let mut main = json!({
        "@type": if page.kind == Kind::Article { "Article" } else { "WebPage" },
        "@id": format!("{url}#main"),
        "url": url,
        "name": page.title,
        "description": page.description.clone().unwrap_or_else(|| summary_text(page)),
        "inLanguage": site.config.language,
        "isPartOf": { "@type": "WebSite", "name": site.config.title, "url": format!("{}/", site.config.base_url) },
    });
    let object = main.as_object_mut().expect("json! of an object literal is an object");
    if page.kind == Kind::Article {
        object.insert("headline".into(), json!(page.title));
        object.insert("mainEntityOfPage".into(), json!(url));
        let authors: Vec<Value> = page
            .authors
            .iter()
            .map(|name| json!({"@type": "Person", "name": name}))
            .collect();
        if !authors.is_empty() {
            object.insert("author".into(), Value::Array(authors));
        }
        object.insert(
            "publisher".into(),
            json!({"@type": "Organization", "name": site.config.clinic.as_ref().and_then(|c| c.name.clone()).unwrap_or_else(|| site.config.title.clone())}),
        );
    }
    if let Some(date) = &page.date {
        object.insert("datePublished".into(), json!(date.iso));
    }
    if let Some(date) = page.updated.as_ref().or(page.date.as_ref()) {
        object.insert("dateModified".into(), json!(date.iso));
    }
    if let Some(date) = &page.last_reviewed {
        object.insert("lastReviewed".into(), json!(date.iso));
    }
    if let Some(reviewer) = &page.reviewed_by {
        object.insert("reviewedBy".into(), json!({"@type": "Person", "name": reviewer}));
    }
    if !page.tags.is_empty() {
        object.insert("keywords".into(), json!(page.tags.join(", ")));
    }

    let mut graph = vec![main];
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
    graph.push(breadcrumb_list(site, &crumbs));
    to_script_text(&json!({ "@context": "https://schema.org", "@graph": graph }))
}

/// The JSON-LD of a list page: a CollectionPage with its breadcrumb.
pub fn collection(
    site: &Site,
    title: &str,
    path: &str,
    description: Option<&str>,
    breadcrumb: &[LinkContext],
) -> String {
    let url = absolute(site, path);
    let mut graph = vec![json!({
        "@type": "CollectionPage",
        "@id": format!("{url}#main"),
        "url": url,
        "name": title,
        "description": description.unwrap_or(&site.config.description),
        "inLanguage": site.config.language,
    })];
    if breadcrumb.len() > 1 {
        graph.push(breadcrumb_list(site, breadcrumb));
    }
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
