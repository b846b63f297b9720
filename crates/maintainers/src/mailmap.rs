//! The kernel's `.mailmap`, as get_maintainer.pl reads it (`read_mailmap`) and applies it to
//! every address it prints (`mailmap_email`).

use crate::perl::{constant, format_email, parse_email, Constant};
use std::collections::HashMap;
use std::sync::LazyLock;

/// `name1 <mail1>`
static NAME: Constant = LazyLock::new(|| constant(r"^([^<]+)<([^>]+)>\z"));
/// `<mail1> <mail2>`
static ADDRESS: Constant = LazyLock::new(|| constant(r"^<([^>]+)>\s*<([^>]+)>\z"));
/// `name1 <mail1> <mail2>`
static NAME_ADDRESS: Constant = LazyLock::new(|| constant(r"^(.+)<([^>]+)>\s*<([^>]+)>\z"));
/// `name1 <mail1> name2 <mail2>`
static BOTH: Constant = LazyLock::new(|| constant(r"^(.+)<([^>]+)>\s*(.+)\s*<([^>]+)>\z"));

/// Real names and addresses, keyed by an address or by `Name <address>`.
#[derive(Debug, Clone, Default)]
pub struct Mailmap {
    names: HashMap<String, String>,
    addresses: HashMap<String, String>,
}

impl Mailmap {
    /// Reads a `.mailmap` (see `git help shortlog`). Lines of no known form are ignored, as
    /// get_maintainer.pl ignores them.
    pub fn parse(text: &str) -> Mailmap {
        let mut map = Mailmap::default();
        for line in text.split('\n') {
            let line = line.split('#').next().unwrap_or("").trim();
            if !line.is_empty() {
                map.add_line(line);
            }
        }
        map
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.addresses.is_empty()
    }

    /// One trimmed line.
    fn add_line(&mut self, line: &str) {
        let groups = |re: &Constant| -> Option<Vec<String>> {
            let found = re.as_ref()?.captures(line)?;
            Some(
                found
                    .iter()
                    .skip(1)
                    .map(|m| m.map_or("", |m| m.as_str()).to_owned())
                    .collect(),
            )
        };
        if let Some(g) = groups(&NAME) {
            let (name, address) = parse_email(&format!("{} <{}>", g[0].trim_end(), g[1]));
            self.names.insert(address, name);
        } else if let Some(g) = groups(&ADDRESS) {
            self.addresses.insert(g[1].clone(), g[0].clone());
        } else if let Some(g) = groups(&NAME_ADDRESS) {
            let (name, address) = parse_email(&format!("{} <{}>", g[0].trim_end(), g[1]));
            self.names.insert(g[2].clone(), name);
            self.addresses.insert(g[2].clone(), address);
        } else if let Some(g) = groups(&BOTH) {
            let (name, address) = parse_email(&format!("{} <{}>", g[0].trim_end(), g[1]));
            let (wrong_name, wrong_address) =
                parse_email(&format!("{} <{}>", g[2].trim_end(), g[3]));
            let wrong = format_email(&wrong_name, &wrong_address);
            self.names.insert(wrong.clone(), name);
            self.addresses.insert(wrong, address);
        }
    }

    /// `mailmap_email`: the real `Name <address>` of `email`.
    pub fn apply(&self, email: &str) -> String {
        let (name, address) = parse_email(email);
        let key = format_email(&name, &address);
        let key = if self.names.contains_key(&key) || self.addresses.contains_key(&key) {
            key
        } else {
            address.clone()
        };
        let real_name = self.names.get(&key).unwrap_or(&name);
        let real_address = self.addresses.get(&key).unwrap_or(&address);
        format_email(real_name, real_address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_forms() {
        let map = Mailmap::parse(
            "# comment\n\
             Ada Lovelace <ada@new.org>\n\
             <ada@new.org> <ada@old.org>  # moved\n\
             Bob B <bob@new.org> <bob@old.org>\n\
             Carl C <carl@new.org> Karl <carl@old.org>\n",
        );
        assert_eq!(
            map.apply("A. L. <ada@new.org>"),
            "Ada Lovelace <ada@new.org>"
        );
        assert_eq!(map.apply("Ada <ada@old.org>"), "Ada <ada@new.org>");
        assert_eq!(map.apply("bob@old.org"), "Bob B <bob@new.org>");
        assert_eq!(map.apply("Karl <carl@old.org>"), "Carl C <carl@new.org>");
        assert_eq!(
            map.apply("Someone <carl@old.org>"),
            "Someone <carl@old.org>"
        );
        assert_eq!(map.apply("x@y.z"), "x@y.z");
    }

    #[test]
    fn constants_compile() {
        for re in [&NAME, &ADDRESS, &NAME_ADDRESS, &BOTH] {
            assert!(re.is_some());
        }
    }
}
