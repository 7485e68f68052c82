//! The team's levels: how loud each code is, set in the catalog's `[lints]` table (for a whole
//! run) or by words in a code fence's info string (for one block a page shows on purpose), the
//! way Cargo's `[lints]` table and ESLint's rule levels work.
//!
//! A level is `allow` (the finding is dropped), `info`, `warn` or `deny` (an error). It sets the
//! severity of its code's findings, with two limits that keep a run honest:
//!
//! - findings a check reports milder than its code's default (an operator AWS discourages rather
//!   than refuses, a retired name Access Analyzer still accepts) are made louder only by `deny`,
//!   which asks for errors;
//! - findings a check made errors above their code's default (an inline block directive that the
//!   flavor cannot build) keep their level: the page could not be produced.
//!
//! Some codes have a fixed level ([`fixed_level`]): they say that nothing could be read, checked
//! or produced, so no level can make such a run look clean. A fence's words win over `[lints]`:
//! the block is the more specific place.

use super::{Code, Finding, Note, Severity, did_you_mean};
use crate::source::Span;
use std::ops::Range;

/// A level a team sets for a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The finding is dropped.
    Allow,
    Info,
    Warn,
    Deny,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Allow, Level::Info, Level::Warn, Level::Deny];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The severity a finding gets, or `None` when it is dropped.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Allow => None,
            Level::Info => Some(Severity::Info),
            Level::Warn => Some(Severity::Warning),
            Level::Deny => Some(Severity::Error),
        }
    }

    /// The help for a level that is not one: the closest name, or the name other tools use for
    /// what the user most likely meant (ESLint's `off`/`error`, Cargo's `forbid`).
    pub fn help_for(given: &str) -> String {
        let other = match given.to_ascii_lowercase().as_str() {
            "off" | "ignore" | "none" => Some(Level::Allow),
            "warning" => Some(Level::Warn),
            "error" | "forbid" | "on" => Some(Level::Deny),
            "note" => Some(Level::Info),
            _ => None,
        };
        let names = Level::ALL.map(Level::as_str);
        match other {
            Some(l) => format!("write `{}`", l.as_str()),
            None => did_you_mean(given, names)
                .unwrap_or_else(|| format!("a level is one of: {}", names.join(", "))),
        }
    }
}

/// Why a code's level cannot be set below error, or `None` when a team may set it. Such a code
/// says that nothing could be read, checked or produced; `deny` is accepted for it (it changes
/// nothing), any other level is refused where it is written.
pub fn fixed_level(code: Code) -> Option<&'static str> {
    use Code::*;
    Some(match code {
        CatalogNotFound | CatalogSyntax | CatalogSchema | CatalogVersion | CatalogInclude => {
            "the catalog could not be read whole, so nothing read from it can be trusted"
        }
        JsonSyntax => {
            "the policy could not be read, so nothing in it was checked (a block shown broken on purpose takes `iam-unchecked`)"
        }
        InvalidEncoding | UnparsablePage => {
            "the file could not be read, so nothing in it was checked"
        }
        OutsideDocsTree => "the run never reads or writes outside the docs tree",
        UnsupportedMdbook | InvalidConfig => "the host could not run mdbook-iam as configured",
        MalformedDirective | UnknownKind | UnknownPolicy | UnknownStatement | UnknownModifier
        | UnknownCallout | UnknownRole | UnknownParameter | MissingParameter | InvalidParameter
        | WrongArgumentCount => {
            "the directive could not be expanded, so the page would be published without its content"
        }
        SyncMarker => "the synced region could not be found, so it could not be checked",
        FalseClaim | InvalidClaim => {
            "a claim is a proof the build makes; a page must not state what the evaluator refutes or cannot check"
        }
        InvalidSimulation => "the simulation could not be read, so nothing was decided",
        InvalidBlockLevel => "a level word that names no code would silently set nothing",
        _ => return None,
    })
}

/// Where a finding's level was set, kept on the finding so output can say it.
#[derive(Debug, Clone)]
pub struct LevelOrigin {
    /// The severity the finding had before its level was set.
    pub default: Severity,
    /// The level set.
    pub level: Level,
    pub by: SetBy,
}

#[derive(Debug, Clone)]
pub enum SetBy {
    /// An entry of the catalog's `[lints]` table (its place: the code's key).
    Lints(Span),
    /// A word in the block's fence (its place, when the scanner gives one).
    Block(Option<Span>),
}

impl SetBy {
    /// `lints` or `block`, as JSON and SARIF output name it.
    pub fn as_str(&self) -> &'static str {
        match self {
            SetBy::Lints(_) => "lints",
            SetBy::Block(_) => "block",
        }
    }
}

/// The catalog's `[lints]` table: one level per code, each with the place it is written.
#[derive(Debug, Clone, Default)]
pub struct Lints {
    entries: Vec<(Code, Level, Span)>,
}

impl Lints {
    /// Sets a code's level (the loader has already refused fixed codes and repeated keys).
    pub fn set(&mut self, code: Code, level: Level, at: Span) {
        self.entries.retain(|(c, _, _)| *c != code);
        self.entries.push((code, level, at));
    }

    pub fn level(&self, code: Code) -> Option<Level> {
        self.entries
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|(_, l, _)| *l)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The levels the table sets, in the order written.
    pub fn entries(&self) -> impl Iterator<Item = (Code, Level, &Span)> {
        self.entries.iter().map(|(c, l, s)| (*c, *l, s))
    }
}

/// Applies the catalog's `[lints]` to a run's findings; returns how many were dropped (`allow`).
/// A finding whose level a block already set is left alone, so calling this more than once on the
/// same findings (as a run's steps do) changes nothing the second time.
pub fn apply(lints: &Lints, findings: &mut Vec<Finding>) -> usize {
    if lints.is_empty() {
        return 0;
    }
    let before = findings.len();
    findings.retain_mut(|f| {
        if f.level_origin.is_some() {
            return true;
        }
        match lints.entries.iter().find(|(c, _, _)| *c == f.code) {
            Some((_, level, at)) => set(f, *level, SetBy::Lints(at.clone())),
            None => true,
        }
    });
    before - findings.len()
}

/// Sets one finding's level; `false` when the finding is dropped.
fn set(f: &mut Finding, level: Level, by: SetBy) -> bool {
    let default = f.code.default_severity();
    // Raised above its code's default by the check itself: the output could not be produced.
    if f.severity > default {
        return true;
    }
    let Some(wanted) = level.severity() else {
        return false;
    };
    // Reported milder than its default (an operator AWS only discourages, a retired name Access
    // Analyzer still accepts): `warn` and `info` never make it louder; `deny` asks for errors,
    // and gets them.
    let new = if f.severity < default && level != Level::Deny {
        wanted.min(f.severity)
    } else {
        wanted
    };
    let old = f.severity;
    if new != old {
        let place = match &by {
            SetBy::Lints(at) => format!("`[lints]` in {}", line_of(at)),
            SetBy::Block(Some(at)) => format!("the block's fence ({})", line_of(at)),
            SetBy::Block(None) => "the block's fence".to_string(),
        };
        f.notes.push(Note {
            span: None,
            message: format!(
                "{} by {place} (default: {})",
                match new {
                    Severity::Error => "raised to error",
                    Severity::Warning if new > old => "raised to warning",
                    Severity::Warning => "lowered to warning",
                    Severity::Info => "lowered to info",
                },
                old.as_str()
            ),
        });
        f.severity = new;
    }
    f.level_origin = Some(Box::new(LevelOrigin {
        default: old,
        level,
        by,
    }));
    true
}

/// `file:line` of a place.
fn line_of(at: &Span) -> String {
    format!("{}:{}", at.file.name(), at.line_col().0)
}

/// The levels a block's fence sets (`iam-allow=CODE,...`, `iam-info=`, `iam-warn=`, `iam-deny=`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BlockLevels {
    entries: Vec<(Code, Level)>,
    /// Where the fence's info string is, for the note output gives.
    at: Option<Span>,
}

/// A level word in a fence that cannot be used: where it is in the info string, what is wrong
/// and, for a misspelled code, the "did you mean".
#[derive(Debug, Clone, PartialEq)]
pub struct BlockLevelError {
    /// Bytes of the info string given to [`block_levels`].
    pub range: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl BlockLevelError {
    /// The error as an `invalid-block-level` finding at `span` (the fence, or the word itself).
    pub fn finding(&self, span: &Span) -> Finding {
        let f = Finding::at(Code::InvalidBlockLevel, self.message.clone(), span);
        match &self.help {
            Some(h) => f.with_help(h.clone()),
            None => f,
        }
    }
}

/// The prefixes of the level words, `iam-allow=` and so on.
fn word_level(word: &str) -> Option<(Level, &str)> {
    let rest = word.strip_prefix("iam-")?;
    Level::ALL.into_iter().find_map(|l| {
        let after = rest.strip_prefix(l.as_str())?;
        match after.strip_prefix('=') {
            Some(v) => Some((l, v)),
            None if after.is_empty() => Some((l, after)),
            None => None,
        }
    })
}

/// Reads the level words of a fence's info string (the whole string: the language first, then
/// words separated by spaces, tabs or commas as mdBook separates them). A level word is
/// `iam-allow=`, `iam-info=`, `iam-warn=` or `iam-deny=` followed by codes separated by commas
/// (`iam-allow=invalid-sid,invalid-arn`); the value may be quoted as an MDX attribute
/// (`iam-warn="retired-action"`). Other words (`title="..."`, `iam-unchecked`) are not ours.
/// A code named twice takes the last level. Every bad word is reported.
pub fn block_levels(info: &str) -> Result<BlockLevels, Vec<BlockLevelError>> {
    let mut out = BlockLevels::default();
    let mut errors = Vec::new();
    // Words with their offsets, split at spaces and tabs; a comma list is split later, since
    // mdBook's commas also separate words (`json,iam-allow=a,b`).
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, c) in info
        .char_indices()
        .chain(std::iter::once((info.len(), ' ')))
    {
        match (c == ' ' || c == '\t', start) {
            (true, Some(s)) => {
                words.push((s, &info[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    let mut current: Option<Level> = None;
    for (wi, (at, word)) in words.into_iter().enumerate() {
        let mut offset = at;
        for (pi, part) in word.split(',').enumerate() {
            let part_at = offset;
            offset += part.len() + 1;
            // The language is the first part of the first word.
            if wi == 0 && pi == 0 && word_level(part).is_none() {
                continue;
            }
            let (level, value, value_at) = match word_level(part) {
                Some((l, v)) => (l, v, part_at + part.len() - v.len()),
                None => match current {
                    // A part after a comma continues the list before it.
                    Some(l) if pi > 0 => (l, part, part_at),
                    _ => {
                        current = None;
                        continue;
                    }
                },
            };
            current = Some(level);
            let unquoted = value.trim_matches('"');
            let value_at = value_at + (value.len() - value.trim_start_matches('"').len());
            if unquoted.is_empty() {
                if word_level(part).is_some() {
                    errors.push(BlockLevelError {
                        range: part_at..part_at + part.len(),
                        message: format!(
                            "`iam-{}` names no code",
                            level.as_str()
                        ),
                        help: Some(format!(
                            "write `iam-{}=CODE`, for example `iam-{}=invalid-sid`; several codes are separated by commas",
                            level.as_str(),
                            level.as_str()
                        )),
                    });
                }
                continue;
            }
            // A quoted list (`"a,b"`) arrives here part by part too.
            let range = value_at..value_at + unquoted.len();
            match Code::ALL.iter().find(|c| c.as_str() == unquoted) {
                None => errors.push(BlockLevelError {
                    range,
                    message: format!(
                        "`iam-{}={unquoted}`: no code is named `{unquoted}`",
                        level.as_str()
                    ),
                    help: Some(
                        did_you_mean(unquoted, Code::ALL.iter().map(|c| c.as_str()))
                            .unwrap_or_else(|| {
                                "the guide's page \"Diagnostic codes\" lists every code".into()
                            }),
                    ),
                }),
                Some(&code) => match fixed_level(code) {
                    Some(why) if level != Level::Deny => errors.push(BlockLevelError {
                        range,
                        message: format!("the level of `{unquoted}` cannot be set: {why}"),
                        help: None,
                    }),
                    _ => {
                        out.entries.retain(|(c, _)| *c != code);
                        out.entries.push((code, level));
                    }
                },
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

impl BlockLevels {
    /// The same levels, with the place of the fence's info string for the note output gives.
    pub fn at(mut self, span: Span) -> BlockLevels {
        self.at = Some(span);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn level(&self, code: Code) -> Option<Level> {
        self.entries
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, l)| *l)
    }

    /// Applies the block's levels to the block's findings (before the run's `[lints]`, which then
    /// leaves them alone); returns how many were dropped.
    pub fn apply(&self, findings: &mut Vec<Finding>) -> usize {
        if self.entries.is_empty() {
            return 0;
        }
        let before = findings.len();
        findings.retain_mut(|f| match self.level(f.code) {
            Some(level) if f.level_origin.is_none() => set(f, level, SetBy::Block(self.at.clone())),
            _ => true,
        });
        before - findings.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn finding(code: Code) -> Finding {
        let page = SourceFile::new("p.md", "```json\n{}\n```\n");
        Finding::at(code, "m", &Span::new(&page, 8..10))
    }

    fn lints(text: &str, entries: &[(Code, Level)]) -> Lints {
        let file = SourceFile::new("iam-catalog.toml", text);
        let mut l = Lints::default();
        for (i, (c, lv)) in entries.iter().enumerate() {
            l.set(*c, *lv, Span::new(&file, i..i + 1));
        }
        l
    }

    #[test]
    fn levels_parse_and_map_to_severities() {
        assert_eq!(Level::parse("warn"), Some(Level::Warn));
        assert_eq!(Level::parse("warning"), None);
        assert_eq!(Level::Allow.severity(), None);
        assert_eq!(Level::Deny.severity(), Some(Severity::Error));
        assert_eq!(Level::help_for("error"), "write `deny`");
        assert_eq!(Level::help_for("off"), "write `allow`");
        assert_eq!(Level::help_for("wran"), "did you mean `warn`?");
        assert!(Level::help_for("zzz").contains("allow, info, warn, deny"));
    }

    #[test]
    fn apply_lowers_raises_and_drops_and_says_where() {
        let l = lints(
            "x\n",
            &[
                (Code::InvalidAction, Level::Warn),
                (Code::AllowStarOnStar, Level::Deny),
                (Code::ResourceTypeMismatch, Level::Allow),
            ],
        );
        let mut fs = vec![
            finding(Code::InvalidAction),
            finding(Code::AllowStarOnStar),
            finding(Code::ResourceTypeMismatch),
            finding(Code::InvalidSid),
        ];
        assert_eq!(apply(&l, &mut fs), 1);
        let got: Vec<(Code, Severity)> = fs.iter().map(|f| (f.code, f.severity)).collect();
        assert_eq!(
            got,
            vec![
                (Code::InvalidAction, Severity::Warning),
                (Code::AllowStarOnStar, Severity::Error),
                (Code::InvalidSid, Severity::Error),
            ]
        );
        let origin = fs[0].level_origin.as_ref().unwrap();
        assert_eq!(origin.default, Severity::Error);
        assert_eq!(origin.by.as_str(), "lints");
        assert_eq!(
            fs[0].notes.last().unwrap().message,
            "lowered to warning by `[lints]` in iam-catalog.toml:1 (default: error)"
        );
        assert_eq!(
            fs[1].notes.last().unwrap().message,
            "raised to error by `[lints]` in iam-catalog.toml:1 (default: warning)"
        );
        assert!(fs[2].level_origin.is_none() && fs[2].notes.is_empty());
        // Applying again changes nothing.
        let again = fs.clone();
        apply(&l, &mut fs);
        assert_eq!(fs.len(), again.len());
        assert_eq!(fs[0].notes.len(), again[0].notes.len());
    }

    #[test]
    fn milder_and_raised_findings_keep_their_limits() {
        let l = lints(
            "x\n",
            &[
                (Code::ConditionTypeMismatch, Level::Deny),
                (Code::InlineBlockDirective, Level::Allow),
            ],
        );
        let discouraged = finding(Code::ConditionTypeMismatch).with_severity(Severity::Warning);
        let cannot_build = finding(Code::InlineBlockDirective).with_severity(Severity::Error);
        let mut fs = vec![discouraged, cannot_build];
        apply(&l, &mut fs);
        assert_eq!(fs.len(), 2);
        // `deny` asks for errors, milder findings included.
        assert_eq!(fs[0].severity, Severity::Error);
        assert_eq!(fs[1].severity, Severity::Error);
        // `warn` does not make a milder finding louder.
        let l = lints("x\n", &[(Code::ConditionTypeMismatch, Level::Warn)]);
        let mut fs = vec![finding(Code::ConditionTypeMismatch).with_severity(Severity::Info)];
        apply(&l, &mut fs);
        assert_eq!(fs[0].severity, Severity::Info);
        // A milder finding is still lowered or dropped.
        let l = lints("x\n", &[(Code::ConditionTypeMismatch, Level::Info)]);
        let mut fs = vec![finding(Code::ConditionTypeMismatch).with_severity(Severity::Warning)];
        apply(&l, &mut fs);
        assert_eq!(fs[0].severity, Severity::Info);
    }

    #[test]
    fn block_words_are_read_after_the_language() {
        let b =
            block_levels("json iam-allow=invalid-sid,invalid-arn iam-warn=retired-action").unwrap();
        assert_eq!(b.level(Code::InvalidSid), Some(Level::Allow));
        assert_eq!(b.level(Code::InvalidArn), Some(Level::Allow));
        assert_eq!(b.level(Code::RetiredAction), Some(Level::Warn));
        assert_eq!(b.level(Code::InvalidAction), None);
        // mdBook's commas, MDX's quotes, other attributes and repeated words.
        let b = block_levels(
            "json,iam-deny=allow-star-on-star,missing-version title=\"a b.json\" iam-info=\"invalid-arn,invalid-sid\" iam-unchecked",
        )
        .unwrap();
        assert_eq!(b.level(Code::AllowStarOnStar), Some(Level::Deny));
        assert_eq!(b.level(Code::MissingVersion), Some(Level::Deny));
        assert_eq!(b.level(Code::InvalidArn), Some(Level::Info));
        assert_eq!(b.level(Code::InvalidSid), Some(Level::Info));
        let b = block_levels("json iam-allow=invalid-sid iam-deny=invalid-sid").unwrap();
        assert_eq!(b.level(Code::InvalidSid), Some(Level::Deny));
        // No words, no levels; a language alone is never a level word.
        assert!(block_levels("").unwrap().is_empty());
        assert!(block_levels("json").unwrap().is_empty());
        assert!(
            block_levels("json title=\"x\" iam=key-policy")
                .unwrap()
                .is_empty()
        );
        // A word after a space starts over: `invalid-arn` alone is not ours.
        let b = block_levels("json iam-allow=invalid-sid invalid-arn").unwrap();
        assert_eq!(b.level(Code::InvalidArn), None);
        // A fence with no language still reads its level words.
        let b = block_levels("iam-warn=invalid-sid").unwrap();
        assert_eq!(b.level(Code::InvalidSid), Some(Level::Warn));
    }

    #[test]
    fn bad_block_words_say_where_and_what() {
        let info = "json iam-allow=invalid-sdi,invalid-arn iam-warn=json-syntax iam-deny";
        let errs = block_levels(info).unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert_eq!(&info[errs[0].range.clone()], "invalid-sdi");
        assert_eq!(
            errs[0].message,
            "`iam-allow=invalid-sdi`: no code is named `invalid-sdi`"
        );
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `invalid-sid`?"));
        assert_eq!(&info[errs[1].range.clone()], "json-syntax");
        assert!(
            errs[1].message.contains("cannot be set"),
            "{}",
            errs[1].message
        );
        assert_eq!(&info[errs[2].range.clone()], "iam-deny");
        // `deny` of a fixed code changes nothing and is accepted.
        assert!(block_levels("json iam-deny=json-syntax").is_ok());
        // Quoted values point at the code inside the quotes.
        let info = "json iam-warn=\"retired-actoin\"";
        let errs = block_levels(info).unwrap_err();
        assert_eq!(&info[errs[0].range.clone()], "retired-actoin");
        let page = SourceFile::new("p.md", info);
        let f = errs[0].finding(&Span::new(&page, 0..info.len()));
        assert_eq!(f.code, Code::InvalidBlockLevel);
        assert!(f.is_error());
        assert_eq!(f.help.as_deref(), Some("did you mean `retired-action`?"));
    }

    #[test]
    fn block_levels_win_over_lints() {
        let page = SourceFile::new("p.md", "```json iam-deny=invalid-arn\n");
        let b = block_levels("json iam-deny=invalid-arn iam-allow=invalid-sid")
            .unwrap()
            .at(Span::new(&page, 8..28));
        let mut fs = vec![
            finding(Code::InvalidArn),
            finding(Code::InvalidSid),
            finding(Code::InvalidAction),
        ];
        assert_eq!(b.apply(&mut fs), 1);
        assert_eq!(fs.len(), 2);
        // The block set `deny` (no change), so `[lints]` leaves the finding alone.
        let l = lints(
            "x\n",
            &[
                (Code::InvalidArn, Level::Warn),
                (Code::InvalidAction, Level::Warn),
            ],
        );
        apply(&l, &mut fs);
        assert_eq!(fs[0].code, Code::InvalidArn);
        assert_eq!(fs[0].severity, Severity::Error);
        assert_eq!(fs[0].level_origin.as_ref().unwrap().by.as_str(), "block");
        assert!(fs[0].notes.is_empty());
        assert_eq!(fs[1].severity, Severity::Warning);
    }

    #[test]
    fn fixed_codes_are_the_ones_that_stop_a_check() {
        for c in [
            Code::JsonSyntax,
            Code::CatalogSyntax,
            Code::CatalogSchema,
            Code::InvalidEncoding,
            Code::UnparsablePage,
            Code::UnsupportedMdbook,
            Code::InvalidConfig,
            Code::UnknownPolicy,
        ] {
            assert!(fixed_level(c).is_some(), "{c:?}");
            assert_eq!(c.default_severity(), Severity::Error, "{c:?}");
        }
        for c in [
            Code::RetiredAction,
            Code::RetiredService,
            Code::InvalidAction,
            Code::InvalidSid,
            Code::AllowStarOnStar,
            Code::SyncDrift,
        ] {
            assert!(fixed_level(c).is_none(), "{c:?}");
        }
        // Every fixed code is an error by default, so `deny` is what it already is.
        for &c in Code::ALL {
            if fixed_level(c).is_some() {
                assert_eq!(c.default_severity(), Severity::Error, "{c:?}");
            }
        }
    }
}
