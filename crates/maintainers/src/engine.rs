//! get_maintainer.pl's `get_maintainers`, step by step: match each file against every
//! section, take the matched sections from the most to the least specific pattern, add their
//! people and lists (`add_categories`), then the sections of matching `K:` keywords, then
//! de-duplicate addresses (`deduplicate_email`, with the mailmap), drop Linus Torvalds (the
//! script leaves THE REST's maintainer out unless asked), add addresses found in `.yaml` files,
//! and merge what is left (`merge_email`).

use crate::answer::{Answer, List, ListKind, Person, Role, RoleKind, SectionRef};
use crate::emails;
use crate::mailmap::Mailmap;
use crate::model::{Maintainers, PathRule, Section, Tag};
use crate::pattern::slash_count;
use crate::perl::{contains_dotted, format_email, lc, parse_email, split_addresses};
use crate::query::{Options, Query};
use std::collections::{HashMap, HashSet};

/// Whom get_maintainer.pl leaves out unless `--git-chief-penguins`.
const CHIEF_PENGUIN: &str = "Linus Torvalds <torvalds@linux-foundation.org>";

impl Maintainers {
    /// Answers `query` as get_maintainer.pl with `--no-git` (this crate reads no history).
    pub fn answer(&self, query: &Query<'_>) -> Answer {
        let mut run = Run::new(self, &query.options);
        let mut git_fallback = Vec::new();
        for file in &query.files {
            let (matched, exact) = self.match_file(file, query.options.pattern_depth);
            if !exact && !file.ends_with("MAINTAINERS") && !git_fallback.contains(file) {
                git_fallback.push(file.clone());
            }
            for section in matched {
                run.add_section(section, None, Some(file));
            }
        }
        if query.options.keywords {
            for keyword in self.matching_keywords(&query.patches) {
                run.add_section(keyword.section, Some(&keyword.raw), None);
            }
        }
        run.deduplicate(&self.mailmap);
        run.people
            .retain(|p| !contains_dotted(&p.email, CHIEF_PENGUIN));
        for file in &query.files {
            run.add_file_emails(file, &query.file_texts, &self.mailmap);
        }
        let mut answer = run.finish();
        answer.git_fallback = git_fallback;
        answer
    }

    /// The sections matching `file`, most specific first (ties in file order: the script
    /// leaves them in Perl's hash order, which varies from run to run), and whether one of
    /// them covers it exactly.
    fn match_file(&self, file: &str, pattern_depth: usize) -> (Vec<usize>, bool) {
        let file_depth = i64::try_from(slash_count(file)).unwrap_or(i64::MAX);
        let max_depth = i64::try_from(pattern_depth).unwrap_or(i64::MAX);
        let mut exact = false;
        let mut matched = Vec::new();
        for (s, section) in self.sections.iter().enumerate() {
            if excludes(section, file) {
                continue;
            }
            let mut depth = None;
            for rule in &section.patterns {
                match rule {
                    PathRule::File(p) if p.matches(file) => {
                        exact |= p.depth >= file_depth && section.exact;
                        if max_depth == 0 || file_depth.saturating_sub(p.depth) < max_depth {
                            depth = Some(p.depth);
                        }
                    }
                    PathRule::Name(n) if n.regex.is_match(file) => depth = Some(0),
                    _ => {}
                }
            }
            matched.extend(depth.map(|d| (s, d)));
        }
        matched.sort_by_key(|&(_, depth)| std::cmp::Reverse(depth));
        (matched.into_iter().map(|(s, _)| s).collect(), exact)
    }

    /// The `K:` keywords matching the patches, in the script's order.
    fn matching_keywords(&self, patches: &[&str]) -> Vec<&crate::model::Keyword> {
        let mut hits = vec![false; self.keywords.len()];
        for patch in patches {
            self.keyword_matcher.scan(patch, &mut hits);
        }
        self.keywords
            .iter()
            .zip(hits)
            .filter_map(|(k, hit)| hit.then_some(k))
            .collect()
    }
}

/// Whether an `X:` pattern of `section` matches `file`.
fn excludes(section: &Section, file: &str) -> bool {
    section
        .patterns
        .iter()
        .any(|rule| matches!(rule, PathRule::Exclude(p) if p.matches(file)))
}

/// A person as pushed (`@email_to`): the printed address, the roles, and the name and
/// address it was pushed with (the de-duplication keys).
#[derive(Debug)]
struct Pushed {
    email: String,
    roles: Vec<Role>,
    also: Vec<Role>,
    name: String,
    address: String,
}

/// The state of one `get_maintainers` run.
struct Run<'m> {
    maintainers: &'m Maintainers,
    options: &'m Options,
    people: Vec<Pushed>,
    lists: Vec<List>,
    /// `%email_hash_name`, `%email_hash_address`: people already pushed.
    names: HashSet<String>,
    addresses: HashSet<String>,
    /// `%hash_list_to`: lists already pushed.
    list_addresses: HashSet<String>,
    sections: Vec<SectionRef>,
    section_slots: HashMap<usize, usize>,
}

impl<'m> Run<'m> {
    fn new(maintainers: &'m Maintainers, options: &'m Options) -> Run<'m> {
        Run {
            maintainers,
            options,
            people: Vec::new(),
            lists: Vec::new(),
            names: HashSet::new(),
            addresses: HashSet::new(),
            list_addresses: HashSet::new(),
            sections: Vec::new(),
            section_slots: HashMap::new(),
        }
    }

    /// `add_categories`: the lists, maintainers and reviewers of section `s`, matched by
    /// `file` or by `keyword`.
    fn add_section(&mut self, s: usize, keyword: Option<&str>, file: Option<&str>) {
        let section = &self.maintainers.sections[s];
        self.record_section(s, keyword, file);
        for entry in &section.entries {
            let role = |kind| Role {
                kind,
                section: Some(section.name.clone()),
                keyword: keyword.map(str::to_owned),
            };
            match entry.tag {
                Tag::List => self.add_list(&entry.value, section, keyword),
                Tag::Maintainer => {
                    self.add_addresses(&entry.value, role(RoleKind::of_status(section.status())));
                }
                Tag::Reviewer => self.add_addresses(&entry.value, role(RoleKind::Reviewer)),
                _ => {}
            }
        }
    }

    /// Notes that section `s` matched.
    fn record_section(&mut self, s: usize, keyword: Option<&str>, file: Option<&str>) {
        let section = &self.maintainers.sections[s];
        let slot = *self.section_slots.entry(s).or_insert_with(|| {
            self.sections.push(SectionRef {
                name: section.name.clone(),
                status: section.status().map(str::to_owned),
                line: section.line,
                files: Vec::new(),
                keywords: Vec::new(),
            });
            self.sections.len() - 1
        });
        let found = &mut self.sections[slot];
        for (item, into) in [(file, &mut found.files), (keyword, &mut found.keywords)] {
            if let Some(item) = item.filter(|i| !into.iter().any(|x| x == i)) {
                into.push(item.to_owned());
            }
        }
    }

    /// An `L:` line: the first word is the address, the rest tells how open the list is.
    fn add_list(&mut self, value: &str, section: &Section, keyword: Option<&str>) {
        let (address, note) = match value.find(char::is_whitespace) {
            Some(space) if space > 0 => (&value[..space], value[space..].trim_start()),
            _ => (value, ""),
        };
        let kind = if note.contains("subscribers-only") {
            ListKind::Subscriber
        } else if note.contains("moderated") {
            ListKind::Moderated
        } else {
            ListKind::Open
        };
        let wanted = match kind {
            ListKind::Subscriber => self.options.subscriber_lists,
            ListKind::Moderated => self.options.moderated_lists,
            ListKind::Open => true,
        };
        if wanted && self.list_addresses.insert(lc(address)) {
            self.lists.push(List {
                address: address.to_owned(),
                kind,
                section: section.name.clone(),
                keyword: keyword.map(str::to_owned),
            });
        }
    }

    /// `push_email_addresses`: the value's addresses (several for an RFC 822 list).
    fn add_addresses(&mut self, value: &str, role: Role) {
        for address in split_addresses(value) {
            self.push(&address, Some(role.clone()));
        }
    }

    /// `push_email_address`: adds a person unless the name or the address is already in;
    /// then the role goes to `also` of the person already in.
    fn push(&mut self, text: &str, role: Option<Role>) {
        let (name, address) = parse_email(text);
        if address.is_empty() {
            return;
        }
        let (name_key, address_key) = (lc(&name), lc(&address));
        let name_in = !name.is_empty() && self.names.contains(&name_key);
        if name_in || self.addresses.contains(&address_key) {
            let same = |p: &&mut Pushed| {
                (name_in && lc(&p.name) == name_key) || lc(&p.address) == address_key
            };
            if let (Some(person), Some(role)) = (self.people.iter_mut().find(same), role) {
                person.also.push(role);
            }
            return;
        }
        if !name.is_empty() {
            self.names.insert(name_key);
        }
        self.addresses.insert(address_key);
        self.people.push(Pushed {
            email: format_email(&name, &address),
            roles: role.into_iter().collect(),
            also: Vec::new(),
            name,
            address,
        });
    }

    /// `deduplicate_email` over the people, then the lists.
    fn deduplicate(&mut self, mailmap: &Mailmap) {
        let mut seen = Seen::default();
        for person in &mut self.people {
            person.email = seen.deduplicate(&person.email, mailmap);
        }
        for list in &mut self.lists {
            list.address = seen.deduplicate(&list.address, mailmap);
        }
    }

    /// The addresses in `file`'s text, when the script reads them, with the role `in file`.
    fn add_file_emails(&mut self, file: &str, texts: &[(&str, &str)], mailmap: &Mailmap) {
        if !emails::reads_addresses(file) {
            return;
        }
        let Some((_, text)) = texts.iter().find(|(path, _)| *path == file) else {
            return;
        };
        for email in emails::in_text(text) {
            let email = mailmap.apply(&email);
            let (name, address) = parse_email(&email);
            let email = format_email(&name, &address);
            self.push(&email, None);
            self.add_in_file(&email);
        }
    }

    /// `add_role($email, 'in file')`: to everyone with the same name or address.
    fn add_in_file(&mut self, email: &str) {
        let (name, address) = parse_email(email);
        for person in &mut self.people {
            let (person_name, person_address) = parse_email(&person.email);
            let labels: Vec<String> = person.roles.iter().map(Role::label).collect();
            if (name == person_name || address == person_address)
                && !labels.join(",").contains("in file")
            {
                person.roles.push(Role {
                    kind: RoleKind::InFile,
                    section: None,
                    keyword: None,
                });
            }
        }
    }

    /// `merge_email`: one line per printed address, the first one kept.
    fn finish(self) -> Answer {
        let mut printed: HashMap<String, usize> = HashMap::new();
        let mut people: Vec<Person> = Vec::new();
        for pushed in self.people {
            if let Some(&i) = printed.get(&pushed.email) {
                people[i]
                    .also
                    .extend(pushed.roles.into_iter().chain(pushed.also));
                continue;
            }
            printed.insert(pushed.email.clone(), people.len());
            people.push(Person {
                name_email: pushed.email,
                roles: pushed.roles,
                also: pushed.also,
            });
        }
        let lists = self
            .lists
            .into_iter()
            .filter(|list| printed.insert(list.address.clone(), usize::MAX).is_none())
            .collect();
        Answer {
            people,
            lists,
            sections: self.sections,
            git_fallback: Vec::new(),
        }
    }
}

/// `%deduplicate_name_hash` and `%deduplicate_address_hash`.
#[derive(Default)]
struct Seen {
    by_name: HashMap<String, (String, String)>,
    by_address: HashMap<String, (String, String)>,
}

impl Seen {
    /// `deduplicate_email`: the mailmapped address, or the first one seen with the same name
    /// or address.
    fn deduplicate(&mut self, email: &str, mailmap: &Mailmap) -> String {
        let (name, address) = parse_email(email);
        let email = mailmap.apply(&format_email(&name, &address));
        let (name, address) = parse_email(&email);
        let known = if name.is_empty() {
            None
        } else {
            self.by_name.get(&lc(&name))
        };
        let (name, address) = match known.or_else(|| self.by_address.get(&lc(&address))) {
            Some(first) => first.clone(),
            None => {
                let pair = (name, address);
                self.by_name.insert(lc(&pair.0), pair.clone());
                self.by_address.insert(lc(&pair.1), pair.clone());
                pair
            }
        };
        mailmap.apply(&format_email(&name, &address))
    }
}

#[cfg(test)]
mod tests;
