//! Where things are in a script's text.
//!
//! `serde_yaml` gives positions only for syntax errors, so semantic errors (an unknown step,
//! an unknown `${name}`) are placed by reading the block structure of the text: top-level
//! keys at column 1, step items as `- ` lines under `steps:`. Scripts are block-style YAML;
//! for anything else the position falls back to the enclosing key, never to nowhere.

use super::diagnostic::Pos;

pub struct SourceMap<'a> {
    lines: Vec<&'a str>,
    /// 0-based line index of each step item (`- `) under `steps:`.
    step_lines: Vec<usize>,
    steps_end: usize,
}

impl<'a> SourceMap<'a> {
    pub fn new(src: &'a str) -> Self {
        SourceMap::for_list(src, "steps")
    }

    /// A map whose "steps" are the items of the top-level list `key` (`jobs` of a batch
    /// file, say).
    pub fn for_list(src: &'a str, key: &str) -> Self {
        let lines: Vec<&str> = src.lines().collect();
        let mut step_lines = Vec::new();
        let mut steps_end = lines.len();
        if let Some(start) = lines.iter().position(|l| is_top_key(l, key)) {
            let mut item_indent: Option<usize> = None;
            for (i, line) in lines.iter().enumerate().skip(start + 1) {
                let trimmed = line.trim_start();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                let indent = line.len() - trimmed.len();
                if indent == 0 && !trimmed.starts_with('-') {
                    steps_end = i;
                    break;
                }
                if trimmed.starts_with("- ") || trimmed == "-" {
                    match item_indent {
                        None => {
                            item_indent = Some(indent);
                            step_lines.push(i);
                        }
                        Some(at) if at == indent => step_lines.push(i),
                        _ => {}
                    }
                }
            }
        }
        SourceMap {
            lines,
            step_lines,
            steps_end,
        }
    }

    /// The position of a top-level key such as `name:`.
    pub fn top_key(&self, key: &str) -> Option<Pos> {
        self.lines
            .iter()
            .position(|l| is_top_key(l, key))
            .map(|i| Pos {
                line: i + 1,
                col: 1,
                width: key.chars().count(),
            })
    }

    /// The position of the first key of step `index` (0-based): the step kind.
    pub fn step(&self, index: usize) -> Pos {
        let Some(&i) = self.step_lines.get(index) else {
            return self.top_key("steps").unwrap_or(Pos {
                line: 1,
                col: 1,
                width: 1,
            });
        };
        let line = self.lines[i];
        let after_dash = line.find('-').map(|d| d + 1).unwrap_or(0);
        let key_start =
            after_dash + line[after_dash..].len() - line[after_dash..].trim_start().len();
        let key: String = line[key_start..]
            .chars()
            .take_while(|c| *c != ':' && !c.is_whitespace())
            .collect();
        Pos {
            line: i + 1,
            col: line[..key_start].chars().count() + 1,
            width: key.chars().count(),
        }
    }

    /// The first occurrence of `needle` inside step `index` (its lines only), else the step.
    pub fn in_step(&self, index: usize, needle: &str) -> Pos {
        let Some(&start) = self.step_lines.get(index) else {
            return self.step(index);
        };
        let end = self
            .step_lines
            .get(index + 1)
            .copied()
            .unwrap_or(self.steps_end);
        self.find_between(start, end, needle)
            .unwrap_or_else(|| self.step(index))
    }

    /// The first occurrence of `needle` inside the block of a top-level key.
    pub fn in_top(&self, key: &str, needle: &str) -> Option<Pos> {
        let start = self.lines.iter().position(|l| is_top_key(l, key))?;
        let end = self
            .lines
            .iter()
            .enumerate()
            .skip(start + 1)
            .find(|(_, l)| !l.is_empty() && !l.starts_with([' ', '\t', '#', '-']))
            .map(|(i, _)| i)
            .unwrap_or(self.lines.len());
        self.find_between(start, end, needle)
            .or_else(|| self.top_key(key))
    }

    /// The first line that is not blank or a comment: where a missing top-level key is
    /// reported.
    pub fn first_line(&self) -> Pos {
        let i = self
            .lines
            .iter()
            .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .unwrap_or(0);
        Pos {
            line: i + 1,
            col: 1,
            width: 1,
        }
    }

    /// The second `key:` at the indentation of the mapping that starts at `at` (where the
    /// YAML parser reports a duplicate key).
    pub fn repeated_key(&self, at: Pos, key: &str) -> Option<Pos> {
        let indent = at.col.saturating_sub(1);
        let mut seen = 0;
        for i in at.line.saturating_sub(1)..self.lines.len() {
            let line = self.lines[i];
            let trimmed = line.trim_start();
            let own = line.len() - trimmed.len();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if own < indent && i >= at.line {
                break;
            }
            let bare = trimmed.trim_start_matches(['"', '\'']);
            if own == indent && bare.starts_with(key) {
                let after = bare[key.len()..].trim_start_matches(['"', '\'']);
                if after.trim_start().starts_with(':') {
                    seen += 1;
                    if seen == 2 {
                        return Some(Pos {
                            line: i + 1,
                            col: own + 1,
                            width: key.chars().count(),
                        });
                    }
                }
            }
        }
        None
    }

    /// A `---` line after the first document has begun.
    pub fn second_document(&self) -> Option<Pos> {
        let first = self.first_line().line - 1;
        (first + 1..self.lines.len())
            .find(|&i| self.lines[i].trim_end() == "---" || self.lines[i].starts_with("--- "))
            .map(|i| Pos {
                line: i + 1,
                col: 1,
                width: 3,
            })
    }

    /// The first `*alias` outside quotes and comments.
    pub fn first_alias(&self) -> Option<Pos> {
        self.lines.iter().enumerate().find_map(|(i, line)| {
            let code = line.split(" #").next().unwrap_or(line);
            let chars: Vec<char> = code.chars().collect();
            (0..chars.len())
                .find(|&c| {
                    chars[c] == '*'
                        && (c == 0 || matches!(chars[c - 1], ' ' | '[' | ',' | '{' | ':'))
                        && chars
                            .get(c + 1)
                            .is_some_and(|n| n.is_alphanumeric() || *n == '_')
                })
                .map(|c| Pos {
                    line: i + 1,
                    col: c + 1,
                    width: 1,
                })
        })
    }

    /// The last line whose quotes do not pair up (for an error at the end of the file).
    pub fn unclosed_quote(&self) -> Option<Pos> {
        let mut last = None;
        for (i, line) in self.lines.iter().enumerate() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            let mut open: Option<(char, usize)> = None;
            let chars: Vec<char> = line.chars().collect();
            let mut c = 0;
            while c < chars.len() {
                let ch = chars[c];
                match open {
                    None if ch == '#' && (c == 0 || chars[c - 1] == ' ') => break,
                    // A quote starts a scalar only after a separator.
                    None if (ch == '"' || ch == '\'')
                        && (c == 0 || matches!(chars[c - 1], ' ' | '[' | ',' | '{' | ':')) =>
                    {
                        open = Some((ch, c));
                    }
                    Some(('"', _)) if ch == '\\' => c += 1,
                    Some((q, _)) if ch == q => {
                        if q == '\'' && chars.get(c + 1) == Some(&'\'') {
                            c += 1;
                        } else {
                            open = None;
                        }
                    }
                    _ => {}
                }
                c += 1;
            }
            if let Some((_, at)) = open {
                last = Some(Pos {
                    line: i + 1,
                    col: at + 1,
                    width: 1,
                });
            }
        }
        last
    }

    fn find_between(&self, start: usize, end: usize, needle: &str) -> Option<Pos> {
        (start..end.min(self.lines.len())).find_map(|i| {
            let line = self.lines[i];
            line.find(needle).map(|byte| Pos {
                line: i + 1,
                col: line[..byte].chars().count() + 1,
                width: needle.chars().count(),
            })
        })
    }
}

fn is_top_key(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .map(|rest| rest.trim_start().starts_with(':'))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "name: x\nstart: y\nsteps:\n  - goto: a\n  - click:\n      css: \"#b\"\n  -   fill: { css: c, value: \"${nope}\" }\nvars:\n  a: 1\n";

    #[test]
    fn finds_steps_and_their_keys() {
        let map = SourceMap::new(SRC);
        assert_eq!(
            map.step(0),
            Pos {
                line: 4,
                col: 5,
                width: 4
            }
        );
        assert_eq!(
            map.step(1),
            Pos {
                line: 5,
                col: 5,
                width: 5
            }
        );
        assert_eq!(
            map.step(2),
            Pos {
                line: 7,
                col: 7,
                width: 4
            }
        );
        assert_eq!(map.in_step(1, "#b").line, 6);
        assert_eq!(map.in_step(2, "${nope}").col, 31);
        assert_eq!(map.top_key("vars").unwrap().line, 8);
        assert_eq!(map.in_top("vars", "a:").unwrap().line, 9);
    }
}
