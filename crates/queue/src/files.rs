//! A queue's files opened again, to write a changed copy of the queue: the series (or
//! spec) file's text and each patch's bytes as the source has them, from the same tree and
//! layout [`crate::read_queue`] reads (a directory, a `.dsc`, a tarball, a git revision).

use crate::layout::Layout;
use crate::read::files::open_path;
use crate::read::{choose_layout, open_git, resolve};
use crate::tree::Tree;
use crate::{QueueError, QueueSpec};

/// The tree a queue lives in, and the layout it is read with.
pub struct QueueFiles {
    tree: Box<dyn Tree>,
    layout: Layout,
}

impl QueueFiles {
    /// Open the queue `spec` names; `None` for a queue without a series of its own (an
    /// mbox, a single patch, a git range).
    pub fn open(spec: &QueueSpec) -> Result<Option<QueueFiles>, QueueError> {
        let (tree, layout): (Box<dyn Tree>, Option<Layout>) = match spec {
            QueueSpec::Path(path) => match open_path(path)? {
                Some(opened) => (opened.tree, opened.layout),
                None => return Ok(None),
            },
            QueueSpec::GitRev { repo, rev, subdir } => open_git(repo, rev, subdir.as_deref())?,
            QueueSpec::GitRange { .. } => return Ok(None),
        };
        let layout = match layout {
            Some(layout) => layout,
            None => choose_layout(tree.as_ref())?.0,
        };
        Ok(Some(QueueFiles { tree, layout }))
    }

    /// The layout.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The series (or spec) file's path in the tree and its text, when the layout has one.
    pub fn series(&self) -> Result<Option<(String, Vec<u8>)>, QueueError> {
        let Some(path) = &self.layout.series else {
            return Ok(None);
        };
        Ok(self.tree.read(path)?.map(|text| (path.clone(), text)))
    }

    /// The bytes of the patch the series names `name`, when it exists in the queue.
    pub fn patch(&self, name: &str) -> Result<Option<Vec<u8>>, QueueError> {
        match resolve(self.tree.as_ref(), &self.layout, name)? {
            Some(path) => self.tree.read(&path),
            None => Ok(None),
        }
    }

    /// The path in the tree of the patch the series names `name`, when it exists.
    pub fn path(&self, name: &str) -> Result<Option<String>, QueueError> {
        resolve(self.tree.as_ref(), &self.layout, name)
    }
}
