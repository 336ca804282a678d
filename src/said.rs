//! A sentence a person reads, kept as its catalogue key and its arguments, so that it can be
//! said in either language: the run record keeps it in English (`--json` never changes with
//! the language), the terminal says it in the person's (the catalogue, `locales/*.toml`).

use std::fmt;

/// A message of the catalogue with its arguments, or words that are not in it (a page's
/// own text, a driver's error), which read the same in every language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    Key {
        key: &'static str,
        args: Vec<(&'static str, Said)>,
    },
    Plain(String),
    /// Steps taken one after the other: `a → b → c`.
    Chain(Vec<Said>),
}

impl Said {
    pub fn key(key: &'static str) -> Said {
        Said::Key {
            key,
            args: Vec::new(),
        }
    }

    /// Fills `%{name}` of the message.
    pub fn with(mut self, name: &'static str, value: impl IntoSaid) -> Said {
        if let Said::Key { args, .. } = &mut self {
            args.push((name, value.into_said()));
        }
        self
    }

    /// The sentence in `locale` (`en` or `zh`).
    pub fn in_lang(&self, locale: &str) -> String {
        match self {
            Said::Plain(text) => text.clone(),
            Said::Chain(parts) => parts
                .iter()
                .map(|p| p.in_lang(locale))
                .collect::<Vec<_>>()
                .join(" → "),
            Said::Key { key, args } => {
                let text = rust_i18n::t!(*key, locale = locale);
                let names: Vec<&str> = args.iter().map(|(n, _)| *n).collect();
                let values: Vec<String> = args.iter().map(|(_, v)| v.in_lang(locale)).collect();
                rust_i18n::replace_patterns(&text, &names, &values)
            }
        }
    }

    /// In English, as the run record keeps it.
    pub fn english(&self) -> String {
        self.in_lang("en")
    }

    /// In the language this process speaks (`--lang`, else the locale).
    pub fn here(&self) -> String {
        self.in_lang(&rust_i18n::locale())
    }
}

/// English, as the record keeps it.
impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

/// What can fill a message's `%{name}`.
pub trait IntoSaid {
    fn into_said(self) -> Said;
}

impl IntoSaid for Said {
    fn into_said(self) -> Said {
        self
    }
}

macro_rules! plain {
    ($($t:ty),*) => {$(
        impl IntoSaid for $t {
            fn into_said(self) -> Said {
                Said::Plain(self.to_string())
            }
        }
    )*};
}
plain!(String, &str, &String, usize, u64, u32, u16, i32, i64, f32, f64);

impl From<String> for Said {
    fn from(text: String) -> Said {
        Said::Plain(text)
    }
}

impl From<&str> for Said {
    fn from(text: &str) -> Said {
        Said::Plain(text.to_string())
    }
}

/// `said!("fail.not_found", what = target, url = url)`: a catalogue message with its
/// arguments.
#[macro_export]
macro_rules! said {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::said::Said::key($key)$(.with(stringify!($name), $value))*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `said!` key in the sources has both languages in the catalogue, and every
    /// entry of the catalogue has both. The catalogue is every file in `locales/`, as
    /// rust-i18n loads it.
    #[test]
    fn every_key_is_in_the_catalogue_in_both_languages() {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/locales"));
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        assert!(files.len() > 1, "{files:?}");
        let mut catalogue = toml::Table::new();
        for file in &files {
            let table: toml::Table =
                toml::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
            merge(&mut catalogue, table, "", file);
        }
        let mut sections = 0;
        for (name, value) in &catalogue {
            let Some(table) = value.as_table() else {
                continue;
            };
            walk(name, table, &mut sections);
        }
        assert!(sections > 50, "{sections} messages");
        let mut used = Vec::new();
        collect(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
            &mut used,
        );
        assert!(used.len() > 20, "{} keys used", used.len());
        for key in used {
            let said = Said::key(Box::leak(key.clone().into_boxed_str()));
            for lang in ["en", "zh"] {
                let text = said.in_lang(lang);
                assert!(
                    text != key && text != format!("{lang}.{key}"),
                    "{key} has no {lang}"
                );
                assert!(!text.is_empty(), "{key} is empty in {lang}");
            }
        }
    }

    /// Adds `from` to `into`, table by table; a message given in two places is a mistake
    /// (which one is said would depend on the order the files are read in).
    fn merge(into: &mut toml::Table, from: toml::Table, name: &str, file: &std::path::Path) {
        for (k, v) in from {
            let path = format!("{name}.{k}");
            match (into.get_mut(&k), v) {
                (Some(toml::Value::Table(old)), toml::Value::Table(new)) => {
                    merge(old, new, &path, file)
                }
                (Some(_), _) if k != "_version" => {
                    panic!("{path} is given twice (again in {})", file.display())
                }
                (Some(_), _) => {}
                (None, v) => {
                    into.insert(k, v);
                }
            }
        }
    }

    fn walk(name: &str, table: &toml::Table, count: &mut usize) {
        if table.contains_key("en") || table.contains_key("zh") {
            assert!(
                table.contains_key("en") && table.contains_key("zh"),
                "{name} lacks a language"
            );
            *count += 1;
            return;
        }
        for (k, v) in table {
            if let Some(t) = v.as_table() {
                walk(&format!("{name}.{k}"), t, count);
            }
        }
    }

    fn collect(dir: &std::path::Path, used: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, used);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for part in text.split("said!(\"").skip(1) {
                    if let Some(end) = part.find('"') {
                        used.push(part[..end].to_string());
                    }
                }
            }
        }
    }

    #[test]
    fn arguments_are_said_in_the_same_language() {
        let inner = crate::said!("step.ok");
        let outer = crate::said!(
            "fail.at_step",
            step = 3usize,
            kind = "click",
            line = 9usize,
            why = inner
        );
        assert!(
            outer.in_lang("zh").contains("完成"),
            "{}",
            outer.in_lang("zh")
        );
        assert!(outer.english().contains("ok"), "{}", outer.english());
        assert!(outer.english().contains("step 3"), "{}", outer.english());
    }
}
