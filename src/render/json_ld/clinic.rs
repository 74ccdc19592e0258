//! The site-level structured data: the clinic as a `MedicalClinic` that is
//! also a `Physiotherapy` business (schema.org types both), with its
//! address, phone, opening hours, logo and booking link, and the
//! `WebSite` with its search. The home page carries both in full; other
//! pages point at them by `@id`, so search engines join every page to the
//! clinic that publishes it.

use serde_json::{Map, Value, json};

use crate::config::hours::{DAYS, OpeningHours};
use crate::link::Site;
use crate::render::context::absolute;

/// `https://example.org/#clinic`.
pub(crate) fn clinic_id(site: &Site) -> String {
    format!("{}/#clinic", site.config.base_url)
}

/// `https://example.org/#website`.
pub(crate) fn website_id(site: &Site) -> String {
    format!("{}/#website", site.config.base_url)
}

const CLINIC_TYPES: [&str; 2] = ["MedicalClinic", "Physiotherapy"];

/// The clinic's name, type and `@id`, for `publisher` and `about`;
/// `None` when site.toml has no `[clinic]`.
pub(crate) fn clinic_ref(site: &Site) -> Option<Value> {
    let clinic = site.config.clinic.as_ref()?;
    Some(json!({
        "@type": CLINIC_TYPES,
        "@id": clinic_id(site),
        "name": clinic.name.as_deref().unwrap_or(&site.config.title),
        "url": format!("{}/", site.config.base_url),
    }))
}

/// The clinic in full.
pub(crate) fn clinic_node(site: &Site) -> Option<Value> {
    let clinic = site.config.clinic.as_ref()?;
    let Some(Value::Object(mut node)) = clinic_ref(site) else {
        return None;
    };
    node.insert("medicalSpecialty".into(), json!("https://schema.org/Physiotherapy"));
    if let Some(logo) = &clinic.logo {
        let url = if logo.contains("://") {
            logo.clone()
        } else {
            absolute(site, &format!("/{}", logo.trim_start_matches('/')))
        };
        node.insert("logo".into(), json!(url));
        node.insert("image".into(), json!(url));
    }
    insert_some(&mut node, "telephone", clinic.phone.as_deref());
    insert_some(&mut node, "email", clinic.email.as_deref());
    let mut address = Map::new();
    insert_some(&mut address, "streetAddress", clinic.address.as_deref());
    insert_some(&mut address, "addressLocality", clinic.city.as_deref());
    insert_some(&mut address, "addressRegion", clinic.region.as_deref());
    insert_some(&mut address, "postalCode", clinic.postal_code.as_deref());
    insert_some(&mut address, "addressCountry", clinic.country.as_deref());
    if !address.is_empty() {
        address.insert("@type".into(), json!("PostalAddress"));
        node.insert("address".into(), Value::Object(address));
    }
    let hours: Vec<OpeningHours> = clinic
        .hours
        .iter()
        .filter_map(|line| OpeningHours::parse(line))
        .collect();
    if !hours.is_empty() {
        node.insert(
            "openingHours".into(),
            hours.iter().map(OpeningHours::schema_text).collect(),
        );
        let specification: Vec<Value> = hours
            .iter()
            .map(|line| {
                json!({
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": line.days.iter().map(|day| DAYS[*day]).collect::<Vec<_>>(),
                    "opens": line.opens,
                    "closes": line.closes,
                })
            })
            .collect();
        node.insert("openingHoursSpecification".into(), Value::Array(specification));
    }
    if let Some(booking) = &clinic.booking_url {
        node.insert(
            "potentialAction".into(),
            json!({ "@type": "ReserveAction", "target": { "@type": "EntryPoint", "urlTemplate": booking } }),
        );
    }
    Some(Value::Object(node))
}

/// The site as a `WebSite` with its search (a `SearchAction` on `/search/`).
pub(crate) fn website_node(site: &Site) -> Value {
    let base = &site.config.base_url;
    let mut node = json!({
        "@type": "WebSite",
        "@id": website_id(site),
        "url": format!("{base}/"),
        "name": site.config.title,
        "inLanguage": site.config.language,
        "potentialAction": {
            "@type": "SearchAction",
            "target": { "@type": "EntryPoint", "urlTemplate": format!("{base}/search/?q={{search_term_string}}") },
            "query-input": "required name=search_term_string",
        },
    });
    if !site.config.description.is_empty() {
        node["description"] = json!(site.config.description);
    }
    if site.config.clinic.is_some() {
        node["publisher"] = json!({ "@id": clinic_id(site) });
    }
    node
}

fn insert_some(map: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
        map.insert(key.into(), json!(value));
    }
}
