//! Positions as the protocol counts them: lines, and columns in UTF-16 code units (a French
//! accent is one unit, an emoji two), converted to and from the byte offsets the library uses;
//! and incremental edits applied to a document's text.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// The byte offset of each line's start, for one version of a text.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Lines end at `\n`, `\r\n` or a lone `\r`, as the protocol counts them.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if b.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// The byte range of a line without its line ending; the last line for a line past the end.
    fn line(&self, text: &str, line: usize) -> (usize, usize) {
        let line = line.min(self.starts.len() - 1);
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let b = text.as_bytes();
        while end > start && matches!(b[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        (start, end)
    }

    /// The byte offset of a position. A column past the line's end is the line's end; a column
    /// inside a character that takes two UTF-16 units is that character's start; a line past the
    /// text's end is the text's end.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        if pos.line as usize >= self.starts.len() {
            return text.len();
        }
        let (start, end) = self.line(text, pos.line as usize);
        let mut units = 0u32;
        for (i, c) in text[start..end].char_indices() {
            let w = c.len_utf16() as u32;
            if units + w > pos.character {
                return start + i;
            }
            units += w;
        }
        end
    }

    /// The position of a byte offset (clamped to the text, and to a character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, r: std::ops::Range<usize>) -> Range {
        Range::new(self.position(text, r.start), self.position(text, r.end))
    }
}

/// Applies one change of `textDocument/didChange`: a range replaced, or (without a range) the
/// whole text. Ranges are read against the text as it is before this change, as the protocol
/// orders them.
pub fn apply_change(text: &mut String, change: &TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text.clone(),
        Some(r) => {
            let index = LineIndex::new(text);
            let start = index.offset(text, r.start);
            let end = index.offset(text, r.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn ascii_columns_are_bytes() {
        let t = "ab\ncd";
        let i = LineIndex::new(t);
        assert_eq!(i.offset(t, pos(1, 1)), 4);
        assert_eq!(i.position(t, 4), pos(1, 1));
    }

    #[test]
    fn accents_count_one_unit_and_two_bytes() {
        let t = "é<<#x";
        let i = LineIndex::new(t);
        assert_eq!(i.offset(t, pos(0, 1)), 2);
        assert_eq!(i.position(t, 2), pos(0, 1));
    }

    #[test]
    fn emoji_count_two_units_and_four_bytes() {
        let t = "🙂a";
        let i = LineIndex::new(t);
        assert_eq!(i.offset(t, pos(0, 2)), 4);
        assert_eq!(i.position(t, 4), pos(0, 2));
        // Inside the surrogate pair: the character's start.
        assert_eq!(i.offset(t, pos(0, 1)), 0);
    }

    #[test]
    fn japanese_is_one_unit_and_three_bytes() {
        let t = "日本\n語x";
        let i = LineIndex::new(t);
        assert_eq!(i.offset(t, pos(1, 1)), 10);
        assert_eq!(i.position(t, 10), pos(1, 1));
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let t = "a\r\nb\rc";
        let i = LineIndex::new(t);
        assert_eq!(i.offset(t, pos(1, 0)), 3);
        assert_eq!(i.offset(t, pos(2, 0)), 5);
        // A column past the end stops before the line ending.
        assert_eq!(i.offset(t, pos(0, 9)), 1);
        assert_eq!(i.position(t, 5), pos(2, 0));
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let t = "ab";
        let i = LineIndex::new(t);
        assert_eq!(i.offset(t, pos(7, 0)), 2);
        assert_eq!(i.position(t, 99), pos(0, 2));
    }

    #[test]
    fn incremental_changes_replace_ranges() {
        let mut t = "Café <<#iam-policy s3>>".to_string();
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(pos(0, 21), pos(0, 21))),
            range_length: None,
            text: "-readonly".into(),
        };
        apply_change(&mut t, &change);
        assert_eq!(t, "Café <<#iam-policy s3-readonly>>");
        let whole = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "new".into(),
        };
        apply_change(&mut t, &whole);
        assert_eq!(t, "new");
    }
}
