//! Whole runs, as a host asks for them: open a catalog, expand a page, check a docs tree, sync
//! committed expansions, validate policy files, export the catalog's policies. Each returns
//! values (findings, text, paths); printing and exit codes are the host's.

use crate::aws_data::AwsData;
use crate::catalog::{Catalog, Loaded};
use crate::diagnostic::levels::apply as apply_levels;
use crate::diagnostic::{Code, Finding};
use crate::discover;
use crate::error::Error;
use crate::expand::Expander;
use crate::files;
use crate::policy::PolicyKind;
use crate::render::Flavor;
use crate::source::display_path;
use crate::validate::Validator;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The AWS data a run validates against: the snapshot built into the binary, or a fresher copy
/// read from a folder (`--aws-data DIR`, `aws-data` in book.toml).
pub struct AwsSelection {
    loaded: Option<AwsData>,
}

impl AwsSelection {
    pub fn embedded() -> AwsSelection {
        AwsSelection { loaded: None }
    }

    /// The data in `dir`, or the embedded data when `dir` is `None`.
    pub fn from_dir(dir: Option<&Path>) -> Result<AwsSelection, Error> {
        match dir {
            None => Ok(AwsSelection::embedded()),
            Some(d) => Ok(AwsSelection {
                loaded: Some(AwsData::from_dir(d)?),
            }),
        }
    }

    pub fn get(&self) -> &AwsData {
        self.loaded.as_ref().unwrap_or_else(|| AwsData::embedded())
    }
}

/// Loads a catalog (and the files it includes, which must stay under `root`), validates it
/// against AWS's data and proves its claims. Findings point into the catalog files.
pub fn open_catalog(path: &Path, root: &Path, aws: &AwsData) -> Loaded {
    finish_catalog(Catalog::load(path, root), aws)
}

/// [`open_catalog`] with some files' text given (an editor's unsaved buffers, by absolute path);
/// the other files are read from disk.
pub fn open_catalog_overlay(
    path: &Path,
    root: &Path,
    overlay: &HashMap<PathBuf, String>,
    aws: &AwsData,
) -> Loaded {
    finish_catalog(Catalog::load_overlay(path, root, overlay), aws)
}

fn finish_catalog(mut loaded: Loaded, aws: &AwsData) -> Loaded {
    let missing = loaded
        .findings
        .iter()
        .any(|f| f.code == Code::CatalogNotFound);
    if !missing {
        let more = Validator::with_aws_data(&loaded.catalog, aws).catalog();
        loaded.findings.extend(more);
        apply_levels(&loaded.catalog.lints, &mut loaded.findings);
        // A catalog's claims are proven on every run that takes the whole catalog (`check`,
        // `sync`, `export`, a book's build), so an edit that breaks one fails every build, even
        // of a page that states nothing.
        if !loaded.has_errors() {
            let claims = crate::eval::findings::catalog_claims(&loaded.catalog, aws);
            loaded.findings.extend(claims);
            apply_levels(&loaded.catalog.lints, &mut loaded.findings);
        }
    }
    loaded
}

/// Opens the catalog a run uses: the one given, else the nearest above `near`.
fn catalog_near(given: Option<&Path>, near: &Path, aws: &AwsData) -> Result<Loaded, Error> {
    let path = discover::catalog_for(given, near)?;
    Ok(open_catalog(&path, &discover::catalog_root(&path), aws))
}

/// A page to expand: a file, or text read elsewhere (stdin) with the name findings use for it.
pub enum PageSource {
    File(PathBuf),
    Text {
        text: Vec<u8>,
        name: Option<PathBuf>,
    },
}

pub struct ExpandRequest<'a> {
    pub page: PageSource,
    pub catalog: Option<&'a Path>,
    pub flavor: Option<Flavor>,
    /// Whether to say which files the expansion read (`Expanded::dependencies`); finding their
    /// real paths costs system calls a plain expansion does without.
    pub dependencies: bool,
}

pub struct Expanded {
    /// The expanded page; `None` when there are errors (the page must not be used).
    pub text: Option<String>,
    pub findings: Vec<Finding>,
    /// Every file the expansion read: the catalog, its includes (as named and where their bytes
    /// live), so a host can re-expand when one changes. Empty unless the request asked.
    pub dependencies: Vec<PathBuf>,
}

/// Expands one page against its catalog.
pub fn expand(req: ExpandRequest<'_>, aws: &AwsData) -> Result<Expanded, Error> {
    let (text, name, near) = match req.page {
        PageSource::File(path) => (files::read(&path)?, path.clone(), path),
        PageSource::Text { text, name } => {
            let shown = name.clone().unwrap_or_else(|| PathBuf::from("<stdin>"));
            let near = name.unwrap_or_else(|| PathBuf::from("."));
            (files::text(display_path(&shown), text), shown, near)
        }
    };
    let catalog_path = discover::catalog_for(req.catalog, &near)?;
    // One page: the catalog is read whole (a catalog that cannot be read expands nothing), but
    // only the entries the page uses are validated here, and the catalog's claims are not
    // proven: checking the whole catalog and proving its claims is `check`'s work, and the mdBook
    // preprocessor's and the Docusaurus plugin's once per build. A host that runs `expand` once
    // per page would otherwise repeat it on every page. (The page's own claims and truth tables
    // are proven as it is expanded.)
    let loaded = Catalog::load(&catalog_path, &discover::catalog_root(&catalog_path));
    let dependencies = if req.dependencies {
        loaded.catalog.dependencies()
    } else {
        Vec::new()
    };
    let lints = &loaded.catalog.lints;
    let mut findings = loaded.findings;
    apply_levels(lints, &mut findings);
    let failed = |findings: &[Finding]| findings.iter().any(Finding::is_error);
    let stop = |findings| Expanded {
        text: None,
        findings,
        dependencies: dependencies.clone(),
    };
    if failed(&findings) {
        return Ok(stop(findings));
    }
    let page = match text {
        Ok(page) => page,
        Err(f) => {
            findings.push(f);
            return Ok(stop(findings));
        }
    };
    let flavor = discover::flavor_for(req.flavor, &name);
    let expander = Expander::with_validator(Validator::with_aws_data(&loaded.catalog, aws), flavor);
    findings.extend(expander.validator().catalog_entries(&expander.uses(&page)));
    apply_levels(lints, &mut findings);
    if failed(&findings) {
        return Ok(stop(findings));
    }
    let exp = expander.expand(&page);
    findings.extend(exp.findings);
    apply_levels(lints, &mut findings);
    let ok = !failed(&findings);
    Ok(Expanded {
        text: ok.then_some(exp.text),
        findings,
        dependencies,
    })
}

/// Whether two paths name one file.
fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// What `check` did: its findings, and the figures of its one summary line.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub findings: Vec<Finding>,
    /// Pages read.
    pub pages: usize,
    /// Pasted policies examined (a policy, a statement or a list of statements counts once).
    pub policies: usize,
    /// Pages with at least one pasted policy examined.
    pub pages_with_policies: usize,
    /// Fragments of policies recognised and not examined (`...`, a lone member).
    pub fragments: usize,
    /// The catalog used; `None` when there was none to use (pasted policies are still checked).
    pub catalog: Option<PathBuf>,
}

/// `check`: the catalog, then every page under the paths (directives and pasted policies). With
/// no catalog given and none above the first path, pages are checked without one: their pasted
/// policies are validated, and a directive is an error that names the missing catalog.
pub fn check(
    paths: &[PathBuf],
    catalog: Option<&Path>,
    aws: &AwsData,
) -> Result<CheckReport, Error> {
    // A `.toml` file among the paths is a catalog to check (with no pages unless others are
    // named): `check iam-catalog.toml` validates the catalog and proves its claims, alone.
    let (named, pages): (Vec<&PathBuf>, Vec<&PathBuf>) = paths
        .iter()
        .partition(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file());
    let catalog = match (named.as_slice(), catalog) {
        ([], given) => given,
        ([one], None) => Some(one.as_path()),
        ([one], Some(given)) if same_file(one, given) => Some(given),
        _ => {
            return Err(Error::Usage(
                "check takes one catalog: name it once, as a path or with --catalog".into(),
            ));
        }
    };
    let default = [PathBuf::from(".")];
    let pages: Vec<PathBuf> = match (pages.is_empty(), named.is_empty()) {
        (true, true) => default.to_vec(),
        _ => pages.into_iter().cloned().collect(),
    };
    let near = pages.first().map_or(Path::new("."), PathBuf::as_path);
    let catalog_path = match catalog {
        Some(c) => Some(c.to_path_buf()),
        None => discover::nearest_catalog(near),
    };
    let (loaded, missing) = match &catalog_path {
        Some(c) => (open_catalog(c, &discover::catalog_root(c), aws), None),
        None => (
            Loaded {
                catalog: Catalog::default(),
                findings: Vec::new(),
            },
            Some(missing_catalog_help(near)),
        ),
    };
    let mut report = CheckReport {
        findings: loaded.findings,
        catalog: catalog_path,
        ..CheckReport::default()
    };
    if report
        .findings
        .iter()
        .any(|f| f.code == Code::CatalogSyntax || f.code == Code::CatalogNotFound)
    {
        return Ok(report);
    }
    let checker = PageChecker::new(&loaded.catalog, &report.findings, missing, aws);
    for file in discover::pages(&pages)? {
        report.pages += 1;
        match files::read(&file)? {
            Ok(page) => {
                let e = checker.check(&page);
                report.policies += e.policies;
                report.fragments += e.fragments;
                report.pages_with_policies += usize::from(e.policies > 0);
                report.findings.extend(e.findings);
            }
            Err(f) => report.findings.push(f),
        }
    }
    apply_levels(&loaded.catalog.lints, &mut report.findings);
    Ok(report)
}

/// Checks pages one at a time as `check` does, against a catalog opened (and validated) once:
/// `check` runs it over a docs tree, the language server over each page as it is edited, so the
/// two never disagree.
pub struct PageChecker<'a> {
    expander: Expander<'a>,
    lints: &'a crate::diagnostic::levels::Lints,
    /// The catalog's own findings: a directive's copy of one is dropped, since the problem is
    /// reported once, at its catalog line. Findings that are the directive's own (a name, a
    /// parameter, what its extra modifiers change) stay.
    in_catalog: HashSet<FindingKey>,
}

impl<'a> PageChecker<'a> {
    /// `catalog_findings` are the findings opening the catalog gave; `missing` is set when there
    /// is no catalog (what a directive is told).
    pub fn new(
        catalog: &'a Catalog,
        catalog_findings: &[Finding],
        missing: Option<String>,
        aws: &'a AwsData,
    ) -> PageChecker<'a> {
        let mut expander =
            Expander::with_validator(Validator::with_aws_data(catalog, aws), Flavor::Gfm);
        if let Some(help) = missing {
            expander = expander.without_catalog(help);
        }
        PageChecker {
            expander,
            lints: &catalog.lints,
            in_catalog: catalog_findings.iter().map(finding_key).collect(),
        }
    }

    /// The page's findings (directives, pasted policies, claims) with the team's levels applied,
    /// and its figures.
    pub fn check(
        &self,
        page: &std::sync::Arc<crate::source::SourceFile>,
    ) -> crate::expand::Expansion {
        let mut e = self.expander.expand(page);
        e.findings
            .retain(|f| !catalog_copy_key(f).is_some_and(|k| self.in_catalog.contains(&k)));
        apply_levels(self.lints, &mut e.findings);
        e
    }
}

/// What makes two findings the same problem: code, place (file and range) and message.
type FindingKey = (
    Code,
    Option<(*const crate::source::SourceFile, std::ops::Range<usize>)>,
    String,
);

fn place_key(
    span: Option<&crate::source::Span>,
) -> Option<(*const crate::source::SourceFile, std::ops::Range<usize>)> {
    span.map(|s| (std::sync::Arc::as_ptr(&s.file), s.range.clone()))
}

fn finding_key(f: &Finding) -> FindingKey {
    (f.code, place_key(f.span.as_ref()), f.message.clone())
}

/// The key of the catalog finding a directive's finding copies (its place is the catalog's);
/// `None` for a finding that is the directive's own.
fn catalog_copy_key(f: &Finding) -> Option<FindingKey> {
    let origin = f.catalog_origin()?;
    Some((f.code, place_key(Some(origin)), f.message.clone()))
}

/// What a directive on a page checked without a catalog is told.
pub fn missing_catalog_help(near: &Path) -> String {
    let shown = match near.canonicalize() {
        Ok(abs) => display_path(&abs),
        Err(_) => display_path(near),
    };
    let shown = if shown.is_empty() { ".".into() } else { shown };
    format!(
        "no {} in {shown} or any folder above it, and no --catalog: create one (see the guide's \
         catalog page) or pass --catalog",
        crate::catalog::DEFAULT_FILE_NAME
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncMode {
    /// Regenerate drifted regions in place.
    Write,
    /// Only report drift (`sync --check`).
    Check,
}

pub struct SyncReport {
    pub findings: Vec<Finding>,
    /// Synced regions seen in all pages.
    pub regions: usize,
    /// Pages rewritten, with how many regions each had regenerated.
    pub rewritten: Vec<(PathBuf, usize)>,
}

/// `sync`: regenerates (or, in `Check` mode, reports) every drifted region of every page under
/// the paths. A page with an error is left as it is.
pub fn sync(
    paths: &[PathBuf],
    catalog: Option<&Path>,
    flavor: Option<Flavor>,
    mode: SyncMode,
    aws: &AwsData,
) -> Result<SyncReport, Error> {
    let loaded = catalog_near(catalog, &paths[0], aws)?;
    let mut report = SyncReport {
        findings: loaded.findings,
        regions: 0,
        rewritten: Vec::new(),
    };
    if report.findings.iter().any(Finding::is_error) {
        return Ok(report);
    }
    let validator = || Validator::with_aws_data(&loaded.catalog, aws);
    for file in discover::pages(paths)? {
        let page = match files::read(&file)? {
            Ok(p) => p,
            Err(f) => {
                report.findings.push(f);
                continue;
            }
        };
        let expander = Expander::with_validator(validator(), discover::flavor_for(flavor, &file));
        let mut synced = crate::sync::sync(&page, &expander);
        apply_levels(&loaded.catalog.lints, &mut synced.findings);
        apply_levels(&loaded.catalog.lints, &mut synced.drift);
        report.regions += synced.regions;
        let failed = synced.findings.iter().any(Finding::is_error);
        report.findings.extend(synced.findings);
        if synced.drift.is_empty() {
            continue;
        }
        if mode == SyncMode::Check {
            report.findings.extend(synced.drift);
        } else if !failed {
            match writable_page(&file, paths) {
                Ok(target) => {
                    files::replace(&target, &synced.text)?;
                    report.rewritten.push((file, synced.drift.len()));
                }
                Err(f) => report.findings.push(f),
            }
        }
    }
    Ok(report)
}

/// Where a page's new text is written: the page itself, or, for a link, the file it leads to when
/// that lies inside the paths given (a link out of them is refused, and nothing is written).
fn writable_page(page: &Path, given: &[PathBuf]) -> Result<PathBuf, Finding> {
    let is_link = std::fs::symlink_metadata(page).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(page.to_path_buf());
    }
    let target = page.canonicalize().unwrap_or_else(|_| page.to_path_buf());
    let inside = given.iter().any(|g| {
        let g_is_link = std::fs::symlink_metadata(g).is_ok_and(|m| m.file_type().is_symlink());
        match g.canonicalize() {
            Ok(root) if root.is_dir() => target.starts_with(&root),
            // A page given by name is inside when it is the target itself, not a link to it.
            Ok(file) => file == target && !g_is_link,
            Err(_) => false,
        }
    });
    if inside {
        Ok(target)
    } else {
        Err(files::at_path(
            Code::OutsideDocsTree,
            page,
            format!(
                "this page is a link to {}, outside the paths given to sync; it is left as it is",
                target.display()
            ),
        ))
    }
}

/// `validate`: policy documents of one kind. Without a catalog given, each file uses the nearest
/// catalog above it, if any (for deprecations, placeholders and documented keys).
pub fn validate(
    files_in: &[PathBuf],
    kind: PolicyKind,
    catalog: Option<&Path>,
    aws: &AwsData,
) -> Result<Vec<Finding>, Error> {
    let mut findings = Vec::new();
    // First the catalogs, in file order so that their findings come first and in order: the
    // nearest one per folder, each opened once.
    let mut keys: Vec<Option<PathBuf>> = Vec::new();
    let mut loaded: Vec<Loaded> = Vec::new();
    let mut nearest: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    let mut which: Vec<usize> = Vec::with_capacity(files_in.len());
    for f in files_in {
        let path = match catalog {
            Some(c) => Some(c.to_path_buf()),
            None => {
                let dir = f.parent().unwrap_or(Path::new(".")).to_path_buf();
                nearest
                    .entry(dir)
                    .or_insert_with(|| discover::nearest_catalog(f))
                    .clone()
            }
        };
        let at = match keys.iter().position(|k| *k == path) {
            Some(at) => at,
            None => {
                let l = match &path {
                    Some(p) => open_catalog(p, &discover::catalog_root(p), aws),
                    None => Loaded {
                        catalog: Catalog::default(),
                        findings: Vec::new(),
                    },
                };
                findings.extend(l.findings.iter().cloned());
                keys.push(path);
                loaded.push(l);
                keys.len() - 1
            }
        };
        which.push(at);
    }
    let validators: Vec<Validator<'_>> = loaded
        .iter()
        .map(|l| Validator::with_aws_data(&l.catalog, aws))
        .collect();
    // Then the files, on every core; the results are put back in file order, and the first file
    // that cannot be read (in that order) is the error.
    let one = |i: usize| -> Result<Vec<Finding>, Error> {
        let file = match files::read(&files_in[i])? {
            Ok(file) => file,
            Err(finding) => return Ok(vec![finding]),
        };
        let yaml = files_in[i]
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        let validator = &validators[which[i]];
        let mut found = if !yaml {
            validator.document(&file, kind)
        } else {
            // A YAML file is a CloudFormation or SAM template; its policies carry their own kinds.
            match crate::template::yaml_file_policies(&file) {
                Ok(Some(policies)) => validator.template_policies(&policies),
                Ok(None) => {
                    return Err(Error::Usage(format!(
                        "{} is not a CloudFormation or SAM template (no `Resources` with a \
                         `Type: AWS::...` entry); validate reads JSON policy documents and \
                         templates in YAML or JSON",
                        file.name()
                    )));
                }
                Err(finding) => vec![finding],
            }
        };
        apply_levels(&loaded[which[i]].catalog.lints, &mut found);
        Ok(found)
    };
    for result in parallel_map(files_in.len(), one) {
        findings.extend(result?);
    }
    Ok(findings)
}

/// `f(0..n)` on the machine's cores, in index order. Few items run on this thread: a thread costs
/// more than validating a handful of files.
fn parallel_map<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    const PER_THREAD: usize = 32;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(n / PER_THREAD)
        .max(1);
    if threads == 1 {
        return (0..n).map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<Vec<(usize, T)>> = std::thread::scope(|scope| {
        let work = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return done;
                }
                done.push((i, f(i)));
            }
        };
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut parts = vec![work()];
        for h in handles {
            match h.join() {
                Ok(part) => parts.push(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        parts
    });
    let mut all: Vec<(usize, T)> = parts.drain(..).flatten().collect();
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, t)| t).collect()
}

pub struct Exported {
    pub findings: Vec<Finding>,
    /// The files written, in catalog order; empty when the catalog has errors.
    pub written: Vec<PathBuf>,
    /// Those of them that existed before and were replaced.
    pub replaced: Vec<PathBuf>,
}

/// `export`: every catalog policy as published, one `.json` file each, into `out`.
pub fn export(catalog: Option<&Path>, out: &Path, aws: &AwsData) -> Result<Exported, Error> {
    let loaded = catalog_near(catalog, Path::new("."), aws)?;
    if loaded.has_errors() {
        return Ok(Exported {
            findings: loaded.findings,
            written: Vec::new(),
            replaced: Vec::new(),
        });
    }
    let export = crate::export::export(&loaded.catalog, out)?;
    Ok(Exported {
        findings: loaded.findings,
        written: export.written,
        replaced: export.replaced,
    })
}

/// What `simulate` decides: simulation documents, or one request against a catalog policy or
/// role.
pub enum SimulateInput {
    Documents(Vec<PathBuf>),
    Catalog {
        policy: String,
        modifiers: Vec<String>,
        action: String,
        resource: Option<String>,
        principal: Option<String>,
        /// `KEY=VALUE` pairs as given; a key given twice holds a list.
        context: Vec<(String, String)>,
    },
}

pub struct SimulateReport {
    pub findings: Vec<Finding>,
    /// The requests decided, in order (an input with errors decides nothing).
    pub results: Vec<crate::simulate::Simulated>,
}

/// `simulate`. The catalog: the one given, else the nearest above the current directory (it
/// must exist for a catalog request; documents may do without one).
pub fn simulate(
    input: SimulateInput,
    catalog: Option<&Path>,
    aws: &AwsData,
) -> Result<SimulateReport, Error> {
    use crate::simulate::{CatalogRequest, simulate_catalog, simulate_document};
    use crate::source::{Span, Spanned};
    let loaded = match (&input, catalog) {
        (_, Some(c)) => open_catalog(c, &discover::catalog_root(c), aws),
        (SimulateInput::Catalog { .. }, None) => catalog_near(None, Path::new("."), aws)?,
        (SimulateInput::Documents(_), None) => match discover::nearest_catalog(Path::new(".")) {
            Some(c) => open_catalog(&c, &discover::catalog_root(&c), aws),
            None => Loaded {
                catalog: Catalog::default(),
                findings: Vec::new(),
            },
        },
    };
    let mut report = SimulateReport {
        findings: loaded.findings,
        results: Vec::new(),
    };
    if report.findings.iter().any(Finding::is_error) {
        return Ok(report);
    }
    let validator = Validator::with_aws_data(&loaded.catalog, aws);
    match input {
        SimulateInput::Documents(paths) => {
            for path in paths {
                match files::read(&path)? {
                    Ok(file) => {
                        let out = simulate_document(&file, &validator);
                        report.findings.extend(out.findings);
                        report.results.extend(out.simulated);
                    }
                    Err(f) => report.findings.push(f),
                }
            }
        }
        SimulateInput::Catalog {
            policy,
            modifiers,
            action,
            resource,
            principal,
            context,
        } => {
            // Names from the command line have no place in a file: findings about them name
            // the flag instead (`crate::simulate`).
            let arg = |text: &str| Spanned::new(text.to_string(), Span::generated());
            let name = arg(&policy);
            let modifiers: Vec<Spanned<String>> = modifiers.iter().map(|m| arg(m)).collect();
            let q = CatalogRequest {
                name: &name,
                modifiers: &modifiers,
                action,
                resource,
                principal,
                context,
            };
            match simulate_catalog(&q, &validator) {
                Ok(r) => report.results.push(r),
                Err(fs) => report.findings.extend(fs),
            }
        }
    }
    apply_levels(&loaded.catalog.lints, &mut report.findings);
    Ok(report)
}

/// `adopt`: the plan that moves every pasted policy under the paths into the catalog (see
/// `crate::adopt`); `crate::adopt::write` carries it out.
pub fn adopt(
    req: &crate::adopt::Request<'_>,
    aws: &AwsData,
) -> Result<crate::adopt::Adoption, Error> {
    crate::adopt::adopt(req, aws)
}

#[cfg(test)]
mod tests {
    use super::parallel_map;

    #[test]
    fn parallel_map_keeps_index_order() {
        for n in [0, 1, 31, 64, 65, 1_000] {
            let got = parallel_map(n, |i| i * 3);
            let want: Vec<usize> = (0..n).map(|i| i * 3).collect();
            assert_eq!(got, want, "n = {n}");
        }
    }

    #[test]
    fn validate_reports_files_in_the_order_given() {
        let dir = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for i in 0..100 {
            let p = dir.path().join(format!("p{i:03}.json"));
            let action = if i % 7 == 0 {
                "s3:NoSuchAction"
            } else {
                "s3:GetObject"
            };
            std::fs::write(
                &p,
                format!(
                    r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
                ),
            )
            .unwrap();
            paths.push(p);
        }
        let aws = crate::aws_data::AwsData::embedded();
        let catalog = dir.path().join("none.toml");
        std::fs::write(&catalog, "").unwrap();
        let findings = super::validate(
            &paths,
            crate::policy::PolicyKind::Identity,
            Some(&catalog),
            aws,
        )
        .unwrap();
        let files: Vec<String> = findings
            .iter()
            .filter(|f| f.code == crate::diagnostic::Code::InvalidAction)
            .map(|f| f.span.as_ref().expect("located").file.name().to_string())
            .collect();
        let want: Vec<String> = (0..100)
            .filter(|i| i % 7 == 0)
            .map(|i| crate::source::display_path(&dir.path().join(format!("p{i:03}.json"))))
            .collect();
        assert_eq!(files, want);
    }
}
