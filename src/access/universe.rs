//! Every action of AWS's service authorization data, flat, with its access level: the set that
//! quantified claims, access summaries and diffs range over. Built once per process for the
//! embedded data (parsing every service takes a few milliseconds; the answers then take less).

use crate::aws_data::{AccessLevel, AwsData};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// One action.
#[derive(Debug, Clone)]
pub struct UAction {
    /// The service prefix (`s3`).
    pub service: &'static str,
    /// The action's name with AWS's casing (`GetObject`).
    pub name: &'static str,
    /// `s3:GetObject`.
    pub full: String,
    pub level: AccessLevel,
    /// Every level AWS lists the action under (a few actions have two).
    pub levels: Vec<AccessLevel>,
    /// The action takes only `"Resource": "*"`.
    pub wildcard_only: bool,
}

#[derive(Debug, Default)]
pub struct Universe {
    pub actions: Vec<UAction>,
    /// Lower-case service prefix to its actions' range in `actions`.
    by_service: HashMap<String, Range<usize>>,
    /// Each action's group by what decides it before any policy: the service rules that name
    /// it and whether it takes only `*`; and the number of groups.
    base: (Vec<u32>, u32),
}

const LEVELS: [AccessLevel; 5] = [
    AccessLevel::List,
    AccessLevel::Read,
    AccessLevel::Write,
    AccessLevel::Tagging,
    AccessLevel::PermissionsManagement,
];

impl Universe {
    pub fn build(aws: &AwsData) -> Universe {
        let mut u = Universe::default();
        let prefixes: Vec<String> = aws.services().map(|(p, _)| p.to_string()).collect();
        for prefix in prefixes {
            let Some(service) = aws.service(&prefix) else {
                continue;
            };
            let start = u.actions.len();
            for a in &service.actions {
                u.actions.push(UAction {
                    service: service.prefix,
                    name: a.name,
                    full: format!("{}:{}", service.prefix, a.name),
                    level: a.access_level(),
                    levels: LEVELS
                        .iter()
                        .copied()
                        .filter(|l| a.has_access_level(*l))
                        .collect(),
                    wildcard_only: a.is_wildcard_only(),
                });
            }
            u.by_service
                .insert(prefix.to_ascii_lowercase(), start..u.actions.len());
        }
        let mut seen: HashMap<Vec<bool>, u32> = HashMap::new();
        let mut gid = Vec::with_capacity(u.actions.len());
        for a in &u.actions {
            let mut sig: Vec<bool> = crate::eval::service_rules::RULES
                .iter()
                .map(|r| {
                    r.actions
                        .iter()
                        .any(|p| crate::iam::wildcard::matches_ignore_case(p, &a.full))
                })
                .collect();
            sig.push(a.wildcard_only);
            let n = seen.len() as u32;
            gid.push(*seen.entry(sig).or_insert(n));
        }
        u.base = (gid, seen.len() as u32);
        u
    }

    /// Each action's group before any policy is read, and the number of groups.
    pub fn base_groups(&self) -> (Vec<u32>, u32) {
        self.base.clone()
    }

    /// The universe of `aws`: cached for the embedded data.
    pub fn of(aws: &AwsData) -> Arc<Universe> {
        static EMBEDDED: OnceLock<Arc<Universe>> = OnceLock::new();
        if std::ptr::eq(aws, AwsData::embedded()) {
            return EMBEDDED
                .get_or_init(|| Arc::new(Universe::build(aws)))
                .clone();
        }
        Arc::new(Universe::build(aws))
    }

    /// The indexes of the actions an Action / NotAction entry matches (`*`, `s3:Get*`, any
    /// case). A service part without wildcards is looked up; otherwise every action is tried.
    pub fn matching(&self, pattern: &str) -> Vec<usize> {
        use crate::iam::wildcard::matches_ignore_case;
        if pattern == "*" {
            return (0..self.actions.len()).collect();
        }
        match pattern.split_once(':') {
            Some((svc, name)) if !svc.contains(['*', '?']) => self
                .by_service
                .get(&svc.to_ascii_lowercase())
                .map(|r| {
                    r.clone()
                        .filter(|&i| matches_ignore_case(name, self.actions[i].name))
                        .collect()
                })
                .unwrap_or_default(),
            _ => (0..self.actions.len())
                .filter(|&i| matches_ignore_case(pattern, &self.actions[i].full))
                .collect(),
        }
    }

    /// The index of `service:Action`, any case.
    pub fn find(&self, full: &str) -> Option<usize> {
        let (svc, name) = full.split_once(':')?;
        let r = self.by_service.get(&svc.to_ascii_lowercase())?;
        r.clone()
            .find(|&i| self.actions[i].name.eq_ignore_ascii_case(name))
    }

    /// The actions of one service.
    pub fn service(&self, prefix: &str) -> Range<usize> {
        self.by_service
            .get(&prefix.to_ascii_lowercase())
            .cloned()
            .unwrap_or(0..0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_once_and_found_by_pattern() {
        let u = Universe::of(AwsData::embedded());
        assert!(u.actions.len() > 15_000, "{}", u.actions.len());
        let get = u.find("S3:getobject").unwrap();
        assert_eq!(u.actions[get].full, "s3:GetObject");
        assert_eq!(u.actions[get].level, AccessLevel::Read);
        let s3get = u.matching("s3:Get*");
        assert!(s3get.contains(&get));
        assert!(s3get.iter().all(|&i| u.actions[i].service == "s3"));
        assert_eq!(u.matching("*").len(), u.actions.len());
        assert_eq!(
            u.matching("*:GetObject").len(),
            u.matching("*:getobject").len()
        );
        assert!(u.matching("nope:*").is_empty());
        assert!(u.actions[u.find("sts:GetCallerIdentity").unwrap()].wildcard_only);
    }
}
