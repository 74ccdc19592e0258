//! Pages generated from the knowledge graph: `/matrix/` (technique x
//! clinical application), `/a-z/` (every name and synonym) and
//! `/body-regions/` with one page per region.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::link::{PageId, Site};
use crate::parse::kind::Kind;
use crate::parse::slug::slugify;
use crate::render::context::{LinkContext, breadcrumb, link_to, to_value};
use crate::render::{RenderJob, json_ld};

#[derive(Debug, Serialize)]
struct MatrixCell {
    /// The application of this column.
    application: String,
    url: String,
    linked: bool,
}

#[derive(Debug, Serialize)]
struct MatrixRow {
    title: String,
    url: String,
    cells: Vec<MatrixCell>,
    /// The linked applications only, for the stacked phone layout.
    applications: Vec<LinkContext>,
}

#[derive(Debug, Serialize)]
struct Matrix {
    applications: Vec<LinkContext>,
    rows: Vec<MatrixRow>,
    /// False when the grid would be too large to read (and to render): the
    /// page then shows the stacked lists only.
    show_grid: bool,
}

/// Above this many cells the grid is left out: 60 x 60 is already more than
/// anyone scans, and 1,000 x 1,000 would be a 100 MB page.
const MATRIX_MAX_CELLS: usize = 10_000;

#[derive(Debug, Serialize)]
struct AzEntry {
    name: String,
    url: String,
    kind_label: &'static str,
    /// For a synonym: the title of the page it stands for ("CVA, see Stroke").
    see: Option<String>,
}

#[derive(Debug, Serialize)]
struct AzLetter {
    letter: String,
    entries: Vec<AzEntry>,
}

#[derive(Debug, Serialize)]
pub(crate) struct BodyRegion {
    pub(crate) name: String,
    slug: String,
    pub(crate) path: String,
    techniques: Vec<LinkContext>,
    applications: Vec<LinkContext>,
    pub(crate) count: usize,
}

pub(crate) fn of_kind(site: &Site, kind: Kind) -> Vec<PageId> {
    let mut ids: Vec<PageId> = (0..site.pages.len())
        .filter(|id| site.pages[*id].kind == kind)
        .collect();
    ids.sort_by_key(|id| site.pages[*id].title.to_lowercase());
    ids
}

/// Render jobs for every graph page; none when the site has no techniques
/// or applications.
pub(crate) fn graph_page_jobs(site: &Site) -> Vec<RenderJob> {
    let techniques = of_kind(site, Kind::Technique);
    let applications = of_kind(site, Kind::Application);
    if techniques.is_empty() && applications.is_empty() {
        return Vec::new();
    }
    let mut jobs = vec![
        matrix_job(site, &techniques, &applications),
        a_z_job(site, &techniques, &applications),
    ];
    jobs.extend(body_region_jobs(site, &techniques, &applications));
    jobs
}

fn page_vars(site: &Site, title: &str, path: &str, description: &str, breadcrumb: Vec<LinkContext>) -> tera::Value {
    #[derive(Serialize)]
    struct GeneratedPage<'a> {
        title: &'a str,
        path: &'a str,
        description: &'a str,
        breadcrumb: Vec<LinkContext>,
        json_ld: String,
    }
    let json_ld = json_ld::collection(site, title, path, Some(description), &breadcrumb);
    to_value(&GeneratedPage {
        title,
        path,
        description,
        breadcrumb,
        json_ld,
    })
}

fn matrix_job(site: &Site, techniques: &[PageId], applications: &[PageId]) -> RenderJob {
    let show_grid = techniques.len() * applications.len() <= MATRIX_MAX_CELLS;
    let rows = techniques
        .iter()
        .map(|&technique| {
            let linked = &site.graph.relations[technique].applications;
            MatrixRow {
                title: site.pages[technique].title.clone(),
                url: site.pages[technique].path.clone(),
                cells: applications
                    .iter()
                    .filter(|_| show_grid)
                    .map(|&application| MatrixCell {
                        application: site.pages[application].title.clone(),
                        url: site.pages[application].path.clone(),
                        linked: linked.contains(&application),
                    })
                    .collect(),
                applications: applications
                    .iter()
                    .filter(|a| linked.contains(a))
                    .map(|a| link_to(site, *a))
                    .collect(),
            }
        })
        .collect();
    let matrix = Matrix {
        applications: applications
            .iter()
            .filter(|_| show_grid)
            .map(|id| link_to(site, *id))
            .collect(),
        rows,
        show_grid,
    };
    let path = "/matrix/";
    let vars = vec![
        (
            "generated",
            page_vars(
                site,
                "Techniques and clinical applications",
                path,
                "Which technique is used for which condition.",
                breadcrumb(site, ""),
            ),
        ),
        ("matrix", to_value(&matrix)),
    ];
    RenderJob::new("matrix.html", path.to_string(), vars, "(matrix page)".to_string())
}

fn a_z_job(site: &Site, techniques: &[PageId], applications: &[PageId]) -> RenderJob {
    let mut by_letter: BTreeMap<String, Vec<AzEntry>> = BTreeMap::new();
    for &id in techniques.iter().chain(applications) {
        let page = &site.pages[id];
        let names = std::iter::once((page.title.clone(), None)).chain(
            page.front
                .synonyms
                .iter()
                .map(|synonym| (synonym.clone(), Some(page.title.clone()))),
        );
        for (name, see) in names {
            let letter = deunicode::deunicode(&name)
                .chars()
                .find(|c| c.is_ascii_alphanumeric())
                .map_or_else(
                    || "#".to_string(),
                    |c| {
                        if c.is_ascii_digit() {
                            "#".to_string()
                        } else {
                            c.to_ascii_uppercase().to_string()
                        }
                    },
                );
            by_letter.entry(letter).or_default().push(AzEntry {
                name,
                url: page.path.clone(),
                kind_label: page.kind.label(),
                see,
            });
        }
    }
    let letters: Vec<AzLetter> = by_letter
        .into_iter()
        .map(|(letter, mut entries)| {
            entries.sort_by_key(|e| e.name.to_lowercase());
            AzLetter { letter, entries }
        })
        .collect();
    let path = "/a-z/";
    let vars = vec![
        (
            "generated",
            page_vars(
                site,
                "A-Z index",
                path,
                "Every technique and clinical application by name, with other names they go by.",
                breadcrumb(site, ""),
            ),
        ),
        ("letters", to_value(&letters)),
    ];
    RenderJob::new("a_z.html", path.to_string(), vars, "(A-Z page)".to_string())
}

/// Every body region named by a technique or application, by name, with
/// the pages naming it (each list by title).
pub(crate) fn body_regions(site: &Site, techniques: &[PageId], applications: &[PageId]) -> Vec<BodyRegion> {
    let mut regions: BTreeMap<String, BodyRegion> = BTreeMap::new();
    for &id in techniques.iter().chain(applications) {
        for name in &site.pages[id].front.body_regions {
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            let region = regions.entry(slug.clone()).or_insert_with(|| BodyRegion {
                name: region_title(name),
                path: format!("/body-regions/{slug}/"),
                slug,
                techniques: Vec::new(),
                applications: Vec::new(),
                count: 0,
            });
            if site.pages[id].kind == Kind::Technique {
                region.techniques.push(link_to(site, id));
            } else {
                region.applications.push(link_to(site, id));
            }
            region.count += 1;
        }
    }
    regions.into_values().collect()
}

fn body_region_jobs(site: &Site, techniques: &[PageId], applications: &[PageId]) -> Vec<RenderJob> {
    let regions = body_regions(site, techniques, applications);
    if regions.is_empty() {
        return Vec::new();
    }
    let list_path = "/body-regions/";
    let mut jobs = vec![RenderJob::new(
        "body_regions.html",
        list_path.to_string(),
        vec![
            (
                "generated",
                page_vars(
                    site,
                    "Body regions",
                    list_path,
                    "Techniques and clinical applications by part of the body.",
                    breadcrumb(site, ""),
                ),
            ),
            ("regions", to_value(&regions)),
        ],
        "(body regions page)".to_string(),
    )];
    let mut region_crumbs = breadcrumb(site, "");
    region_crumbs.push(LinkContext {
        title: "Body regions".into(),
        url: list_path.into(),
        description: None,
        kind_label: None,
    });
    for region in &regions {
        let title = region.name.clone();
        let description = format!("Techniques and clinical applications for the {}.", title.to_lowercase());
        jobs.push(RenderJob::new(
            "body_region.html",
            region.path.clone(),
            vec![
                (
                    "generated",
                    page_vars(site, &title, &region.path, &description, region_crumbs.clone()),
                ),
                ("region", to_value(region)),
            ],
            "(body region page)".to_string(),
        ));
    }
    jobs
}

/// `lower-back` -> `Lower back`.
pub(crate) fn region_title(name: &str) -> String {
    let words = name.trim().replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_titles_read_naturally() {
        assert_eq!(region_title("lower-back"), "Lower back");
        assert_eq!(region_title("hand-and-wrist"), "Hand and wrist");
    }
}
