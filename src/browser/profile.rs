//! Saved sessions: a persistent browser profile per platform account, so the next run
//! skips the login. Profiles live in `$JIEYUE_HOME/profiles/NAME` (default
//! `$XDG_DATA_HOME/jieyue`, else `~/.local/share/jieyue`), readable by the owner alone:
//! they hold the platform's login cookies.

use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::PathBuf;

/// Where jieyue keeps what outlives a run.
pub fn home() -> PathBuf {
    if let Some(dir) = std::env::var_os("JIEYUE_HOME") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(dir).join("jieyue");
    }
    let home = std::env::var_os("HOME").unwrap_or_else(|| ".".into());
    PathBuf::from(home).join(".local/share/jieyue")
}

/// The folder of profile `name`, created owner-only (0700) if missing. A name is letters,
/// digits, `-`, `_` and `.`: it becomes a folder name.
/// Why a profile cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error(
        "`{0}` is not a profile name: use letters, digits, - _ or . (e.g. --profile xinghe-138)"
    )]
    BadName(String),
    #[error("cannot create {}: {source}", path.display())]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot protect {}: {source}", path.display())]
    Protect {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub fn profile_dir(name: &str) -> Result<PathBuf, ProfileError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        return Err(ProfileError::BadName(name.to_string()));
    }
    let root = home().join("profiles");
    let dir = root.join(name);
    for d in [home(), root, dir.clone()] {
        if !d.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&d)
                .map_err(|source| ProfileError::Create {
                    path: d.clone(),
                    source,
                })?;
        }
    }
    // An existing folder is made owner-only too: it holds login cookies.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).map_err(|source| {
        ProfileError::Protect {
            path: dir.clone(),
            source,
        }
    })?;
    Ok(dir)
}
