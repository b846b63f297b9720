//! Abbreviated object ids as git's `repo_find_unique_abbrev()` writes them.
//!
//! With `core.abbrev` unset (or `auto`), git starts from a length scaled by the number
//! of *packed* objects (loose ones are not counted): `max(7, ceil((msb(count) + 1) / 2))`
//! hex digits, e.g. 7 for a fresh repository with only loose objects and 10 for ~550k
//! packed objects; an explicit `core.abbrev` (4..=40, or a false boolean for 40)
//! replaces that start. Either way the prefix is then lengthened until it is unique
//! among all objects. gitoxide's `Id::shorten()` implements the same rule; this type
//! does it with the start length computed once, and skips the lookup for ids that are
//! not in the repository (the null id, submodule commits), which git leaves at the
//! start length in practice.

use bstr::ByteSlice;
use gix::odb::store::prefix::disambiguate::Candidate;
use gix::ObjectId;

/// The abbreviation start length of one repository.
pub(crate) struct Abbrev {
    hex_len: usize,
}

impl Abbrev {
    /// Compute the start length from `core.abbrev` and the packed object count.
    pub fn new(repo: &gix::Repository) -> Abbrev {
        let full = repo.object_hash().len_in_hex();
        let configured = repo
            .config_snapshot()
            .string("core.abbrev")
            .and_then(|value| {
                let value = value.to_str_lossy().trim().to_ascii_lowercase();
                match value.as_str() {
                    "auto" => None,
                    "false" | "no" | "off" => Some(full),
                    n => n.parse::<usize>().ok().filter(|n| (4..=full).contains(n)),
                }
            });
        let hex_len = configured.unwrap_or_else(|| {
            let count = repo.objects.packed_object_count().unwrap_or(0);
            let bits = 64 - count.leading_zeros() as usize;
            bits.div_ceil(2).max(7)
        });
        Abbrev {
            hex_len: hex_len.min(full),
        }
    }

    /// Append the abbreviation of `id`; `exists` says whether `id` names an object of
    /// the repository (only those are lengthened to be unique).
    pub fn push(&self, repo: &gix::Repository, out: &mut Vec<u8>, id: &ObjectId, exists: bool) {
        let mut len = self.hex_len;
        if exists && !id.is_null() {
            if let Ok(candidate) = Candidate::new(*id, self.hex_len) {
                if let Ok(Some(prefix)) = repo.objects.disambiguate_prefix(candidate) {
                    len = prefix.hex_len();
                }
            }
        }
        let hex = id.to_hex_with_len(len).to_string();
        out.extend_from_slice(hex.as_bytes());
    }
}
