//! The help a person reads, in their language: the English comes from the commands'
//! own documentation; another language replaces, from the catalogue, each text it has
//! (`help.about`, `help.<command>.about`, `help.<command>.arg.<id>`, `help.arg.<id>`).

use clap::{Command, CommandFactory};

use super::Cli;

/// The command line of this process, read with its help in the person's language.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    super::say::choose(lang_of_args(&args));
    let matches = command().get_matches_from(args);
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// The command line with its help texts in the language of this process.
pub(super) fn command() -> Command {
    let cmd = Cli::command();
    if &*rust_i18n::locale() == "en" {
        return cmd;
    }
    localize(cmd, "")
}

fn localize(mut cmd: Command, path: &str) -> Command {
    let here = |part: &str| {
        if path.is_empty() {
            format!("help.{part}")
        } else {
            format!("help.{path}.{part}")
        }
    };
    if let Some(about) = text(&here("about")) {
        cmd = cmd.about(about).long_about(None);
    }
    if let Some(after) = text(&here("after")) {
        cmd = cmd.after_help(after);
    }
    let layout = template(&cmd);
    cmd = cmd.help_template(layout).disable_help_flag(true).arg(
        clap::Arg::new("help")
            .short('h')
            .long("help")
            .action(clap::ArgAction::Help)
            .help(text("help.flag").unwrap_or_else(|| "Print help".into())),
    );
    cmd = cmd.mut_args(|arg| {
        let id = arg.get_id().to_string();
        match text(&here(&format!("arg.{id}"))).or_else(|| text(&format!("help.arg.{id}"))) {
            Some(help) => arg.help(help).long_help(None),
            None => arg,
        }
    });
    cmd.mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        let inner = if path.is_empty() {
            name
        } else {
            format!("{path}.{name}")
        };
        localize(sub, &inner)
    })
}

/// The help's layout with its headings in this language; a part the command lacks has no
/// heading.
fn template(cmd: &Command) -> String {
    let heading = |key: &str, fallback: &str| text(key).unwrap_or_else(|| fallback.into());
    let mut t = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n",
        heading("help.heading.usage", "Usage:")
    );
    if cmd.has_subcommands() {
        t += &format!(
            "\n{}\n{{subcommands}}\n",
            heading("help.heading.commands", "Commands:")
        );
    }
    if cmd.get_positionals().next().is_some() {
        t += &format!(
            "\n{}\n{{positionals}}\n",
            heading("help.heading.arguments", "Arguments:")
        );
    }
    t += &format!(
        "\n{}\n{{options}}{{after-help}}",
        heading("help.heading.options", "Options:")
    );
    t
}

/// The catalogue's text under `key` in this language, if it has one of its own.
fn text(key: &str) -> Option<String> {
    let locale = rust_i18n::locale();
    let said = rust_i18n::t!(key, locale = &*locale).to_string();
    let english = rust_i18n::t!(key, locale = "en").to_string();
    let missing = said == key || said == format!("{}.{key}", &*locale);
    (!missing && said != english).then_some(said)
}

/// The language before the arguments are parsed: `--lang` among them, else the locale.
pub(super) fn lang_of_args(args: &[std::ffi::OsString]) -> Option<super::say::Lang> {
    let mut words = args.iter().filter_map(|a| a.to_str());
    while let Some(word) = words.next() {
        let value = match word.strip_prefix("--lang") {
            Some("") => words.next(),
            Some(rest) => rest.strip_prefix('='),
            None => continue,
        };
        return match value {
            Some("zh") => Some(super::say::Lang::Zh),
            Some("en") => Some(super::say::Lang::En),
            _ => None,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every help text of the catalogue names a command or an argument that exists, so a
    /// renamed flag cannot leave its translation behind unnoticed.
    #[test]
    fn every_help_text_belongs_to_a_command_or_an_argument() {
        let catalogue: toml::Table = toml::from_str(
            &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/app.toml"))
                .unwrap(),
        )
        .unwrap();
        let help = catalogue["help"].as_table().unwrap();
        let root = Cli::command();
        let mut ids = std::collections::BTreeSet::new();
        fn all(cmd: &Command, ids: &mut std::collections::BTreeSet<String>) {
            ids.extend(cmd.get_arguments().map(|a| a.get_id().to_string()));
            cmd.get_subcommands().for_each(|s| all(s, ids));
        }
        all(&root, &mut ids);
        let mut checked = 0;
        for (name, value) in help {
            let table = value.as_table().unwrap();
            match name.as_str() {
                "about" | "after" | "heading" | "flag" => {}
                "arg" => {
                    for id in table.keys() {
                        assert!(ids.contains(id), "help.arg.{id}: no such argument");
                        checked += 1;
                    }
                }
                sub => {
                    let cmd = sub
                        .split('.')
                        .try_fold(&root, |c, part| c.find_subcommand(part))
                        .unwrap_or_else(|| panic!("help.{sub}: no such command"));
                    if let Some(args) = table.get("arg").and_then(|a| a.as_table()) {
                        for id in args.keys() {
                            assert!(
                                cmd.get_arguments().any(|a| a.get_id() == id.as_str()),
                                "help.{sub}.arg.{id}: no such argument"
                            );
                        }
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 30, "{checked} help texts");
    }

    #[test]
    fn the_language_flag_is_seen_before_parsing() {
        let args = |s: &str| s.split(' ').map(Into::into).collect::<Vec<_>>();
        assert_eq!(
            lang_of_args(&args("jieyue --lang zh run x")),
            Some(super::super::say::Lang::Zh)
        );
        assert_eq!(
            lang_of_args(&args("jieyue run x --lang=en")),
            Some(super::super::say::Lang::En)
        );
        assert_eq!(lang_of_args(&args("jieyue run x")), None);
    }
}
