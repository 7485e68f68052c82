//! Loading a catalog: TOML read with the place of every entry (so errors name the catalog line),
//! includes kept inside the docs tree, and every table checked against the schema.

use super::*;
use crate::diagnostic::{Code, Finding, did_you_mean};
use crate::json::{Kind, Member, Value};
use crate::source::{SourceFile, Span, Spanned};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

impl Catalog {
    /// Reads a catalog and the files it includes. Includes must stay inside `root`.
    pub fn load(path: &Path, root: &Path) -> Loaded {
        Catalog::load_overlay(path, root, &HashMap::new())
    }

    /// [`Catalog::load`] with some files' text given (an editor's unsaved buffers, by absolute
    /// path): those are read from the map, the others from disk.
    pub fn load_overlay(path: &Path, root: &Path, overlay: &HashMap<PathBuf, String>) -> Loaded {
        let mut loader = Loader {
            catalog: Catalog::default(),
            findings: Vec::new(),
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            seen: Vec::new(),
            overlay: overlay.clone(),
        };
        loader.file(path, None);
        Loaded {
            catalog: loader.catalog,
            findings: loader.findings,
        }
    }

    /// Reads a catalog from text (for tests and stdin); includes are not allowed.
    pub fn from_text(name: &str, text: &str) -> Loaded {
        let mut loader = Loader {
            catalog: Catalog::default(),
            findings: Vec::new(),
            root: PathBuf::new(),
            seen: Vec::new(),
            overlay: HashMap::new(),
        };
        loader.text(SourceFile::new(name, text), None);
        Loaded {
            catalog: loader.catalog,
            findings: loader.findings,
        }
    }
}

pub(super) struct Loader {
    pub(super) catalog: Catalog,
    pub(super) findings: Vec<Finding>,
    root: PathBuf,
    seen: Vec<PathBuf>,
    /// Text to read instead of a file's (by absolute path).
    overlay: HashMap<PathBuf, String>,
}

impl Loader {
    fn file(&mut self, path: &Path, included_at: Option<&Span>) {
        self.catalog.paths.push(path.to_path_buf());
        let code = if included_at.is_some() {
            Code::CatalogInclude
        } else {
            Code::CatalogNotFound
        };
        let given = std::path::absolute(path)
            .ok()
            .and_then(|abs| self.overlay.get(&abs).cloned());
        let read = match given {
            Some(text) => Ok(Ok(SourceFile::new(crate::source::display_path(path), text))),
            None => crate::files::read(path),
        };
        let file = match read {
            Ok(Ok(file)) => file,
            Ok(Err(not_text)) => {
                self.findings.push(not_text);
                return;
            }
            Err(e) => {
                let why = match e {
                    crate::error::Error::Io { source, .. } => source.to_string(),
                    crate::error::Error::Usage(m) => m,
                };
                self.findings.push(Finding::new(
                    code,
                    format!("cannot read catalog `{}`: {why}", path.display()),
                    included_at.cloned(),
                ));
                return;
            }
        };
        if let Ok(canon) = path.canonicalize() {
            if self.seen.contains(&canon) {
                self.findings.push(Finding::new(
                    Code::CatalogInclude,
                    format!("`{}` is included twice", path.display()),
                    included_at.cloned(),
                ));
                return;
            }
            self.seen.push(canon);
        }
        self.text(file, Some(path));
    }

    fn text(&mut self, file: Arc<SourceFile>, path: Option<&Path>) {
        self.catalog.files.push(Arc::clone(&file));
        let top = self.catalog.files.len() == 1;
        let doc = match toml_to_value(&file) {
            Ok(v) => v,
            Err(f) => {
                self.findings.push(f);
                return;
            }
        };
        let members = doc.as_object().unwrap_or(&[]);
        self.known_keys(members, &schema::CATALOG, "the catalog");
        for m in members {
            match m.key.as_str() {
                "schema-version" => self.schema_version(&m.value),
                "include" => {
                    let Some(list) = self.string_list(&m.value, "include") else {
                        continue;
                    };
                    for inc in list {
                        self.include(&inc, path);
                    }
                }
                "policies" => self.each(&m.value, "policies", Self::policy),
                "statements" => self.each(&m.value, "statements", Self::statement),
                "modifiers" => self.each(&m.value, "modifiers", Self::modifier),
                "callouts" => self.each(&m.value, "callouts", Self::callout),
                "condition-keys" => self.each(&m.value, "condition-keys", Self::condition_key),
                "deprecations" => self.each(&m.value, "deprecations", Self::deprecation),
                "placeholders" => self.each(&m.value, "placeholders", Self::placeholder),
                "strict-placeholders" => self.strict_placeholders(&m.value),
                "roles" => self.each(&m.value, "roles", Self::role),
                // The top file's only (the first file read): one place says how loud a run is.
                "lints" if top => self.lints(&m.value),
                "lints" => self.report(
                    Code::CatalogSchema,
                    "`[lints]` belongs in the top catalog file, not in an included one",
                    &m.key_span,
                ),
                _ => {}
            }
        }
    }

    fn include(&mut self, inc: &Spanned<String>, from: Option<&Path>) {
        let Some(from) = from else {
            self.findings.push(Finding::at(
                Code::CatalogInclude,
                "includes need a catalog read from a file",
                &inc.span,
            ));
            return;
        };
        let target = from.parent().unwrap_or(Path::new(".")).join(&inc.value);
        let inside = target
            .canonicalize()
            .map(|c| c.starts_with(&self.root))
            .unwrap_or(true);
        if !inside {
            self.findings.push(Finding::at(
                Code::CatalogInclude,
                format!(
                    "`{}` is outside the docs tree (`{}`); includes must stay inside it",
                    inc.value,
                    self.root.display()
                ),
                &inc.span,
            ));
            return;
        }
        self.file(&target, Some(&inc.span));
    }

    fn schema_version(&mut self, v: &Value) {
        let Some(s) = self.str(v, "schema-version") else {
            return;
        };
        let padded = match s.value.matches('.').count() {
            0 => format!("{}.0.0", s.value),
            1 => format!("{}.0", s.value),
            _ => s.value.clone(),
        };
        match semver::Version::parse(&padded) {
            Ok(ver) => {
                let req = semver::VersionReq::parse(&format!("^{}.0", SCHEMA_VERSION.major))
                    .expect("valid requirement");
                if !req.matches(&ver) || ver.minor > SCHEMA_VERSION.minor {
                    self.findings.push(
                        Finding::at(Code::CatalogVersion, format!("catalog schema {ver} is not supported; this mdbook-iam reads schema {}.0 to {}", SCHEMA_VERSION.major, SCHEMA_VERSION), &s.span)
                            .with_help(if ver > SCHEMA_VERSION { "upgrade mdbook-iam" } else { "update the catalog to the current schema" }),
                    );
                }
            }
            Err(e) => self.findings.push(Finding::at(
                Code::CatalogVersion,
                format!("`{}` is not a semantic version: {e}", s.value),
                &s.span,
            )),
        }
        if self.catalog.schema_version.is_none() {
            self.catalog.schema_version = Some(s);
        }
    }

    pub(super) fn report(&mut self, code: Code, message: impl Into<String>, span: &Span) {
        self.findings.push(Finding::at(code, message, span));
    }

    /// Reports each key the table does not declare (`schema`).
    pub(super) fn known_keys(&mut self, members: &[Member], table: &schema::Table, what: &str) {
        for m in members {
            if !table.has(&m.key) {
                let mut f = Finding::at(
                    Code::CatalogSchema,
                    format!("unknown field `{}` in {what}", m.key),
                    &m.key_span,
                );
                f = match did_you_mean(&m.key, table.names()) {
                    Some(h) => f.with_help(h),
                    None => f.with_help(format!(
                        "expected one of: {}",
                        table.names().collect::<Vec<_>>().join(", ")
                    )),
                };
                self.findings.push(f);
            }
        }
    }

    pub(super) fn each(&mut self, v: &Value, what: &str, f: fn(&mut Self, &Member)) {
        let Some(members) = v.as_object() else {
            self.report(
                Code::CatalogSchema,
                format!("`{what}` must be a table"),
                &v.span,
            );
            return;
        };
        for m in members {
            if m.value.as_object().is_none() {
                self.report(
                    Code::CatalogSchema,
                    format!("`{what}.{}` must be a table", m.key),
                    &m.value.span,
                );
                continue;
            }
            f(self, m);
        }
    }

    pub(super) fn str(&mut self, v: &Value, what: &str) -> Option<Spanned<String>> {
        match v.as_str() {
            Some(s) => Some(Spanned::new(s.to_string(), v.span.clone())),
            None => {
                self.report(
                    Code::CatalogSchema,
                    format!("`{what}` must be a string, not {}", v.type_name()),
                    &v.span,
                );
                None
            }
        }
    }

    pub(super) fn opt_str(&mut self, table: &Value, key: &str) -> Option<Spanned<String>> {
        let v = table.get(key)?;
        self.str(v, key)
    }

    pub(super) fn required_str(&mut self, m: &Member, key: &str) -> Option<Spanned<String>> {
        match m.value.get(key) {
            Some(v) => self.str(v, key),
            None => {
                self.report(
                    Code::CatalogSchema,
                    format!("`{}` needs a `{key}`", m.key),
                    &m.key_span,
                );
                None
            }
        }
    }

    pub(super) fn string_list(&mut self, v: &Value, what: &str) -> Option<Vec<Spanned<String>>> {
        match &v.kind {
            Kind::Array(items) => Some(items.iter().filter_map(|i| self.str(i, what)).collect()),
            _ => {
                self.report(
                    Code::CatalogSchema,
                    format!("`{what}` must be an array of strings"),
                    &v.span,
                );
                None
            }
        }
    }

    pub(super) fn name(&mut self, m: &Member, taken: bool, what: &str) -> Spanned<String> {
        let name = Spanned::new(m.key.clone(), m.key_span.clone());
        if taken {
            self.report(
                Code::CatalogInclude,
                format!("{what} `{}` is defined twice", m.key),
                &m.key_span,
            );
        }
        name
    }
}

/// Reads TOML into the same spanned value tree as JSON, so catalog statements and pasted JSON go
/// through one policy reader.
fn toml_to_value(file: &Arc<SourceFile>) -> Result<Value, Finding> {
    use toml::de::{DeTable, DeValue};
    let table = DeTable::parse(file.text()).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        // The place, never the text: a file that is not TOML may be something else entirely.
        Finding::at(
            Code::CatalogSyntax,
            format!("invalid TOML: {}", e.message().trim()),
            &Span::new(file, span),
        )
        .without_excerpt()
    })?;
    fn convert(v: &toml::Spanned<DeValue<'_>>, file: &Arc<SourceFile>) -> Value {
        let span = Span::new(file, v.span());
        let kind = match v.get_ref() {
            DeValue::String(s) => Kind::String(s.to_string()),
            DeValue::Integer(i) => Kind::Number(i.as_str().to_string()),
            DeValue::Float(f) => Kind::Number(f.as_str().to_string()),
            DeValue::Boolean(b) => Kind::Bool(*b),
            DeValue::Datetime(d) => Kind::String(d.to_string()),
            DeValue::Array(items) => Kind::Array(items.iter().map(|i| convert(i, file)).collect()),
            DeValue::Table(t) => Kind::Object(members(t, file)),
        };
        Value::new(kind, span)
    }
    /// A table's members in the order the file writes them (`toml` keeps its tables sorted by
    /// key; its `preserve_order` map costs a hash of every key at start-up).
    fn members(t: &DeTable<'_>, file: &Arc<SourceFile>) -> Vec<Member> {
        let mut members: Vec<Member> = t
            .iter()
            .map(|(k, v)| Member {
                key: k.get_ref().to_string(),
                key_span: Span::new(file, k.span()),
                value: convert(v, file),
            })
            .collect();
        members.sort_by_key(|m| m.key_span.range.start);
        members
    }
    let span = Span::new(file, table.span());
    Ok(Value::new(
        Kind::Object(members(table.get_ref(), file)),
        span,
    ))
}
