//! Script errors that read like a compiler's: where, what, and what to do.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::said::Said;

/// One problem in a script, pointing at a line and column of its file. The message and help
/// are said in the person's language; `.english()` gives them as the record would keep them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    /// How many characters to underline at `col`.
    pub width: usize,
    pub message: Said,
    pub help: Option<Said>,
    /// The source line, for the excerpt under the message.
    pub source_line: String,
}

impl Diagnostic {
    pub fn new(file: &Path, source: &str, pos: Pos, message: impl Into<Said>) -> Self {
        let source_line = source
            .lines()
            .nth(pos.line.saturating_sub(1))
            .unwrap_or("")
            .to_string();
        Diagnostic {
            file: file.to_path_buf(),
            line: pos.line,
            col: pos.col,
            width: pos.width.max(1),
            message: message.into(),
            help: None,
            source_line,
        }
    }

    pub fn help(mut self, help: impl Into<Said>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // First line is grep- and editor-friendly: `file:line:col: message`; a problem with
        // the file as a whole (it cannot be read) has no position to give.
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message.here())?;
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                self.line,
                self.col,
                self.message.here()
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, " ({})", help.here())?;
        }
        if !self.source_line.is_empty() {
            let gutter = self.line.to_string().len();
            let pad = " ".repeat(gutter);
            let lead: String = self
                .source_line
                .chars()
                .take(self.col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(
                f,
                "\n{pad} |\n{} | {}\n{pad} | {lead}{}",
                self.line,
                self.source_line,
                "^".repeat(self.width)
            )?;
        }
        Ok(())
    }
}

/// A list of diagnostics: a script is checked whole, so the volunteer sees every problem
/// at once instead of one per run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// A position in the script source: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
    pub width: usize,
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let steps = ["click", "fill", "find", "switch_off"];
        assert_eq!(did_you_mean("clik", &steps), Some("click"));
        assert_eq!(did_you_mean("switchoff", &steps), Some("switch_off"));
        assert_eq!(did_you_mean("banana", &steps), None);
    }

    #[test]
    fn renders_file_line_col_and_caret() {
        let d = Diagnostic::new(
            Path::new("a.yaml"),
            "steps:\n  - clik: x\n",
            Pos {
                line: 2,
                col: 5,
                width: 4,
            },
            "unknown step `clik`",
        )
        .help("did you mean `click`?");
        let text = d.to_string();
        assert!(text.starts_with("a.yaml:2:5: unknown step `clik` (did you mean `click`?)"));
        assert!(text.contains("2 |   - clik: x"));
        assert!(text.contains("|     ^^^^"));
    }
}
