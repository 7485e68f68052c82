//! The `mdbook-iam` binary: argument parsing and output only; the work is in the library.

use clap::{Parser, Subcommand, ValueEnum};
use mdbook_iam::aws_data::AwsData;
use mdbook_iam::catalog::{Catalog, DEFAULT_FILE_NAME, Loaded};
use mdbook_iam::check::open_catalog_with;
use mdbook_iam::diagnostic::{Code, Finding, Severity, TextStyle, render_json, render_text};
use mdbook_iam::expand::Expander;
use mdbook_iam::render::Flavor;
use mdbook_iam::source::{SourceFile, display_path};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "mdbook-iam",
    version,
    about = "Canonical, validated AWS IAM policies in your docs, from one TOML catalog.",
    long_about = "Canonical, validated AWS IAM policies in your docs, from one TOML catalog.\n\nWithout a command, runs as an mdBook preprocessor ([context, book] JSON on stdin, book JSON on stdout)."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// A folder holding a fresher `aws-iam-data.txt` than the one built in (see tools/aws-data).
    #[arg(long, global = true, value_name = "DIR")]
    aws_data: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FlavorArg {
    Mdbook,
    Docusaurus,
    Gfm,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Identity,
    Trust,
    Resource,
}

#[derive(Subcommand)]
enum Command {
    /// mdBook protocol: whether the preprocessor supports a renderer (it supports all).
    Supports { renderer: String },
    /// Print a page with every directive expanded.
    Expand {
        /// The catalog (default: the nearest iam-catalog.toml above the page or the current directory).
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Output flavor (default: docusaurus for .mdx pages, else gfm).
        #[arg(long, value_enum)]
        flavor: Option<FlavorArg>,
        /// The name findings use for a page read from stdin.
        #[arg(long, value_name = "PATH")]
        stdin_filename: Option<PathBuf>,
        /// The page, or `-` for stdin.
        #[arg(default_value = "-")]
        file: PathBuf,
    },
    /// Validate the catalog and every page under PATHs (directives and pasted JSON policies).
    Check {
        #[arg(long)]
        catalog: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Pages or folders (default: the current directory).
        paths: Vec<PathBuf>,
    },
    /// Validate IAM policy JSON documents.
    Validate {
        #[arg(long, value_enum, default_value = "identity")]
        kind: KindArg,
        /// A catalog for deprecations, placeholders and documented keys (default: the nearest one, if any).
        #[arg(long)]
        catalog: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Regenerate the committed expansions between `iam:begin` / `iam:end` markers in place.
    Sync {
        /// Only report regions that differ (exit 1); change nothing.
        #[arg(long)]
        check: bool,
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Output flavor (default: docusaurus for .mdx pages, else gfm).
        #[arg(long, value_enum)]
        flavor: Option<FlavorArg>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Pages or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Write each catalog policy as a .json file.
    Export {
        #[arg(long)]
        catalog: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Add [preprocessor.iam] to a book's book.toml, keeping the rest of the file.
    Install {
        #[arg(default_value = ".")]
        book_dir: PathBuf,
    },
    /// Decide requests as IAM does: simulation documents, or one request against a catalog policy or role.
    Simulate(SimulateArgs),
}

#[derive(clap::Args)]
struct SimulateArgs {
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// The catalog (default: the nearest iam-catalog.toml above the current directory).
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// A catalog policy or role to decide one request against.
    #[arg(
        long,
        value_name = "NAME",
        conflicts_with = "files",
        requires = "action"
    )]
    policy: Option<String>,
    /// A catalog modifier applied to the policy (repeatable).
    #[arg(long = "modifier", value_name = "M", requires = "policy")]
    modifiers: Vec<String>,
    #[arg(long, value_name = "A", requires = "policy")]
    action: Option<String>,
    #[arg(long, value_name = "ARN", requires = "policy")]
    resource: Option<String>,
    /// An IAM or STS ARN, an account ID, a service principal or `anonymous` (default: a session of the role).
    #[arg(long, value_name = "P", requires = "policy")]
    principal: Option<String>,
    /// A request context value (repeatable; a key given twice holds a list).
    #[arg(long = "context", value_name = "KEY=VALUE", requires = "policy")]
    context: Vec<String>,
    /// Simulation documents.
    #[arg(required_unless_present = "policy")]
    files: Vec<PathBuf>,
}

fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    let long_version = format!(
        "{}\nAWS service data: {}",
        env!("CARGO_PKG_VERSION"),
        AwsData::embedded().source()
    );
    let matches = Cli::command()
        .long_version(&*Box::leak(long_version.into_boxed_str()))
        .get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let aws: &'static AwsData = match &cli.aws_data {
        None => AwsData::embedded(),
        Some(dir) => match AwsData::from_dir(dir) {
            Ok(d) => Box::leak(Box::new(d)),
            Err(e) => return usage_error(&format!("--aws-data {}: {e}", dir.display())),
        },
    };
    AWS.set(aws).expect("set once");
    match cli.command {
        None => preprocess(),
        Some(Command::Supports { renderer }) => {
            if mdbook_iam::mdbook::supports_renderer(&renderer) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Some(Command::Expand {
            catalog,
            flavor,
            stdin_filename,
            file,
        }) => expand(catalog, flavor, stdin_filename, &file),
        Some(Command::Check {
            catalog,
            format,
            paths,
        }) => check(catalog, format, paths),
        Some(Command::Validate {
            kind,
            catalog,
            format,
            files,
        }) => validate(kind, catalog, format, &files),
        Some(Command::Sync {
            check,
            catalog,
            flavor,
            format,
            paths,
        }) => sync(check, catalog, flavor, format, &paths),
        Some(Command::Export { catalog, out }) => export(catalog, &out),
        Some(Command::Install { book_dir }) => install(&book_dir),
        Some(Command::Simulate(args)) => simulate(args),
    }
}

const USAGE_ERROR: u8 = 2;

/// The AWS data every command validates against: built in, or `--aws-data`.
static AWS: std::sync::OnceLock<&'static AwsData> = std::sync::OnceLock::new();

fn aws() -> &'static AwsData {
    AWS.get().copied().unwrap_or_else(AwsData::embedded)
}

fn expander(catalog: &Catalog, flavor: Flavor) -> Expander<'_> {
    Expander::with_validator(
        mdbook_iam::validate::Validator::with_aws_data(catalog, aws()),
        flavor,
    )
}

fn style() -> TextStyle {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    TextStyle {
        color: !no_color && std::io::stderr().is_terminal(),
    }
}

/// Prints findings (text to stderr, JSON to stdout) and returns the exit code they call for.
fn report(findings: &[Finding], format: Format) -> ExitCode {
    match format {
        Format::Text => {
            eprint!("{}", render_text(findings, style()));
            let errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            let warnings = findings
                .iter()
                .filter(|f| f.severity == Severity::Warning)
                .count();
            if errors + warnings > 0 {
                eprintln!(
                    "mdbook-iam: {errors} error{}, {warnings} warning{}",
                    plural(errors),
                    plural(warnings)
                );
            }
        }
        Format::Json => println!("{}", render_json(findings)),
    }
    exit_for(findings)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn exit_for(findings: &[Finding]) -> ExitCode {
    if findings.iter().any(|f| f.code == Code::CatalogNotFound) {
        ExitCode::from(USAGE_ERROR)
    } else if findings.iter().any(Finding::is_error) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("mdbook-iam: error: {message}");
    ExitCode::from(USAGE_ERROR)
}

fn preprocess() -> ExitCode {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        return usage_error(&format!("cannot read mdBook's request from stdin: {e}"));
    }
    if input.trim().is_empty() && std::io::stdin().is_terminal() {
        return usage_error(
            "no input: mdbook-iam without a command is run by `mdbook build`; see `mdbook-iam --help`",
        );
    }
    let outcome = mdbook_iam::mdbook::preprocess_with(&input, AWS.get().copied());
    eprint!("{}", render_text(&outcome.findings, style()));
    match outcome.book {
        Some(book) => {
            let mut out = std::io::stdout().lock();
            if out
                .write_all(book.as_bytes())
                .and_then(|_| out.flush())
                .is_err()
            {
                return usage_error("cannot write the book to stdout");
            }
            ExitCode::SUCCESS
        }
        None => {
            let errors = outcome.findings.iter().filter(|f| f.is_error()).count();
            eprintln!(
                "mdbook-iam: {errors} error{}; the book was not built",
                plural(errors)
            );
            ExitCode::FAILURE
        }
    }
}

/// The nearest `iam-catalog.toml` in `start` or a folder above it.
fn find_catalog(start: &Path) -> Option<PathBuf> {
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    let abs = start.canonicalize().ok()?;
    abs.ancestors()
        .map(|d| d.join(DEFAULT_FILE_NAME))
        .find(|p| p.is_file())
}

fn catalog_path(given: Option<PathBuf>, near: &Path) -> Result<PathBuf, String> {
    match given {
        Some(p) => Ok(p),
        None => {
            let dir = if near.is_dir() {
                near
            } else {
                near.parent().unwrap_or(Path::new("."))
            };
            find_catalog(dir).ok_or_else(|| {
                format!(
                    "no {DEFAULT_FILE_NAME} in {} or any folder above it; pass --catalog",
                    display_path(dir)
                )
            })
        }
    }
}

fn load_catalog(path: &Path) -> Loaded {
    let root = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    open_catalog_with(path, root, aws())
}

fn expand(
    catalog: Option<PathBuf>,
    flavor: Option<FlavorArg>,
    stdin_filename: Option<PathBuf>,
    file: &Path,
) -> ExitCode {
    let from_stdin = file == Path::new("-");
    let (name, text) = if from_stdin {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            return usage_error(&format!("cannot read stdin: {e}"));
        }
        (
            stdin_filename
                .clone()
                .unwrap_or_else(|| PathBuf::from("<stdin>")),
            text,
        )
    } else {
        match std::fs::read_to_string(file) {
            Ok(t) => (file.to_path_buf(), t),
            Err(e) => return usage_error(&format!("cannot read {}: {e}", file.display())),
        }
    };
    let near = if from_stdin {
        stdin_filename.clone().unwrap_or_else(|| PathBuf::from("."))
    } else {
        file.to_path_buf()
    };
    let path = match catalog_path(catalog, &near) {
        Ok(p) => p,
        Err(e) => return usage_error(&e),
    };
    let loaded = load_catalog(&path);
    if loaded.has_errors() {
        return report(&loaded.findings, Format::Text);
    }
    let flavor = pick_flavor(flavor, &name);
    let page = SourceFile::new(display_path(&name), text);
    let exp = expander(&loaded.catalog, flavor).expand(&page);
    let mut findings = loaded.findings;
    findings.extend(exp.findings);
    let code = report(&findings, Format::Text);
    if !findings.iter().any(Finding::is_error) {
        let mut out = std::io::stdout().lock();
        if out
            .write_all(exp.text.as_bytes())
            .and_then(|_| out.flush())
            .is_err()
        {
            return usage_error("cannot write to stdout");
        }
    }
    code
}

/// The flavor asked for, else by the page's extension: docusaurus for `.mdx`, gfm otherwise.
fn pick_flavor(flavor: Option<FlavorArg>, page: &Path) -> Flavor {
    match flavor {
        Some(FlavorArg::Mdbook) => Flavor::Mdbook,
        Some(FlavorArg::Docusaurus) => Flavor::Docusaurus,
        Some(FlavorArg::Gfm) => Flavor::Gfm,
        None if page.extension().is_some_and(|e| e == "mdx") => Flavor::Docusaurus,
        None => Flavor::Gfm,
    }
}

fn sync(
    check: bool,
    catalog: Option<PathBuf>,
    flavor: Option<FlavorArg>,
    format: Format,
    paths: &[PathBuf],
) -> ExitCode {
    let path = match catalog_path(catalog, &paths[0]) {
        Ok(p) => p,
        Err(e) => return usage_error(&e),
    };
    let loaded = load_catalog(&path);
    let mut findings = loaded.findings;
    if findings.iter().any(Finding::is_error) {
        return report(&findings, format);
    }
    let files = match pages(paths) {
        Ok(f) => f,
        Err(e) => return usage_error(&e),
    };
    let (mut regions, mut rewritten) = (0, 0);
    for file in files {
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => return usage_error(&format!("cannot read {}: {e}", file.display())),
        };
        let expander = expander(&loaded.catalog, pick_flavor(flavor, &file));
        let page = SourceFile::new(display_path(&file), text);
        let synced = mdbook_iam::sync::sync(&page, &expander);
        regions += synced.regions;
        findings.extend(synced.findings);
        if synced.drift.is_empty() {
            continue;
        }
        if check {
            findings.extend(synced.drift);
        } else {
            if let Err(e) = std::fs::write(&file, &synced.text) {
                return usage_error(&format!("cannot write {}: {e}", file.display()));
            }
            rewritten += 1;
            eprintln!(
                "mdbook-iam: synced {} ({} region{})",
                display_path(&file),
                synced.drift.len(),
                plural(synced.drift.len())
            );
        }
    }
    if !check && matches!(format, Format::Text) {
        eprintln!(
            "mdbook-iam: {regions} synced region{}, {rewritten} page{} rewritten",
            plural(regions),
            plural(rewritten)
        );
    }
    report(&findings, format)
}

/// Markdown pages under the paths, skipping build output and dependencies.
fn pages(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    const SKIP: [&str; 6] = [
        "node_modules",
        "target",
        "build",
        "book",
        ".docusaurus",
        ".git",
    ];
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(&p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|e| {
                    let name = e.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    !(e.is_dir() && (SKIP.contains(&name) || name.starts_with('.')))
                })
                .collect();
            entries.sort();
            stack.extend(entries.into_iter().rev());
        } else if p.is_file() {
            if p.extension().is_some_and(|e| e == "md" || e == "mdx") {
                out.push(p);
            } else if paths.contains(&p) {
                return Err(format!(
                    "{} is not a Markdown page (.md or .mdx)",
                    p.display()
                ));
            }
        } else {
            return Err(format!("{} does not exist", p.display()));
        }
    }
    out.sort();
    Ok(out)
}

fn check(catalog: Option<PathBuf>, format: Format, paths: Vec<PathBuf>) -> ExitCode {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let path = match catalog_path(catalog, &paths[0]) {
        Ok(p) => p,
        Err(e) => return usage_error(&e),
    };
    let loaded = load_catalog(&path);
    let mut findings = loaded.findings;
    if !findings
        .iter()
        .any(|f| f.code == Code::CatalogSyntax || f.code == Code::CatalogNotFound)
    {
        let files = match pages(&paths) {
            Ok(f) => f,
            Err(e) => return usage_error(&e),
        };
        let expander = expander(&loaded.catalog, Flavor::Gfm);
        for file in files {
            match std::fs::read_to_string(&file) {
                Ok(text) => findings.extend(
                    expander
                        .expand(&SourceFile::new(display_path(&file), text))
                        .findings,
                ),
                Err(e) => return usage_error(&format!("cannot read {}: {e}", file.display())),
            }
        }
    }
    report(&findings, format)
}

fn validate(
    kind: KindArg,
    catalog: Option<PathBuf>,
    format: Format,
    files: &[PathBuf],
) -> ExitCode {
    use mdbook_iam::policy::PolicyKind;
    let kind = match kind {
        KindArg::Identity => PolicyKind::Identity,
        KindArg::Trust => PolicyKind::Trust,
        KindArg::Resource => PolicyKind::Resource,
    };
    let catalog_file = catalog.or_else(|| find_catalog(Path::new(".")));
    let loaded = match &catalog_file {
        Some(p) => load_catalog(p),
        None => Loaded {
            catalog: Catalog::default(),
            findings: Vec::new(),
        },
    };
    let mut findings = loaded.findings;
    let validator = mdbook_iam::validate::Validator::with_aws_data(&loaded.catalog, aws());
    for f in files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => return usage_error(&format!("cannot read {}: {e}", f.display())),
        };
        let file = SourceFile::new(display_path(f), text);
        findings.extend(mdbook_iam::validate_document(&file, kind, &validator));
    }
    report(&findings, format)
}

fn export(catalog: Option<PathBuf>, out: &Path) -> ExitCode {
    let path = match catalog_path(catalog, Path::new(".")) {
        Ok(p) => p,
        Err(e) => return usage_error(&e),
    };
    let loaded = load_catalog(&path);
    if loaded.has_errors() {
        return report(&loaded.findings, Format::Text);
    }
    match mdbook_iam::export::export(&loaded.catalog, out) {
        Ok(written) => {
            for w in written {
                println!("{}", display_path(&w));
            }
            report(&loaded.findings, Format::Text)
        }
        Err(e) => usage_error(&e),
    }
}

fn install(book_dir: &Path) -> ExitCode {
    match mdbook_iam::install::install(book_dir) {
        Ok(mdbook_iam::install::Installed::Added) => {
            eprintln!(
                "mdbook-iam: added [preprocessor.iam] to {}",
                display_path(&book_dir.join("book.toml"))
            );
            if !book_dir.join(DEFAULT_FILE_NAME).is_file() {
                eprintln!(
                    "mdbook-iam: next, create {} (see the README's catalog reference)",
                    display_path(&book_dir.join(DEFAULT_FILE_NAME))
                );
            }
            ExitCode::SUCCESS
        }
        Ok(mdbook_iam::install::Installed::AlreadyThere) => {
            eprintln!(
                "mdbook-iam: {} already has [preprocessor.iam]",
                display_path(&book_dir.join("book.toml"))
            );
            ExitCode::SUCCESS
        }
        Err(e) => usage_error(&e),
    }
}

/// `simulate`: decisions on stdout (text or one JSON array), findings on stderr; exit 1 when an
/// input has errors (those requests are not decided), 2 on usage or I/O errors.
fn simulate(args: SimulateArgs) -> ExitCode {
    use mdbook_iam::policy::Sp;
    use mdbook_iam::simulate::{self, CatalogRequest};
    let arg_span = |flag: &str, text: &str| {
        let file = SourceFile::new(flag, text);
        mdbook_iam::source::Span::new(&file, 0..text.len())
    };
    let catalog_file = match (&args.catalog, &args.policy) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(_)) => match catalog_path(None, Path::new(".")) {
            Ok(p) => Some(p),
            Err(e) => return usage_error(&e),
        },
        (None, None) => find_catalog(Path::new(".")),
    };
    let loaded = match &catalog_file {
        Some(p) => load_catalog(p),
        None => Loaded {
            catalog: Catalog::default(),
            findings: Vec::new(),
        },
    };
    if loaded.has_errors() {
        return report(&loaded.findings, Format::Text);
    }
    let validator = mdbook_iam::validate::Validator::with_aws_data(&loaded.catalog, aws());
    let mut findings = loaded.findings.clone();
    let mut results = Vec::new();
    if let Some(name) = &args.policy {
        let mut context = Vec::new();
        for kv in &args.context {
            match kv.split_once('=') {
                Some((k, v)) if !k.is_empty() => context.push((k.to_string(), v.to_string())),
                _ => return usage_error(&format!("--context {kv}: write KEY=VALUE")),
            }
        }
        let name = Sp::new(name.clone(), arg_span("--policy", name));
        let modifiers: Vec<Sp<String>> = args
            .modifiers
            .iter()
            .map(|m| Sp::new(m.clone(), arg_span("--modifier", m)))
            .collect();
        let q = CatalogRequest {
            name: &name,
            modifiers: &modifiers,
            action: args.action.clone().unwrap_or_default(),
            resource: args.resource.clone(),
            principal: args.principal.clone(),
            context,
        };
        match simulate::simulate_catalog(&q, &validator) {
            Ok(r) => results.push(r),
            Err(fs) => findings.extend(fs),
        }
    } else {
        for f in &args.files {
            let text = match std::fs::read_to_string(f) {
                Ok(t) => t,
                Err(e) => return usage_error(&format!("cannot read {}: {e}", f.display())),
            };
            let out =
                simulate::simulate_document(&SourceFile::new(display_path(f), text), &validator);
            findings.extend(out.findings);
            results.extend(out.simulated);
        }
    }
    if !findings.is_empty() {
        eprint!("{}", render_text(&findings, style()));
    }
    let printed = match args.format {
        Format::Text => simulate::render_text(&results),
        Format::Json => format!("{}\n", simulate::render_json(&results)),
    };
    let mut out = std::io::stdout().lock();
    if out
        .write_all(printed.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return usage_error("cannot write to stdout");
    }
    exit_for(&findings)
}
