//! Series and their versions.
//!
//! A series is a cover letter and its patches, or a lone patch: a patch belongs to the
//! farthest ancestor in its thread (`In-Reply-To`, then `References` back to the root) that
//! is a patch or cover letter of the same sender, version and length. Versions are linked
//! to the series they follow, in this order of evidence: the same b4 `change-id`; a link to
//! the earlier version's mail (`v1: https://lore.kernel.org/r/…`); the same sender posting
//! a patch of the same title in an earlier version.
//!
//! Some mail servers (Outlook's, notably) give a mail a new Message-ID on the way out, so
//! the patches of a series reply to a cover letter id that no archived mail has. Patches of
//! one sender, version and length replying to the same missing id are one series, and join
//! the cover letter of that sender, version and length sent within minutes of them.

use crate::store::ArchiveStore;
use kdelta_upstream::StoreError;
use std::collections::HashMap;

/// One patch or cover letter, as the grouping needs it.
struct Mail {
    row: i64,
    message_id: String,
    ancestors: Vec<String>,
    email: String,
    author: String,
    version: u32,
    total: Option<u32>,
    number: Option<u32>,
    title: String,
    date: Option<i64>,
    change_id: Option<String>,
    mentions: Vec<String>,
}

/// A series while it is built.
struct Group {
    root: usize,
    members: Vec<usize>,
    previous: Option<usize>,
}

/// Find every series again and link their versions; returns how many series there are.
pub fn rebuild(store: &mut ArchiveStore) -> Result<u64, StoreError> {
    let mails = load(store)?;
    let by_id: HashMap<&str, usize> = mails
        .iter()
        .enumerate()
        .map(|(i, m)| (m.message_id.as_str(), i))
        .rev()
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of_root: HashMap<usize, usize> = HashMap::new();
    let mut group_of = vec![0usize; mails.len()];
    let mut roots: Vec<usize> = (0..mails.len())
        .map(|i| root_of(&mails, &by_id, i))
        .collect();
    adopt_orphans(&mails, &by_id, &mut roots);
    for (i, mail) in mails.iter().enumerate() {
        let root = roots[i];
        let g = *group_of_root.entry(root).or_insert_with(|| {
            groups.push(Group {
                root,
                members: Vec::new(),
                previous: None,
            });
            groups.len() - 1
        });
        groups[g].members.push(i);
        group_of[i] = g;
        let _ = mail;
    }
    link_versions(&mails, &by_id, &group_of, &mut groups);
    write(store, &mails, &groups)?;
    Ok(groups.len() as u64)
}

/// The first mail of the series `i` belongs to.
fn root_of(mails: &[Mail], by_id: &HashMap<&str, usize>, i: usize) -> usize {
    let mail = &mails[i];
    let mut root = i;
    if mail.total.is_none() {
        return root;
    }
    for ancestor in mail.ancestors.iter().rev() {
        let Some(&a) = by_id.get(ancestor.as_str()) else {
            break;
        };
        let other = &mails[a];
        if other.email != mail.email || other.version != mail.version || other.total != mail.total {
            break;
        }
        root = a;
    }
    root
}

/// How far from its patches a cover letter whose id was rewritten may be sent.
const ORPHAN_WINDOW: i64 = 600;

/// Patches replying to an id no mail has (see the module's text): one series per missing
/// id, sender, version and length, rooted at the matching cover letter sent within
/// [`ORPHAN_WINDOW`] of them, or else at the first patch.
fn adopt_orphans(mails: &[Mail], by_id: &HashMap<&str, usize>, roots: &mut [usize]) {
    type Key<'a> = (&'a str, &'a str, u32, Option<u32>);
    let mut orphans: HashMap<Key, Vec<usize>> = HashMap::new();
    for (i, mail) in mails.iter().enumerate() {
        let parent = mail.ancestors.last().map(String::as_str);
        let missing = parent.filter(|p| !by_id.contains_key(p));
        if let (Some(parent), true, Some(1..)) = (missing, roots[i] == i, mail.number) {
            let key = (parent, mail.email.as_str(), mail.version, mail.total);
            orphans.entry(key).or_default().push(i);
        }
    }
    let taken: std::collections::HashSet<usize> = (0..mails.len())
        .filter(|&i| roots[i] != i)
        .map(|i| roots[i])
        .collect();
    let mut covers: HashMap<(&str, u32, Option<u32>), Vec<usize>> = HashMap::new();
    for (c, m) in mails.iter().enumerate() {
        if m.number == Some(0) && roots[c] == c && !taken.contains(&c) {
            let key = (m.email.as_str(), m.version, m.total);
            covers.entry(key).or_default().push(c);
        }
    }
    let mut orphans: Vec<(Key, Vec<usize>)> = orphans.into_iter().collect();
    orphans.sort_by_key(|(_, members)| members[0]);
    let mut used = std::collections::HashSet::new();
    for ((_, email, version, total), members) in orphans {
        let first = members
            .iter()
            .copied()
            .min_by_key(|&m| (mails[m].number, mails[m].date))
            .unwrap_or(members[0]);
        let when = members.iter().filter_map(|&m| mails[m].date).min();
        let cover = covers
            .get(&(email, version, total))
            .into_iter()
            .flatten()
            .copied()
            .filter(|c| !used.contains(c))
            .filter_map(|c| Some((c, (mails[c].date? - when?).abs())))
            .filter(|&(_, gap)| gap <= ORPHAN_WINDOW)
            .min_by_key(|&(_, gap)| gap)
            .map(|(c, _)| c);
        used.extend(cover);
        let root = cover.unwrap_or(first);
        for m in members {
            roots[m] = root;
        }
    }
}

/// Link each series to the one it is the next version of.
fn link_versions(
    mails: &[Mail],
    by_id: &HashMap<&str, usize>,
    group_of: &[usize],
    groups: &mut [Group],
) {
    let mut by_change: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_title: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        for &m in &group.members {
            if let Some(c) = &mails[m].change_id {
                by_change.entry(c.as_str()).or_default().push(g);
            }
            by_title
                .entry((mails[m].email.as_str(), mails[m].title.as_str()))
                .or_default()
                .push(g);
        }
    }
    for g in 0..groups.len() {
        let root = &mails[groups[g].root];
        let date = root.date.unwrap_or(i64::MAX);
        let earlier = |c: usize| {
            let other = &mails[groups[c].root];
            c != g && other.version < root.version && other.date.unwrap_or(i64::MIN) <= date
        };
        let best = |candidates: &mut dyn Iterator<Item = usize>| {
            candidates
                .filter(|&c| earlier(c))
                .max_by_key(|&c| (mails[groups[c].root].version, mails[groups[c].root].date))
        };
        let members = &groups[g].members;
        let by_change_id = members
            .iter()
            .filter_map(|&m| mails[m].change_id.as_deref())
            .find_map(|c| best(&mut by_change.get(c).into_iter().flatten().copied()));
        let by_mention = || {
            best(
                &mut members
                    .iter()
                    .flat_map(|&m| mails[m].mentions.iter())
                    .filter_map(|id| by_id.get(id.as_str()).map(|&m| group_of[m])),
            )
        };
        let by_same_title = || {
            best(
                &mut members
                    .iter()
                    .flat_map(|&m| {
                        by_title
                            .get(&(mails[m].email.as_str(), mails[m].title.as_str()))
                            .into_iter()
                            .flatten()
                    })
                    .copied(),
            )
        };
        groups[g].previous = by_change_id.or_else(by_mention).or_else(by_same_title);
    }
}

fn load(store: &ArchiveStore) -> Result<Vec<Mail>, StoreError> {
    let conn = &store.conn;
    let sql = |e| store.sql(e);
    let mut ancestors: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT r.message, r.target FROM refs r JOIN messages m ON m.id = r.message WHERE m.kind IN ('patch', 'cover') ORDER BY r.message, r.position")
        .map_err(sql)?;
    for row in stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .map_err(sql)?
    {
        let (m, target) = row.map_err(sql)?;
        ancestors.entry(m).or_default().push(target);
    }
    let mut mentions: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT message, target FROM mentions")
        .map_err(sql)?;
    for row in stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .map_err(sql)?
    {
        let (m, target) = row.map_err(sql)?;
        mentions.entry(m).or_default().push(target);
    }
    let mut stmt = conn
        .prepare("SELECT id, message_id, in_reply_to, email, author, version, total, number, title_norm, date, change_id FROM messages WHERE kind IN ('patch', 'cover') ORDER BY date, id")
        .map_err(sql)?;
    let rows = stmt
        .query_map([], |r| {
            let row: i64 = r.get(0)?;
            let in_reply_to: Option<String> = r.get(2)?;
            let mut chain = ancestors.remove(&row).unwrap_or_default();
            if let Some(parent) = in_reply_to {
                if chain.last() != Some(&parent) {
                    chain.push(parent);
                }
            }
            Ok(Mail {
                row,
                message_id: r.get(1)?,
                ancestors: chain,
                email: r.get(3)?,
                author: r.get(4)?,
                version: r.get::<_, Option<u32>>(5)?.unwrap_or(1),
                total: r.get(6)?,
                number: r.get(7)?,
                title: r.get(8)?,
                date: r.get(9)?,
                change_id: r.get(10)?,
                mentions: mentions.remove(&row).unwrap_or_default(),
            })
        })
        .map_err(sql)?;
    rows.collect::<Result<_, _>>().map_err(sql)
}

fn write(store: &mut ArchiveStore, mails: &[Mail], groups: &[Group]) -> Result<(), StoreError> {
    let path = store.path().to_path_buf();
    let sql = |e| StoreError::Sql {
        path: path.clone(),
        source: e,
    };
    let tx = store.conn.transaction().map_err(sql)?;
    tx.execute_batch(
        "DELETE FROM series; UPDATE messages SET series = NULL WHERE series IS NOT NULL;",
    )
    .map_err(sql)?;
    {
        let mut insert = tx
            .prepare("INSERT INTO series (id, root, version, total, author, email, title, date, change_id, previous) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
            .map_err(sql)?;
        let mut member = tx
            .prepare("UPDATE messages SET series = ?1 WHERE id = ?2")
            .map_err(sql)?;
        for (g, group) in groups.iter().enumerate() {
            let root = &mails[group.root];
            let first = group
                .members
                .iter()
                .map(|&m| &mails[m])
                .min_by_key(|m| (m.number.unwrap_or(0), m.date))
                .unwrap_or(root);
            let change_id = group
                .members
                .iter()
                .find_map(|&m| mails[m].change_id.clone());
            let id = g as i64 + 1;
            insert
                .execute(rusqlite::params![
                    id,
                    root.message_id,
                    root.version,
                    root.total.unwrap_or(1),
                    root.author,
                    root.email,
                    first.title,
                    group.members.iter().filter_map(|&m| mails[m].date).min(),
                    change_id,
                    group.previous.map(|p| p as i64 + 1),
                ])
                .map_err(sql)?;
            for &m in &group.members {
                member
                    .execute(rusqlite::params![id, mails[m].row])
                    .map_err(sql)?;
            }
        }
    }
    tx.commit().map_err(sql)
}
