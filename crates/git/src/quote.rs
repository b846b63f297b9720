//! Path quoting as git writes paths: shared with the patch model (`kdelta_patch::quote`).

pub(crate) use kdelta_patch::quote::push_quoted_path;
