//! Differential testing of the evaluator against `@cloud-copilot/iam-simulate` (Strict mode),
//! installed from tools/iam-simulate-oracle/package-lock.json at test time and only run as an
//! oracle (its licence is AGPL; nothing of it is in this repository).
//!
//! Random cases are built from IAM's grammar with real actions, resources and condition keys (so
//! that our validator accepts every policy): every policy type, conditions on present, absent and
//! multivalued keys. Each case is one simulation document, decided by `mdbook-iam simulate
//! --format json` (many documents per process) and by the oracle. Every disagreement must belong
//! to a class listed in tests/differential/known-disagreements.toml, where each class quotes the
//! AWS documentation that decides it and says why our answer follows AWS.
//!
//! `DIFF_CASES` (default 20000) and `DIFF_SEED` (default 1) choose the run; the counts are printed
//! and written to target/differential-report.txt.

mod common;

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// splitmix64: a seeded generator so that a seed and a case number give the same case anywhere,
/// without a dependency for twenty lines.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True with probability `pct` percent.
    fn pct(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const A: &str = "111122223333";
const B: &str = "444455556666";

/// An action, the shape of its resource (`{acct}` and `{bucket}` filled in), whether it takes no
/// resource, and whether the resource can have a resource policy.
struct Target {
    action: &'static str,
    arn: &'static str,
    wildcard_only: bool,
    resource_policy: bool,
}

const TARGETS: &[Target] = &[
    Target {
        action: "s3:GetObject",
        arn: "arn:aws:s3:::{bucket}/{key}",
        wildcard_only: false,
        resource_policy: true,
    },
    Target {
        action: "s3:PutObject",
        arn: "arn:aws:s3:::{bucket}/{key}",
        wildcard_only: false,
        resource_policy: true,
    },
    Target {
        action: "s3:ListBucket",
        arn: "arn:aws:s3:::{bucket}",
        wildcard_only: false,
        resource_policy: true,
    },
    Target {
        action: "sqs:SendMessage",
        arn: "arn:aws:sqs:us-east-1:{acct}:queue-1",
        wildcard_only: false,
        resource_policy: true,
    },
    Target {
        action: "lambda:InvokeFunction",
        arn: "arn:aws:lambda:us-east-1:{acct}:function:fn-1",
        wildcard_only: false,
        resource_policy: true,
    },
    Target {
        action: "dynamodb:GetItem",
        arn: "arn:aws:dynamodb:us-east-1:{acct}:table/Orders",
        wildcard_only: false,
        resource_policy: false,
    },
    // Service rules: AWS managed policies, service-linked roles, AWS managed keys' aliases.
    Target {
        action: "iam:DeletePolicy",
        arn: "arn:aws:iam::{owner}:policy/{policy}",
        wildcard_only: false,
        resource_policy: false,
    },
    Target {
        action: "iam:CreatePolicyVersion",
        arn: "arn:aws:iam::{owner}:policy/{policy}",
        wildcard_only: false,
        resource_policy: false,
    },
    Target {
        action: "iam:DeleteRole",
        arn: "arn:aws:iam::{acct}:role/{role}",
        wildcard_only: false,
        resource_policy: false,
    },
    Target {
        action: "iam:PassRole",
        arn: "arn:aws:iam::{acct}:role/{role}",
        wildcard_only: false,
        resource_policy: false,
    },
    Target {
        action: "kms:DeleteAlias",
        arn: "arn:aws:kms:us-east-1:{acct}:alias/{alias}",
        wildcard_only: false,
        resource_policy: false,
    },
    Target {
        action: "ec2:DescribeInstances",
        arn: "*",
        wildcard_only: true,
        resource_policy: false,
    },
    Target {
        action: "iam:ListRoles",
        arn: "*",
        wildcard_only: true,
        resource_policy: false,
    },
];

/// A condition key, its type, the values policies compare it with, and the values requests carry.
struct Key {
    name: &'static str,
    ty: &'static str,
    policy_values: &'static [&'static str],
    request_values: &'static [&'static str],
}

const KEYS: &[Key] = &[
    Key {
        name: "aws:PrincipalTag/team",
        ty: "String",
        policy_values: &["red", "blue", "r*", "RED"],
        request_values: &["red", "blue", "green", "RED"],
    },
    Key {
        name: "aws:RequestTag/env",
        ty: "String",
        policy_values: &["prod", "dev", "p?od"],
        request_values: &["prod", "dev", "test"],
    },
    Key {
        name: "aws:username",
        ty: "String",
        policy_values: &["ana", "bo"],
        request_values: &["ana", "bo", "cy"],
    },
    Key {
        name: "aws:SourceIp",
        ty: "IP",
        policy_values: &["203.0.113.0/24", "198.51.100.7", "2001:db8::/32"],
        request_values: &["203.0.113.5", "198.51.100.7", "192.0.2.1", "2001:db8::1"],
    },
    Key {
        name: "aws:CurrentTime",
        ty: "Date",
        policy_values: &["2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z"],
        request_values: &[
            "2025-12-31T00:00:00Z",
            "2026-03-01T12:00:00Z",
            "2026-07-01T00:00:00Z",
            "2026-01-01T00:00:00Z",
        ],
    },
    Key {
        name: "aws:MultiFactorAuthAge",
        ty: "Numeric",
        policy_values: &["3600", "60"],
        request_values: &["30", "60", "3600", "7200"],
    },
    Key {
        name: "aws:SecureTransport",
        ty: "Bool",
        policy_values: &["true", "false"],
        request_values: &["true", "false"],
    },
    Key {
        name: "aws:ViaAWSMCPService",
        ty: "Bool",
        policy_values: &["true", "false"],
        request_values: &["true", "false"],
    },
    Key {
        name: "aws:SourceArn",
        ty: "ARN",
        policy_values: &["arn:aws:s3:::bucket-a", "arn:aws:sqs:*:111122223333:*"],
        request_values: &[
            "arn:aws:s3:::bucket-a",
            "arn:aws:sqs:us-east-1:111122223333:queue-1",
            "arn:aws:s3:::other",
        ],
    },
    Key {
        name: "aws:TagKeys",
        ty: "ArrayOfString",
        policy_values: &["team", "env", "cost*"],
        request_values: &["team", "env", "costcenter", "owner"],
    },
];

fn operators(ty: &str) -> &'static [&'static str] {
    match ty {
        "String" => &[
            "StringEquals",
            "StringNotEquals",
            "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
            "StringLike",
            "StringNotLike",
            "StringEqualsIfExists",
            "StringNotLikeIfExists",
        ],
        "IP" => &["IpAddress", "NotIpAddress", "IpAddressIfExists"],
        "Date" => &[
            "DateEquals",
            "DateNotEquals",
            "DateLessThan",
            "DateLessThanEquals",
            "DateGreaterThan",
            "DateGreaterThanEqualsIfExists",
        ],
        "Numeric" => &[
            "NumericEquals",
            "NumericNotEquals",
            "NumericLessThan",
            "NumericGreaterThanEquals",
            "NumericLessThanEqualsIfExists",
        ],
        "Bool" => &["Bool", "BoolIfExists"],
        "ARN" => &[
            "ArnEquals",
            "ArnLike",
            "ArnNotEquals",
            "ArnNotLike",
            "ArnLikeIfExists",
        ],
        _ => &[
            "ForAllValues:StringEquals",
            "ForAnyValue:StringEquals",
            "ForAllValues:StringLike",
            "ForAnyValue:StringNotLike",
            "ForAllValues:StringNotEquals",
            "ForAnyValue:StringLike",
        ],
    }
}

struct Gen {
    rng: Rng,
}

impl Gen {
    fn fill(&mut self, template: &str, acct: &str) -> String {
        let bucket = *self.rng.pick(&["bucket-a", "bucket-b"]);
        let key = *self
            .rng
            .pick(&["report.csv", "home/ana/notes.txt", "home/bo/x"]);
        let owner = *self.rng.pick(&["aws", acct]);
        let policy = *self.rng.pick(&["ReadOnlyAccess", "Mine"]);
        let role = *self.rng.pick(&[
            "aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS",
            "service-role/Worker",
        ]);
        let alias = *self.rng.pick(&["aws/s3", "mine"]);
        template
            .replace("{acct}", acct)
            .replace("{bucket}", bucket)
            .replace("{key}", key)
            .replace("{owner}", owner)
            .replace("{policy}", policy)
            .replace("{role}", role)
            .replace("{alias}", alias)
    }

    /// A pattern over the target's resources (`*` only: the oracle reads `?` in a request as a
    /// literal character), keeping the account field whole.
    fn pattern(&mut self, t: &Target, acct: &str) -> String {
        let exact = self.fill(t.arn, acct);
        let (head, last) = exact.rsplit_once(':').unwrap();
        let choices: Vec<String> = if t.arn.contains("{key}") {
            vec![
                format!("{head}:bucket-a/*"),
                format!("{head}:*/home/*"),
                format!("{head}:bucket-b/home/*/x"),
                format!("{head}:*/*"),
            ]
        } else if t.arn.contains("{bucket}") {
            vec![format!("{head}:bucket-*"), format!("{head}:*-a")]
        } else if t.arn.contains(":policy/") {
            vec![format!("{head}:policy/*"), format!("{head}:policy/Read*")]
        } else if t.arn.contains(":role/") {
            vec![
                format!("{head}:role/aws-service-role/*"),
                format!("{head}:role/*"),
                format!("{head}:role/*/AWSServiceRoleFor*"),
            ]
        } else if t.arn.contains(":alias/") {
            vec![format!("{head}:alias/aws/*"), format!("{head}:alias/*")]
        } else {
            let regionless = exact.replacen("us-east-1", "*", 1);
            vec![
                format!("{head}:{}*", &last[..last.len().min(4)]),
                regionless,
            ]
        };
        self.rng.pick(&choices).clone()
    }

    fn action_entry(&mut self, t: &Target) -> String {
        let (svc, name) = t.action.split_once(':').unwrap();
        match self.rng.below(9) {
            0 => "*".into(),
            1 => format!("{svc}:*"),
            2 => format!("{svc}:{}*", &name[..3]),
            3 => t.action.to_ascii_lowercase(),
            4 => format!("{svc}:?{}", &name[1..]),
            5 => self.rng.pick(TARGETS).action.to_string(),
            _ => t.action.to_string(),
        }
    }

    fn resource_entry(&mut self, t: &Target, acct: &str) -> String {
        if t.wildcard_only {
            return "*".into();
        }
        let exact = self.fill(t.arn, acct);
        let svc = t.action.split(':').next().unwrap();
        match self.rng.below(10) {
            0 => "*".into(),
            1 if svc == "s3" => "arn:aws:s3:::bucket-a/*".into(),
            2 if svc == "s3" => "arn:aws:s3:::bucket-a/home/${aws:username}/*".into(),
            3 if svc == "s3" => "arn:aws:s3:::*".into(),
            4 => exact.replacen("us-east-1", "*", 1),
            5 => {
                let other = self.rng.pick(TARGETS);
                if other.wildcard_only {
                    "*".into()
                } else {
                    self.fill(other.arn, acct)
                }
            }
            _ => exact,
        }
    }

    fn condition(&mut self) -> Value {
        let mut ops: BTreeMap<String, serde_json::Map<String, Value>> = BTreeMap::new();
        for _ in 0..1 + self.rng.below(2) {
            let key = self.rng.pick(KEYS);
            let op = if self.rng.pct(10) {
                "Null".to_string()
            } else {
                self.rng.pick(operators(key.ty)).to_string()
            };
            let value = if op == "Null" {
                json!(*self.rng.pick(&["true", "false"]))
            } else {
                let mut vals: Vec<Value> = Vec::new();
                let n = if key.ty == "Bool" {
                    1
                } else {
                    1 + self.rng.below(2)
                };
                for _ in 0..n {
                    let mut v = self.rng.pick(key.policy_values).to_string();
                    let like = op.contains("Like") || key.ty == "ARN";
                    if !like {
                        v = v.replace(['*', '?'], "");
                    }
                    if key.name == "aws:username" && self.rng.pct(20) && op.starts_with("String") {
                        v = "${aws:PrincipalTag/team, 'ana'}".into();
                    }
                    if !vals.contains(&json!(v)) {
                        vals.push(json!(v));
                    }
                }
                if vals.len() == 1 && self.rng.pct(60) {
                    vals.pop().unwrap()
                } else {
                    Value::Array(vals)
                }
            };
            ops.entry(op)
                .or_default()
                .insert(key.name.to_string(), value);
        }
        json!(ops)
    }

    /// One statement about the target; `principal` for resource-side policies.
    fn statement(
        &mut self,
        t: &Target,
        acct: &str,
        principal: Option<Value>,
        deny_pct: u64,
    ) -> Value {
        let mut s = serde_json::Map::new();
        let deny = self.rng.pct(deny_pct);
        s.insert("Effect".into(), json!(if deny { "Deny" } else { "Allow" }));
        // RCPs and endpoint policies name `"*"` and take no NotPrincipal; RCPs take no `"*"` action.
        let control = principal.as_ref().is_some_and(|p| *p == json!("*"));
        if let Some(p) = principal {
            let not = deny && !control && self.rng.pct(15);
            s.insert(if not { "NotPrincipal" } else { "Principal" }.into(), p);
        }
        let mut actions: Vec<String> = (0..1 + self.rng.below(2))
            .map(|_| self.action_entry(t))
            .collect();
        if control {
            actions.retain(|a| a != "*");
            if actions.is_empty() {
                actions.push(t.action.to_string());
            }
        }
        let not_action = !control && self.rng.pct(10) && !actions.iter().any(|a| a == "*");
        s.insert(
            if not_action { "NotAction" } else { "Action" }.into(),
            json!(actions),
        );
        let resources: Vec<String> = (0..1 + self.rng.below(2))
            .map(|_| self.resource_entry(t, acct))
            .collect();
        let not_resource = self.rng.pct(8) && !resources.iter().any(|r| r == "*");
        s.insert(
            if not_resource {
                "NotResource"
            } else {
                "Resource"
            }
            .into(),
            json!(resources),
        );
        if self.rng.pct(55) {
            s.insert("Condition".into(), self.condition());
        }
        Value::Object(s)
    }

    fn policy(
        &mut self,
        t: &Target,
        acct: &str,
        principal: impl Fn(&mut Gen) -> Option<Value>,
        deny_pct: u64,
    ) -> Value {
        let n = 1 + self.rng.below(3);
        let stmts: Vec<Value> = (0..n)
            .map(|_| {
                let p = principal(self);
                self.statement(t, acct, p, deny_pct)
            })
            .collect();
        json!({"Version": "2012-10-17", "Statement": stmts})
    }

    fn resource_principal(&mut self) -> Value {
        match self.rng.below(9) {
            0 => json!("*"),
            1 => json!({"AWS": A}),
            2 => json!({"AWS": format!("arn:aws:iam::{B}:root")}),
            3 => json!({"AWS": format!("arn:aws:iam::{A}:user/ana")}),
            4 => json!({"AWS": format!("arn:aws:iam::{A}:role/Reader")}),
            5 => json!({"AWS": format!("arn:aws:sts::{A}:assumed-role/Reader/s1")}),
            6 => json!({"Service": "cloudtrail.amazonaws.com"}),
            7 => json!({"AWS": [format!("arn:aws:iam::{B}:user/bo"), A]}),
            _ => json!({"AWS": format!("arn:aws:iam::{B}:role/Writer")}),
        }
    }

    fn context(&mut self) -> Value {
        let mut c = serde_json::Map::new();
        for k in KEYS {
            if !self.rng.pct(45) {
                continue;
            }
            let v = if k.ty.starts_with("ArrayOf") {
                let n = self.rng.below(4);
                let mut vs: Vec<Value> = Vec::new();
                for _ in 0..n {
                    let x = json!(*self.rng.pick(k.request_values));
                    if !vs.contains(&x) {
                        vs.push(x);
                    }
                }
                Value::Array(vs)
            } else {
                json!(*self.rng.pick(k.request_values))
            };
            c.insert(k.name.to_string(), v);
        }
        Value::Object(c)
    }

    /// One simulation document.
    fn case(&mut self) -> Value {
        let t = self.rng.pick(TARGETS);
        let principal = match self.rng.below(20) {
            0 | 1 => "anonymous".to_string(),
            2 => "cloudtrail.amazonaws.com".to_string(),
            3..=7 => format!("arn:aws:iam::{A}:user/ana"),
            8..=9 => format!("arn:aws:iam::{B}:user/bo"),
            10..=16 => format!("arn:aws:sts::{A}:assumed-role/Reader/s1"),
            _ => format!("arn:aws:sts::{B}:assumed-role/Writer/s2"),
        };
        let iam = principal.starts_with("arn:");
        let session = principal.contains(":assumed-role/");
        let acct = if self.rng.pct(70) { A } else { B };
        let resource = if t.wildcard_only {
            "*".to_string()
        } else if self.rng.pct(15) {
            self.pattern(t, acct)
        } else {
            self.fill(t.arn, acct)
        };
        let mut request = json!({
            "principal": principal,
            "action": t.action,
            "resource": resource,
            "context": self.context(),
        });
        // S3 and IAM ARNs carry no account of the resource's owner (`aws` for an AWS managed
        // policy, which is attached in the caller's account).
        if t.arn.starts_with("arn:aws:s3:") || t.arn.starts_with("arn:aws:iam:") || t.wildcard_only
        {
            request["resourceAccount"] = json!(acct);
        }
        let mut doc = json!({ "request": request });
        if iam && self.rng.pct(85) {
            let n = 1 + self.rng.below(2);
            doc["identityPolicies"] =
                Value::Array((0..n).map(|_| self.policy(t, acct, |_| None, 25)).collect());
        }
        if t.resource_policy && self.rng.pct(if iam { 45 } else { 85 }) {
            doc["resourcePolicy"] = self.policy(t, acct, |g| Some(g.resource_principal()), 25);
        }
        if iam && self.rng.pct(20) {
            doc["permissionBoundaries"] = json!([self.policy(t, acct, |_| None, 15)]);
        }
        if session && self.rng.pct(25) {
            doc["sessionPolicy"] = self.policy(t, acct, |_| None, 15);
        }
        if iam && self.rng.pct(30) {
            let levels = 1 + self.rng.below(3);
            let mut ls = Vec::new();
            for _ in 0..levels {
                let level = if self.rng.pct(80) {
                    let mut stmts =
                        vec![json!({"Effect": "Allow", "Action": "*", "Resource": "*"})];
                    if self.rng.pct(30) {
                        stmts.push(self.statement(t, acct, None, 100));
                    }
                    vec![json!({"Version": "2012-10-17", "Statement": stmts})]
                } else if self.rng.pct(15) {
                    Vec::new()
                } else {
                    vec![self.policy(t, acct, |_| None, 10)]
                };
                ls.push(Value::Array(level));
            }
            doc["serviceControlPolicies"] = Value::Array(ls);
        }
        if self.rng.pct(25) {
            let levels = 1 + self.rng.below(2);
            let mut ls = Vec::new();
            for _ in 0..levels {
                let level = if self.rng.pct(50) {
                    vec![self.policy(t, acct, |_| Some(json!("*")), 100)]
                } else {
                    Vec::new()
                };
                ls.push(Value::Array(level));
            }
            doc["resourceControlPolicies"] = Value::Array(ls);
        }
        if self.rng.pct(12) {
            doc["vpcEndpointPolicies"] = json!([self.policy(t, acct, |_| Some(json!("*")), 20)]);
        }
        doc
    }
}

/// The same case in the oracle's `Simulation` shape.
fn to_oracle(doc: &Value) -> Value {
    let r = &doc["request"];
    let resource = r["resource"].as_str().unwrap();
    let account = r["resourceAccount"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| resource.split(':').nth(4).unwrap_or(A).to_string());
    let named = |v: &Value, prefix: &str| -> Value {
        Value::Array(
            v.as_array()
                .map(|ps| {
                    ps.iter()
                        .enumerate()
                        .map(|(i, p)| json!({"name": format!("{prefix}{i}"), "policy": p}))
                        .collect()
                })
                .unwrap_or_default(),
        )
    };
    let levels = |v: &Value, prefix: &str| -> Value {
        Value::Array(
            v.as_array()
                .map(|ls| {
                    ls.iter()
                        .enumerate()
                        .map(|(l, level)| json!({"orgIdentifier": format!("{prefix}{l}"), "policies": named(level, &format!("{prefix}{l}-"))}))
                        .collect()
                })
                .unwrap_or_default(),
        )
    };
    let mut sim = json!({
        "request": {
            "principal": r["principal"],
            "action": r["action"],
            "resource": {"resource": resource, "accountId": account},
            "contextVariables": r["context"],
        },
        "identityPolicies": named(&doc["identityPolicies"], "identity"),
        "serviceControlPolicies": levels(&doc["serviceControlPolicies"], "scp"),
        "resourceControlPolicies": levels(&doc["resourceControlPolicies"], "rcp"),
    });
    if let Some(p) = doc.get("resourcePolicy") {
        sim["resourcePolicy"] = p.clone();
    }
    if doc.get("permissionBoundaries").is_some() {
        sim["permissionBoundaryPolicies"] = named(&doc["permissionBoundaries"], "boundary");
    }
    if let Some(p) = doc.get("sessionPolicy") {
        sim["sessionPolicy"] = p.clone();
    }
    if doc.get("vpcEndpointPolicies").is_some() {
        sim["vpcEndpointPolicies"] = named(&doc["vpcEndpointPolicies"], "vpce");
    }
    sim
}

fn oracle_dir() -> std::path::PathBuf {
    let dir = common::root().join("tools/iam-simulate-oracle");
    assert!(
        dir.join("node_modules/@cloud-copilot/iam-simulate")
            .is_dir(),
        "the oracle is not installed: run `scripts/test` (it runs `npm ci` in tools/iam-simulate-oracle)"
    );
    dir
}

/// Our decisions for documents written to `dir` as `0.json`, `1.json`, ...; `None` where the
/// document was not decided (findings).
fn ours(dir: &Path, n: usize) -> Vec<Option<String>> {
    let mut out = vec![None; n];
    for chunk in (0..n).collect::<Vec<_>>().chunks(2500) {
        let files: Vec<String> = chunk.iter().map(|i| format!("{i}.json")).collect();
        let o = Command::new(common::bin())
            .args(["simulate", "--format", "json"])
            .args(&files)
            .current_dir(dir)
            .output()
            .expect("run mdbook-iam simulate");
        assert!(
            o.status.code().is_some_and(|c| c <= 1),
            "simulate failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let rows: Value = serde_json::from_slice(&o.stdout).expect("simulate prints JSON");
        for row in rows.as_array().unwrap() {
            let i: usize = row["file"]
                .as_str()
                .unwrap()
                .trim_end_matches(".json")
                .parse()
                .unwrap();
            out[i] = Some(row["decision"].as_str().unwrap().to_string());
        }
    }
    out
}

fn oracle(dir: &Path, cases: &[Value]) -> Vec<Result<String, String>> {
    let input = dir.join("oracle.jsonl");
    let text: Vec<String> = cases.iter().map(|c| to_oracle(c).to_string()).collect();
    std::fs::write(&input, text.join("\n")).unwrap();
    let o = Command::new("node")
        .arg(oracle_dir().join("run.mjs"))
        .arg(&input)
        .output()
        .expect("run node");
    assert!(
        o.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            match v.get("result") {
                Some(r) => Ok(r.as_str().unwrap().to_string()),
                None => Err(v["error"].to_string()),
            }
        })
        .collect()
}

/// A narrow test that a case belongs to a class.
type Predicate = fn(&Value) -> bool;

/// The classes of known-disagreements.toml, recognized by id.
fn classes() -> Vec<(String, Predicate)> {
    let text =
        std::fs::read_to_string(common::root().join("tests/differential/known-disagreements.toml"))
            .unwrap();
    let doc: toml::Table = text.parse().expect("known-disagreements.toml is TOML");
    doc["class"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            for field in ["summary", "aws", "why"] {
                assert!(
                    c.get(field)
                        .and_then(|v| v.as_str())
                        .is_some_and(|v| v.len() > 20),
                    "a class needs `{field}`"
                );
            }
            let id = c["id"].as_str().unwrap().to_string();
            let pred: Predicate = match id.as_str() {
                "ip-family-mismatch" => ip_family_mismatch,
                "session-named-in-resource-policy" => session_named_in_resource_policy,
                "aws-managed-policy-explicit-deny" => aws_managed_policy_explicit_deny,
                "service-linked-role-rule" => service_linked_role_rule,
                "unresolved-variable-in-pattern-request" => unresolved_variable_in_pattern_request,
                "pattern-request-wider-allow-entry" => pattern_request_wider_allow_entry,
                other => panic!("known-disagreements.toml: no predicate for class `{other}`"),
            };
            (id, pred)
        })
        .collect()
}

/// Every policy of a case, as JSON text.
fn policies_text(case: &Value) -> String {
    let mut c = case.clone();
    c.as_object_mut().unwrap().remove("request");
    c.to_string()
}

fn ip_family_mismatch(case: &Value) -> bool {
    let Some(ip) = case["request"]["context"]["aws:SourceIp"].as_str() else {
        return false;
    };
    let text = policies_text(case);
    // The bare addresses of the generator's pool, by family.
    let bare_of_other_family: &[&str] = if ip.contains(':') {
        &["\"198.51.100.7\""]
    } else {
        &[]
    };
    text.contains("NotIpAddress") && bare_of_other_family.iter().any(|b| text.contains(b))
}

fn session_named_in_resource_policy(case: &Value) -> bool {
    let r = &case["request"];
    let principal = r["principal"].as_str().unwrap_or("");
    let same_account = principal.contains(A)
        && (r["resource"].as_str().unwrap_or("").contains(A) || r["resourceAccount"] == json!(A));
    principal.contains(":assumed-role/")
        && same_account
        && case
            .get("resourcePolicy")
            .is_some_and(|p| p.to_string().contains(principal))
        && (case.get("sessionPolicy").is_some() || case.get("permissionBoundaries").is_some())
}

fn action_in(case: &Value, actions: &[&str]) -> bool {
    let action = case["request"]["action"].as_str().unwrap_or("");
    actions.iter().any(|a| a.eq_ignore_ascii_case(action))
}

fn aws_managed_policy_explicit_deny(case: &Value) -> bool {
    let resource = case["request"]["resource"].as_str().unwrap_or("");
    action_in(
        case,
        &[
            "iam:CreatePolicy",
            "iam:CreatePolicyVersion",
            "iam:DeletePolicy",
            "iam:DeletePolicyVersion",
            "iam:SetDefaultPolicyVersion",
            "iam:TagPolicy",
            "iam:UntagPolicy",
        ],
    ) && resource.contains(":iam::aws:policy/")
        && policies_text(case).contains("\"Deny\"")
}

/// A request on a service-linked role, or on a pattern whose members the policies grant
/// include one.
fn service_linked_role_rule(case: &Value) -> bool {
    let resource = case["request"]["resource"].as_str().unwrap_or("");
    action_in(
        case,
        &[
            "iam:DeleteRole",
            "iam:UpdateAssumeRolePolicy",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:AttachRolePolicy",
            "iam:DetachRolePolicy",
        ],
    ) && (resource.contains(":role/aws-service-role/")
        || (resource.contains('*') && policies_text(case).contains(":role/aws-service-role/")))
}

fn unresolved_variable_in_pattern_request(case: &Value) -> bool {
    let r = &case["request"];
    r["resource"].as_str().unwrap_or("").contains('*')
        && r["context"].get("aws:username").is_none()
        && policies_text(case).contains("${aws:username}")
}

/// A pattern request with a concrete region, and a policy entry of its service whose region is
/// `*` (the generator's only way to write an entry wider than the pattern in a field).
fn pattern_request_wider_allow_entry(case: &Value) -> bool {
    let resource = case["request"]["resource"].as_str().unwrap_or("");
    let fields: Vec<&str> = resource.splitn(6, ':').collect();
    fields.len() == 6
        && resource.contains('*')
        && !fields[3].is_empty()
        && !fields[3].contains('*')
        && policies_text(case).contains(&format!("arn:aws:{}:*:", fields[2]))
}

#[test]
fn the_evaluator_agrees_with_the_oracle() {
    let n: usize = std::env::var("DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let seed: u64 = std::env::var("DIFF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    oracle_dir();
    let mut g = Gen { rng: Rng(seed) };
    let cases: Vec<Value> = (0..n).map(|_| g.case()).collect();
    let dir = tempfile::tempdir().unwrap();
    for (i, c) in cases.iter().enumerate() {
        std::fs::write(
            dir.path().join(format!("{i}.json")),
            serde_json::to_string_pretty(c).unwrap(),
        )
        .unwrap();
        // (pretty, so that findings and statement lines point somewhere readable)
    }
    let started = std::time::Instant::now();
    let (ours, theirs, ours_s, theirs_s) = std::thread::scope(|s| {
        let theirs = s.spawn(|| {
            let t = std::time::Instant::now();
            (oracle(dir.path(), &cases), t.elapsed().as_secs_f64())
        });
        let t = std::time::Instant::now();
        let ours = ours(dir.path(), n);
        let ours_s = t.elapsed().as_secs_f64();
        let (theirs, theirs_s) = theirs.join().expect("oracle thread");
        (ours, theirs, ours_s, theirs_s)
    });
    let seconds = started.elapsed().as_secs_f64();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let classes = classes();
    let mut unexplained = Vec::new();
    let mut rejected = Vec::new();
    for i in 0..n {
        match (&ours[i], &theirs[i]) {
            (None, _) => rejected.push(format!("case {i}: our validator rejected it")),
            (_, Err(e)) => rejected.push(format!(
                "case {i}: the oracle rejected it: {e} (resource {})",
                cases[i]["request"]["resource"]
            )),
            (Some(a), Ok(b)) if a == b => *counts.entry(format!("agree {a}")).or_default() += 1,
            (Some(a), Ok(b)) => match classes.iter().find(|(_, p)| p(&cases[i])) {
                Some((id, _)) => *counts.entry(format!("explained {id}")).or_default() += 1,
                None => unexplained.push(format!(
                    "case {i}: ours {a}, oracle {b}\n{}",
                    serde_json::to_string_pretty(&cases[i]).unwrap()
                )),
            },
        }
    }
    let report = format!(
        "differential: seed {seed}, {n} cases, {} compared, {} rejected, {seconds:.1} s (mdbook-iam {ours_s:.1} s, oracle {theirs_s:.1} s, side by side); {counts:?}\n",
        n - rejected.len(),
        rejected.len()
    );
    eprint!("{report}");
    let _ = std::fs::write(
        common::root().join("target/differential-report.txt"),
        &report,
    );
    if let Ok(keep) = std::env::var("DIFF_KEEP") {
        let _ = std::fs::create_dir_all(&keep);
        for (k, u) in unexplained.iter().enumerate().take(200) {
            let _ = std::fs::write(Path::new(&keep).join(format!("{k}.txt")), u);
        }
    }
    assert!(
        rejected.is_empty(),
        "{} rejected cases, first: {}",
        rejected.len(),
        rejected
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        unexplained.is_empty(),
        "{} unexplained disagreements; first:\n{}",
        unexplained.len(),
        unexplained
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

#[test]
fn every_known_class_still_disagrees_as_listed() {
    oracle_dir();
    let text =
        std::fs::read_to_string(common::root().join("tests/differential/known-disagreements.toml"))
            .unwrap();
    let doc: toml::Table = text.parse().unwrap();
    let classes = classes();
    let dir = tempfile::tempdir().unwrap();
    let listed = doc["class"].as_array().unwrap();
    let mut witnesses = Vec::new();
    for (i, c) in listed.iter().enumerate() {
        let case: Value =
            serde_json::from_str(c["witness"].as_str().expect("a class needs a `witness`"))
                .unwrap();
        std::fs::write(dir.path().join(format!("{i}.json")), case.to_string()).unwrap();
        witnesses.push(case);
    }
    let ours = ours(dir.path(), listed.len());
    let theirs = oracle(dir.path(), &witnesses);
    for (i, c) in listed.iter().enumerate() {
        let id = c["id"].as_str().unwrap();
        let (_, predicate) = classes.iter().find(|(x, _)| x == id).unwrap();
        assert!(
            predicate(&witnesses[i]),
            "{id}: the witness is not of its class"
        );
        assert_eq!(ours[i].as_deref(), c["ours"].as_str(), "{id}: our decision");
        assert_eq!(
            theirs[i].as_deref().ok(),
            c["oracle"].as_str(),
            "{id}: the oracle's decision"
        );
    }
}
