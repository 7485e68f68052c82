//! The `mdbook-iam` binary: parses arguments, makes one library call per command, prints what
//! it returns and picks the exit code. Everything else is in the library.

use clap::{Args, Parser, Subcommand, ValueEnum};
use mdbook_iam::diagnostic::{Code, Finding, Severity, TextStyle, render_json, render_text};
use mdbook_iam::error::Error;
use mdbook_iam::policy::PolicyKind;
use mdbook_iam::render::Flavor;
use mdbook_iam::source::display_path;
use mdbook_iam::{AwsSelection, ExpandRequest, PageSource, SyncMode};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "mdbook-iam",
    version,
    disable_version_flag = true,
    about = "Canonical, validated AWS IAM policies in your docs, from one TOML catalog.",
    long_about = "Canonical, validated AWS IAM policies in your docs, from one TOML catalog.\n\nWithout a command, runs as an mdBook preprocessor ([context, book] JSON on stdin, book JSON on stdout)."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Print the version and the AWS data built in (computed only when asked: reading the data's
    /// history is work a page does not need).
    #[arg(short = 'V', long)]
    version: bool,
    /// For the mdBook preprocessor run (no command): fresher AWS data than the book's.
    #[command(flatten)]
    aws: AwsArgs,
}

// `--aws-data`, on every command that validates. (A plain comment: a doc comment here would
// become the about text of the commands that flatten it, which build their arguments late.)
#[derive(Args, Clone)]
struct AwsArgs {
    /// A folder holding an `aws-iam-data.txt` fresher than the snapshot built in (written by the
    /// project's refresh tool; see `--version` for the built-in one).
    #[arg(long, value_name = "DIR")]
    aws_data: Option<PathBuf>,
}

// `--catalog`, on every command that reads one (a plain comment, as above).
#[derive(Args, Clone)]
struct CatalogArg {
    /// The catalog (default: the nearest iam-catalog.toml in or above the first path, else the
    /// current directory; `check` without one checks pasted policies and reports directives).
    #[arg(long, value_name = "FILE")]
    catalog: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// rustc-style diagnostics on stderr.
    Text,
    /// One JSON array of findings on stdout.
    Json,
    /// SARIF 2.1.0 on stdout, for code-scanning annotations (GitHub and others).
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum FlavorArg {
    /// mdBook 0.5: title line above code blocks, GitHub alerts, <details>.
    Mdbook,
    /// Docusaurus 3 (MDX): title="..." on code blocks, :::admonitions.
    Docusaurus,
    /// Plain GitHub-flavored Markdown.
    Gfm,
}

impl From<FlavorArg> for Flavor {
    fn from(f: FlavorArg) -> Flavor {
        match f {
            FlavorArg::Mdbook => Flavor::Mdbook,
            FlavorArg::Docusaurus => Flavor::Docusaurus,
            FlavorArg::Gfm => Flavor::Gfm,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    /// Attached to a user, group or role (no Principal).
    Identity,
    /// A role's trust policy (who may assume it).
    Trust,
    /// Attached to a resource (an S3 bucket, a KMS key, ...).
    Resource,
}

impl From<KindArg> for PolicyKind {
    fn from(k: KindArg) -> PolicyKind {
        match k {
            KindArg::Identity => PolicyKind::Identity,
            KindArg::Trust => PolicyKind::Trust,
            KindArg::Resource => PolicyKind::Resource,
        }
    }
}

#[derive(Subcommand)]
// Each command's arguments are built when that command is run, not for every run.
#[command(defer = true)]
enum Command {
    /// mdBook protocol: whether the preprocessor supports a renderer (it supports all).
    Supports {
        /// The renderer mdBook asks about (html, markdown, ...).
        renderer: String,
    },
    /// Print a page with every directive expanded.
    Expand {
        #[command(flatten)]
        catalog: CatalogArg,
        /// Output flavor (default: docusaurus for .mdx pages, else gfm).
        #[arg(long, value_enum)]
        flavor: Option<FlavorArg>,
        /// The name findings use for a page read from stdin (also where its catalog is looked for).
        #[arg(long, value_name = "PATH")]
        stdin_filename: Option<PathBuf>,
        /// Print one JSON object instead of the page: {"text": the page or null on errors,
        /// "dependencies": [every file the expansion read]}. For hosts that watch files.
        #[arg(long)]
        deps: bool,
        #[command(flatten)]
        aws: AwsArgs,
        /// The page, or `-` for stdin.
        #[arg(default_value = "-")]
        file: PathBuf,
    },
    /// Validate the catalog and every page under PATHs: directives, and the policies pages paste
    /// (any JSON or YAML code block, templates included). Works without a catalog.
    Check {
        #[command(flatten)]
        catalog: CatalogArg,
        /// How findings are printed.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        aws: AwsArgs,
        /// Pages or folders (default: the current directory).
        paths: Vec<PathBuf>,
    },
    /// Validate IAM policy JSON documents, and the policies in CloudFormation and SAM templates.
    Validate {
        /// What kind of policy the files are.
        #[arg(long, value_enum, default_value = "identity")]
        kind: KindArg,
        /// A catalog for deprecations, placeholders and documented keys (default: the nearest one
        /// above each file, if any).
        #[arg(long, value_name = "FILE")]
        catalog: Option<PathBuf>,
        /// How findings are printed.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        aws: AwsArgs,
        /// Policy documents (JSON), or CloudFormation and SAM templates (YAML or JSON).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Move pasted IAM policies into the catalog, each block replaced by its directive
    ///
    /// Prints a unified diff of the pages and the catalog; with --write, writes them (all or
    /// nothing). Blocks left on their pages are listed with the reason.
    Adopt {
        #[command(flatten)]
        catalog: CatalogArg,
        /// Write the pages and the catalog (all or nothing) instead of printing the diff.
        #[arg(long)]
        write: bool,
        /// Adopt blocks that are not in the canonical layout too (their pages then show it).
        #[arg(long)]
        reformat: bool,
        /// Adopt policies with error-level findings too (check then reports them at the catalog).
        #[arg(long)]
        include_invalid: bool,
        #[command(flatten)]
        aws: AwsArgs,
        /// Pages or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Regenerate the committed expansions between `iam:begin` / `iam:end` markers in place.
    Sync {
        /// Only report regions that differ (exit 1); change nothing.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        catalog: CatalogArg,
        /// Output flavor (default: docusaurus for .mdx pages, else gfm).
        #[arg(long, value_enum)]
        flavor: Option<FlavorArg>,
        /// How findings are printed.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        aws: AwsArgs,
        /// Pages or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Write each catalog policy as a .json file.
    Export {
        #[command(flatten)]
        catalog: CatalogArg,
        /// The folder to write the files into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        aws: AwsArgs,
    },
    /// Add [preprocessor.iam] to a book's book.toml, keeping the rest of the file.
    Install {
        /// The book's folder (the one holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
    },
    /// Decide requests as IAM does, from simulation documents or the catalog.
    Simulate(SimulateArgs),
    /// What a policy or role allows, per action over every action of AWS's data: resources,
    /// conditions, and what a Deny takes away.
    Access(AccessArgs),
    /// The access gained and lost between two states of the catalog, or two policy files
    ///
    /// BASE and HEAD are git revisions of the repository the catalog lives in (HEAD omitted: the
    /// working tree), or catalog files; two `.json` files are compared as policies. An existing
    /// file is read as a file, anything else as a git revision.
    Diff(DiffArgs),
    /// A Language Server Protocol server over stdio, for editors
    ///
    /// Serves Markdown and MDX pages and `iam-catalog.toml`: the findings `check` reports, as you
    /// type; completion of directives, catalog names, actions, condition keys and operators; hover
    /// with what a directive renders; go to definition and references between pages and the
    /// catalog; quick fixes. Editors start it; see the guide's "In your editor".
    Lsp {
        #[command(flatten)]
        aws: AwsArgs,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    /// Per policy and role, each changed action with an example request.
    Text,
    /// One JSON array, one object per entry, change and action.
    Json,
    /// Markdown for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    /// Exit 1 when any policy or role gains access.
    NewAccess,
}

#[derive(clap::Args)]
struct DiffArgs {
    #[command(flatten)]
    catalog: CatalogArg,
    /// How the changes are printed.
    #[arg(long, value_enum, default_value = "text")]
    format: DiffFormat,
    /// Exit 1 when the change grants new access (an offline CheckNoNewAccess).
    #[arg(long, value_enum, value_name = "WHAT")]
    fail_on: Option<FailOn>,
    /// What kind of policy two policy files are.
    #[arg(long, value_enum, default_value = "identity")]
    kind: KindArg,
    #[command(flatten)]
    aws: AwsArgs,
    /// The old state: a git revision, a catalog file, or a policy file.
    base: String,
    /// The new state (default: the catalog in the working tree).
    head: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum AccessFormat {
    /// Per policy, service and access level: the actions, where and when.
    Text,
    /// One JSON array, one object per allowed action.
    Json,
    /// Markdown tables, for a pull-request comment or a job summary.
    Markdown,
}

#[derive(clap::Args)]
struct AccessArgs {
    /// The catalog (default: the nearest iam-catalog.toml above the current directory, or above
    /// the first file).
    #[arg(long, value_name = "FILE")]
    catalog: Option<PathBuf>,
    /// A catalog policy to summarize.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["role", "files"])]
    policy: Option<String>,
    /// A catalog modifier applied to the policy (repeatable).
    #[arg(long = "modifier", value_name = "M", requires = "policy")]
    modifiers: Vec<String>,
    /// A catalog role to summarize (its permission policies).
    #[arg(long, value_name = "NAME", conflicts_with = "files")]
    role: Option<String>,
    /// What kind of policy the files are.
    #[arg(long, value_enum, default_value = "identity")]
    kind: KindArg,
    /// How the summary is printed.
    #[arg(long, value_enum, default_value = "text")]
    format: AccessFormat,
    #[command(flatten)]
    aws: AwsArgs,
    /// Policy documents (JSON), each summarized on its own.
    #[arg(required_unless_present_any = ["policy", "role"])]
    files: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum SimulateFormat {
    /// One line per request: the decision and the statements that decided.
    Text,
    /// One JSON array, one object per request (file, or policy and modifiers for --policy; decision,
    /// statements, missingContextKeys).
    Json,
}

#[derive(clap::Args)]
struct SimulateArgs {
    /// How decisions are printed.
    #[arg(long, value_enum, default_value = "text")]
    format: SimulateFormat,
    /// The catalog (default: the nearest iam-catalog.toml above the current directory).
    #[arg(long, value_name = "FILE")]
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
    /// The action requested (`s3:GetObject`).
    #[arg(long, value_name = "A", requires = "policy")]
    action: Option<String>,
    /// The resource requested (default: `*`, for actions that take no resource).
    #[arg(long, value_name = "ARN", requires = "policy")]
    resource: Option<String>,
    /// An IAM or STS ARN, an account ID, a service principal or `anonymous` (default: a session of the role).
    #[arg(long, value_name = "P", requires = "policy")]
    principal: Option<String>,
    /// A request context value (repeatable; a key given twice holds a list).
    #[arg(long = "context", value_name = "KEY=VALUE", requires = "policy")]
    context: Vec<String>,
    #[command(flatten)]
    aws: AwsArgs,
    /// Simulation documents (JSON; see the guide for their shape).
    #[arg(required_unless_present = "policy")]
    files: Vec<PathBuf>,
}

fn long_version() -> String {
    let data = mdbook_iam::aws_data::AwsData::embedded();
    format!(
        "{}\nAWS service data: {}{}",
        env!("CARGO_PKG_VERSION"),
        data.source(),
        data.history_span()
            .map(|h| format!("\n  {h}"))
            .unwrap_or_default()
    )
}

/// Exit statuses: 0 success (warnings allowed), 1 findings at error level, 2 usage or I/O error.
const FINDINGS: u8 = 1;
const USAGE: u8 = 2;

/// Why output stopped: the reader went away (quiet), or the write failed (an I/O error).
enum WriteFailure {
    Closed,
    Failed,
}

/// Writes all of `text`; a reader that closed the pipe is not an error worth a message.
fn write_to(mut w: impl Write, text: &[u8]) -> Result<(), WriteFailure> {
    match w.write_all(text).and_then(|()| w.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(WriteFailure::Closed),
        Err(_) => Err(WriteFailure::Failed),
    }
}

fn out(text: &str) -> Result<(), WriteFailure> {
    write_to(std::io::stdout().lock(), text.as_bytes())
}

fn err(text: &str) -> Result<(), WriteFailure> {
    write_to(std::io::stderr().lock(), text.as_bytes())
}

/// The exit code for a run whose output could not all be written: quiet success when the reader
/// left (as `| head` does), an I/O error otherwise.
fn finish(written: Result<(), WriteFailure>, code: ExitCode) -> ExitCode {
    match written {
        Ok(()) => code,
        Err(WriteFailure::Closed) => ExitCode::SUCCESS,
        Err(WriteFailure::Failed) => {
            let _ = err("mdbook-iam: error: cannot write the output\n");
            ExitCode::from(USAGE)
        }
    }
}

fn usage_error(e: impl std::fmt::Display) -> ExitCode {
    finish(
        err(&format!("mdbook-iam: error: {e}\n")),
        ExitCode::from(USAGE),
    )
}

fn style() -> TextStyle {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    TextStyle {
        color: !no_color && std::io::stderr().is_terminal(),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn exit_for(findings: &[Finding]) -> ExitCode {
    // A catalog that cannot be found at all is a usage error; a directive on a page checked
    // without one is a finding at its line.
    if findings
        .iter()
        .any(|f| f.code == Code::CatalogNotFound && f.span.is_none())
    {
        ExitCode::from(USAGE)
    } else if findings.iter().any(Finding::is_error) {
        ExitCode::from(FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints findings (text to stderr with a summary line, JSON to stdout) and returns the exit code
/// they call for.
fn report(findings: &[Finding], format: Format) -> ExitCode {
    let written = match format {
        Format::Text => {
            let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
            let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
            let mut text = render_text(findings, style());
            if errors + warnings > 0 {
                text.push_str(&format!(
                    "mdbook-iam: {errors} error{}, {warnings} warning{}\n",
                    plural(errors),
                    plural(warnings)
                ));
            }
            err(&text)
        }
        Format::Json => out(&format!("{}\n", render_json(findings))),
        Format::Sarif => out(&format!("{}\n", mdbook_iam::sarif::render_sarif(findings))),
    };
    finish(written, exit_for(findings))
}

/// `check`'s report: the findings as [`report`] prints them, and one summary line with the run's
/// figures. Text ends with the line; JSON and SARIF keep stdout as it was (the array of findings,
/// the SARIF log, whose run also carries the figures in its properties) and write the figures to
/// stderr as one JSON object, for scripts.
fn report_check(r: &mdbook_iam::CheckReport, format: Format) -> ExitCode {
    let count = |s: Severity| r.findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings, notes) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let written = match format {
        Format::Text => {
            let mut text = render_text(&r.findings, style());
            text.push_str(&format!(
                "mdbook-iam: {}\n",
                check_summary(r, errors, warnings, notes)
            ));
            err(&text)
        }
        Format::Json | Format::Sarif => {
            let figures = serde_json::json!({
                "summary": {
                    "pages": r.pages,
                    "policies": r.policies,
                    "pages_with_policies": r.pages_with_policies,
                    "fragments": r.fragments,
                    "catalog": r.catalog.as_deref().map(mdbook_iam::source::display_path),
                    "errors": errors,
                    "warnings": warnings,
                    "infos": notes,
                }
            });
            let stdout = if format == Format::Json {
                render_json(&r.findings)
            } else {
                // SARIF has a place for a run's figures: the run's property bag.
                mdbook_iam::sarif::render_sarif_with_summary(
                    &r.findings,
                    figures["summary"].clone(),
                )
            };
            out(&format!("{stdout}\n")).and_then(|()| err(&format!("{figures}\n")))
        }
    };
    finish(written, exit_for(&r.findings))
}

/// `check`'s summary line: "402 pages read, no catalog; 304 pasted policies examined on 143 pages
/// (11 fragments left alone): 12 errors, 40 warnings, 3 notes".
fn check_summary(
    r: &mdbook_iam::CheckReport,
    errors: usize,
    warnings: usize,
    notes: usize,
) -> String {
    let mut line = format!("{} page{} read", r.pages, plural(r.pages));
    if r.catalog.is_none() {
        line.push_str(" without a catalog");
    }
    line.push_str(&format!(
        ", {} pasted polic{} examined",
        r.policies,
        if r.policies == 1 { "y" } else { "ies" }
    ));
    if r.policies > 0 {
        line.push_str(&format!(
            " on {} page{}",
            r.pages_with_policies,
            plural(r.pages_with_policies)
        ));
    }
    if r.fragments > 0 {
        line.push_str(&format!(
            " ({} fragment{} left alone)",
            r.fragments,
            plural(r.fragments)
        ));
    }
    line.push_str(&format!(
        ": {errors} error{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    ));
    if notes > 0 {
        line.push_str(&format!(", {notes} note{}", plural(notes)));
    }
    line
}

fn policy_kind(kind: KindArg) -> PolicyKind {
    match kind {
        KindArg::Identity => PolicyKind::Identity,
        KindArg::Trust => PolicyKind::Trust,
        KindArg::Resource => PolicyKind::Resource,
    }
}

fn aws(args: &AwsArgs) -> Result<AwsSelection, Error> {
    AwsSelection::from_dir(args.aws_data.as_deref())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.version {
        return finish(
            out(&format!("mdbook-iam {}\n", long_version())),
            ExitCode::SUCCESS,
        );
    }
    let result = match cli.command {
        None => return preprocess(&cli.aws),
        Some(Command::Supports { renderer }) => {
            return if mdbook_iam::hosts::mdbook::supports_renderer(&renderer) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        Some(Command::Expand {
            catalog,
            flavor,
            stdin_filename,
            deps,
            aws: a,
            file,
        }) => expand(catalog, flavor, stdin_filename, deps, &a, file),
        Some(Command::Check {
            catalog,
            format,
            aws: a,
            paths,
        }) => aws(&a).and_then(|aws| {
            mdbook_iam::check(&paths, catalog.catalog.as_deref(), aws.get())
                .map(|r| report_check(&r, format))
        }),
        Some(Command::Validate {
            kind,
            catalog,
            format,
            aws: a,
            files,
        }) => {
            let kind = policy_kind(kind);
            aws(&a).and_then(|aws| {
                mdbook_iam::validate(&files, kind, catalog.as_deref(), aws.get())
                    .map(|f| report(&f, format))
            })
        }
        Some(Command::Sync {
            check,
            catalog,
            flavor,
            format,
            aws: a,
            paths,
        }) => sync(check, catalog, flavor, format, &a, &paths),
        Some(Command::Adopt {
            catalog,
            write,
            reformat,
            include_invalid,
            aws: a,
            paths,
        }) => adopt(
            &mdbook_iam::adopt::Request {
                paths: &paths,
                catalog: catalog.catalog.as_deref(),
                reformat,
                include_invalid,
            },
            write,
            &a,
        ),
        Some(Command::Export {
            catalog,
            out,
            aws: a,
        }) => export(catalog, &out, &a),
        Some(Command::Install { book_dir }) => install(&book_dir),
        Some(Command::Simulate(args)) => simulate(args),
        Some(Command::Access(args)) => access(args),
        Some(Command::Diff(args)) => diff(args),
        Some(Command::Lsp { aws: a }) => lsp(&a),
    };
    result.unwrap_or_else(usage_error)
}

fn preprocess(a: &AwsArgs) -> ExitCode {
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        return usage_error(format!("cannot read mdBook's request from stdin: {e}"));
    }
    if input.iter().all(u8::is_ascii_whitespace) {
        return usage_error(
            "no input: mdbook-iam without a command is the mdBook preprocessor, run by `mdbook build`; see `mdbook-iam --help`",
        );
    }
    let selected = match a
        .aws_data
        .as_deref()
        .map(|d| AwsSelection::from_dir(Some(d)))
    {
        Some(Err(e)) => return usage_error(format!("--aws-data: {e}")),
        Some(Ok(s)) => Some(s),
        None => None,
    };
    let outcome =
        mdbook_iam::hosts::mdbook::preprocess_bytes(input, selected.as_ref().map(|s| s.get()));
    let mut written = err(&render_text(&outcome.findings, style()));
    let code = match outcome.book {
        Some(book) => {
            written = written.and(
                match mdbook_iam::hosts::mdbook::write_book(&book, std::io::stdout().lock()) {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                        Err(WriteFailure::Closed)
                    }
                    Err(_) => Err(WriteFailure::Failed),
                },
            );
            ExitCode::SUCCESS
        }
        None => {
            let errors = outcome.findings.iter().filter(|f| f.is_error()).count();
            written = written.and(err(&format!(
                "mdbook-iam: {errors} error{}; the book was not built\n",
                plural(errors)
            )));
            ExitCode::from(FINDINGS)
        }
    };
    finish(written, code)
}

fn expand(
    catalog: CatalogArg,
    flavor: Option<FlavorArg>,
    stdin_filename: Option<PathBuf>,
    deps: bool,
    a: &AwsArgs,
    file: PathBuf,
) -> Result<ExitCode, Error> {
    let page = if file == Path::new("-") {
        let mut text = Vec::new();
        std::io::stdin()
            .read_to_end(&mut text)
            .map_err(|e| Error::io("read", Path::new("<stdin>"), e))?;
        PageSource::Text {
            text,
            name: stdin_filename,
        }
    } else {
        PageSource::File(file)
    };
    let aws = aws(a)?;
    let expanded = mdbook_iam::expand(
        ExpandRequest {
            page,
            catalog: catalog.catalog.as_deref(),
            flavor: flavor.map(Flavor::from),
            dependencies: deps,
        },
        aws.get(),
    )?;
    let code = report(&expanded.findings, Format::Text);
    let written = if deps {
        let answer = serde_json::json!({
            "text": expanded.text,
            "dependencies": expanded.dependencies,
        });
        out(&format!("{answer}\n"))
    } else {
        match &expanded.text {
            Some(text) => out(text),
            None => Ok(()),
        }
    };
    Ok(finish(written, code))
}

/// `adopt`: the diff (or the files written), then each block left or reformatted, then one
/// summary line. Exit 0 when the plan was made (and written, with `--write`), 1 when the catalog
/// has errors or a round trip failed (nothing is written), 2 on a usage or I/O error.
fn adopt(
    req: &mdbook_iam::adopt::Request<'_>,
    write: bool,
    a: &AwsArgs,
) -> Result<ExitCode, Error> {
    let aws = aws(a)?;
    let r = mdbook_iam::run::adopt(req, aws.get())?;
    if r.failed() {
        let written = err(&render_text(&r.findings, style()));
        return Ok(finish(written, ExitCode::from(FINDINGS)));
    }
    let mut notes = String::new();
    for l in &r.listed {
        let what = if l.adopted {
            "adopted, reformatted"
        } else {
            "left on the page"
        };
        let what = match l.why {
            mdbook_iam::adopt::Why::Invalid(_) if l.adopted => "adopted with its errors",
            _ => what,
        };
        let hint = match l.why.hint() {
            Some(h) if !l.adopted => format!("; {h}"),
            _ => String::new(),
        };
        notes.push_str(&format!(
            "mdbook-iam: {}:{}: {what}: {}{hint}\n",
            display_path(&l.page),
            l.line,
            l.why.describe()
        ));
        if let Some(d) = &l.difference {
            for line in d.lines().skip(2) {
                notes.push_str(&format!("    {line}\n"));
            }
        }
    }
    let written = if write {
        mdbook_iam::adopt::write(&r)?;
        let mut text = String::new();
        for p in &r.pages {
            text.push_str(&format!(
                "mdbook-iam: adopted {} ({} block{})\n",
                display_path(&p.path),
                p.blocks,
                plural(p.blocks)
            ));
        }
        if r.catalog_changed() {
            text.push_str(&format!("mdbook-iam: wrote {}\n", display_path(&r.catalog)));
        }
        err(&text)
    } else {
        out(&r.diff())
    };
    let left = r.listed.iter().filter(|l| !l.adopted).count();
    notes.push_str(&format!(
        "mdbook-iam: {} block{} on {} page{} adopted into {} new polic{} and {} reusable statement{} ({} matched existing entries, {} reformatted); {} block{} left on the page{}\n",
        r.blocks,
        plural(r.blocks),
        r.pages.len(),
        plural(r.pages.len()),
        r.policies,
        if r.policies == 1 { "y" } else { "ies" },
        r.statements,
        plural(r.statements),
        r.reused,
        r.reformatted,
        left,
        plural(left),
        if write { "" } else { " (nothing written: add --write)" },
    ));
    let noted = err(&notes);
    Ok(finish(written.and(noted), ExitCode::SUCCESS))
}

fn sync(
    check: bool,
    catalog: CatalogArg,
    flavor: Option<FlavorArg>,
    format: Format,
    a: &AwsArgs,
    paths: &[PathBuf],
) -> Result<ExitCode, Error> {
    let aws = aws(a)?;
    let mode = if check {
        SyncMode::Check
    } else {
        SyncMode::Write
    };
    let r = mdbook_iam::sync(
        paths,
        catalog.catalog.as_deref(),
        flavor.map(Flavor::from),
        mode,
        aws.get(),
    )?;
    let mut text = String::new();
    for (page, n) in &r.rewritten {
        text.push_str(&format!(
            "mdbook-iam: synced {} ({n} region{})\n",
            display_path(page),
            plural(*n)
        ));
    }
    if mode == SyncMode::Write && matches!(format, Format::Text) {
        text.push_str(&format!(
            "mdbook-iam: {} synced region{}, {} page{} rewritten\n",
            r.regions,
            plural(r.regions),
            r.rewritten.len(),
            plural(r.rewritten.len())
        ));
    }
    let written = err(&text);
    Ok(finish(written, report(&r.findings, format)))
}

fn export(catalog: CatalogArg, out_dir: &Path, a: &AwsArgs) -> Result<ExitCode, Error> {
    let aws = aws(a)?;
    let e = mdbook_iam::export(catalog.catalog.as_deref(), out_dir, aws.get())?;
    let mut listing = String::new();
    for w in &e.written {
        listing.push_str(&display_path(w));
        listing.push('\n');
    }
    let mut notes = String::new();
    for r in &e.replaced {
        notes.push_str(&format!("mdbook-iam: replaced {}\n", display_path(r)));
    }
    let written = out(&listing).and(err(&notes));
    Ok(finish(written, report(&e.findings, Format::Text)))
}

fn install(book_dir: &Path) -> Result<ExitCode, Error> {
    use mdbook_iam::hosts::mdbook::install::{STYLESHEET_FILE, install_changes};
    let book_toml = display_path(&book_dir.join("book.toml"));
    let changes = install_changes(book_dir).map_err(Error::Usage)?;
    if !changes.any() {
        let m = format!("mdbook-iam: {book_toml} already has [preprocessor.iam]\n");
        return Ok(finish(err(&m), ExitCode::SUCCESS));
    }
    let mut m = String::new();
    if changes.table {
        m.push_str(&format!(
            "mdbook-iam: added [preprocessor.iam] to {book_toml}\n"
        ));
    }
    let css = display_path(&book_dir.join(STYLESHEET_FILE));
    match (changes.stylesheet_written, changes.stylesheet_listed) {
        (true, true) => m.push_str(&format!(
            "mdbook-iam: wrote {css}, the callouts' stylesheet, and listed it in [output.html] additional-css\n"
        )),
        (true, false) => m.push_str(&format!(
            "mdbook-iam: wrote {css}, the callouts' stylesheet ({book_toml} already lists it)\n"
        )),
        (false, true) => m.push_str(&format!(
            "mdbook-iam: listed {STYLESHEET_FILE} in [output.html] additional-css (the existing {css} is kept)\n"
        )),
        (false, false) => {}
    }
    let catalog = book_dir.join(mdbook_iam::catalog::DEFAULT_FILE_NAME);
    if !catalog.is_file() {
        m.push_str(&format!(
            "mdbook-iam: next, create {}: the guide's catalog page says what goes in it \
             (guide/src/catalog.md, {}/blob/main/guide/src/catalog.md)\n",
            display_path(&catalog),
            env!("CARGO_PKG_REPOSITORY")
        ));
    }
    Ok(finish(err(&m), ExitCode::SUCCESS))
}

/// `simulate`: decisions on stdout (text or one JSON array), findings on stderr; exit 1 when an
/// input has errors (those requests are not decided), 2 on usage or I/O errors.
fn simulate(args: SimulateArgs) -> Result<ExitCode, Error> {
    let input = match args.policy {
        Some(policy) => {
            let mut context = Vec::new();
            for kv in &args.context {
                match kv.split_once('=') {
                    Some((k, v)) if !k.is_empty() => context.push((k.to_string(), v.to_string())),
                    _ => return Err(Error::Usage(format!("--context {kv}: write KEY=VALUE"))),
                }
            }
            mdbook_iam::SimulateInput::Catalog {
                policy,
                modifiers: args.modifiers,
                action: args.action.unwrap_or_default(),
                resource: args.resource,
                principal: args.principal,
                context,
            }
        }
        None => mdbook_iam::SimulateInput::Documents(args.files),
    };
    let aws = aws(&args.aws)?;
    let r = mdbook_iam::simulate(input, args.catalog.as_deref(), aws.get())?;
    let mut written = if r.findings.is_empty() {
        Ok(())
    } else {
        err(&render_text(&r.findings, style()))
    };
    let printed = match args.format {
        SimulateFormat::Json => format!("{}\n", mdbook_iam::simulate::render_json(&r.results)),
        SimulateFormat::Text => mdbook_iam::simulate::render_text(&r.results),
    };
    written = written.and(out(&printed));
    Ok(finish(written, exit_for(&r.findings)))
}

/// `diff`: the changes on stdout, findings and notes on stderr. Exit 0 when compared, 1 when an
/// input has errors or (with `--fail-on new-access`) anything was gained, 2 on usage or I/O
/// errors (an unknown revision among them).
fn lsp(a: &AwsArgs) -> Result<ExitCode, Error> {
    if std::io::stdin().is_terminal() {
        let _ = err(
            "mdbook-iam lsp: a language server for editors, speaking the protocol on stdin and stdout; \
             start it from your editor (see the guide's \"In your editor\")\n",
        );
    }
    // The protocol's rule: `exit` without `shutdown` first ends with status 1.
    Ok(match mdbook_iam::lsp::serve(aws(a)?)? {
        true => ExitCode::SUCCESS,
        false => ExitCode::from(1),
    })
}

fn diff(args: DiffArgs) -> Result<ExitCode, Error> {
    use mdbook_iam::access::{diff_input, diff_render};
    let aws = aws(&args.aws)?;
    let r = diff_input::diff(
        &diff_input::DiffRequest {
            base: &args.base,
            head: args.head.as_deref(),
            catalog: args.catalog.catalog.as_deref(),
            kind: policy_kind(args.kind),
        },
        aws.get(),
    )?;
    let mut written = if r.findings.is_empty() {
        Ok(())
    } else {
        err(&render_text(&r.findings, style()))
    };
    if r.findings.iter().any(Finding::is_error) {
        written = written.and(err(
            "mdbook-iam: an input has errors; nothing was compared\n",
        ));
        return Ok(finish(written, ExitCode::from(FINDINGS)));
    }
    let printed = match args.format {
        DiffFormat::Text => diff_render::render_text(&r),
        DiffFormat::Json => format!("{}\n", diff_render::render_json(&r)),
        DiffFormat::Markdown => diff_render::render_markdown(&r),
    };
    written = written.and(out(&printed));
    if !matches!(args.format, DiffFormat::Text) {
        for e in &r.entries {
            if let Err(why) = &e.outcome {
                written = written.and(err(&format!(
                    "mdbook-iam: {} not compared: {why}\n",
                    e.entry
                )));
            }
        }
    }
    let code = if matches!(args.fail_on, Some(FailOn::NewAccess)) && r.gained() > 0 {
        written = written.and(err(&format!(
            "mdbook-iam: new access: {} action{} gained (--fail-on new-access)\n",
            r.gained(),
            plural(r.gained())
        )));
        ExitCode::from(FINDINGS)
    } else if matches!(args.fail_on, Some(FailOn::NewAccess)) && r.uncertain() > 0 {
        // No new access is a claim about every request: never passed by giving up.
        written = written.and(err(&format!(
            "mdbook-iam: no new access cannot be proven: {} entr{} not compared or only approximately (--fail-on new-access)\n",
            r.uncertain(),
            if r.uncertain() == 1 { "y" } else { "ies" }
        )));
        ExitCode::from(FINDINGS)
    } else {
        ExitCode::SUCCESS
    };
    Ok(finish(written, code))
}

/// `access`: the summaries on stdout (text, one JSON array, or Markdown), findings and
/// summaries too complex to compute on stderr; exit 1 when the input has errors or a summary is
/// too complex, 2 on usage or I/O errors.
fn access(args: AccessArgs) -> Result<ExitCode, Error> {
    use mdbook_iam::access::command::{AccessInput, access};
    let input = match (args.policy, args.role) {
        (Some(name), _) => AccessInput::Policy {
            name,
            modifiers: args.modifiers,
        },
        (None, Some(name)) => AccessInput::Role(name),
        (None, None) => AccessInput::Files {
            paths: args.files,
            kind: args.kind.into(),
        },
    };
    let aws = aws(&args.aws)?;
    let r = access(input, args.catalog.as_deref(), aws.get())?;
    let mut notes = render_text(&r.findings, style());
    for t in &r.too_complex {
        notes.push_str(&format!(
            "mdbook-iam: error: {}: not summarized: {}; name fewer condition keys per statement or split the policy\n",
            t.policy, t.why
        ));
    }
    let mut written = if notes.is_empty() {
        Ok(())
    } else {
        err(&notes)
    };
    let printed = match args.format {
        AccessFormat::Json => {
            let rows: Vec<serde_json::Value> =
                r.summaries.iter().flat_map(|s| s.json_rows()).collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&rows).expect("rows serialize")
            )
        }
        AccessFormat::Text => r
            .summaries
            .iter()
            .map(|s| s.text())
            .collect::<Vec<_>>()
            .join("\n"),
        AccessFormat::Markdown => r
            .summaries
            .iter()
            .map(|s| mdbook_iam::access::render::markdown_section(s, aws.get()))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    if !(r.summaries.is_empty() && r.failed() && !matches!(args.format, AccessFormat::Json)) {
        written = written.and(out(&printed));
    }
    let code = if r
        .findings
        .iter()
        .any(|f| f.code == Code::CatalogNotFound && f.span.is_none())
    {
        ExitCode::from(USAGE)
    } else if r.failed() {
        ExitCode::from(FINDINGS)
    } else {
        ExitCode::SUCCESS
    };
    Ok(finish(written, code))
}
