//! What to ask: the files (or patches), the texts get_maintainer.pl would read from the tree,
//! and the options of the script that change the answer.

use crate::mailmap::Mailmap;
use crate::model::Maintainers;
use crate::patch;
use crate::Answer;

/// The options of get_maintainer.pl that change the answer; the defaults are the script's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--s`: include subscribers-only lists (default off).
    pub subscriber_lists: bool,
    /// `--moderated`: include moderated lists (default on).
    pub moderated_lists: bool,
    /// `--keywords`: match `K:` patterns against patches (default on).
    pub keywords: bool,
    /// `--pattern-depth`: only sections whose pattern is fewer than this many directories
    /// above the file (default 0: all).
    pub pattern_depth: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            subscriber_lists: false,
            moderated_lists: true,
            keywords: true,
            pattern_depth: 0,
        }
    }
}

/// A question: which files, which patches' content to match `K:` keywords against, and the
/// text of the files the script would read (`.yaml` files: it adds the addresses in them).
#[derive(Debug, Clone, Default)]
pub struct Query<'a> {
    /// The files, as paths from the top of the tree (`drivers/xen/events/events_base.c`).
    pub files: Vec<String>,
    /// Patch texts whose lines are matched against `K:` keywords.
    pub patches: Vec<&'a str>,
    /// `(path, text)` of files of the query; the addresses in `.yaml` files are added with
    /// the role `in file`, as get_maintainer.pl does.
    pub file_texts: Vec<(&'a str, &'a str)>,
    /// The options.
    pub options: Options,
}

impl<'a> Query<'a> {
    /// `get_maintainer.pl -f FILE...`: files in the given order.
    pub fn files<S: Into<String>>(paths: impl IntoIterator<Item = S>) -> Query<'a> {
        Query {
            files: paths.into_iter().map(Into::into).collect(),
            ..Query::default()
        }
    }

    /// `get_maintainer.pl PATCH...`: the files the patches name, sorted, and their content
    /// for `K:` keywords.
    pub fn patches(patches: impl IntoIterator<Item = &'a str>) -> Query<'a> {
        let patches: Vec<&str> = patches.into_iter().collect();
        let mut files: Vec<String> = patches.iter().flat_map(|p| patch::scan(p).files).collect();
        files.sort();
        files.dedup();
        Query {
            files,
            patches,
            ..Query::default()
        }
    }

    /// Adds content matched against `K:` keywords as a patch is.
    pub fn with_content(mut self, patch: &'a str) -> Query<'a> {
        self.patches.push(patch);
        self
    }

    /// Adds the text of a file of the query.
    pub fn with_file_text(mut self, path: &'a str, text: &'a str) -> Query<'a> {
        self.file_texts.push((path, text));
        self
    }

    /// Sets the options.
    pub fn with_options(mut self, options: Options) -> Query<'a> {
        self.options = options;
        self
    }
}

impl Maintainers {
    /// Who maintains `paths` (`get_maintainer.pl -f`); `content`, when given, is matched
    /// against `K:` keywords as a patch is.
    pub fn for_files(&self, paths: &[&str], content: Option<&str>) -> Answer {
        let mut query = Query::files(paths.iter().copied());
        query.patches.extend(content);
        self.answer(&query)
    }

    /// Who should receive `patch` (`get_maintainer.pl PATCH`).
    pub fn for_patch(&self, patch: &str) -> Answer {
        self.answer(&Query::patches([patch]))
    }

    /// Applies the kernel's `.mailmap` to the addresses of answers, as the script does.
    pub fn with_mailmap(mut self, mailmap: Mailmap) -> Maintainers {
        self.mailmap = mailmap;
        self
    }

    /// Settles which `F:`/`X:` patterns name a directory of the tree (get_maintainer.pl's
    /// `-d $value`, which then matches everything below it). `is_dir` is asked with the
    /// pattern as a path from the top of the tree. Without this, a pattern counts as a
    /// directory for the paths below it, which is right for every path of the tree except a
    /// sibling sharing the prefix (`drivers/foo.c` next to the directory `drivers/foo`).
    pub fn resolve_directories(&mut self, mut is_dir: impl FnMut(&str) -> bool) {
        for section in &mut self.sections {
            for rule in &mut section.patterns {
                if let crate::model::PathRule::File(p) | crate::model::PathRule::Exclude(p) = rule {
                    p.resolve_directory(&mut is_dir);
                }
            }
        }
    }
}
