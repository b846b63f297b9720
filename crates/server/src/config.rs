//! The server's configuration file (TOML): how often to poll, and the
//! distributions to serve, each with its queue, upstream and annotations. Relative paths are
//! taken from the file's directory. A mistake is reported with the file and line.

use kdelta_jobs::analyse::QueueSource;
use kdelta_jobs::report::ReportJob;
use kdelta_jobs::UpstreamSpec;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The whole configuration.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// How often the queues' and upstreams' revisions are checked, in seconds.
    #[serde(default = "five_minutes")]
    pub poll_seconds: u64,
    /// Whether anyone may read the site. When not, reading needs an account with a role on
    /// each distribution read (viewer or above).
    #[serde(default = "yes")]
    pub public: bool,
    /// The distributions.
    #[serde(default, rename = "distribution")]
    pub distributions: Vec<DistributionConfig>,
}

fn five_minutes() -> u64 {
    300
}

fn yes() -> bool {
    true
}

/// One distribution to serve.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DistributionConfig {
    /// Its name, in URLs: letters, digits, `.`, `_`, `-`.
    pub name: String,
    /// Its name in headings; default: `name`.
    pub title: Option<String>,
    /// The distribution's release in headings (`13.1`, `trixie`).
    pub release: Option<String>,
    /// The queue spec: a directory, a file (`.dsc`, `.spec`…), `REPO@REV[:SUBDIR]`. Without
    /// one, the server does not analyse the distribution: its reports are pushed
    /// (`kdelta push`).
    pub queue: Option<String>,
    /// Keep only patches whose name matches one of these globs.
    #[serde(default)]
    pub include: Vec<String>,
    /// The upstream git repository (indexed on the way).
    pub upstream: Option<PathBuf>,
    /// The upstream index file; default: one per upstream in the cache directory.
    pub index: Option<PathBuf>,
    /// The upstream revision to judge against; default: HEAD.
    pub at: Option<String>,
    /// Tags matching this glob are releases.
    pub release_pattern: Option<String>,
    /// An upstream source tree: a directory or a tarball.
    pub tree: Option<PathBuf>,
    /// The mailing-list archive index (`kdelta archive index`) postings are found in.
    pub archive: Option<PathBuf>,
    /// Link postings: a URL with `%s` for the Message-ID (`https://lore.kernel.org/r/%s`).
    pub archive_url: Option<String>,
    /// The release judged against, when the tree does not say (`6.12`).
    pub target_release: Option<String>,
    /// The team's annotations file, read at each refresh.
    pub annotations: Option<PathBuf>,
    /// Link upstream commits: a URL with `{commit}`.
    pub commit_url: Option<String>,
}

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid (with its line when known).
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The line, from 1.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
}

impl Config {
    /// Read the configuration at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        Config::parse(&text, path, base)
    }

    /// The configuration in `text` (read from `path`, for messages), with relative paths
    /// taken from `base`.
    pub fn parse(text: &str, path: &Path, base: &Path) -> Result<Config, ConfigError> {
        let invalid = |line: Option<usize>, message: String| ConfigError::Invalid {
            path: path.into(),
            line,
            message,
        };
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            invalid(line, e.message().to_string())
        })?;
        let mut seen = std::collections::HashSet::new();
        for d in &mut config.distributions {
            if !valid_name(&d.name) {
                return Err(invalid(
                    line_of(text, &d.name),
                    format!(
                        "distribution name {:?}: use letters, digits, '.', '_' and '-'",
                        d.name
                    ),
                ));
            }
            if !seen.insert(d.name.clone()) {
                return Err(invalid(
                    line_of(text, &d.name),
                    format!("two distributions are called {:?}", d.name),
                ));
            }
            d.resolve(base);
        }
        Ok(config)
    }
}

/// The first line of `text` that names `name` as a quoted string.
fn line_of(text: &str, name: &str) -> Option<usize> {
    let quoted = format!("\"{name}\"");
    text.lines()
        .position(|l| l.contains(&quoted))
        .map(|i| i + 1)
}

/// Whether `name` can be a distribution's name in URLs.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && !name.starts_with('.')
}

impl DistributionConfig {
    /// Take relative paths from `base`.
    fn resolve(&mut self, base: &Path) {
        let at = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        for p in [
            &mut self.upstream,
            &mut self.index,
            &mut self.tree,
            &mut self.annotations,
        ]
        .into_iter()
        .flatten()
        {
            at(p);
        }
        // A queue spec may be REPO@REV: only its path part is relative.
        if let Some(queue) = &mut self.queue {
            if !Path::new(queue.as_str()).is_absolute() {
                *queue = base.join(&*queue).display().to_string();
            }
        }
    }

    /// Its name in headings.
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }

    /// The report job this distribution runs; none when its reports are pushed.
    pub fn job(&self) -> Option<ReportJob> {
        Some(ReportJob {
            queue: QueueSource {
                spec: self.queue.clone()?,
                include: self.include.clone(),
            },
            upstream: UpstreamSpec {
                repository: self.upstream.clone(),
                index: self.index.clone(),
                at: self.at.clone(),
                release_pattern: self.release_pattern.clone(),
                no_update: false,
                target_release: self
                    .target_release
                    .as_deref()
                    .and_then(kdelta_patch::Version::parse),
                no_tree_cache: false,
                archive: self.archive.clone(),
                posting_match: Default::default(),
                archive_url: self.archive_url.clone(),
            },
            tree: self.tree.clone(),
            name: Some(self.title().to_string()),
            release: self.release.clone(),
            commit_url: self.commit_url.clone(),
            generated_at: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Config;
    use std::path::Path;

    #[test]
    fn distributions_with_paths_from_the_file() {
        let text = r#"
poll_seconds = 60
[[distribution]]
name = "debian"
queue = "debian/linux_6.12.dsc"
tree = "/trees/linux-6.12.tar.xz"
annotations = "notes/debian.toml"
"#;
        let c = Config::parse(text, Path::new("/etc/k.toml"), Path::new("/etc")).expect("ok");
        assert_eq!(c.poll_seconds, 60);
        let d = &c.distributions[0];
        assert_eq!(d.queue.as_deref(), Some("/etc/debian/linux_6.12.dsc"));
        assert_eq!(
            d.tree.as_deref(),
            Some(Path::new("/trees/linux-6.12.tar.xz"))
        );
        assert_eq!(
            d.annotations.as_deref(),
            Some(Path::new("/etc/notes/debian.toml"))
        );
        assert_eq!(d.title(), "debian");
    }

    #[test]
    fn mistakes_name_the_file_and_line() {
        let bad = "poll_seconds = 5\n[[distribution]]\nname = \"x\"\nqueue = \"q\"\nqueeu = 1\n";
        let err = Config::parse(bad, Path::new("k.toml"), Path::new("")).expect_err("unknown key");
        assert!(err.to_string().starts_with("k.toml:5: "), "{err}");
        let twice = "[[distribution]]\nname = \"a\"\nqueue = \"q\"\n[[distribution]]\nname = \"a\"\nqueue = \"r\"\n";
        let err = Config::parse(twice, Path::new("k.toml"), Path::new("")).expect_err("twice");
        assert!(
            err.to_string()
                .contains("two distributions are called \"a\""),
            "{err}"
        );
        let slash = "[[distribution]]\nname = \"a/b\"\nqueue = \"q\"\n";
        let err = Config::parse(slash, Path::new("k.toml"), Path::new("")).expect_err("name");
        assert!(err.to_string().starts_with("k.toml:2: "), "{err}");
    }
}
