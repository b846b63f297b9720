//! `kdelta serve --demo`: the shared demo (three distributions that carry some of the same
//! patches, one upstream repository) written to a directory, with a configuration file
//! serving it, which a person can read and edit.

use crate::config::{Config, DistributionConfig};
use crate::ServerError;
use std::path::{Path, PathBuf};

/// The configuration file the demo writes, under its directory.
pub const CONFIG: &str = "kdelta-serve.toml";

/// Write the demo under `dir` and its configuration; the configuration's path.
pub fn write(dir: &Path) -> Result<PathBuf, ServerError> {
    // The configuration's paths are absolute: it may be read from anywhere.
    let dir = &std::path::absolute(dir).map_err(|source| ServerError::Io {
        what: format!("{}", dir.display()),
        source,
    })?;
    let demo = kdelta_demo::write_shared_demo(dir).map_err(|e| ServerError::Demo(e.to_string()))?;
    let config = Config {
        poll_seconds: 60,
        public: true,
        distributions: demo
            .distributions
            .iter()
            .map(|d| DistributionConfig {
                name: d.name.to_lowercase().replace(' ', "-"),
                title: Some(d.name.clone()),
                release: Some("1.0".into()),
                queue: Some(d.queue.display().to_string()),
                include: Vec::new(),
                upstream: Some(demo.upstream.clone()),
                index: Some(dir.join("upstream-index.sqlite")),
                at: None,
                release_pattern: Some("v*".into()),
                tree: None,
                archive: None,
                archive_url: None,
                target_release: None,
                annotations: d.annotations.clone(),
                commit_url: None,
            })
            .collect(),
    };
    let text = format!(
        "# kdelta serve --demo: the distributions it serves (see `kdelta serve --help`)\n{}",
        toml::to_string_pretty(&config).map_err(|e| ServerError::Demo(e.to_string()))?
    );
    let path = dir.join(CONFIG);
    kdelta_annotations::write_atomically(&path, text.as_bytes()).map_err(|source| {
        ServerError::Io {
            what: format!("writing {}", path.display()),
            source,
        }
    })?;
    Ok(path)
}
