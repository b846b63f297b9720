//! What get_maintainer.pl answers for a set of files: people with their roles, mailing lists,
//! and the sections that matched; [`Answer::lines`] prints it as the script does.

use serde::{Serialize, Serializer};

/// get_maintainer.pl's `$output_section_maxlen`: longer section names are cut in role labels.
pub const SECTION_MAXLEN: usize = 50;

/// The people and lists to send a change to, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// Maintainers, reviewers and people named in the files, in get_maintainer.pl's order.
    pub people: Vec<Person>,
    /// Mailing lists, after the people in the script's output.
    pub lists: Vec<List>,
    /// The matched sections, in the order the script took them.
    pub sections: Vec<SectionRef>,
    /// Files no maintained section covers exactly (a pattern at least as deep as the file, in
    /// a section with an `M:` and a Maintained or Supported status): get_maintainer.pl would
    /// fall back to their git history.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub git_fallback: Vec<String>,
}

/// A person to send the change to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// `Name <address>` as the script prints it (mailmap applied, name quoted when needed).
    pub name_email: String,
    /// The roles the script prints: the first section that named the person, and `in file`.
    pub roles: Vec<Role>,
    /// Roles in further matched sections, which the script's de-duplication leaves out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Role>,
}

/// Why a person is on the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Role {
    /// The kind of role.
    pub kind: RoleKind,
    /// The section's title (full; [`Role::label`] shortens it as the script does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The `K:` pattern, when the section matched by a keyword of the patch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
}

/// The kind of a role. An `M:` line's role follows the section's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleKind {
    /// `M:` in a Supported section.
    Supporter,
    /// `M:` in a Maintained section.
    Maintainer,
    /// `M:` in an Odd Fixes section.
    OddFixer,
    /// `M:` in an Orphan section.
    OrphanMinder,
    /// `M:` in an Obsolete section.
    ObsoleteMinder,
    /// `M:` in a "Buried alive in reporters" section (THE REST).
    ChiefPenguin,
    /// `M:` in a section with another status: the status in lower case (`unknown` without).
    Other(String),
    /// `R:`
    Reviewer,
    /// An address found in a `.yaml` file of the query.
    InFile,
}

impl RoleKind {
    /// The role of an `M:` line in a section with `status`.
    pub fn of_status(status: Option<&str>) -> RoleKind {
        let status = status.unwrap_or("unknown").to_lowercase();
        match status.as_str() {
            "supported" => RoleKind::Supporter,
            "maintained" => RoleKind::Maintainer,
            "odd fixes" => RoleKind::OddFixer,
            "orphan" => RoleKind::OrphanMinder,
            "obsolete" => RoleKind::ObsoleteMinder,
            "buried alive in reporters" => RoleKind::ChiefPenguin,
            _ => RoleKind::Other(status),
        }
    }

    /// The script's word for the role.
    pub fn label(&self) -> &str {
        match self {
            RoleKind::Supporter => "supporter",
            RoleKind::Maintainer => "maintainer",
            RoleKind::OddFixer => "odd fixer",
            RoleKind::OrphanMinder => "orphan minder",
            RoleKind::ObsoleteMinder => "obsolete minder",
            RoleKind::ChiefPenguin => "chief penguin",
            RoleKind::Other(status) => status,
            RoleKind::Reviewer => "reviewer",
            RoleKind::InFile => "in file",
        }
    }
}

impl Serialize for RoleKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.label())
    }
}

impl Role {
    /// `maintainer:SECTION`, `reviewer:SECTION:Keyword:REGEX`, `in file`.
    pub fn label(&self) -> String {
        let mut label = self.kind.label().to_owned();
        if let Some(section) = &self.section {
            label.push(':');
            label.push_str(&short_name(section));
        }
        push_keyword(&mut label, self.keyword.as_deref());
        label
    }
}

/// A mailing list to send the change to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct List {
    /// The address (the first word of the `L:` value).
    pub address: String,
    /// Open, moderated or subscribers-only.
    pub kind: ListKind,
    /// The section's title.
    pub section: String,
    /// The `K:` pattern, when the section matched by a keyword of the patch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
}

/// How a list takes mail from non-subscribers, from the note after its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ListKind {
    /// Anyone may post.
    Open,
    /// `(moderated for non-subscribers)`
    Moderated,
    /// `(subscribers-only)`: left out unless asked for, as by the script.
    Subscriber,
}

impl List {
    /// `open list:SECTION`, `moderated list:SECTION`; THE REST's list is just `open list`.
    pub fn label(&self) -> String {
        let mut label = match self.kind {
            ListKind::Open => "open list",
            ListKind::Moderated => "moderated list",
            ListKind::Subscriber => "subscriber list",
        }
        .to_owned();
        let section = short_name(&self.section);
        if section != "THE REST" {
            label.push(':');
            label.push_str(&section);
        }
        push_keyword(&mut label, self.keyword.as_deref());
        label
    }
}

/// A matched section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionRef {
    /// The title.
    pub name: String,
    /// The last `S:` value.
    pub status: Option<String>,
    /// 1-based line number of the title in `MAINTAINERS`.
    pub line: usize,
    /// The files of the query it matched (by `F:` or `N:`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// The `K:` patterns of it that matched the patch.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
}

impl Answer {
    /// get_maintainer.pl's output with its default options: one `Name <address> (roles)` line
    /// per person, then one `address (list role)` line per list.
    pub fn lines(&self) -> Vec<String> {
        let people = self.people.iter().map(|p| {
            let roles: Vec<String> = p.roles.iter().map(Role::label).collect();
            format!("{} ({})", p.name_email, roles.join(","))
        });
        let lists = self
            .lists
            .iter()
            .map(|l| format!("{} ({})", l.address, l.label()));
        people.chain(lists).collect()
    }
}

/// `get_subsystem_name`: names longer than [`SECTION_MAXLEN`] cut to 47 characters, trailing
/// white space removed, and `...` added.
pub fn short_name(name: &str) -> String {
    if name.chars().count() <= SECTION_MAXLEN {
        return name.to_owned();
    }
    let cut: String = name.chars().take(SECTION_MAXLEN - 3).collect();
    format!("{}...", cut.trim_end())
}

/// Appends the `:Keyword:REGEX` suffix of a keyword match.
fn push_keyword(label: &mut String, keyword: Option<&str>) {
    if let Some(keyword) = keyword {
        label.push_str(":Keyword:");
        label.push_str(keyword);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_section_names_are_cut() {
        let name = "ARM/FREESCALE IMX / MXC ARM ARCHITECTURE AND MORE THINGS";
        assert_eq!(
            short_name(name),
            "ARM/FREESCALE IMX / MXC ARM ARCHITECTURE AND MO..."
        );
        assert_eq!(short_name("XEN"), "XEN");
        let fifty = "A".repeat(46) + "    B";
        assert_eq!(short_name(&fifty), "A".repeat(46) + "...");
    }

    #[test]
    fn labels() {
        let role = Role {
            kind: RoleKind::of_status(Some("Odd Fixes")),
            section: Some("X".into()),
            keyword: Some(r"\bxen\b".into()),
        };
        assert_eq!(role.label(), r"odd fixer:X:Keyword:\bxen\b");
        assert_eq!(RoleKind::of_status(None).label(), "unknown");
        assert_eq!(RoleKind::of_status(Some("Weird")).label(), "weird");
        let list = List {
            address: "linux-kernel@vger.kernel.org".into(),
            kind: ListKind::Open,
            section: "THE REST".into(),
            keyword: None,
        };
        assert_eq!(list.label(), "open list");
        let json = serde_json::to_value(&role).unwrap_or_default();
        assert_eq!(json["kind"], "odd fixer");
    }
}
