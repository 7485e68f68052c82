//! `adopt`: the pasted IAM policies of existing pages moved into the catalog, each block replaced
//! by the directive that gives it back.
//!
//! The promise is a round trip: `expand` of an adopted page (in the page's flavor) reproduces the
//! page byte for byte wherever the block was in the canonical layout (a ```` ```json ```` fence,
//! the flavor's title form, Prettier's layout, IAM's key order). Every block is checked against
//! that before anything is written: the directive's expansion is rendered with the real renderer
//! and compared with the block's bytes, and at the end every changed page is expanded against the
//! new catalog and compared with what it must give. A block in another layout is listed with the
//! difference and adopted only with `reformat`; what cannot be adopted (invalid JSON, fragments,
//! `iam-unchecked` blocks, templates, policies with errors unless `include_invalid`) stays, each
//! listed with its reason.
//!
//! Identical policies become one entry; a statement (with a `Sid`) found in several adopted
//! policies, or pasted on its own as well, becomes a reusable statement. Policies that differ only
//! in account IDs, Regions or bucket names become one entry with catalog placeholders (`values`),
//! and each directive carries its page's values (`iam-policy NAME account=111122223333`).

mod catalog_edit;
pub mod naming;
mod values;

use crate::aws_data::AwsData;
use crate::catalog::{Catalog, Loaded};
use crate::diagnostic::{Code, Finding};
use crate::discover;
use crate::error::Error;
use crate::expand::Expander;
use crate::json::{Kind, Value};
use crate::page::scan::{BlockLang, PastedBlock, scan};
use crate::page::splice::{line_ending_at, line_prefix, push_lines};
use crate::policy::{Policy, PolicyKind, Statement, to_prettier_json};
use crate::render::{Flavor, render};
use crate::resolve::Resolved;
use crate::source::{SourceFile, Span, display_path};
use crate::validate::Validator;
use catalog_edit::{NewNamedStatement, NewPolicy, NewStatement};
use naming::Names;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What `adopt` is asked to do.
pub struct Request<'a> {
    pub paths: &'a [PathBuf],
    pub catalog: Option<&'a Path>,
    /// Adopt blocks that are not in the canonical layout too (their page then shows it).
    pub reformat: bool,
    /// Adopt policies with error-level findings too (`check` then reports them at the catalog).
    pub include_invalid: bool,
}

/// Why a block is listed.
#[derive(Debug, Clone, PartialEq)]
pub enum Why {
    /// It reads as a policy and does not parse.
    NotJson,
    /// A fragment of a policy (`...`, a lone member).
    Fragment,
    /// Marked `iam-unchecked`: shown wrong on purpose.
    Unchecked,
    /// Error-level findings, by code.
    Invalid(Vec<&'static str>),
    /// A CloudFormation or SAM template: its policies belong to the template.
    Template,
    /// A list of statements: no directive shows one.
    StatementList,
    /// `jsonc`/`json5` comments, which the catalog cannot keep.
    Comments,
    /// Indented code: no directive expands to it.
    Indented,
    /// Something the catalog entry would not give back (named).
    NotRepresentable(String),
    /// The page reads another catalog than the one adopt extends, or none (said how).
    OtherCatalog(String),
    /// Not in the canonical layout; left (or, with `reformat`, adopted and shown canonical).
    NotCanonical,
}

impl Why {
    pub fn describe(&self) -> String {
        match self {
            Why::NotJson => "it reads as an IAM policy but is not valid JSON".into(),
            Why::Fragment => "it is a fragment of a policy".into(),
            Why::Unchecked => "it is marked iam-unchecked (shown wrong on purpose)".into(),
            Why::Invalid(codes) => format!("it has error-level findings ({})", codes.join(", ")),
            Why::Template => "it is a CloudFormation or SAM template".into(),
            Why::StatementList => "it is a list of statements, which no directive shows".into(),
            Why::Comments => "its comments cannot be kept in the catalog".into(),
            Why::Indented => "it is indented code; write it as a ```json fence to adopt it".into(),
            Why::NotRepresentable(what) => format!("the catalog cannot give back {what}"),
            Why::OtherCatalog(how) => how.clone(),
            Why::NotCanonical => "it is not in the canonical layout".into(),
        }
    }

    /// What moves a block left for this reason, if an option does.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Why::Invalid(_) => {
                Some("--include-invalid moves it; check then reports it at the catalog")
            }
            Why::NotCanonical => Some("--reformat adopts it as shown below"),
            _ => None,
        }
    }
}

/// A block left on its page, or adopted in another layout, and why.
#[derive(Debug, Clone)]
pub struct Listed {
    pub page: PathBuf,
    pub line: usize,
    pub why: Why,
    /// Adopted all the same (a reformatted block, or an invalid one with `include_invalid`).
    pub adopted: bool,
    /// For a block not in the canonical layout: a unified diff from the block to the layout.
    pub difference: Option<String>,
}

/// One page's text before and after.
#[derive(Debug, Clone)]
pub struct PageChange {
    pub path: PathBuf,
    pub before: String,
    pub after: String,
    /// Blocks adopted on the page.
    pub blocks: usize,
    /// Whether every adopted block was canonical, so `expand` gives the page back unchanged.
    pub reproduced: bool,
}

/// What `adopt` would do (or did): the pages and the catalog before and after, the blocks listed,
/// and the figures of its summary.
#[derive(Debug, Default)]
pub struct Adoption {
    pub catalog: PathBuf,
    /// The catalog's text before; `None` when it is new.
    pub catalog_before: Option<String>,
    pub catalog_after: String,
    pub pages: Vec<PageChange>,
    pub listed: Vec<Listed>,
    pub pages_read: usize,
    /// Blocks replaced by a directive.
    pub blocks: usize,
    /// Among them, blocks that were not canonical (adopted with `reformat`).
    pub reformatted: usize,
    /// New catalog policies.
    pub policies: usize,
    /// New reusable statements.
    pub statements: usize,
    /// Blocks that matched an entry the catalog already had.
    pub reused: usize,
    /// Problems that stop the adoption (the catalog has errors, a round trip failed): nothing is
    /// written when there is one.
    pub findings: Vec<Finding>,
}

impl Adoption {
    pub fn failed(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }

    pub fn catalog_changed(&self) -> bool {
        self.catalog_before.as_deref() != Some(self.catalog_after.as_str())
            && (self.catalog_before.is_some() || self.policies + self.statements > 0)
    }

    /// A unified diff of every page and of the catalog.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for p in &self.pages {
            out.push_str(&unified(&p.before, &p.after, &display_path(&p.path), false));
        }
        if self.catalog_changed() {
            let before = self.catalog_before.as_deref().unwrap_or("");
            out.push_str(&unified(
                before,
                &self.catalog_after,
                &display_path(&self.catalog),
                self.catalog_before.is_none(),
            ));
        }
        out
    }
}

/// A unified diff between two texts, with `a/` and `b/` headers (`/dev/null` for a new file).
pub fn unified(before: &str, after: &str, name: &str, new: bool) -> String {
    let old = if new {
        "/dev/null".to_string()
    } else {
        format!("a/{name}")
    };
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&old, &format!("b/{name}"))
        .to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Shape {
    Policy,
    Statement,
}

/// Blocks with the same content: one catalog entry.
struct Group {
    shape: Shape,
    kind: PolicyKind,
    /// The rendered statements (one for a statement).
    statements: Vec<Value>,
    /// The entry it is: an existing one (with the file name its blocks are titled with), or one
    /// named later.
    name: Option<String>,
    file: Option<String>,
    /// Naming hints of its first block: its title, the nearest heading, a fallback.
    hints: Vec<String>,
    fallback: String,
    first_title: Option<String>,
    existing: bool,
}

struct Occurrence {
    page: usize,
    region: Range<usize>,
    title: Option<String>,
    /// What the directive must expand to here.
    expected: String,
    group: usize,
    invalid: bool,
    /// The placeholder parameters that give this block back (`account=111122223333`).
    params: Vec<(String, String)>,
}

struct Page {
    path: PathBuf,
    file: Arc<SourceFile>,
    flavor: Flavor,
    /// Set when `expand` and `check` would read this page with another catalog than the one
    /// adopt extends (or with none): its blocks stay, and this says why.
    other_catalog: Option<String>,
}

/// The folder a path names, or holds it.
fn folder(path: &Path) -> PathBuf {
    if path.is_dir() {
        return path.to_path_buf();
    }
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// Where a new catalog goes: the first path's folder, or the folder above all the paths when
/// they lie apart (`adopt docs blog` makes `./iam-catalog.toml`, so every page finds it).
fn common_folder(paths: &[PathBuf]) -> PathBuf {
    let first = folder(&paths[0]);
    let Ok(mut common) = std::path::absolute(&first) else {
        return first;
    };
    for p in &paths[1..] {
        let Ok(abs) = std::path::absolute(folder(p)) else {
            continue;
        };
        while !abs.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    match std::path::absolute(&first) {
        Ok(f) if f == common => first,
        _ => common,
    }
}

/// Why `expand` and `check` would not read `page` with `catalog` (which may not exist yet):
/// another catalog lies nearer, or none would be found. `None` when they would.
fn other_catalog(page: &Path, catalog: &Path) -> Option<String> {
    let catalog_abs = catalog
        .canonicalize()
        .or_else(|_| std::path::absolute(catalog))
        .ok()?;
    match discover::nearest_catalog(page) {
        Some(nearest) if nearest == catalog_abs => None,
        Some(nearest) => Some(format!(
            "it reads another catalog, {} (adopt it with --catalog, or run adopt on its folder)",
            display_path(&nearest)
        )),
        None => {
            let root = catalog_abs.parent()?;
            let page_abs = page.canonicalize().ok()?;
            (!page_abs.starts_with(root)).then(|| {
                format!(
                    "it lies outside {}'s folder, so no catalog would be found for it",
                    display_path(catalog)
                )
            })
        }
    }
}

/// Plans the adoption of every pasted policy under the paths. Nothing is written: see [`write`].
pub fn adopt(req: &Request<'_>, aws: &AwsData) -> Result<Adoption, Error> {
    let first = req
        .paths
        .first()
        .ok_or_else(|| Error::Usage("adopt needs at least one page or folder".into()))?;
    if !first.exists() {
        return Err(Error::Usage(format!("{} does not exist", first.display())));
    }
    let catalog_path = match req.catalog {
        Some(c) => c.to_path_buf(),
        None => discover::nearest_catalog(first)
            .unwrap_or_else(|| common_folder(req.paths).join(crate::catalog::DEFAULT_FILE_NAME)),
    };
    let root = discover::catalog_root(&catalog_path);
    if !root.is_dir() {
        return Err(Error::Usage(format!(
            "the catalog's folder {} does not exist",
            root.display()
        )));
    }
    let catalog_before = if catalog_path.exists() {
        Some(
            std::fs::read_to_string(&catalog_path)
                .map_err(|e| Error::io("read", &catalog_path, e))?,
        )
    } else {
        None
    };
    let loaded = match &catalog_before {
        Some(_) => crate::run::open_catalog(&catalog_path, &root, aws),
        None => Loaded {
            catalog: Catalog::default(),
            findings: Vec::new(),
        },
    };
    let mut out = Adoption {
        catalog: catalog_path.clone(),
        catalog_after: catalog_before.clone().unwrap_or_default(),
        catalog_before: catalog_before.clone(),
        ..Adoption::default()
    };
    if loaded.has_errors() {
        out.findings = loaded.findings;
        out.findings.push(Finding::new(
            Code::CatalogSchema,
            format!(
                "{} has errors; fix them before adopting pages into it",
                display_path(&catalog_path)
            ),
            None,
        ));
        return Ok(out);
    }
    let catalog = &loaded.catalog;
    let validator = Validator::with_aws_data(catalog, aws);
    let plan = Planner::new(catalog, &validator, req);
    plan.run(req, &mut out)?;
    Ok(out)
}

struct Planner<'a> {
    catalog: &'a Catalog,
    validator: &'a Validator<'a>,
    pages: Vec<Page>,
    groups: Vec<Group>,
    by_key: HashMap<(Shape, &'static str, String), usize>,
    occurrences: Vec<Occurrence>,
    /// The catalog's policies as built (kind, JSON) and its statements (JSON), by name.
    existing_policies: HashMap<(&'static str, String), (String, String)>,
    existing_statements: HashMap<String, String>,
}

fn key_of(v: &Value) -> String {
    to_prettier_json(v)
}

impl<'a> Planner<'a> {
    fn new(catalog: &'a Catalog, validator: &'a Validator<'a>, _req: &Request<'_>) -> Planner<'a> {
        let mut existing_policies = HashMap::new();
        for p in &catalog.policies {
            let (built, _) = catalog.build_policy(p, &[]);
            existing_policies
                .entry((p.kind.as_str(), key_of(&built.to_value())))
                .or_insert((p.name.value.clone(), crate::resolve::policy_file(p)));
        }
        let mut existing_statements = HashMap::new();
        for s in &catalog.statements {
            if let (Some(st), _) = catalog.build_statement(s) {
                existing_statements
                    .entry(key_of(&st.to_value()))
                    .or_insert(s.name.value.clone());
            }
        }
        Planner {
            catalog,
            validator,
            pages: Vec::new(),
            groups: Vec::new(),
            by_key: HashMap::new(),
            occurrences: Vec::new(),
            existing_policies,
            existing_statements,
        }
    }

    fn run(mut self, req: &Request<'_>, out: &mut Adoption) -> Result<(), Error> {
        for path in discover::pages(req.paths)? {
            out.pages_read += 1;
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                continue;
            }
            let file = match crate::files::read(&path)? {
                Ok(f) => f,
                // A page that is not UTF-8 is left as it is; `check` reports it.
                Err(_) => continue,
            };
            let flavor = discover::flavor_for(None, &path);
            let index = self.pages.len();
            let other_catalog = match req.catalog {
                // A catalog named on the command line is the team's choice for every page.
                Some(_) => None,
                None => other_catalog(&path, &out.catalog),
            };
            self.pages.push(Page {
                path: path.clone(),
                file: file.clone(),
                flavor,
                other_catalog,
            });
            self.page(index, req, out);
        }
        let tokens = self.merge_values();
        self.name_entries(out, &tokens);
        self.finish(req, out)
    }

    fn list(&self, out: &mut Adoption, page: usize, at: usize, why: Why) {
        let p = &self.pages[page];
        out.listed.push(Listed {
            page: p.path.clone(),
            line: Span::new(&p.file, at..at).line_col().0,
            why,
            adopted: false,
            difference: None,
        });
    }

    fn page(&mut self, index: usize, req: &Request<'_>, out: &mut Adoption) {
        let file = self.pages[index].file.clone();
        let flavor = self.pages[index].flavor;
        let text = file.text();
        let scanned = scan(text);
        if scanned.parser_failure.is_some() {
            return;
        }
        // Blocks shown wrong on purpose are not candidates at all; they are listed.
        for r in &scanned.code_blocks {
            let line = &text[r.clone()];
            let line = &line[..line.find('\n').unwrap_or(line.len())];
            let info = line.trim_start_matches(['`', '~', ' ']);
            if (line.contains("```") || line.contains("~~~"))
                && info
                    .split([' ', '\t', ','])
                    .skip(1)
                    .any(|w| w.trim_end_matches('\r') == crate::page::scan::UNCHECKED)
            {
                self.list(out, index, r.start, Why::Unchecked);
            }
        }
        // A synced region already holds what the catalog generates (`sync` keeps it so): its
        // blocks are the catalog's, not pasted.
        let synced = crate::sync::region_contents(&file);
        for block in &scanned.pasted {
            if synced.iter().any(|r| r.contains(&block.span.start)) {
                continue;
            }
            self.block(index, &file, flavor, block, &scanned, req, out);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn block(
        &mut self,
        index: usize,
        file: &Arc<SourceFile>,
        flavor: Flavor,
        block: &PastedBlock,
        scanned: &crate::page::scan::Scan,
        req: &Request<'_>,
        out: &mut Adoption,
    ) {
        let text = file.text();
        let mut checked = crate::page::pasted::check_block(file, block, self.validator);
        crate::diagnostic::levels::apply(&self.catalog.lints, &mut checked.findings);
        if checked.policies == 0 {
            if checked.fragments > 0 {
                self.list(out, index, block.span.start, Why::Fragment);
            }
            return;
        }
        let at = block.span.start;
        if let Some(how) = self.pages[index].other_catalog.clone() {
            return self.list(out, index, at, Why::OtherCatalog(how));
        }
        if block.lang == BlockLang::Yaml {
            return self.list(out, index, at, Why::Template);
        }
        if checked.findings.iter().any(|f| f.code == Code::JsonSyntax) {
            return self.list(out, index, at, Why::NotJson);
        }
        if block.lang == BlockLang::Indented {
            return self.list(out, index, at, Why::Indented);
        }
        let Some(body) = crate::page::pasted::block_text(text, block).map(|(_, b)| b.into_owned())
        else {
            return;
        };
        let json = crate::json::blank_jsonc(&body);
        if json != body {
            return self.list(out, index, at, Why::Comments);
        }
        let Ok(value) = crate::json::parse(&SourceFile::new("block", body.clone())) else {
            return self.list(out, index, at, Why::NotJson);
        };
        if crate::template::json_policies(&value).is_some() {
            return self.list(out, index, at, Why::Template);
        }
        let mut errors: Vec<&'static str> = checked
            .findings
            .iter()
            .filter(|f| f.is_error())
            .map(|f| f.code.as_str())
            .collect();
        errors.dedup();
        let invalid = !errors.is_empty();
        if invalid && !req.include_invalid {
            return self.list(out, index, at, Why::Invalid(errors));
        }
        // Levels set on the fence (`iam-allow=CODE`) belong to this block; a catalog entry
        // would be checked at its own levels.
        if ["iam-allow=", "iam-info=", "iam-warn=", "iam-deny="]
            .iter()
            .any(|w| block.attributes.contains(w))
        {
            return self.list(
                out,
                index,
                at,
                Why::NotRepresentable("the levels its fence sets (iam-allow= ...)".into()),
            );
        }
        let stated = stated_kind(&block.attributes);
        let (shape, kind, rendered, statements) = match &value.kind {
            Kind::Object(m) if m.iter().any(|m| m.key == "Statement") => {
                let kind = stated.unwrap_or_else(|| crate::page::pasted::guess_kind(&value));
                let read = Policy::read(&value, kind);
                let built = Policy::from_statements(read.value.statements, Span::generated());
                let statements: Vec<Value> =
                    built.statements.iter().map(Statement::to_value).collect();
                (Shape::Policy, kind, built.to_value(), statements)
            }
            Kind::Object(_) => {
                let kind = stated.unwrap_or_else(|| crate::page::pasted::infer_kind([&value]));
                // A reusable statement is read as an identity policy's when shown alone.
                if kind != PolicyKind::Identity || has_principal(&value) {
                    return self.list(
                        out,
                        index,
                        at,
                        Why::NotRepresentable(
                            "a statement with a Principal (iam-statement shows identity \
                             statements)"
                                .into(),
                        ),
                    );
                }
                let Some(s) = Statement::read(&value, kind).value else {
                    return self.list(
                        out,
                        index,
                        at,
                        Why::NotRepresentable("this statement".into()),
                    );
                };
                let v = s.to_value();
                (Shape::Statement, kind, v.clone(), vec![v])
            }
            _ => return self.list(out, index, at, Why::StatementList),
        };
        if key_of(&sorted(&rendered)) != key_of(&sorted(&statement_list(&value))) {
            let what = if value.get("Id").is_some() {
                "its Id".to_string()
            } else if value.get("Version").and_then(Value::as_str) != Some("2012-10-17")
                && shape == Shape::Policy
            {
                "its Version (catalog policies are written with 2012-10-17)".to_string()
            } else {
                "every element it holds".to_string()
            };
            return self.list(out, index, at, Why::NotRepresentable(what));
        }
        if shape == Shape::Policy && statements.is_empty() {
            return self.list(
                out,
                index,
                at,
                Why::NotRepresentable("a policy with no statement".into()),
            );
        }
        if !catalog_edit::representable(&rendered) {
            return self.list(
                out,
                index,
                at,
                Why::NotRepresentable("a null value or a number TOML writes otherwise".into()),
            );
        }
        // Where the directive goes and what it must expand to: the title line and the fence, or
        // the fence alone; the first that gives the bytes back is the one.
        let places = places(text, block, flavor, shape);
        if places.is_empty() {
            return self.list(
                out,
                index,
                at,
                Why::NotRepresentable("a block that shares its line with text".into()),
            );
        }
        let expect = |(region, title): &(Range<usize>, Option<String>)| -> Option<String> {
            let resolved = match shape {
                Shape::Policy => Resolved::Policy {
                    policy: Policy::read(&rendered, kind).value,
                    file: title.clone(),
                },
                Shape::Statement => Resolved::Statement(Statement::read(&rendered, kind).value?),
            };
            let prefix = line_prefix(text, region.start, region.end)?;
            let mut s = String::new();
            push_lines(
                &mut s,
                &render(&resolved, flavor, 0),
                Some(&prefix),
                line_ending_at(text, region.end),
            );
            Some(s)
        };
        let mut chosen = None;
        for place in &places {
            if let Some(e) = expect(place)
                && e == text[place.0.clone()]
            {
                chosen = Some((place.clone(), e, true));
                break;
            }
        }
        let (place, expected, canonical) = match chosen {
            Some(c) => c,
            None => match expect(&places[0]) {
                Some(e) => (places[0].clone(), e, false),
                None => {
                    return self.list(
                        out,
                        index,
                        at,
                        Why::NotRepresentable("a block that shares its line with text".into()),
                    );
                }
            },
        };
        if !canonical {
            let difference = unified(
                &format!("{}\n", &text[place.0.clone()]),
                &format!("{expected}\n"),
                "block",
                false,
            );
            let p = &self.pages[index];
            out.listed.push(Listed {
                page: p.path.clone(),
                line: Span::new(&p.file, place.0.start..place.0.start)
                    .line_col()
                    .0,
                why: Why::NotCanonical,
                adopted: req.reformat,
                difference: Some(difference),
            });
            if !req.reformat {
                return;
            }
            out.reformatted += 1;
        }
        if invalid {
            let p = &self.pages[index];
            out.listed.push(Listed {
                page: p.path.clone(),
                line: Span::new(&p.file, at..at).line_col().0,
                why: Why::Invalid(errors),
                adopted: true,
                difference: None,
            });
        }
        let key = (shape, kind.as_str(), key_of(&rendered));
        let group = match self.by_key.get(&key) {
            Some(g) => *g,
            None => {
                let heading = naming::nearest_heading(text, place.0.start, |o| scanned.in_code(o));
                let stem = self.pages[index]
                    .path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let mut hints: Vec<String> = Vec::new();
                if let Some(t) = &place.1 {
                    hints.push(naming::from_title(t));
                }
                hints.extend(heading);
                if shape == Shape::Statement
                    && let Some(sid) = rendered.get("Sid").and_then(Value::as_str)
                {
                    hints.push(sid.to_string());
                }
                let n = self.occurrences.iter().filter(|o| o.page == index).count() + 1;
                let existing = match shape {
                    Shape::Policy => self
                        .existing_policies
                        .get(&(kind.as_str(), key.2.clone()))
                        .cloned(),
                    Shape::Statement => self
                        .existing_statements
                        .get(&key.2)
                        .map(|n| (n.clone(), String::new())),
                };
                self.groups.push(Group {
                    shape,
                    kind,
                    statements,
                    existing: existing.is_some(),
                    name: existing.as_ref().map(|e| e.0.clone()),
                    file: existing.map(|e| e.1),
                    hints,
                    fallback: format!("{stem} {n}"),
                    first_title: place.1.clone(),
                });
                self.by_key.insert(key, self.groups.len() - 1);
                self.groups.len() - 1
            }
        };
        if self.groups[group].first_title.is_none() {
            self.groups[group].first_title = place.1.clone();
        }
        if self.groups[group].existing {
            out.reused += 1;
        }
        self.occurrences.push(Occurrence {
            page: index,
            region: place.0,
            title: place.1,
            expected,
            group,
            invalid,
            params: Vec::new(),
        });
    }

    /// New policies that differ only in account IDs, Regions or bucket names (`values`) become
    /// one entry with placeholders; each of their blocks gets the parameters that give it back.
    /// Returns the placeholders to declare.
    fn merge_values(&mut self) -> values::Tokens {
        let mut tokens = values::Tokens::new(self.catalog);
        let mut shapes: Vec<((&'static str, String), Vec<usize>)> = Vec::new();
        for (i, g) in self.groups.iter().enumerate() {
            if g.shape != Shape::Policy
                || g.existing
                || self.occurrences.iter().any(|o| o.group == i && o.invalid)
            {
                continue;
            }
            let Some((shape, _)) = values::shape(&g.statements) else {
                continue;
            };
            let key = (g.kind.as_str(), shape);
            match shapes.iter_mut().find(|(k, _)| *k == key) {
                Some((_, members)) => members.push(i),
                None => shapes.push((key, vec![i])),
            }
        }
        let mut into: Vec<usize> = (0..self.groups.len()).collect();
        for (_, members) in shapes.into_iter().filter(|(_, m)| m.len() >= 2) {
            let statements: Vec<&[Value]> = members
                .iter()
                .map(|g| self.groups[*g].statements.as_slice())
                .collect();
            let Some(merged) = values::merge(&statements, &mut tokens) else {
                continue;
            };
            let first = members[0];
            for (g, params) in members.iter().zip(merged.params) {
                into[*g] = first;
                for o in self.occurrences.iter_mut().filter(|o| o.group == *g) {
                    o.params = params.clone();
                }
                if self.groups[first].first_title.is_none() {
                    self.groups[first].first_title = self.groups[*g].first_title.clone();
                }
            }
            self.groups[first].statements = merged.statements;
        }
        // The groups merged into another go; the rest keep their order.
        let mut renumber = vec![usize::MAX; self.groups.len()];
        let mut kept = Vec::new();
        for (i, g) in std::mem::take(&mut self.groups).into_iter().enumerate() {
            if into[i] == i {
                renumber[i] = kept.len();
                kept.push(g);
            }
        }
        self.groups = kept;
        for o in &mut self.occurrences {
            o.group = renumber[into[o.group]];
        }
        self.by_key.clear();
        tokens
    }

    /// Names every new entry, and makes statements shared by several adopted policies (or also
    /// pasted alone) reusable.
    fn name_entries(&mut self, out: &mut Adoption, tokens: &values::Tokens) {
        let mut names = Names::new(
            self.catalog
                .policies
                .iter()
                .map(|p| p.name.value.clone())
                .chain(self.catalog.statements.iter().map(|s| s.name.value.clone())),
        );
        // Statements pasted alone, then shared statements with a Sid.
        let mut statement_names: HashMap<String, String> = self
            .existing_statements
            .iter()
            .map(|(k, n)| (k.clone(), n.clone()))
            .collect();
        for g in self
            .groups
            .iter_mut()
            .filter(|g| g.shape == Shape::Statement)
        {
            if g.name.is_none() {
                let n = names.give(&g.hints, &g.fallback);
                out.statements += 1;
                g.name = Some(n);
            }
            statement_names.insert(key_of(&g.statements[0]), g.name.clone().unwrap_or_default());
        }
        let mut seen_in: HashMap<String, usize> = HashMap::new();
        for g in self
            .groups
            .iter()
            .filter(|g| g.shape == Shape::Policy && !g.existing)
        {
            let mut keys: Vec<String> = g
                .statements
                .iter()
                .filter(|s| s.get("Sid").is_some() && !has_principal(s))
                .map(key_of)
                .collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                *seen_in.entry(k).or_default() += 1;
            }
        }
        let mut shared: Vec<(String, Value)> = Vec::new();
        for g in self
            .groups
            .iter()
            .filter(|g| g.shape == Shape::Policy && !g.existing)
        {
            for s in &g.statements {
                let k = key_of(s);
                if seen_in.get(&k).copied().unwrap_or(0) >= 2 && !statement_names.contains_key(&k) {
                    let sid = s.get("Sid").and_then(Value::as_str).unwrap_or("statement");
                    let n = names.give(&[sid.to_string()], "statement");
                    statement_names.insert(k, n.clone());
                    shared.push((n, s.clone()));
                }
            }
        }
        out.statements += shared.len();
        for g in self.groups.iter_mut().filter(|g| g.shape == Shape::Policy) {
            if g.name.is_none() {
                g.name = Some(names.give(&g.hints, &g.fallback));
                g.file = g.first_title.clone();
                out.policies += 1;
            }
        }
        // The catalog text: shared and lone statements, then policies, in the order met.
        let mut new_statements: Vec<NewNamedStatement> = Vec::new();
        for g in self
            .groups
            .iter()
            .filter(|g| g.shape == Shape::Statement && !g.existing)
        {
            new_statements.push(NewNamedStatement {
                name: g.name.clone().unwrap_or_default(),
                body: g.statements[0].clone(),
            });
        }
        new_statements.extend(
            shared
                .into_iter()
                .map(|(name, body)| NewNamedStatement { name, body }),
        );
        let mut new_policies = Vec::new();
        for g in self
            .groups
            .iter()
            .filter(|g| g.shape == Shape::Policy && !g.existing)
        {
            new_policies.push(NewPolicy {
                name: g.name.clone().unwrap_or_default(),
                kind: g.kind,
                file: g.file.clone(),
                statements: g
                    .statements
                    .iter()
                    .map(|s| match statement_names.get(&key_of(s)) {
                        Some(n) if s.get("Sid").is_some() && !has_principal(s) => {
                            NewStatement::Named(n.clone())
                        }
                        _ => NewStatement::Inline(s.clone()),
                    })
                    .collect(),
            });
        }
        let placeholders = catalog_edit::placeholders_text(&tokens.declared);
        match catalog_edit::entries_text(&new_statements, &new_policies) {
            Some(entries) => {
                let entries = placeholders + &entries;
                out.catalog_after = catalog_edit::extended(out.catalog_before.as_deref(), &entries);
            }
            None => out.findings.push(Finding::new(
                Code::CatalogSchema,
                "an adopted policy holds a value TOML cannot write".to_string(),
                None,
            )),
        }
    }

    /// The pages' new text, then the round trip: every changed page expanded against the new
    /// catalog must give what the plan says.
    fn finish(self, req: &Request<'_>, out: &mut Adoption) -> Result<(), Error> {
        let mut by_page: Vec<Vec<&Occurrence>> = vec![Vec::new(); self.pages.len()];
        for o in &self.occurrences {
            by_page[o.page].push(o);
        }
        let mut changes = Vec::new();
        for (page, occurrences) in self.pages.iter().zip(by_page) {
            if occurrences.is_empty() {
                continue;
            }
            let text = page.file.text();
            let (mut after, mut expected) = (String::new(), String::new());
            let mut last = 0;
            let mut reproduced = true;
            let mut invalid = false;
            for o in &occurrences {
                let g = &self.groups[o.group];
                let directive = directive_text(g, o, page.flavor);
                after.push_str(&text[last..o.region.start]);
                after.push_str(&directive);
                expected.push_str(&text[last..o.region.start]);
                expected.push_str(&o.expected);
                reproduced &= o.expected == text[o.region.clone()];
                invalid |= o.invalid;
                last = o.region.end;
            }
            after.push_str(&text[last..]);
            expected.push_str(&text[last..]);
            out.blocks += occurrences.len();
            changes.push((
                page,
                after,
                expected,
                reproduced,
                invalid,
                occurrences.len(),
            ));
        }
        if out.failed() {
            return Ok(());
        }
        // The round trip, against the catalog as it will be written: a temporary copy beside it,
        // so includes resolve as they will.
        let dir = discover::catalog_root(&out.catalog);
        let mut tmp = tempfile::Builder::new()
            .prefix(".mdbook-iam-adopt-")
            .suffix(".toml")
            .tempfile_in(&dir)
            .map_err(|e| Error::io("write", &out.catalog, e))?;
        std::io::Write::write_all(&mut tmp, out.catalog_after.as_bytes())
            .map_err(|e| Error::io("write", &out.catalog, e))?;
        let loaded = Catalog::load(tmp.path(), &dir);
        let errors: Vec<Finding> = loaded
            .findings
            .iter()
            .filter(|f| f.is_error())
            .cloned()
            .collect();
        if !errors.is_empty() && !req.include_invalid {
            out.findings.extend(errors);
            out.findings.push(Finding::new(
                Code::CatalogSchema,
                "the extended catalog would not load; nothing was changed".to_string(),
                None,
            ));
            return Ok(());
        }
        for (page, after, expected, reproduced, invalid, blocks) in changes {
            if !invalid {
                let expander = Expander::with_validator(
                    Validator::with_aws_data(&loaded.catalog, self.validator.aws),
                    page.flavor,
                );
                let adopted = SourceFile::new(page.file.name().to_string(), after.clone());
                let got = expander.expand(&adopted);
                if got.text != expected {
                    out.findings.push(Finding::new(
                        Code::CatalogSchema,
                        format!(
                            "{}: the adopted page would not expand to what it showed; nothing was \
                             changed (please report this)",
                            display_path(&page.path)
                        ),
                        None,
                    ));
                    continue;
                }
            }
            out.pages.push(PageChange {
                path: page.path.clone(),
                before: page.file.text().to_string(),
                after,
                blocks,
                reproduced,
            });
        }
        Ok(())
    }
}

/// The directive that replaces a block: its entry, and the title when it is not the entry's.
fn directive_text(g: &Group, o: &Occurrence, flavor: Flavor) -> String {
    let name = g.name.as_deref().unwrap_or_default();
    let (kind, param) = match g.shape {
        Shape::Statement => ("iam-statement", None),
        Shape::Policy => {
            let default = g.file.clone().unwrap_or_else(|| format!("{name}.json"));
            let param = match &o.title {
                Some(t) if *t == default => None,
                Some(t) => Some(t.as_str()),
                None => Some(""),
            };
            ("iam-policy", param)
        }
    };
    let mut words = format!("{kind} {name}");
    // Placeholder values are words (`values`), written unquoted.
    for (k, v) in &o.params {
        words.push_str(&format!(" {k}={v}"));
    }
    match param {
        None => {}
        Some(v) if v.contains('"') => words.push_str(&format!(" file='{v}'")),
        Some(v) => words.push_str(&format!(" file=\"{v}\"")),
    }
    match flavor {
        Flavor::Docusaurus => format!("{{/* {words} */}}"),
        Flavor::Mdbook | Flavor::Gfm => format!("<<#{words}>>"),
    }
}

/// Whether a statement names a principal: such statements stay inline in their policy, whose
/// kind they are read with.
fn has_principal(s: &Value) -> bool {
    s.get("Principal").is_some() || s.get("NotPrincipal").is_some()
}

/// The kind stated with `iam=KIND` among a fence's attributes.
fn stated_kind(attributes: &str) -> Option<PolicyKind> {
    let word = attributes
        .split([' ', '\t', ','])
        .find_map(|w| w.strip_prefix(crate::page::pasted::KIND_ATTRIBUTE))?;
    crate::page::pasted::KIND_NAMES
        .iter()
        .find(|(n, _)| *n == word)
        .map(|(_, k)| *k)
}

/// `title="a.json"` among a fence's attributes.
fn attribute_title(attributes: &str) -> Option<String> {
    let at = attributes.find("title=")?;
    let rest = &attributes[at + 6..];
    let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = rest[1..].find(q)?;
    Some(rest[1..=end].to_string())
}

/// The byte range of the line that holds `at`, without its line ending.
fn line_at(text: &str, at: usize) -> Range<usize> {
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    let end = if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    start..end
}

/// Where a directive could stand for this block, best first: for a policy in an `.md` page with a
/// `**`file.json`**` line and a blank line above the fence, from that line; then the fence alone
/// (titled by its `title="..."` attribute, if any).
fn places(
    text: &str,
    block: &PastedBlock,
    flavor: Flavor,
    shape: Shape,
) -> Vec<(Range<usize>, Option<String>)> {
    let mut end = block.span.end.min(text.len());
    if text[..end].ends_with('\n') {
        end -= 1;
    }
    if text[..end].ends_with('\r') {
        end -= 1;
    }
    let start = block.span.start;
    let mut out = Vec::new();
    if shape == Shape::Policy && flavor != Flavor::Docusaurus {
        let fence_line = line_at(text, start);
        if fence_line.start >= 1 {
            let blank = line_at(text, fence_line.start - 1);
            let is_blank = text[blank.clone()]
                .trim_matches(|c: char| c == '>' || c.is_whitespace())
                .is_empty();
            if is_blank && blank.start >= 1 {
                let title_line = line_at(text, blank.start - 1);
                let line = &text[title_line.clone()];
                if let Some(k) = line.find("**`")
                    && line.ends_with("`**")
                    && line.len() >= k + 6
                {
                    let title = &line[k + 3..line.len() - 3];
                    if !title.is_empty() && !title.contains('`') {
                        out.push((title_line.start + k..end, Some(title.to_string())));
                    }
                }
            }
        }
    }
    let title = match shape {
        Shape::Policy => attribute_title(&block.attributes),
        Shape::Statement => None,
    };
    if shape == Shape::Statement && attribute_title(&block.attributes).is_some() {
        return out;
    }
    out.push((start..end, title));
    out
}

/// A policy whose `Statement` is one object, with that object in a list: IAM reads both alike,
/// and the catalog writes the list, so the difference is one of layout.
fn statement_list(v: &Value) -> Value {
    let Kind::Object(members) = &v.kind else {
        return v.clone();
    };
    let members = members
        .iter()
        .map(|m| {
            let mut m = m.clone();
            if m.key == "Statement" && matches!(m.value.kind, Kind::Object(_)) {
                m.value = Value::synthetic(Kind::Array(vec![m.value.clone()]));
            }
            m
        })
        .collect();
    Value::synthetic(Kind::Object(members))
}

/// A value with every object's members sorted by key: two values are the same policy when their
/// sorted forms are equal.
pub(crate) fn sorted(v: &Value) -> Value {
    match &v.kind {
        Kind::Object(members) => {
            let mut m: Vec<crate::json::Member> = members
                .iter()
                .map(|m| crate::json::Member {
                    key: m.key.clone(),
                    key_span: Span::generated(),
                    value: sorted(&m.value),
                })
                .collect();
            m.sort_by(|a, b| a.key.cmp(&b.key));
            Value::synthetic(Kind::Object(m))
        }
        Kind::Array(items) => Value::synthetic(Kind::Array(items.iter().map(sorted).collect())),
        other => Value::synthetic(other.clone()),
    }
}

/// Writes every changed page and the catalog, all or nothing: each new text goes to a temporary
/// file beside its file first, and only when all are written are they renamed over the files.
pub fn write(a: &Adoption) -> Result<(), Error> {
    if a.failed() {
        return Err(Error::Usage(
            "the adoption has errors; nothing was written".into(),
        ));
    }
    let mut targets: Vec<(&Path, &str)> = a
        .pages
        .iter()
        .map(|p| (p.path.as_path(), p.after.as_str()))
        .collect();
    if a.catalog_changed() {
        targets.push((a.catalog.as_path(), a.catalog_after.as_str()));
    }
    let mut staged = Vec::new();
    for (path, text) in targets {
        staged.push((crate::files::stage(path, text)?, path));
    }
    for (tmp, path) in staged {
        tmp.persist(path)
            .map_err(|e| Error::io("write", path, e.error))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
