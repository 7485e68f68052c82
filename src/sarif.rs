//! Findings as SARIF 2.1.0 (`--format sarif`), for code-scanning annotations on pull requests.
//! One rule per code, each linking to the code's page in the guide; results point at the original
//! file's line and column (1-based, in characters), with paths relative to the working directory.
//! The SARIF types come from `serde-sarif`, generated from the OASIS schema.

use crate::diagnostic::{Code, Finding, Severity};
use crate::source::Span;
use serde_sarif::sarif;
use std::collections::BTreeMap;
use std::path::Path;

/// Where the guide (guide/, an mdBook) is to be published: the repository's GitHub Pages site. Every rule's
/// `helpUri` is a page below it. (Cargo's `homepage` is the repository itself.)
pub const GUIDE_URL: &str = "https://mdbook-iam.github.io/mdbook-iam/";

/// The base id that relative `uri`s are resolved against: the folder the command ran in.
pub const SRCROOT: &str = "%SRCROOT%";

/// The guide page that explains a code, relative to the guide's root.
pub fn code_page(code: Code) -> String {
    format!("codes/{}.html", code.as_str())
}

/// The full `helpUri` of a code.
pub fn help_uri(code: Code) -> String {
    format!("{}{}", GUIDE_URL, code_page(code))
}

/// Renders findings as one SARIF log, relative paths resolved against the current directory
/// (where `display_path` makes them relative to).
pub fn render_sarif(findings: &[Finding]) -> String {
    let cwd = std::env::current_dir().ok();
    render_sarif_with_base(findings, cwd.as_deref())
}

/// Renders findings as one SARIF log; `base` (an absolute folder) is recorded as `%SRCROOT%`.
pub fn render_sarif_with_base(findings: &[Finding], base: Option<&Path>) -> String {
    render_sarif_full(findings, base, None)
}

/// Renders findings as one SARIF log whose run carries a run's figures (`check`'s summary) in
/// its property bag, under `summary`.
pub fn render_sarif_with_summary(findings: &[Finding], summary: serde_json::Value) -> String {
    let cwd = std::env::current_dir().ok();
    render_sarif_full(findings, cwd.as_deref(), Some(summary))
}

fn render_sarif_full(
    findings: &[Finding],
    base: Option<&Path>,
    summary: Option<serde_json::Value>,
) -> String {
    let rules: Vec<sarif::ReportingDescriptor> = Code::ALL.iter().map(|&c| rule(c)).collect();
    // Code scanning needs a place for every result; a finding without one (no catalog where one
    // was expected) is about the run itself, so it becomes a notification of the invocation.
    let (placed, unplaced): (Vec<&Finding>, Vec<&Finding>) = findings
        .iter()
        .partition(|f| f.span.as_ref().and_then(physical).is_some());
    let results: Vec<sarif::Result> = placed.into_iter().map(result).collect();
    let notifications: Vec<sarif::Notification> =
        unplaced.iter().map(|f| notification(f)).collect();
    let mut invocation = sarif::Invocation::builder()
        .execution_successful(!unplaced.iter().any(|f| f.is_error()))
        .tool_execution_notifications(notifications)
        .build();
    let overrides = overrides(findings);
    if !overrides.is_empty() {
        invocation.rule_configuration_overrides = Some(overrides);
    }
    let driver = sarif::ToolComponent::builder()
        .name("mdbook-iam".to_string())
        .version(env!("CARGO_PKG_VERSION").to_string())
        .semantic_version(env!("CARGO_PKG_VERSION").to_string())
        .information_uri(GUIDE_URL.to_string())
        .rules(rules)
        .build();
    let mut run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        // Our columns count characters, not the UTF-16 units SARIF assumes by default.
        .column_kind(serde_json::Value::from("unicodeCodePoints"))
        .build();
    if let Some(uri) = base.and_then(folder_uri) {
        let root = sarif::ArtifactLocation::builder().uri(uri).build();
        run.original_uri_base_ids = Some(BTreeMap::from([(SRCROOT.to_string(), root)]));
    }
    if let Some(summary) = summary {
        run.properties = Some(
            sarif::PropertyBag::builder()
                .additional_properties(BTreeMap::from([("summary".to_string(), summary)]))
                .build(),
        );
    }
    let log = sarif::Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json".to_string())
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_string_pretty(&log).expect("a SARIF log serializes")
}

fn level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Info => sarif::ResultLevel::Note,
    }
}

/// The catalog's `[lints]` levels that differ from a rule's default, as the run's configuration
/// overrides (SARIF 2.1.0, 3.20.5), one per code, as far as this run's findings show them (a code
/// set to `allow` leaves no finding to show it).
fn overrides(findings: &[Finding]) -> Vec<sarif::ConfigurationOverride> {
    let mut seen: Vec<Code> = Vec::new();
    let mut out = Vec::new();
    for f in findings {
        let Some(origin) = &f.level_origin else {
            continue;
        };
        let (crate::diagnostic::levels::SetBy::Lints(_), Some(severity)) =
            (&origin.by, origin.level.severity())
        else {
            continue;
        };
        if severity == f.code.default_severity() || seen.contains(&f.code) {
            continue;
        }
        seen.push(f.code);
        let config = sarif::ReportingConfiguration::builder()
            .level(serde_json::to_value(level(severity)).expect("a level serializes"))
            .build();
        let rule = sarif::ReportingDescriptorReference::builder()
            .id(f.code.as_str().to_string())
            .index(rule_index(f.code))
            .build();
        out.push(
            sarif::ConfigurationOverride::builder()
                .configuration(config)
                .descriptor(rule)
                .build(),
        );
    }
    out
}

/// `defaultLevel` and `levelSetBy` of a finding whose level the team changed.
fn level_properties(f: &Finding) -> Option<sarif::PropertyBag> {
    let default = f.default_severity()?;
    let by = f.level_origin.as_ref()?.by.as_str();
    let mut bag = BTreeMap::new();
    bag.insert(
        "defaultLevel".to_string(),
        serde_json::to_value(level(default)).expect("a level serializes"),
    );
    bag.insert("levelSetBy".to_string(), serde_json::Value::from(by));
    Some(
        sarif::PropertyBag::builder()
            .additional_properties(bag)
            .build(),
    )
}

fn text(s: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(s.to_string())
        .build()
}

fn rule(code: Code) -> sarif::ReportingDescriptor {
    let config = sarif::ReportingConfiguration::builder()
        .level(serde_json::to_value(level(code.default_severity())).expect("a level serializes"))
        .build();
    let mut rule = sarif::ReportingDescriptor::builder()
        .id(code.as_str().to_string())
        .name(pascal_case(code.as_str()))
        .short_description(text(code.summary()))
        .full_description(text(code.summary()))
        .help_uri(help_uri(code))
        // GitHub code scanning shows `help` beside each alert (and requires it).
        .help(
            sarif::MultiformatMessageString::builder()
                .text(format!("{} See {}", code.summary(), help_uri(code)))
                .markdown(format!(
                    "{} See [`{}` in the guide]({}).",
                    code.summary(),
                    code.as_str(),
                    help_uri(code)
                ))
                .build(),
        )
        .default_configuration(config)
        .build();
    if let Some(aa) = code.access_analyzer() {
        let mut bag = BTreeMap::new();
        bag.insert("accessAnalyzer".to_string(), serde_json::Value::from(aa));
        rule.properties = Some(
            sarif::PropertyBag::builder()
                .additional_properties(bag)
                .build(),
        );
    }
    rule
}

/// SARIF's friendly rule names are PascalCase: `unknown-policy` is `UnknownPolicy`.
fn pascal_case(code: &str) -> String {
    code.split('-')
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn rule_index(code: Code) -> i64 {
    Code::ALL
        .iter()
        .position(|&c| c == code)
        .expect("every code is in Code::ALL") as i64
}

/// The finding's message, then its help line.
fn message(f: &Finding) -> sarif::Message {
    let mut text = f.message.clone();
    if let Some(help) = &f.help {
        text.push_str("\n\nhelp: ");
        text.push_str(help);
    }
    sarif::Message::builder().text(text).build()
}

fn notification(f: &Finding) -> sarif::Notification {
    let rule = sarif::ReportingDescriptorReference::builder()
        .id(f.code.as_str().to_string())
        .index(rule_index(f.code))
        .build();
    let mut n = sarif::Notification::builder()
        .message(message(f))
        .level(serde_json::to_value(level(f.severity)).expect("a level serializes"))
        .associated_rule(rule)
        .build();
    n.properties = level_properties(f);
    n
}

fn result(f: &Finding) -> sarif::Result {
    let mut out = sarif::Result::builder()
        .rule_id(f.code.as_str().to_string())
        .rule_index(rule_index(f.code))
        .level(level(f.severity))
        .message(message(f))
        .build();
    out.properties = level_properties(f);
    if let Some(loc) = f.span.as_ref().and_then(physical) {
        out.locations = Some(vec![
            sarif::Location::builder().physical_location(loc).build(),
        ]);
    }
    let related: Vec<sarif::Location> = f
        .notes
        .iter()
        .filter_map(|n| {
            let loc = physical(n.span.as_ref()?)?;
            Some((n, loc))
        })
        .enumerate()
        .map(|(i, (n, loc))| {
            sarif::Location::builder()
                .id(i as i64)
                .physical_location(loc)
                .message(sarif::Message::builder().text(n.message.clone()).build())
                .build()
        })
        .collect();
    if !related.is_empty() {
        out.related_locations = Some(related);
    }
    out
}

/// The file and region of a span, or `None` for text the tool made itself or read from stdin.
fn physical(span: &Span) -> Option<sarif::PhysicalLocation> {
    let name = span.file.name();
    if span.is_generated() || name.starts_with('<') {
        return None;
    }
    let (start_line, start_column) = span.line_col();
    let (end_line, end_column) = span.file.line_col(span.range.end.max(span.range.start));
    let mut region = sarif::Region::builder()
        .start_line(start_line as i64)
        .start_column(start_column as i64)
        .build();
    // An empty span still covers one character, so the annotation has something to underline.
    if (end_line, end_column) > (start_line, start_column) {
        region.end_line = Some(end_line as i64);
        region.end_column = Some(end_column as i64);
    }
    region.snippet = Some(content(span.text()));
    // The finding's lines and one on each side, so a viewer without the file still shows it;
    // SARIF wants it only when it is larger than the region (a missing end means the line's end).
    let line_len = |l: usize| span.file.line_text(l).chars().count() as i64;
    let lines = span.file.line_col(span.file.text().len()).0;
    let (first, last) = (
        start_line.saturating_sub(1).max(1),
        (end_line + 1).min(lines),
    );
    let region_end = match (region.end_line, region.end_column) {
        (Some(l), Some(c)) => (l, c),
        _ => (start_line as i64, line_len(start_line) + 1),
    };
    let context_end = (last as i64, line_len(last) + 1);
    let larger = (first, 1) < (start_line, start_column) || context_end > region_end;
    let context = larger.then(|| {
        sarif::Region::builder()
            .start_line(first as i64)
            .end_line(last as i64)
            .start_column(1)
            .end_column(line_len(last) + 1)
            .snippet(content(
                &(first..=last)
                    .map(|l| span.file.line_text(l))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ))
            .build()
    });
    let path = Path::new(name);
    let artifact = if path.is_absolute() {
        sarif::ArtifactLocation::builder()
            .uri(folder_uri(path.parent()?)? + &encode(path.file_name()?.to_str()?))
            .build()
    } else {
        sarif::ArtifactLocation::builder()
            .uri(encode(&name.replace('\\', "/")))
            .uri_base_id(SRCROOT.to_string())
            .build()
    };
    let mut location = sarif::PhysicalLocation::builder()
        .artifact_location(artifact)
        .region(region)
        .build();
    location.context_region = context;
    Some(location)
}

fn content(text: &str) -> sarif::ArtifactContent {
    sarif::ArtifactContent::builder()
        .text(text.to_string())
        .build()
}

/// `file:///abs/folder/`, with a trailing slash as SARIF requires of base URIs.
fn folder_uri(dir: &Path) -> Option<String> {
    let s = dir.to_str()?;
    if !dir.is_absolute() {
        return None;
    }
    let mut uri = format!("file://{}", encode(s));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    Some(uri)
}

/// Percent-encodes a path for a URI, keeping `/` and RFC 3986's unreserved characters. Written
/// by hand: it is these few lines, where a URL crate would bring a whole parser.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn log(findings: &[Finding]) -> serde_json::Value {
        let text = render_sarif_with_base(findings, Some(Path::new("/work/docs")));
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn one_rule_per_code_with_its_summary_and_page() {
        let v = log(&[]);
        let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), Code::ALL.len());
        let r = &rules[Code::ALL
            .iter()
            .position(|&c| c == Code::UnknownPolicy)
            .unwrap()];
        assert_eq!(r["id"], "unknown-policy");
        assert_eq!(r["name"], "UnknownPolicy");
        assert_eq!(r["shortDescription"]["text"], Code::UnknownPolicy.summary());
        assert_eq!(
            r["helpUri"],
            format!("{GUIDE_URL}codes/unknown-policy.html")
        );
        assert_eq!(r["defaultConfiguration"]["level"], "error");
        assert_eq!(v["version"], "2.1.0");
        assert_eq!(v["runs"][0]["results"], serde_json::json!([]));
    }

    #[test]
    fn result_points_at_the_file_line_and_column() {
        let page = SourceFile::new("docs/a b.md", "one\n  <<#iam-policy nope>>\n");
        let f = Finding::at(
            Code::UnknownPolicy,
            "no policy `nope`",
            &Span::new(&page, 6..26),
        )
        .with_help("did you mean `s3-readonly`?");
        let v = log(&[f]);
        let run = &v["runs"][0];
        let r = &run["results"][0];
        assert_eq!(r["ruleId"], "unknown-policy");
        assert_eq!(
            run["tool"]["driver"]["rules"][r["ruleIndex"].as_u64().unwrap() as usize]["id"],
            "unknown-policy"
        );
        assert_eq!(r["level"], "error");
        assert_eq!(
            r["message"]["text"],
            "no policy `nope`\n\nhelp: did you mean `s3-readonly`?"
        );
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "docs/a%20b.md");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"], 2);
        assert_eq!(loc["region"]["startColumn"], 3);
        assert_eq!(loc["region"]["endLine"], 2);
        assert_eq!(loc["region"]["endColumn"], 23);
        assert_eq!(
            run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file:///work/docs/"
        );
        assert_eq!(run["columnKind"], "unicodeCodePoints");
    }

    #[test]
    fn levels_follow_severities_and_notes_become_related_locations() {
        let catalog = SourceFile::new("iam-catalog.toml", "a\nb = 1\n");
        let page = SourceFile::new("/abs/p.md", "x\n");
        let warn = Finding::at(Code::MissingVersion, "no Version", &Span::new(&page, 0..1))
            .with_note(
                Some(Span::new(&catalog, 2..3)),
                "defined here in the catalog",
            )
            .with_note(None, "a note without a place");
        let info = Finding::at(Code::RedundantAction, "covered", &Span::new(&page, 0..1));
        let v = log(&[warn, info]);
        let results = &v["runs"][0]["results"];
        assert_eq!(results[0]["level"], "warning");
        assert_eq!(results[1]["level"], "note");
        assert_eq!(v["runs"][0]["invocations"][0]["executionSuccessful"], true);
        assert_eq!(
            results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///abs/p.md"
        );
        let related = results[0]["relatedLocations"].as_array().unwrap();
        assert_eq!(related.len(), 1);
        assert_eq!(related[0]["physicalLocation"]["region"]["startLine"], 2);
        assert_eq!(related[0]["message"]["text"], "defined here in the catalog");
    }

    #[test]
    fn findings_without_a_place_are_notifications_of_the_run() {
        let missing = Finding::new(Code::CatalogNotFound, "no iam-catalog.toml", None);
        let generated = Finding::at(Code::AllowStarOnStar, "star", &Span::generated());
        let v = log(&[missing, generated]);
        let run = &v["runs"][0];
        assert_eq!(run["results"], serde_json::json!([]));
        let invocation = &run["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0]["associatedRule"]["id"], "catalog-not-found");
        assert_eq!(notes[0]["level"], "error");
        assert_eq!(notes[0]["message"]["text"], "no iam-catalog.toml");
        assert_eq!(notes[1]["level"], "warning");
    }

    #[test]
    fn results_carry_the_level_used_and_rules_keep_their_default() {
        use crate::diagnostic::levels::{Level, Lints, apply, block_levels};
        let catalog = SourceFile::new("iam-catalog.toml", "[lints]\ninvalid-action = \"warn\"\n");
        let page = SourceFile::new("docs/p.md", "x\n");
        let at = Span::new(&page, 0..1);
        let mut lints = Lints::default();
        lints.set(Code::InvalidAction, Level::Warn, Span::new(&catalog, 8..22));
        lints.set(
            Code::AllowStarOnStar,
            Level::Deny,
            Span::new(&catalog, 8..22),
        );
        let mut block = vec![Finding::at(Code::InvalidSid, "sid", &at)];
        block_levels("json iam-info=invalid-sid")
            .unwrap()
            .apply(&mut block);
        let mut fs = vec![
            Finding::at(Code::InvalidAction, "no such action", &at),
            Finding::at(Code::InvalidAction, "no such action either", &at),
            Finding::at(Code::AllowStarOnStar, "star", &at),
            Finding::at(Code::InvalidArn, "unchanged", &at),
        ];
        fs.extend(block);
        apply(&lints, &mut fs);
        let v = log(&fs);
        let run = &v["runs"][0];
        let results = &run["results"];
        assert_eq!(results[0]["level"], "warning");
        assert_eq!(results[0]["properties"]["defaultLevel"], "error");
        assert_eq!(results[0]["properties"]["levelSetBy"], "lints");
        assert_eq!(results[2]["level"], "error");
        assert_eq!(results[2]["properties"]["defaultLevel"], "warning");
        assert_eq!(results[3]["level"], "error");
        assert!(results[3].get("properties").is_none());
        assert_eq!(results[4]["level"], "note");
        assert_eq!(results[4]["properties"]["levelSetBy"], "block");
        // The rule keeps the code's default; the run's configuration says what `[lints]` set.
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(
            rules[rule_index(Code::InvalidAction) as usize]["defaultConfiguration"]["level"],
            "error"
        );
        let overrides = run["invocations"][0]["ruleConfigurationOverrides"]
            .as_array()
            .unwrap();
        let got: Vec<(&str, &str, i64)> = overrides
            .iter()
            .map(|o| {
                (
                    o["descriptor"]["id"].as_str().unwrap(),
                    o["configuration"]["level"].as_str().unwrap(),
                    o["descriptor"]["index"].as_i64().unwrap(),
                )
            })
            .collect();
        // One per code the catalog changed; a block's levels are not the run's configuration.
        assert_eq!(
            got,
            vec![
                ("invalid-action", "warning", rule_index(Code::InvalidAction)),
                (
                    "allow-star-on-star",
                    "error",
                    rule_index(Code::AllowStarOnStar)
                ),
            ]
        );
        // Without levels, no overrides.
        let plain = log(&[Finding::at(Code::InvalidArn, "x", &at)]);
        assert!(
            plain["runs"][0]["invocations"][0]
                .get("ruleConfigurationOverrides")
                .is_none()
        );
    }

    #[test]
    fn homepage_ends_with_a_slash() {
        assert!(GUIDE_URL.ends_with('/'), "{GUIDE_URL}");
    }
}
