//! `diff`'s output: one JSON array (one element per entry, change and action), text for a
//! terminal, and Markdown for a pull-request comment or a job summary.

use super::diff::{Delta, EntryDiff, Presence};
use super::diff_input::DiffReport;
use super::summary::KeyCondition;
use crate::eval::{ContextValue, Principal, Request};
use serde_json::{Map, Value, json};

/// The most rows the Markdown shows per entry and direction (the JSON has them all): a change
/// that grants `*` would otherwise pass GitHub's size limit for a job summary.
pub const MARKDOWN_ROWS: usize = 50;

fn principal_text(p: &Principal) -> String {
    match p {
        Principal::Anonymous => "anonymous".into(),
        Principal::Root { partition, account } => format!("arn:{partition}:iam::{account}:root"),
        Principal::User { arn, .. }
        | Principal::Role { arn, .. }
        | Principal::AssumedRole { arn, .. }
        | Principal::FederatedUser { arn, .. } => arn.clone(),
        Principal::Service(s) | Principal::Federated(s) => s.clone(),
    }
}

/// The witness as a simulation document's `request` takes it.
pub fn witness_json(r: &Request) -> Value {
    let mut context = Map::new();
    for (k, v) in r.context.iter() {
        let v = match v {
            ContextValue::One(s) => json!(s),
            ContextValue::Many(list) => json!(list),
        };
        context.insert(k.to_string(), v);
    }
    let mut w = Map::new();
    w.insert("principal".into(), json!(principal_text(&r.principal)));
    w.insert("action".into(), json!(r.action));
    w.insert(
        "resource".into(),
        json!(r.resource.as_deref().unwrap_or("*")),
    );
    if let Some(a) = r.resource_account() {
        w.insert("resourceAccount".into(), json!(a));
    }
    w.insert("context".into(), Value::Object(context));
    Value::Object(w)
}

fn condition_json(c: &KeyCondition) -> Value {
    json!({
        "key": c.key,
        "values": c.values,
        "absent": c.absent,
        "other": c.other,
        "text": c.describe(),
    })
}

/// The JSON array: one element per entry, change and action.
pub fn render_json(report: &DiffReport) -> String {
    let mut rows = Vec::new();
    for e in &report.entries {
        for d in e.deltas() {
            let mut row = Map::new();
            row.insert("entry".into(), json!(e.entry));
            if let Some(p) = &e.previously {
                row.insert("previously".into(), json!(p));
            }
            row.insert("kind".into(), json!(e.kind.as_str()));
            row.insert("change".into(), json!(d.change.as_str()));
            row.insert("action".into(), json!(d.action));
            row.insert("accessLevel".into(), json!(d.level.as_str()));
            row.insert("resources".into(), json!(d.resources));
            row.insert("except".into(), json!(d.except));
            row.insert(
                "conditions".into(),
                Value::Array(d.conditions.iter().map(condition_json).collect()),
            );
            row.insert(
                "unless".into(),
                Value::Array(d.unless.iter().map(condition_json).collect()),
            );
            row.insert("conditionsExact".into(), json!(d.exact));
            row.insert("witness".into(), witness_json(&d.witness));
            row.insert("before".into(), json!(d.before.as_str()));
            row.insert("after".into(), json!(d.after.as_str()));
            rows.push(Value::Object(row));
        }
    }
    serde_json::to_string_pretty(&Value::Array(rows)).expect("rows serialize")
}

fn witness_text(r: &Request) -> String {
    let mut s = format!("{} on {}", r.action, r.resource.as_deref().unwrap_or("*"));
    let ctx: Vec<String> = r
        .context
        .iter()
        .map(|(k, v)| format!("{k}={}", v.values().join(",")))
        .collect();
    if ctx.is_empty() {
        s.push_str(" with no context keys");
    } else {
        s.push_str(&format!(" with {}", ctx.join(" ")));
    }
    s
}

fn on_text(d: &Delta) -> String {
    let mut s = d.resources.join(", ");
    if !d.except.is_empty() {
        s.push_str(&format!(" except {}", d.except.join(", ")));
    }
    s
}

/// " when A and B", " unless A and B", or nothing; `markdown` keeps the backquotes.
fn when_text(d: &Delta, markdown: bool) -> String {
    let list = |cs: &[KeyCondition]| {
        cs.iter()
            .map(|c| {
                let t = c.describe();
                if markdown {
                    t.replace('|', "\\|")
                } else {
                    t.replace('`', "")
                }
            })
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let mut s = String::new();
    if !d.conditions.is_empty() {
        s = format!(" when {}", list(&d.conditions));
        if !d.exact {
            s.push_str(" (in some combinations)");
        }
    }
    if !d.unless.is_empty() {
        s.push_str(&format!(" unless {}", list(&d.unless)));
    }
    s
}

fn heading(e: &EntryDiff) -> String {
    let mut h = format!("{} ({}", e.entry, e.kind.as_str());
    match e.presence {
        Presence::Added => h.push_str(", new"),
        Presence::Removed => h.push_str(", removed"),
        Presence::Both => {}
    }
    if let Some(p) = &e.previously {
        h.push_str(&format!(", was {p}"));
    }
    h.push(')');
    h
}

fn counts(gained: usize, lost: usize) -> String {
    let n = |k: usize| if k == 1 { "action" } else { "actions" };
    format!("{gained} {} gained, {lost} {} lost", n(gained), n(lost))
}

/// Text: per entry, each changed action with its resources, conditions and witness.
pub fn render_text(report: &DiffReport) -> String {
    let mut out = String::new();
    for e in &report.entries {
        match &e.outcome {
            Err(why) => out.push_str(&format!("{}: not compared: {why}\n", heading(e))),
            Ok(d) if d.deltas.is_empty() => out.push_str(&format!(
                "{}: the policies changed, the access did not\n",
                heading(e)
            )),
            Ok(d) => {
                out.push_str(&format!(
                    "{}: {}\n",
                    heading(e),
                    counts(d.gained(), d.lost())
                ));
                for x in &d.deltas {
                    let sign = match x.change {
                        super::diff::Change::Gained => '+',
                        super::diff::Change::Lost => '-',
                    };
                    out.push_str(&format!(
                        "  {sign} {} {} ({}) on {}{}\n",
                        x.change.as_str(),
                        x.action,
                        x.level.as_str(),
                        on_text(x),
                        when_text(x, false)
                    ));
                    out.push_str(&format!(
                        "      e.g. {}: {} before, {} after\n",
                        witness_text(&x.witness),
                        x.before.as_str(),
                        x.after.as_str()
                    ));
                }
                notes(d, &mut out, "  note: ");
            }
        }
    }
    let changed = report.changed();
    out.push_str(&format!(
        "mdbook-iam: {} from {} to {}: {}\n",
        if changed == 0 {
            "no access changed".to_string()
        } else {
            format!(
                "{changed} entr{} changed",
                if changed == 1 { "y" } else { "ies" }
            )
        },
        report.base,
        report.head,
        counts(report.gained(), report.lost())
    ));
    out
}

fn notes(d: &super::diff::SetDiff, out: &mut String, prefix: &str) {
    if d.approximate {
        out.push_str(&format!(
            "{prefix}some resource patterns overlap in ways not explored, or have no representative ARN: a change inside them may be missing\n"
        ));
    }
    if !d.unverified.is_empty() {
        out.push_str(&format!(
            "{prefix}no witness confirmed a change for {}\n",
            d.unverified.join(", ")
        ));
    }
}

/// Markdown text in a table cell: backquoted, with pipes escaped.
fn code(s: &str) -> String {
    format!("`{}`", s.replace('|', "\\|"))
}

/// Markdown, for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
pub fn render_markdown(report: &DiffReport) -> String {
    let side = |s: &str| {
        if s == super::diff_input::WORKING_TREE {
            s.to_string()
        } else {
            code(s)
        }
    };
    let mut out = format!(
        "## IAM access changes: {} → {}\n\n",
        side(&report.base),
        side(&report.head)
    );
    let (g, l) = (report.gained(), report.lost());
    if g + l == 0 {
        out.push_str(
            "No policy or role allows anything it did not, or denies anything it allowed.\n",
        );
    }
    out.push_str(&format!(
        "{} changed access: **{}**.\n",
        if report.changed() == 1 {
            "1 policy or role".to_string()
        } else {
            format!("{} policies and roles", report.changed())
        },
        counts(g, l)
    ));
    if g > 0 {
        out.push_str("\n> [!WARNING]\n> This change grants access that was not granted before.\n");
    }
    for e in &report.entries {
        out.push_str(&format!("\n### {}\n\n", heading_md(e)));
        let d = match &e.outcome {
            Err(why) => {
                out.push_str(&format!("Not compared: {why}.\n"));
                continue;
            }
            Ok(d) => d,
        };
        if d.deltas.is_empty() {
            out.push_str("The policies changed; the access did not.\n");
            continue;
        }
        out.push_str(&format!("{}.\n\n", counts(d.gained(), d.lost())));
        out.push_str(
            "| Change | Action | Access level | Resources | Conditions | Example request |\n",
        );
        out.push_str("|---|---|---|---|---|---|\n");
        for change in [super::diff::Change::Gained, super::diff::Change::Lost] {
            let rows: Vec<&Delta> = d.deltas.iter().filter(|x| x.change == change).collect();
            for x in rows.iter().take(MARKDOWN_ROWS) {
                let res: Vec<String> = x.resources.iter().map(|r| code(r)).collect();
                let mut res = res.join(", ");
                if !x.except.is_empty() {
                    let ex: Vec<String> = x.except.iter().map(|r| code(r)).collect();
                    res.push_str(&format!(" except {}", ex.join(", ")));
                }
                let cond = match when_text(x, true) {
                    w if w.is_empty() => "any context".to_string(),
                    w => w.trim_start().to_string(),
                };
                out.push_str(&format!(
                    "| {} | {} | {} | {res} | {cond} | {} ({} → {}) |\n",
                    x.change.as_str(),
                    code(&x.action),
                    x.level.as_str(),
                    code(&witness_text(&x.witness)),
                    x.before.as_str(),
                    x.after.as_str()
                ));
            }
            if rows.len() > MARKDOWN_ROWS {
                out.push_str(&format!(
                    "| {} | … and {} more actions (`--format json` lists every one) | | | | |\n",
                    change.as_str(),
                    rows.len() - MARKDOWN_ROWS
                ));
            }
        }
        let mut n = String::new();
        notes(d, &mut n, "\n> ");
        out.push_str(&n);
    }
    out.push_str("\n<sub>Computed by `mdbook-iam diff` over every action of AWS's service authorization data; each example request was decided on both sides.</sub>\n");
    out
}

fn heading_md(e: &EntryDiff) -> String {
    let mut h = format!("{} {}", e.kind.as_str(), code(&e.entry));
    match e.presence {
        Presence::Added => h.push_str(" (new)"),
        Presence::Removed => h.push_str(" (removed)"),
        Presence::Both => {}
    }
    if let Some(p) = &e.previously {
        h.push_str(&format!(" (was {})", code(p)));
    }
    h
}
