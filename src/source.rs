//! Source text with a name, and the byte-offset → line/column mapping every diagnostic needs.
//! Pages, catalogs and policy files are all `SourceFile`s, so a finding can point into any of them.

use std::ops::Range;
use std::sync::Arc;

/// A named text (a page, a catalog file, a policy document) that findings can point into.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    /// Computed on first use: most pages never need a line number.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// Whether the text is ASCII (columns are then byte distances), computed on first use.
    ascii: std::sync::OnceLock<bool>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
            ascii: std::sync::OnceLock::new(),
        })
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = starts[line];
        let col = if *self.ascii.get_or_init(|| self.text.is_ascii()) {
            offset - start
        } else {
            self.text[start..floor_char_boundary(&self.text, offset)]
                .chars()
                .count()
        };
        (line + 1, col + 1)
    }

    /// The byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts()[line - 1]
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let starts = self.line_starts();
        let start = starts[line - 1];
        let end = starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// How a path is named in findings: relative to the current directory when it is below it.
pub fn display_path(path: &std::path::Path) -> String {
    let rel = std::env::current_dir().ok().and_then(|cwd| {
        path.strip_prefix(&cwd)
            .ok()
            .map(std::path::Path::to_path_buf)
    });
    let p = rel.as_deref().unwrap_or(path);
    let s = p.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// A byte range inside one source file.
#[derive(Debug, Clone)]
pub struct Span {
    pub file: Arc<SourceFile>,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(file: &Arc<SourceFile>, range: Range<usize>) -> Span {
        Span {
            file: Arc::clone(file),
            range,
        }
    }

    pub fn line_col(&self) -> (usize, usize) {
        self.file.line_col(self.range.start)
    }

    /// The span of the one character at a byte offset (empty at the end of the text).
    pub fn char_at(file: &Arc<SourceFile>, offset: usize) -> Span {
        let text = file.text();
        let at = floor_char_boundary(text, offset.min(text.len()));
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        Span::new(file, at..end)
    }

    /// The span of something the tool made itself (a canonical statement, a default rule).
    pub fn generated() -> Span {
        static GENERATED: std::sync::OnceLock<Arc<SourceFile>> = std::sync::OnceLock::new();
        let file = GENERATED.get_or_init(|| SourceFile::new("<generated>", ""));
        Span::new(file, 0..0)
    }

    /// Whether two spans are in the same file.
    pub fn same_file(a: &Span, b: &Span) -> bool {
        Arc::ptr_eq(&a.file, &b.file)
    }

    pub fn is_generated(&self) -> bool {
        self.file.name() == "<generated>"
    }

    pub fn text(&self) -> &str {
        self.file.text().get(self.range.clone()).unwrap_or("")
    }
}

impl PartialEq for Span {
    fn eq(&self, other: &Span) -> bool {
        Arc::ptr_eq(&self.file, &other.file) && self.range == other.range
    }
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_and_counts_chars() {
        let f = SourceFile::new("p.md", "ab\nçd\n\nx");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(5), (2, 2)); // after the two-byte 'ç'
        assert_eq!(f.line_col(7), (3, 1));
        assert_eq!(f.line_col(8), (4, 1));
        assert_eq!(f.line_text(2), "çd");
        assert_eq!(f.line_text(4), "x");
    }

    #[test]
    fn offset_past_end_is_clamped() {
        let f = SourceFile::new("p.md", "ab");
        assert_eq!(f.line_col(99), (1, 3));
    }
}
