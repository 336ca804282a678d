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
        let lines: Vec<&str> = src.lines().collect();
        let mut step_lines = Vec::new();
        let mut steps_end = lines.len();
        if let Some(start) = lines.iter().position(|l| is_top_key(l, "steps")) {
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
