//! The knowledge graph: techniques, clinical applications and the pages that
//! discuss them, linked both ways (docs/site-format.md, "Relations both ways").
//!
//! Built once per build from the resolved relations and text links, then
//! shared read-only by render, search and check. Every edge list is sorted
//! by page id, so output never depends on thread timing. A new relation is a
//! new field here plus the line in [`Graph::build`] that fills it.

use crate::diagnostics::{Diagnostic, Diagnostics, Position, Rule};
use crate::link::PageId;
use crate::link::resolve::Relations;
use crate::parse::kind::Kind;
use crate::parse::{LeftOut, Page};

/// Edges of the graph, each list indexed by page id.
#[derive(Debug, Clone, Default)]
pub(crate) struct Graph {
    /// What each page declares (applications, techniques, parent) and links to.
    pub(crate) relations: Vec<Relations>,
    /// For an application: the techniques whose `applications` name it.
    pub(crate) techniques_using: Vec<Vec<PageId>>,
    /// For an application: the applications whose `parent` it is.
    pub(crate) children: Vec<Vec<PageId>>,
    /// Pages (articles, mostly) that name this page in their front matter.
    pub(crate) related_pages: Vec<Vec<PageId>>,
    /// Pages whose text links to or mentions this page.
    pub(crate) mentioned_in: Vec<Vec<PageId>>,
}

impl Graph {
    /// Inverts the declared relations and text links into backlinks.
    pub(crate) fn build(pages: &[Page], relations: Vec<Relations>) -> Graph {
        let count = pages.len();
        let mut graph = Graph {
            techniques_using: vec![Vec::new(); count],
            children: vec![Vec::new(); count],
            related_pages: vec![Vec::new(); count],
            mentioned_in: vec![Vec::new(); count],
            relations: Vec::new(),
        };
        for (id, relation) in relations.iter().enumerate() {
            let kind = pages[id].kind;
            for &application in &relation.applications {
                if kind == Kind::Technique {
                    graph.techniques_using[application].push(id);
                } else {
                    graph.related_pages[application].push(id);
                }
            }
            for &technique in &relation.techniques {
                graph.related_pages[technique].push(id);
            }
            if let Some(parent) = relation.parent {
                graph.children[parent].push(id);
            }
            for &target in &relation.links_to {
                if target != id && !graph.mentioned_in[target].contains(&id) {
                    graph.mentioned_in[target].push(id);
                }
            }
        }
        for list in graph
            .techniques_using
            .iter_mut()
            .chain(&mut graph.children)
            .chain(&mut graph.related_pages)
            .chain(&mut graph.mentioned_in)
        {
            list.sort_unstable();
            list.dedup();
        }
        graph.relations = relations;
        graph
    }

    /// The chain of parents above an application, nearest first; stops at a
    /// cycle (which [`check_graph`] reports).
    pub(crate) fn ancestors(&self, id: PageId) -> Vec<PageId> {
        let mut chain = Vec::new();
        let mut current = self.relations.get(id).and_then(|r| r.parent);
        while let Some(parent) = current {
            if parent == id || chain.contains(&parent) {
                break;
            }
            chain.push(parent);
            current = self.relations[parent].parent;
        }
        chain
    }
}

/// Parent cycles (errors) and unconnected techniques or applications
/// (warnings).
pub(crate) fn check_graph(pages: &[Page], graph: &Graph, left_out: &[LeftOut], diagnostics: &mut Diagnostics) {
    let mut reported = vec![false; pages.len()];
    for start in 0..pages.len() {
        if reported[start] {
            continue;
        }
        let mut path = vec![start];
        let mut current = graph.relations[start].parent;
        while let Some(next) = current {
            if let Some(at) = path.iter().position(|p| *p == next) {
                let cycle = &path[at..];
                if cycle.iter().all(|p| !reported[*p]) {
                    for p in cycle {
                        reported[*p] = true;
                    }
                    // Report at the parent value of the cycle's first page by path.
                    let first = *cycle
                        .iter()
                        .min_by_key(|p| &pages[**p].rel_path)
                        .expect("a cycle has members");
                    let names: Vec<&str> = cycle
                        .iter()
                        .cycle()
                        .skip_while(|p| **p != first)
                        .take(cycle.len() + 1)
                        .map(|p| pages[*p].slug.as_str())
                        .collect();
                    let position = pages[first]
                        .relations
                        .parent
                        .as_ref()
                        .map_or(Position::START, |r| r.position);
                    diagnostics.push(
                        Diagnostic::error(
                            &pages[first].rel_path,
                            position,
                            format!("parent cycle: {}", names.join(" -> ")),
                        )
                        .with_hint("an application's parent must be broader; remove `parent` from one of these pages")
                        .with_rule(Rule::Relation),
                    );
                }
                break;
            }
            path.push(next);
            current = graph.relations[next].parent;
        }
    }
    // A page with front-matter errors is out of the site, but what it names
    // is not missing: its errors are the message, not these warnings.
    let named_by_broken: std::collections::HashSet<&str> = left_out
        .iter()
        .filter(|left| !left.draft)
        .flat_map(|left| left.applications.iter().map(String::as_str))
        .collect();
    for (id, page) in pages.iter().enumerate() {
        match page.kind {
            // Named but unresolved is an error of its own (an unknown slug)
            // or a page with errors: not "names none".
            Kind::Technique if page.relations.applications.is_empty() => diagnostics.push(
                Diagnostic::warning(
                    &page.rel_path,
                    Position::START,
                    "technique names no clinical application",
                )
                .with_hint("add `applications = [\"...\"]` with the slugs of the conditions it serves")
                .with_rule(Rule::Relation),
            ),
            Kind::Application
                if graph.techniques_using[id].is_empty() && !named_by_broken.contains(page.slug.as_str()) =>
            {
                diagnostics.push(
                    Diagnostic::warning(
                        &page.rel_path,
                        Position::START,
                        "no technique names this clinical application",
                    )
                    .with_hint(format!(
                        "add \"{}\" to the `applications` of a technique page",
                        page.slug
                    ))
                    .with_rule(Rule::Relation),
                )
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::resolve::resolve_all;
    use crate::parse::parse_for_test;

    fn graph(files: &[(&str, &str)]) -> (Vec<Page>, Graph, Vec<Diagnostic>) {
        let (mut content, _) = parse_for_test(files);
        content.pages.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        let mut diagnostics = Diagnostics::new();
        let relations = resolve_all(
            &mut content.pages,
            &mut content.sections,
            &content.left_out,
            &mut diagnostics,
        );
        let graph = Graph::build(&content.pages, relations);
        check_graph(&content.pages, &graph, &content.left_out, &mut diagnostics);
        (content.pages, graph, diagnostics.sorted())
    }

    fn application(slug: &str, parent: Option<&str>) -> (String, String) {
        let parent = parent.map_or(String::new(), |p| format!("parent = '{p}'\n"));
        (
            format!("content/applications/{slug}.md"),
            format!("+++\ntitle = '{slug}'\n{parent}+++\n"),
        )
    }

    fn as_refs(files: &[(String, String)]) -> Vec<(&str, &str)> {
        files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
    }

    #[test]
    fn backlinks_invert_relations() {
        let files = vec![
            application("neuro", None),
            application("stroke", Some("neuro")),
            (
                "content/techniques/mirror.md".into(),
                "+++\ntitle = 'Mirror'\napplications = ['stroke']\n+++\n".into(),
            ),
            (
                "content/articles/a.md".into(),
                "+++\ntitle = 'A'\napplications = ['stroke']\n+++\nTry [[mirror]].\n".into(),
            ),
        ];
        let (pages, graph, diagnostics) = graph(&as_refs(&files));
        let id = |slug: &str| pages.iter().position(|p| p.slug == slug).unwrap();
        assert_eq!(graph.techniques_using[id("stroke")], [id("mirror")]);
        assert_eq!(graph.children[id("neuro")], [id("stroke")]);
        assert_eq!(graph.related_pages[id("stroke")], [id("a")]);
        assert_eq!(graph.mentioned_in[id("mirror")], [id("a")]);
        assert_eq!(graph.ancestors(id("stroke")), [id("neuro")]);
        // `neuro` has no technique: a warning, not an error.
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(!diagnostics[0].is_error());
        assert_eq!(diagnostics[0].path, "content/applications/neuro.md");
    }

    #[test]
    fn parent_cycle_is_one_error_naming_the_cycle() {
        let files = vec![
            application("a", Some("c")),
            application("b", Some("a")),
            application("c", Some("b")),
        ];
        let (_, graph, diagnostics) = graph(&as_refs(&files));
        let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{diagnostics:?}");
        assert_eq!(errors[0].message, "parent cycle: a -> c -> b -> a");
        assert_eq!(
            (errors[0].path.as_str(), errors[0].line, errors[0].col),
            ("content/applications/a.md", 3, 10)
        );
        assert_eq!(graph.ancestors(0).len(), 2, "ancestors stop at the cycle");
    }

    #[test]
    fn self_parent_is_a_cycle() {
        let files = vec![application("a", Some("a"))];
        let (_, _, diagnostics) = graph(&as_refs(&files));
        assert!(
            diagnostics.iter().any(|d| d.message == "parent cycle: a -> a"),
            "{diagnostics:?}"
        );
    }
}
