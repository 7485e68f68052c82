//! AWS service principals (`ec2.amazonaws.com`): their shape in each partition, which ones AWS's
//! data knows, and the one table of condition keys whose values are service principals. The
//! `Service` principal element and those keys' values are checked with [`check`].
//!
//! A name is known when its last label is a service prefix, current or retired
//! (`ec2.amazonaws.com`, `pods.eks.amazonaws.com`), or when the data file lists it (`N` lines:
//! `ecs-tasks.amazonaws.com`, from AWS's managed policies and documentation).
//!
//! Over 700 lines only with its unit tests, kept beside the code they pin.

use crate::aws_data::AwsData;

/// What shape a key's values take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `service.amazonaws.com`, or the regional `service.REGION.amazonaws.com`.
    Any,
    /// Only `service.REGION.amazonaws.com` (`kms:ViaService`).
    Regional,
    /// Only `service-name.amazonaws.com`: one name label, no sub-service label and no Region
    /// (`aws:CalledVia`, `aws:CalledViaFirst`, `aws:CalledViaLast`).
    NameOnly,
}

impl Form {
    /// Whether the key takes the form without a Region (`service.amazonaws.com`).
    fn global(self) -> bool {
        self != Form::Regional
    }
}

/// A condition key whose values are service principals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServicePrincipalKey {
    pub key: &'static str,
    pub form: Form,
    /// What the value names, for messages ("the service the role is passed to").
    pub holds: &'static str,
    /// A value, for help text.
    pub example: &'static str,
}

const fn key(key: &'static str, form: Form, holds: &'static str) -> ServicePrincipalKey {
    let example = match form {
        Form::Any => "ec2.amazonaws.com",
        Form::NameOnly => "cloudformation.amazonaws.com",
        Form::Regional => "s3.us-east-1.amazonaws.com",
    };
    ServicePrincipalKey {
        key,
        form,
        holds,
        example,
    }
}

/// The keys whose values are service principals: the global keys AWS documents as holding one
/// (IAM User Guide, "AWS global condition context keys"), and the service keys whose
/// description in AWS's Service Authorization Reference says they hold a service principal.
/// `kms:ViaService` takes the regional form (AWS KMS Developer Guide, "kms:ViaService").
///
/// The three `aws:CalledVia` keys take only `service-name.amazonaws.com`: the IAM User Guide's
/// page for `aws:CalledVia` says "you must provide the service principals to allow or deny AWS
/// service requests" and lists the ones AWS supports, each of that form (`athena.amazonaws.com`,
/// `cloudformation.amazonaws.com`, `dynamodb.amazonaws.com`, ...), and the policy check
/// reference's "Invalid service principal format" gives `service-name.amazonaws.com` as the
/// format. IAM Access Analyzer rejects a sub-service principal there
/// (INVALID_SERVICE_PRINCIPAL_FORMAT on `application-signals.cloudwatch.amazonaws.com` in the
/// CloudWatchApplicationSignals managed policies), while it accepts that principal in
/// `iam:AWSServiceName`, which takes a service-linked role's service principal, sub-service
/// labels included. The list itself is not enforced: AWS's managed policies that Access Analyzer
/// accepts name many services it does not list (`appflow.amazonaws.com`, `ram.amazonaws.com`).
pub const SERVICE_PRINCIPAL_KEYS: &[ServicePrincipalKey] = &[
    key(
        "aws:CalledVia",
        Form::NameOnly,
        "the services that made the request on the principal's behalf",
    ),
    key(
        "aws:CalledViaFirst",
        Form::NameOnly,
        "the first service in the chain of calls",
    ),
    key(
        "aws:CalledViaLast",
        Form::NameOnly,
        "the last service in the chain of calls",
    ),
    ServicePrincipalKey {
        example: "aws-mcp.amazonaws.com",
        ..key(
            "aws:CalledViaAWSMCP",
            Form::Any,
            "the service principal of the MCP server that made the call",
        )
    },
    key(
        "aws:PrincipalServiceName",
        Form::Any,
        "the service principal making the request",
    ),
    key(
        "aws:PrincipalServiceNamesList",
        Form::Any,
        "the service principals making the request",
    ),
    key(
        "iam:PassedToService",
        Form::Any,
        "the service the role is passed to",
    ),
    key(
        "iam:AWSServiceName",
        Form::Any,
        "the service the service-linked role is for",
    ),
    key(
        "kms:ViaService",
        Form::Regional,
        "the service and Region the request came through",
    ),
    key(
        "organizations:ServicePrincipal",
        Form::Any,
        "the service whose access to the organization is managed",
    ),
    key(
        "config:ConfigurationRecorderServicePrincipal",
        Form::Any,
        "the service of the configuration recorder",
    ),
    key(
        "events:ManagedBy",
        Form::Any,
        "the service that created the rule",
    ),
];

/// The table entry for a key (case-insensitive).
pub fn service_principal_key(name: &str) -> Option<&'static ServicePrincipalKey> {
    SERVICE_PRINCIPAL_KEYS
        .iter()
        .find(|k| k.key.eq_ignore_ascii_case(name))
}

/// The DNS suffixes of service principals, by partition: aws (and aws-us-gov), aws-cn,
/// aws-iso, aws-iso-b, aws-eusc, aws-iso-e.
pub const PARTITION_SUFFIXES: [&str; 6] = [
    ".amazonaws.com",
    ".amazonaws.com.cn",
    ".c2s.ic.gov",
    ".sc2s.sgov.gov",
    ".amazonaws.eu",
    ".cloud.adc-e.uk",
];

/// A few principals live under amazon.com (`alexa-appkit.amazon.com`); they are known only as
/// listed, in that one form.
const AMAZON_SUFFIX: &str = ".amazon.com";

/// A service principal taken apart: `logs.us-east-1.amazonaws.com` is name `logs`, region
/// `us-east-1`, suffix `.amazonaws.com`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts<'a> {
    pub name: &'a str,
    pub region: Option<&'a str>,
    pub suffix: &'a str,
}

fn is_label(l: &str) -> bool {
    !l.is_empty()
        && l.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// `us-east-1`, `cn-north-1`, `us-gov-west-1`, `eu-isoe-west-1`: the shape of a Region code
/// (the ARN checks' definition, until Regions move to this module with the partitions).
fn is_region(s: &str) -> bool {
    crate::iam::arn::is_region(s)
}

/// The candidate closest to `given`, if close enough to be a likely typo (the measure and
/// threshold of `diagnostic::did_you_mean`).
fn closest<'c>(given: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    if given.len() > 100 {
        return None;
    }
    candidates
        .map(|c| (strsim::jaro_winkler(given, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Reads a service principal's shape: lowercase DNS labels under a partition's suffix, no
/// wildcards. `None` when it has another shape.
pub fn parse(s: &str) -> Option<Parts<'_>> {
    let suffix = PARTITION_SUFFIXES
        .iter()
        .chain(std::iter::once(&AMAZON_SUFFIX))
        // No suffix ends another, so the first that fits is the only one.
        .find(|x| s.ends_with(*x))?;
    let head = &s[..s.len() - suffix.len()];
    if !head.split('.').all(is_label) {
        return None;
    }
    let (name, region) = match head.rsplit_once('.') {
        Some((name, last)) if is_region(last) && *suffix != AMAZON_SUFFIX => (name, Some(last)),
        _ => (head, None),
    };
    if name.split('.').any(is_region) {
        return None;
    }
    Some(Parts {
        name,
        region,
        suffix,
    })
}

/// What is wrong with a value that should be a service principal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not shaped like a service principal (Access Analyzer: INVALID_SERVICE_PRINCIPAL_FORMAT).
    Format {
        message: String,
        suggestion: Option<String>,
    },
    /// Shaped like one, but it names no service AWS's data knows (Access Analyzer:
    /// INVALID_SERVICE). `service` is the name part (`ecs-task`).
    Unknown {
        service: String,
        suggestion: Option<String>,
    },
}

/// The service principals AWS's data knows, for one data set.
pub struct Known<'a> {
    aws: &'a AwsData,
}

impl<'a> Known<'a> {
    pub fn new(aws: &'a AwsData) -> Known<'a> {
        Known { aws }
    }

    fn is_prefix(&self, p: &str) -> bool {
        self.aws.has_service(p) || self.aws.history().service(p).is_some()
    }

    /// Whether `name` under `suffix` is a service AWS's data knows.
    pub fn knows(&self, name: &str, suffix: &str) -> bool {
        if suffix == AMAZON_SUFFIX {
            return self.aws.lists_principal(&format!("{name}{suffix}"));
        }
        let last = name.rsplit('.').next().unwrap_or(name);
        // The history (a retired prefix) last: most principals are settled without reading it.
        self.aws.has_service(last)
            || self.aws.lists_principal(&format!("{name}.amazonaws.com"))
            || self.is_prefix(last)
    }

    /// Every known name in its global form (`ec2.amazonaws.com`), for suggestions.
    fn global_names(&self) -> Vec<String> {
        let history = self.aws.history();
        self.aws
            .services()
            .map(|(p, _)| format!("{p}.amazonaws.com"))
            .chain(
                history
                    .services()
                    .iter()
                    .map(|s| format!("{}.amazonaws.com", s.prefix)),
            )
            .chain(self.aws.principals().iter().map(|p| p.to_string()))
            .collect()
    }

    /// Whether the wildcard pattern matches a known principal: a known name in some partition,
    /// global or regional as the form allows, or a sub-service of a prefix the pattern names
    /// (`*.eks.amazonaws.com`; without that condition `ecs-taks.*` would match
    /// `ecs-taks.ec2.amazonaws.com`, and no typo before a `*` would be caught). Names whose
    /// text disagrees with the pattern's lead (the text before its first wildcard) are skipped
    /// before any matching.
    fn matched_by(&self, pattern: &str, form: Form) -> bool {
        let p = pattern.as_bytes();
        let lead = &p[..p.iter().take_while(|c| !b"*?".contains(c)).count()];
        let fits = |name: &str| {
            let n = name.as_bytes();
            let k = lead.len().min(n.len());
            lead[..k] == n[..k] && (lead.len() <= n.len() || lead[n.len()] == b'.')
        };
        let in_forms = |head: &[Seg<'_>]| {
            PARTITION_SUFFIXES.iter().any(|suffix| {
                let suffix = Seg::Lit(suffix);
                let global = [head, &[suffix]].concat();
                let regional = [head, &[Seg::Lit("."), Seg::Region, suffix]].concat();
                (form.global() && meets(p, &global))
                    || (form != Form::NameOnly && meets(p, &regional))
            })
        };
        let history = self.aws.history();
        let prefixes = self
            .aws
            .services()
            .map(|(p, _)| p)
            .chain(history.services().iter().map(|s| s.prefix));
        // The labels of the pattern that have a '.' on both sides (`eks` in `*.eks.amazonaws.com`).
        let labels: Vec<&str> = pattern.split('.').collect();
        let inner_labels = labels.get(1..labels.len().saturating_sub(1)).unwrap_or(&[]);
        for prefix in prefixes {
            if fits(prefix) && in_forms(&[Seg::Lit(prefix)]) {
                return true;
            }
            if form != Form::NameOnly
                && inner_labels.contains(&prefix)
                && in_forms(&[Seg::Label, Seg::Lit(&format!(".{prefix}"))])
            {
                return true;
            }
        }
        let mut listed = self.aws.principals().iter();
        listed.any(|full| match full.strip_suffix(".amazonaws.com") {
            Some(name) => fits(name) && in_forms(&[Seg::Lit(name)]),
            None => form.global() && meets(p, &[Seg::Lit(full)]),
        })
    }
}

/// Checks a value that should be a service principal. `wildcards`: the operator reads `*` and
/// `?` as wildcards (`StringLike`), so the value is a pattern that must match some known
/// service principal; otherwise they are literal characters, which no service principal has.
pub fn check(known: &Known<'_>, value: &str, form: Form, wildcards: bool) -> Result<(), Problem> {
    if wildcards && value.contains(['*', '?']) {
        return check_pattern(known, value, form);
    }
    let Some(parts) = parse(value) else {
        return Err(format_problem(known, value, form));
    };
    if form == Form::NameOnly && (parts.region.is_some() || parts.name.contains('.')) {
        let last = parts.name.rsplit('.').next().unwrap_or(parts.name);
        return Err(Problem::Format {
            message: format!(
                "this key takes the service's own principal, `service-name{}`, without a sub-service or Region",
                parts.suffix
            ),
            // `logs.us-east-1.amazonaws.com` -> `logs.amazonaws.com`; a sub-service's parent
            // (`application-signals.cloudwatch` -> `cloudwatch`) is another service, so it is
            // not offered.
            suggestion: (!parts.name.contains('.') && known.knows(last, parts.suffix))
                .then(|| format!("{last}{}", parts.suffix)),
        });
    }
    if form == Form::Regional && parts.region.is_none() {
        return Err(Problem::Format {
            message: format!(
                "this key takes the regional form `service.REGION{}`",
                parts.suffix
            ),
            suggestion: Some(format!("{}.us-east-1{}", parts.name, parts.suffix)),
        });
    }
    if known.knows(parts.name, parts.suffix) {
        return Ok(());
    }
    let suggestion = closest_name(known, parts.name).map(|n| {
        let region = parts.region.map(|r| format!(".{r}")).unwrap_or_default();
        format!("{n}{region}{}", parts.suffix)
    });
    Err(Problem::Unknown {
        service: parts.name.to_string(),
        suggestion,
    })
}

fn format_problem(known: &Known<'_>, value: &str, form: Form) -> Problem {
    let lower = value.to_ascii_lowercase();
    if lower != value && parse(&lower).is_some() {
        return Problem::Format {
            message: "service principals are lowercase".into(),
            suggestion: Some(lower),
        };
    }
    if value.contains(['*', '?']) {
        return Problem::Format {
            message: "`*` and `?` are wildcards only with `StringLike` and `StringNotLike`; here they are literal characters, which no service principal has".into(),
            suggestion: None,
        };
    }
    let regional = |name: &str| match form {
        Form::Any | Form::NameOnly => format!("{name}.amazonaws.com"),
        Form::Regional => format!("{name}.us-east-1.amazonaws.com"),
    };
    let trimmed = lower.trim();
    let first = trimmed.split('.').next().unwrap_or(trimmed);
    // `lambda`, `lambda.amazonaws`: a known service without its domain.
    let suggestion = if known.knows(trimmed, ".amazonaws.com") {
        Some(regional(trimmed))
    } else if known.knows(first, ".amazonaws.com") {
        Some(regional(first))
    } else {
        closest(trimmed, known.global_names().iter().map(String::as_str)).map(str::to_string)
    };
    let expected = match form {
        Form::Any => "`service.amazonaws.com` (or `service.REGION.amazonaws.com`)",
        Form::NameOnly => "`service-name.amazonaws.com`",
        Form::Regional => "`service.REGION.amazonaws.com`",
    };
    Problem::Format {
        message: format!("a service principal has the form {expected}"),
        suggestion,
    }
}

/// The known name closest to `name` (`ecs-task` -> `ecs-tasks`).
fn closest_name(known: &Known<'_>, name: &str) -> Option<String> {
    let names = known.global_names();
    let bare = names
        .iter()
        .filter_map(|n| n.strip_suffix(".amazonaws.com"));
    closest(name, bare).map(str::to_string)
}

fn check_pattern(known: &Known<'_>, pattern: &str, form: Form) -> Result<(), Problem> {
    if pattern.len() > MAX_PATTERN {
        return Err(Problem::Format {
            message: "too long to be a service principal".into(),
            suggestion: None,
        });
    }
    let lower = pattern.to_ascii_lowercase();
    if lower != pattern {
        return Err(Problem::Format {
            message: "service principals are lowercase".into(),
            suggestion: Some(lower),
        });
    }
    if !pattern
        .bytes()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b".-*?".contains(&c))
    {
        return Err(Problem::Format {
            message: "a service principal holds only lowercase letters, digits, `-` and `.`".into(),
            suggestion: None,
        });
    }
    // A wildcard may stand for any part of the principal, the partition's suffix included:
    // `ec2.*` and `ec2.amazonaws.com*` match `ec2.amazonaws.com` and `ec2.amazonaws.com.cn`, and
    // IAM Access Analyzer accepts them (AWS's managed policies AmazonEMRServicePolicy_v2,
    // AutoScalingServiceRolePolicy and AmazonECSInfrastructureRolePolicyForManagedInstances carry
    // them, and it finds those clean). The pattern must still match a principal AWS's data knows.
    let p = pattern.as_bytes();
    if known.matched_by(pattern, form) {
        return Ok(());
    }
    // Matches no known principal: the shape is right but the service unknown, or the shape is
    // wrong.
    let shaped = PARTITION_SUFFIXES.iter().any(|suffix| {
        let global = [Seg::Labels, Seg::Lit(suffix)];
        let regional = [Seg::Labels, Seg::Lit("."), Seg::Region, Seg::Lit(suffix)];
        (form.global() && meets(p, &global)) || (form != Form::NameOnly && meets(p, &regional))
    });
    if shaped {
        Err(Problem::Unknown {
            service: pattern.to_string(),
            suggestion: None,
        })
    } else {
        Err(Problem::Format {
            message: "the pattern matches no service principal (`service.amazonaws.com`)".into(),
            suggestion: None,
        })
    }
}

/// Longest wildcard pattern checked; the state sets are `u128` bit sets.
const MAX_PATTERN: usize = 127;

/// A piece of a template: literal text, one DNS label, one or more labels (`a`, `a.b`), or a
/// Region code.
#[derive(Clone, Copy, Debug)]
enum Seg<'a> {
    Lit(&'a str),
    Label,
    Labels,
    Region,
}

/// A run of `min..=max` characters of one class (`max` 0: unbounded).
struct Run {
    class: fn(u8) -> bool,
    min: usize,
    max: usize,
}

fn label_char(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-'
}

const fn run(class: fn(u8) -> bool, min: usize, max: usize) -> Run {
    Run { class, min, max }
}

const LABEL: [Run; 1] = [run(label_char, 1, 0)];
const LABELS: [Run; 1] = [run(|c| label_char(c) || c == b'.', 1, 0)];
/// A Region is `xx-name-1` (`us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`): 2 to 4 letters,
/// `-`, letters and `-`, `-`, one or two digits.
const REGION: [Run; 5] = [
    run(|c| c.is_ascii_lowercase(), 2, 4),
    run(|c| c == b'-', 1, 1),
    run(|c| c.is_ascii_lowercase() || c == b'-', 1, 0),
    run(|c| c == b'-', 1, 1),
    run(|c| c.is_ascii_digit(), 1, 2),
];

/// The runs a hole stands for.
fn runs(seg: &Seg<'_>) -> &'static [Run] {
    match seg {
        Seg::Lit(_) => &[],
        Seg::Label => &LABEL,
        Seg::Labels => &LABELS,
        Seg::Region => &REGION,
    }
}

/// Whether some text matches both the wildcard pattern `p` (`*` any run, `?` one character) and
/// the template. Written by hand: wildcard and regex crates match a pattern against a text, and
/// here the text is itself a family (any Region, any sub-service label), so this runs the
/// pattern as a set of positions over the template's pieces.
fn meets(p: &[u8], template: &[Seg<'_>]) -> bool {
    let n = p.len();
    let closure = |mut set: u128| {
        // `*` may match nothing: a position before a star also stands after it.
        for (i, &c) in p.iter().enumerate() {
            if set & (1 << i) != 0 && c == b'*' {
                set |= 1 << (i + 1);
            }
        }
        set
    };
    // One character: literal `c`, or any character of a class.
    let step = |set: u128, fits: &dyn Fn(u8) -> bool| {
        let mut next = 0u128;
        for (i, &c) in p.iter().enumerate() {
            if set & (1 << i) == 0 {
                continue;
            }
            match c {
                b'*' => next |= 1 << i,
                b'?' => next |= 1 << (i + 1),
                c if fits(c) => next |= 1 << (i + 1),
                _ => {}
            }
        }
        closure(next)
    };
    let mut set = closure(1);
    for seg in template {
        if set == 0 {
            return false;
        }
        match seg {
            Seg::Lit(text) => {
                for &t in text.as_bytes() {
                    set = step(set, &|c| c == t);
                }
            }
            hole => {
                for run in runs(hole) {
                    // `min` characters, then the union over every further length up to `max`.
                    for _ in 0..run.min {
                        set = step(set, &run.class);
                    }
                    let mut reached = set;
                    let mut frontier = set;
                    let mut taken = run.min;
                    while frontier != 0 && (run.max == 0 || taken < run.max) {
                        frontier = step(frontier, &run.class) & !reached;
                        reached |= frontier;
                        taken += 1;
                    }
                    set = reached;
                }
            }
        }
    }
    set & (1 << n) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known<'static> {
        Known::new(AwsData::embedded())
    }

    fn ok(v: &str) -> bool {
        check(&known(), v, Form::Any, false).is_ok()
    }

    fn like(v: &str) -> Result<(), Problem> {
        check(&known(), v, Form::Any, true)
    }

    fn suggestion(r: Result<(), Problem>) -> Option<String> {
        match r {
            Err(Problem::Format { suggestion, .. } | Problem::Unknown { suggestion, .. }) => {
                suggestion
            }
            Ok(()) => None,
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(
            parse("logs.us-east-1.amazonaws.com"),
            Some(Parts {
                name: "logs",
                region: Some("us-east-1"),
                suffix: ".amazonaws.com"
            })
        );
        assert_eq!(
            parse("ec2.amazonaws.com.cn").unwrap().suffix,
            ".amazonaws.com.cn"
        );
        assert_eq!(parse("pods.eks.amazonaws.com").unwrap().name, "pods.eks");
        assert_eq!(parse("ec2.c2s.ic.gov").unwrap().name, "ec2");
        for bad in [
            "ec2",
            "EC2.amazonaws.com",
            "*.amazonaws.com",
            ".amazonaws.com",
            "ec2..amazonaws.com",
            "ec2.amazonaw.com",
            "us-east-1.amazonaws.com",
            "ec2.amazonaws.com ",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn known_services_in_every_form() {
        for good in [
            "ec2.amazonaws.com",
            "lambda.amazonaws.com",
            "logs.us-east-1.amazonaws.com",
            "ec2.amazonaws.com.cn",
            "ec2.c2s.ic.gov",
            "pods.eks.amazonaws.com",
            "monitoring.rds.amazonaws.com",
            "ecs-tasks.amazonaws.com",
            "vpc-flow-logs.amazonaws.com",
            "alexa-appkit.amazon.com",
            // A retired service's principal: policies that name it still load.
            "aws-mcp.amazonaws.com",
            "deeplens.amazonaws.com",
        ] {
            assert!(ok(good), "{good}");
        }
    }

    #[test]
    fn unknown_services_suggest_the_closest() {
        let r = check(&known(), "ecs-task.amazonaws.com", Form::Any, false);
        assert!(matches!(&r, Err(Problem::Unknown { service, .. }) if service == "ecs-task"));
        assert_eq!(suggestion(r).as_deref(), Some("ecs-tasks.amazonaws.com"));
        let r = check(&known(), "lamda.us-west-2.amazonaws.com", Form::Any, false);
        assert_eq!(
            suggestion(r).as_deref(),
            Some("lambda.us-west-2.amazonaws.com")
        );
        assert!(!ok("no-such-service.amazonaws.com"));
        // amazon.com principals are known only as listed.
        assert!(!ok("ec2.amazon.com"));
    }

    #[test]
    fn wrong_shapes_suggest_a_fix() {
        let cases = [
            ("ec2.amazonaw.com", "ec2.amazonaws.com"),
            ("lambda", "lambda.amazonaws.com"),
            ("lambda.amazonaws", "lambda.amazonaws.com"),
            ("EC2.amazonaws.com", "ec2.amazonaws.com"),
        ];
        for (given, fix) in cases {
            let r = check(&known(), given, Form::Any, false);
            assert!(matches!(r, Err(Problem::Format { .. })), "{given}: {r:?}");
            assert_eq!(suggestion(r).as_deref(), Some(fix), "{given}");
        }
        // Wildcards are literal outside `StringLike`.
        assert!(matches!(
            check(&known(), "*.amazonaws.com", Form::Any, false),
            Err(Problem::Format { .. })
        ));
    }

    #[test]
    fn regional_keys_need_the_region() {
        assert!(
            check(
                &known(),
                "s3.us-east-1.amazonaws.com",
                Form::Regional,
                false
            )
            .is_ok()
        );
        let r = check(&known(), "s3.amazonaws.com", Form::Regional, false);
        assert!(matches!(r, Err(Problem::Format { .. })));
        assert_eq!(suggestion(r).as_deref(), Some("s3.us-east-1.amazonaws.com"));
        assert!(check(&known(), "s3.*.amazonaws.com", Form::Regional, true).is_ok());
        assert!(check(&known(), "s3.amazonaws.com*", Form::Regional, true).is_err());
    }

    #[test]
    fn patterns_must_match_a_known_principal() {
        for good in [
            "*",
            "*.amazonaws.com",
            "dms.*.amazonaws.com",
            "*a4b.amazonaws.com",
            "lambda.??-*-1.amazonaws.com",
            "*.eks.amazonaws.com",
        ] {
            assert_eq!(like(good), Ok(()), "{good}");
        }
        assert!(matches!(
            like("ecs-taks.*.amazonaws.com"),
            Err(Problem::Unknown { .. })
        ));
        // A wildcard may stand for the partition's suffix: IAM Access Analyzer accepts
        // `ec2.amazonaws.com*` (AutoScalingServiceRolePolicy, AmazonEMRServicePolicy_v2) and
        // `ec2.*` (AmazonECSInfrastructureRolePolicyForManagedInstances), all of which it finds
        // clean. The name before the wildcard must still be a known service.
        for good in [
            "ec2.*",
            "ec2.amazonaws.com*",
            "application-autoscaling.amazonaws.com*",
            "elasticmapreduce.amazonaws.com*",
            "elasticmapreduce.amazonaws.com.*",
        ] {
            assert_eq!(like(good), Ok(()), "{good}");
        }
        assert!(matches!(like("ecs-taks.*"), Err(Problem::Unknown { .. })));
        assert!(matches!(
            like("ecs-taks.amazonaws.com*"),
            Err(Problem::Unknown { .. })
        ));
        assert!(matches!(
            like("*.amazonaw.com"),
            Err(Problem::Format { .. })
        ));
        assert!(matches!(like("EC2.*"), Err(Problem::Format { .. })));
        assert!(matches!(like("ec2 *"), Err(Problem::Format { .. })));
    }

    #[test]
    fn called_via_keys_take_the_services_own_principal() {
        // IAM User Guide, "AWS global condition context keys", aws:CalledVia: "you must provide
        // the service principals to allow or deny AWS service requests. AWS supports using the
        // following service principals with aws:CalledVia" (athena.amazonaws.com,
        // cloudformation.amazonaws.com, ...: every one `service-name.amazonaws.com`).
        let via = |v: &str| check(&known(), v, Form::NameOnly, false);
        assert_eq!(via("cloudformation.amazonaws.com"), Ok(()));
        assert_eq!(via("appflow.amazonaws.com"), Ok(()));
        // Access Analyzer: INVALID_SERVICE_PRINCIPAL_FORMAT (CloudWatchApplicationSignalsReadOnlyAccess).
        let r = via("application-signals.cloudwatch.amazonaws.com");
        assert!(matches!(r, Err(Problem::Format { .. })), "{r:?}");
        assert_eq!(suggestion(r), None);
        let r = via("athena.us-east-1.amazonaws.com");
        assert!(matches!(r, Err(Problem::Format { .. })), "{r:?}");
        assert_eq!(suggestion(r).as_deref(), Some("athena.amazonaws.com"));
        // The same principal is right where a service-linked role's principal goes.
        assert_eq!(
            check(
                &known(),
                "application-signals.cloudwatch.amazonaws.com",
                Form::Any,
                false
            ),
            Ok(())
        );
        // Patterns: a sub-service pattern matches nothing this key holds.
        assert_eq!(
            check(&known(), "*.amazonaws.com", Form::NameOnly, true),
            Ok(())
        );
        assert!(check(&known(), "*.eks.amazonaws.com", Form::NameOnly, true).is_err());
    }

    #[test]
    fn pattern_meets_template() {
        let lit = Seg::Lit;
        let t = [lit("logs"), lit("."), Seg::Region, lit(".amazonaws.com")];
        assert!(meets(b"logs.*.amazonaws.com", &t));
        assert!(meets(b"logs.us-?ast-1.amazonaws.com", &t));
        assert!(meets(b"*", &t));
        assert!(!meets(b"logs.amazonaws.com", &t));
        assert!(!meets(b"logs..amazonaws.com", &t));
        assert!(!meets(b"logs.us.east.amazonaws.com", &t));
        assert!(!meets(b"logs.com.amazonaws.com", &t));
        assert!(!meets(b"logs.us-east-123.amazonaws.com", &t));
        let sub = [Seg::Label, lit(".eks.amazonaws.com")];
        assert!(meets(b"pods.eks.amazonaws.com", &sub));
        assert!(!meets(b"a.b.eks.amazonaws.com", &sub));
        assert!(!meets(b"eks.amazonaws.com", &sub));
        let many = [Seg::Labels, lit(".eks.amazonaws.com")];
        assert!(meets(b"a.b.eks.amazonaws.com", &many));
    }

    #[test]
    fn the_key_table_is_one_table() {
        assert_eq!(
            service_principal_key("IAM:passedToService").map(|k| k.key),
            Some("iam:PassedToService")
        );
        assert_eq!(
            service_principal_key("kms:ViaService").map(|k| k.form),
            Some(Form::Regional)
        );
        assert!(service_principal_key("aws:CalledViaAWSMCP").is_some());
        assert!(service_principal_key("s3:prefix").is_none());
        // Every key in the table is a key AWS's data defines.
        for k in SERVICE_PRINCIPAL_KEYS {
            assert!(
                AwsData::embedded().condition_key(k.key).is_some(),
                "{} is not in AWS's data",
                k.key
            );
        }
    }
}
