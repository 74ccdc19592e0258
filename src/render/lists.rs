//! List pages: the home page, section lists (paginated as `/SECTION/page/N/`)
//! and taxonomy pages (`/categories/`, `/categories/SLUG/`).

use serde::Serialize;
use tera::Value;

use crate::link::{PageId, SiteSection};
use crate::render::context::{LinkContext, MenuItem, absolute, breadcrumb, markdown_html, to_value};
use crate::render::{RenderJob, Renderer, json_ld};

/// Taxonomy term pages list this many pages per page.
const TERM_PAGE_SIZE: usize = 20;

#[derive(Debug, Serialize)]
struct SectionContext {
    title: String,
    description: Option<String>,
    path: String,
    url: String,
    content: String,
    breadcrumb: Vec<LinkContext>,
    subsections: Vec<MenuItem>,
    json_ld: String,
    extra: toml::Table,
}

#[derive(Debug, Serialize)]
struct PageNumber {
    number: usize,
    path: String,
    current: bool,
    /// Stands for left-out numbers ("…") between shown ones.
    gap: bool,
}

/// Page numbers shown around list page `current` of `total`: the first, the
/// last, and two either side of the current one, with gaps between. Long
/// lists would otherwise repeat hundreds of links on every list page.
fn page_numbers(base: &str, current: usize, total: usize) -> Vec<PageNumber> {
    let mut numbers: Vec<PageNumber> = Vec::new();
    for n in 1..=total {
        if n == 1 || n == total || n.abs_diff(current) <= 2 {
            if numbers.last().is_some_and(|last| last.number + 1 < n) {
                numbers.push(PageNumber {
                    number: 0,
                    path: String::new(),
                    current: false,
                    gap: true,
                });
            }
            numbers.push(PageNumber {
                number: n,
                path: list_page_path(base, n),
                current: n == current,
                gap: false,
            });
        }
    }
    numbers
}

#[derive(Debug, Serialize)]
struct PaginatorMeta {
    current: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    numbers: Vec<PageNumber>,
}

/// The path of list page `number` (1-based) of a list at `base`.
fn list_page_path(base: &str, number: usize) -> String {
    if number == 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

/// Splits a list into pages; every list has at least one (possibly empty) page.
fn paginate<'a>(
    renderer: &'a Renderer<'_>,
    ids: &'a [PageId],
    per_page: Option<usize>,
    base: &'a str,
) -> impl Iterator<Item = (String, Value)> + 'a {
    let per_page = per_page.unwrap_or(ids.len()).max(1);
    let total = ids.len().div_ceil(per_page).max(1);
    (1..=total).map(move |number| {
        let chunk = ids.chunks(per_page).nth(number - 1).unwrap_or(&[]);
        let meta = PaginatorMeta {
            current: number,
            total,
            previous: (number > 1).then(|| list_page_path(base, number - 1)),
            next: (number < total).then(|| list_page_path(base, number + 1)),
            numbers: page_numbers(base, number, total),
        };
        let mut value = to_value(&meta);
        let pages: Vec<Value> = chunk.iter().map(|id| renderer.summary(*id)).collect();
        if let Some(mut map) = value.clone().into_map() {
            map.insert("pages".into(), Value::from(pages));
            value = Value::from(map);
        }
        (list_page_path(base, number), value)
    })
}

fn section_context(renderer: &Renderer<'_>, section: &SiteSection) -> SectionContext {
    let site = renderer.site;
    let crumbs = breadcrumb(site, &section.section.key);
    let title = if section.section.key.is_empty() {
        site.config.title.clone()
    } else {
        section.section.title.clone()
    };
    let description = section.section.description.as_deref();
    let json_ld = if section.section.key.is_empty() {
        json_ld::home(site, &title, &section.path, description)
    } else {
        json_ld::collection(site, &title, &section.path, description, &crumbs)
    };
    SectionContext {
        json_ld,
        title,
        description: section.section.description.clone(),
        path: section.path.clone(),
        url: absolute(site, &section.path),
        content: markdown_html(&section.section.intro, &section.path, &renderer.theme.image_sizes),
        breadcrumb: crumbs,
        subsections: section
            .subsections
            .iter()
            .filter_map(|key| site.sections.get(key))
            .map(|s| MenuItem::for_section(site, s))
            .collect(),
        extra: section.section.extra.clone(),
    }
}

fn origin(section: &SiteSection) -> String {
    section
        .section
        .rel_path
        .clone()
        .unwrap_or_else(|| format!("content/{}", section.section.key))
}

/// Home, every section's list pages, and the taxonomy pages, as jobs for
/// the parallel render.
pub(crate) fn list_jobs(renderer: &Renderer<'_>) -> Vec<RenderJob> {
    let site = renderer.site;
    let mut jobs = Vec::new();
    let mut keys: Vec<&String> = site.sections.keys().collect();
    keys.sort();
    for key in keys {
        let section = &site.sections[key];
        let section_value = to_value(&section_context(renderer, section));
        if key.is_empty() {
            jobs.push(crate::render::home::home_job(
                renderer,
                section,
                section_value,
                origin(section),
            ));
            continue;
        }
        for (path, paginator) in paginate(renderer, &section.pages, section.section.paginate_by, &section.path) {
            let vars = vec![("section", section_value.clone()), ("paginator", paginator)];
            jobs.push(RenderJob::new("section.html", path, vars, origin(section)));
        }
    }
    for taxonomy in &site.taxonomies {
        jobs.extend(taxonomy_jobs(renderer, taxonomy));
    }
    jobs
}

#[derive(Debug, Serialize)]
struct TermContext {
    name: String,
    slug: String,
    path: String,
    url: String,
    count: usize,
}

#[derive(Debug, Serialize)]
struct TaxonomyContext {
    name: &'static str,
    title: &'static str,
    path: String,
    terms: Vec<TermContext>,
}

fn taxonomy_jobs(renderer: &Renderer<'_>, taxonomy: &crate::link::Taxonomy) -> Vec<RenderJob> {
    let site = renderer.site;
    if taxonomy.terms.is_empty() {
        return Vec::new();
    }
    let terms: Vec<TermContext> = taxonomy
        .terms
        .iter()
        .map(|term| {
            let path = taxonomy.term_path(term);
            TermContext {
                name: term.name.clone(),
                slug: term.slug.clone(),
                url: absolute(site, &path),
                path,
                count: term.pages.len(),
            }
        })
        .collect();
    let taxonomy_value = to_value(&TaxonomyContext {
        name: taxonomy.name,
        title: taxonomy.title,
        path: taxonomy.path(),
        terms,
    });
    let origin = format!("({} taxonomy)", taxonomy.name);
    let mut jobs = vec![RenderJob::new(
        "taxonomy_list.html",
        taxonomy.path(),
        vec![("taxonomy", taxonomy_value.clone())],
        origin.clone(),
    )];
    let term_values = taxonomy_value
        .get_from_path("terms")
        .and_then(Value::as_array)
        .unwrap_or(&[]);
    for (term, term_value) in taxonomy.terms.iter().zip(term_values) {
        let base = taxonomy.term_path(term);
        for (path, paginator) in paginate(renderer, &term.pages, Some(TERM_PAGE_SIZE), &base) {
            let vars = vec![
                ("taxonomy", taxonomy_value.clone()),
                ("term", term_value.clone()),
                ("paginator", paginator),
            ];
            jobs.push(RenderJob::new("taxonomy_term.html", path, vars, origin.clone()));
        }
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_show_a_window_with_gaps() {
        let shown: Vec<String> = page_numbers("/a/", 6, 20)
            .iter()
            .map(|n| if n.gap { "…".to_string() } else { n.number.to_string() })
            .collect();
        assert_eq!(shown, ["1", "…", "4", "5", "6", "7", "8", "…", "20"]);
        assert_eq!(page_numbers("/a/", 1, 3).len(), 3);
        assert!(page_numbers("/a/", 2, 3)[1].current);
    }
}
