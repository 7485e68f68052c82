//! IAM policies inside AWS CloudFormation and AWS SAM templates, written in YAML or JSON: each
//! property that holds a policy document, read as the kind of policy it is, with spans that point
//! into the template (or the page it is pasted in).
//!
//! A text is a template when it has a `Resources` mapping whose entries have a `Type` such as
//! `AWS::IAM::Role`; a mapping of such entries alone (the `Resources` section pasted without its
//! heading, as docs often show it) counts too. Intrinsic functions are read as placeholders
//! (`intrinsics`); a whole policy, or a whole `Statement` entry, that a function yields is
//! skipped: its content is known only when the stack is deployed.
//!
//! Which properties hold which kind of policy: AWS CloudFormation Template Reference Guide,
//! "AWS resource and property types reference",
//! https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html
//! (one page per resource type, cited in `PROPERTIES`), and for SAM the AWS Serverless
//! Application Model Developer Guide, "AWS::Serverless::Function",
//! https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html

pub mod intrinsics;
pub mod yaml;

use crate::diagnostic::{Code, Finding};
use crate::json::{Kind, Value};
use crate::policy::PolicyKind;
use crate::source::{SourceFile, Span};
use std::sync::Arc;

/// One policy document found in a template.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplatePolicy {
    /// The policy document, intrinsic functions read as placeholders, with spans that point into
    /// the original file or page.
    pub value: Value,
    pub kind: PolicyKind,
    /// Where it is, for messages: `Resources.MyRole.Properties.AssumeRolePolicyDocument`.
    pub property: String,
}

/// One property that holds a policy document: the resource type, the path from `Properties`
/// (`[]` for each item of a list), and the policy's kind.
pub struct Property {
    pub resource: &'static str,
    pub path: &'static [&'static str],
    pub kind: PolicyKind,
}

const fn p(resource: &'static str, path: &'static [&'static str], kind: PolicyKind) -> Property {
    Property {
        resource,
        path,
        kind,
    }
}

use PolicyKind::{Identity, Resource, Trust};

/// Every property read, by resource type. Each row's page is
/// `https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-SERVICE-TYPE.html`
/// (for example `aws-resource-iam-role.html`). Properties whose type is `Json` may be given as an
/// object or as a string that holds JSON; both are read.
///
/// Not read, on purpose: `AWS::IoT::Policy` (an AWS IoT Core policy, another language),
/// `AWS::Organizations::Policy` (service control and other organization policies),
/// `AWS::Lambda::Permission` (not a policy document), `AWS::EC2::VPCEndpoint` and SAM's
/// `Auth.ResourcePolicy` (their own shapes).
pub const PROPERTIES: &[Property] = &[
    // Identity policies: "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role" (its
    // `Policies` and `AssumeRolePolicyDocument`), "AWS::IAM::User", "AWS::IAM::Group",
    // "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy".
    p("AWS::IAM::Policy", &["PolicyDocument"], Identity),
    p("AWS::IAM::ManagedPolicy", &["PolicyDocument"], Identity),
    p("AWS::IAM::RolePolicy", &["PolicyDocument"], Identity),
    p("AWS::IAM::UserPolicy", &["PolicyDocument"], Identity),
    p("AWS::IAM::GroupPolicy", &["PolicyDocument"], Identity),
    p(
        "AWS::IAM::Role",
        &["Policies", "[]", "PolicyDocument"],
        Identity,
    ),
    p(
        "AWS::IAM::User",
        &["Policies", "[]", "PolicyDocument"],
        Identity,
    ),
    p(
        "AWS::IAM::Group",
        &["Policies", "[]", "PolicyDocument"],
        Identity,
    ),
    p("AWS::IAM::Role", &["AssumeRolePolicyDocument"], Trust),
    // "AWS::SSO::PermissionSet": `InlinePolicy`, an identity policy for the role it provisions.
    p("AWS::SSO::PermissionSet", &["InlinePolicy"], Identity),
    // SAM: `Policies` (inline documents among managed policy names and policy templates) and
    // `AssumeRolePolicyDocument` of AWS::Serverless::Function; `Policies` of
    // AWS::Serverless::StateMachine ("AWS::Serverless::StateMachine", SAM Developer Guide).
    p("AWS::Serverless::Function", &["Policies"], Identity),
    p("AWS::Serverless::StateMachine", &["Policies"], Identity),
    p(
        "AWS::Serverless::Function",
        &["AssumeRolePolicyDocument"],
        Trust,
    ),
    // Resource-based policies.
    p("AWS::S3::BucketPolicy", &["PolicyDocument"], Resource),
    p("AWS::S3::AccessPoint", &["Policy"], Resource),
    p(
        "AWS::S3::MultiRegionAccessPointPolicy",
        &["Policy"],
        Resource,
    ),
    p(
        "AWS::S3Express::BucketPolicy",
        &["PolicyDocument"],
        Resource,
    ),
    p(
        "AWS::S3Outposts::BucketPolicy",
        &["PolicyDocument"],
        Resource,
    ),
    p("AWS::SQS::QueuePolicy", &["PolicyDocument"], Resource),
    p("AWS::SQS::QueueInlinePolicy", &["PolicyDocument"], Resource),
    p("AWS::SNS::TopicPolicy", &["PolicyDocument"], Resource),
    p("AWS::SNS::TopicInlinePolicy", &["PolicyDocument"], Resource),
    p("AWS::KMS::Key", &["KeyPolicy"], Resource),
    p("AWS::KMS::ReplicaKey", &["KeyPolicy"], Resource),
    // "AWS::Logs::ResourcePolicy": `PolicyDocument` is a string that holds JSON.
    p("AWS::Logs::ResourcePolicy", &["PolicyDocument"], Resource),
    p("AWS::Logs::Destination", &["DestinationPolicy"], Resource),
    p("AWS::ECR::Repository", &["RepositoryPolicyText"], Resource),
    p(
        "AWS::ECR::PublicRepository",
        &["RepositoryPolicyText"],
        Resource,
    ),
    p("AWS::ECR::RegistryPolicy", &["PolicyText"], Resource),
    p(
        "AWS::SecretsManager::ResourcePolicy",
        &["ResourcePolicy"],
        Resource,
    ),
    p("AWS::EFS::FileSystem", &["FileSystemPolicy"], Resource),
    p("AWS::Backup::BackupVault", &["AccessPolicy"], Resource),
    p(
        "AWS::OpenSearchService::Domain",
        &["AccessPolicies"],
        Resource,
    ),
    p("AWS::Elasticsearch::Domain", &["AccessPolicies"], Resource),
    p("AWS::ApiGateway::RestApi", &["Policy"], Resource),
    p("AWS::Events::EventBus", &["Policy"], Resource),
    p(
        "AWS::CodeArtifact::Domain",
        &["PermissionsPolicyDocument"],
        Resource,
    ),
    p(
        "AWS::CodeArtifact::Repository",
        &["PermissionsPolicyDocument"],
        Resource,
    ),
    p(
        "AWS::DynamoDB::Table",
        &["ResourcePolicy", "PolicyDocument"],
        Resource,
    ),
    p(
        "AWS::Kinesis::ResourcePolicy",
        &["ResourcePolicy"],
        Resource,
    ),
    p(
        "AWS::CloudTrail::ResourcePolicy",
        &["ResourcePolicy"],
        Resource,
    ),
];

/// Where a template's text came from, so that a policy written as a JSON string inside YAML can
/// point at its own lines.
struct Origin<'a> {
    text: &'a str,
    base: usize,
    file: &'a Arc<SourceFile>,
}

/// The policies of a YAML template. `text` is the block's text with the same length as the page
/// range it came from (container prefixes blanked, like `crate::json::parse_at`), `base` its
/// offset in `file`. `Ok(None)`: not a CloudFormation or SAM template, and the caller stays
/// silent. A text that does not read as YAML is an error (`yaml-syntax`) only when it looks like
/// a template (it names `Resources` and an `AWS::` type); other YAML is none of ours.
pub fn yaml_policies(
    text: &str,
    base: usize,
    file: &Arc<SourceFile>,
) -> Result<Option<Vec<TemplatePolicy>>, Finding> {
    read_yaml(text, base, file, false)
}

/// The policies of a YAML file given by name (`mdbook-iam validate`): any text that does not
/// read as YAML is a `yaml-syntax` error, since the file was given as a template.
pub fn yaml_file_policies(file: &Arc<SourceFile>) -> Result<Option<Vec<TemplatePolicy>>, Finding> {
    read_yaml(file.text(), 0, file, true)
}

fn read_yaml(
    text: &str,
    base: usize,
    file: &Arc<SourceFile>,
    strict: bool,
) -> Result<Option<Vec<TemplatePolicy>>, Finding> {
    let docs = match yaml::parse_at(text, base, file) {
        Ok(docs) => docs,
        Err(e) => {
            if strict || (text.contains("Resources") && text.contains("AWS::")) {
                return Err(Finding::at(
                    Code::YamlSyntax,
                    format!("this template is not valid YAML: {}", e.message),
                    &Span::char_at(file, e.offset),
                ));
            }
            return Ok(None);
        }
    };
    let origin = Origin { text, base, file };
    let mut found: Option<Vec<TemplatePolicy>> = None;
    for doc in &docs {
        if let Some(policies) = policies(doc, Some(&origin)) {
            found.get_or_insert_with(Vec::new).extend(policies);
        }
    }
    Ok(found)
}

/// The policies of a JSON template already parsed; `None` when it is not a template.
pub fn json_policies(doc: &Value) -> Option<Vec<TemplatePolicy>> {
    policies(doc, None)
}

/// Whether a parsed document is a CloudFormation or SAM template.
pub fn is_template(doc: &Value) -> bool {
    resources(doc).is_some()
}

/// The resources of a template and the prefix of their names in messages.
fn resources(doc: &Value) -> Option<(&[crate::json::Member], &'static str)> {
    let is_resource = |v: &Value| {
        v.get("Type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.starts_with("AWS::"))
    };
    if let Some(members) = doc.get("Resources").and_then(Value::as_object) {
        if members.iter().any(|m| is_resource(&m.value)) {
            return Some((members, "Resources."));
        }
        return None;
    }
    // The `Resources` section pasted alone: every entry a resource with a `Type`.
    let members = doc.as_object()?;
    let all_typed = members
        .iter()
        .all(|m| m.value.get("Type").and_then(Value::as_str).is_some());
    (!members.is_empty() && all_typed && members.iter().any(|m| is_resource(&m.value)))
        .then_some((members, ""))
}

fn policies(doc: &Value, origin: Option<&Origin<'_>>) -> Option<Vec<TemplatePolicy>> {
    let (resources, prefix) = resources(doc)?;
    let mut out = Vec::new();
    for r in resources {
        let Some(ty) = r.value.get("Type").and_then(Value::as_str) else {
            continue;
        };
        let Some(props) = r.value.get("Properties").and_then(shallow) else {
            continue;
        };
        for property in PROPERTIES.iter().filter(|p| p.resource == ty) {
            let name = format!("{prefix}{}.Properties", r.key);
            let mut at = Vec::new();
            walk(&props, property.path, name, &mut at);
            for (value, name) in at {
                let sam = ty.starts_with("AWS::Serverless::") && property.path == ["Policies"];
                if sam {
                    sam_policies(&value, &name, property.kind, origin, &mut out);
                } else if let Some(policy) = document(&value, origin) {
                    out.push(TemplatePolicy {
                        value: policy,
                        kind: property.kind,
                        property: name,
                    });
                }
            }
        }
    }
    Some(out)
}

/// A value with an intrinsic function at its top read (an `Fn::If` that chooses a list, for
/// example); `None` when it is `AWS::NoValue`.
fn shallow(v: &Value) -> Option<Value> {
    if intrinsics::function(v).is_some() {
        intrinsics::resolve(v)
    } else {
        Some(v.clone())
    }
}

/// The values at `path` below `v`, with their names.
fn walk(v: &Value, path: &[&str], name: String, out: &mut Vec<(Value, String)>) {
    let Some((first, rest)) = path.split_first() else {
        out.push((v.clone(), name));
        return;
    };
    let Some(v) = shallow(v) else {
        return;
    };
    if *first == "[]" {
        if let Kind::Array(items) = &v.kind {
            for (i, item) in items.iter().enumerate() {
                walk(item, rest, format!("{name}[{i}]"), out);
            }
        }
    } else if let Some(child) = v.get(first) {
        walk(child, rest, format!("{name}.{first}"), out);
    }
}

/// SAM's `Policies`: a managed policy's name or ARN, a SAM policy template (`S3ReadPolicy: ...`),
/// an inline policy document, or a list of these. Only the documents are IAM policies here.
fn sam_policies(
    v: &Value,
    name: &str,
    kind: PolicyKind,
    origin: Option<&Origin<'_>>,
    out: &mut Vec<TemplatePolicy>,
) {
    let Some(v) = shallow(v) else {
        return;
    };
    let mut one = |item: &Value, name: String| {
        let Some(item) = shallow(item) else {
            return;
        };
        if item.get("Statement").is_some()
            && let Some(policy) = document(&item, origin)
        {
            out.push(TemplatePolicy {
                value: policy,
                kind,
                property: name,
            });
        }
    };
    match &v.kind {
        Kind::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                one(item, format!("{name}[{i}]"));
            }
        }
        Kind::Object(_) => one(&v, name.to_string()),
        _ => {}
    }
}

/// A property's value as a policy document: intrinsic functions read, a JSON string parsed,
/// `Statement` entries that a function yields dropped. `None` when there is nothing to check.
fn document(v: &Value, origin: Option<&Origin<'_>>) -> Option<Value> {
    let resolved = intrinsics::resolve(v)?;
    if intrinsics::is_placeholder(&resolved) {
        return None;
    }
    let mut doc = match &resolved.kind {
        Kind::String(s) => json_string(v, s, origin)?,
        Kind::Object(_) => resolved,
        _ => return None,
    };
    let Kind::Object(members) = &mut doc.kind else {
        return None;
    };
    if let Some(statement) = members.iter_mut().find(|m| m.key == "Statement") {
        if intrinsics::is_placeholder(&statement.value) {
            return None;
        }
        if let Kind::Array(items) = &mut statement.value.kind {
            items.retain(|s| !intrinsics::is_placeholder(s));
        }
    }
    Some(doc)
}

/// A policy written as a string that holds JSON (`Json` properties accept both). When the string
/// is written out as it reads (a block scalar, a plain or quoted scalar without escapes), its
/// spans are its own lines; otherwise every span is the string's.
fn json_string(original: &Value, s: &str, origin: Option<&Origin<'_>>) -> Option<Value> {
    let scratch = SourceFile::new("<template string>", s);
    let parsed = crate::json::parse(&scratch).ok()?;
    if let Some(o) = origin
        && original.as_str() == Some(s)
        && let Some(in_place) = in_place(original, o)
        && same(&in_place, &parsed)
    {
        return Some(in_place);
    }
    Some(respan(parsed, &original.span))
}

/// A YAML scalar's JSON read where it is written: its indicator, or its quotes, blanked.
fn in_place(v: &Value, o: &Origin<'_>) -> Option<Value> {
    let range = v.span.range.start.checked_sub(o.base)?..v.span.range.end.checked_sub(o.base)?;
    let written = o.text.get(range)?;
    let mut masked = written.as_bytes().to_vec();
    match masked.first()? {
        b'|' | b'>' => {
            let header = written.find('\n')?;
            masked[..header].fill(b' ');
        }
        q @ (b'"' | b'\'') => {
            let q = *q;
            if masked.len() < 2 || masked.last() != Some(&q) {
                return None;
            }
            let inner = &written[1..written.len() - 1];
            if (q == b'"' && inner.contains('\\')) || (q == b'\'' && inner.contains("''")) {
                return None;
            }
            let last = masked.len() - 1;
            masked[0] = b' ';
            masked[last] = b' ';
        }
        _ => {}
    }
    let masked = String::from_utf8(masked).ok()?;
    crate::json::parse_at(&masked, v.span.range.start, o.file).ok()
}

/// Whether two values are the same, wherever they were written.
fn same(a: &Value, b: &Value) -> bool {
    match (&a.kind, &b.kind) {
        (Kind::Array(x), Kind::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Kind::Object(x), Kind::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(a, b)| a.key == b.key && same(&a.value, &b.value))
        }
        (x, y) => x == y,
    }
}

/// A value with every span set to `span`.
fn respan(v: Value, span: &Span) -> Value {
    let kind = match v.kind {
        Kind::Array(items) => Kind::Array(items.into_iter().map(|i| respan(i, span)).collect()),
        Kind::Object(members) => Kind::Object(
            members
                .into_iter()
                .map(|m| crate::json::Member {
                    key: m.key,
                    key_span: span.clone(),
                    value: respan(m.value, span),
                })
                .collect(),
        ),
        other => other,
    };
    Value::new(kind, span.clone())
}

#[cfg(test)]
mod tests;
