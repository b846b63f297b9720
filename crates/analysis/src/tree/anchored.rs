//! A hunk whose context is intact around its change, though neither image matches: the
//! last lines of its leading context and the first of its trailing context are found once
//! in the target, a few lines apart, and the lines between them are compared with what the
//! hunk adds and removes. When they are its added lines changed since (a field renamed, an
//! argument added) and none of its removed lines, the change is there in an evolved form,
//! at that very spot. This is far more specific than comparing the hunk with a whole
//! function: a needed patch whose surroundings changed has unrelated code there, or its
//! old code.

use super::fuzzy::dice;
use super::locate::distinctive;
use kdelta_patch::apply::Target;
use kdelta_patch::diff::{HunkLine, LineKind};
use kdelta_patch::Hunk;
use std::collections::HashMap;

/// Context lines used as each anchor, at most.
const ANCHOR: usize = 3;

/// Lines the target may have between the anchors beyond the hunk's own middle.
const SLACK: usize = 12;

/// What lies between a hunk's anchors in the target.
#[derive(Clone, Debug, PartialEq)]
pub struct Between {
    /// The 1-based target line of the first line between the anchors.
    pub line: usize,
    /// Mean best likeness of its distinctive added lines to the lines there (0–1).
    pub added: f64,
    /// The same for its distinctive removed lines, when it removes any.
    pub removed: Option<f64>,
    /// One of its removed lines is there as it is.
    pub old_kept: bool,
}

impl Between {
    /// Whether this says the change is there, evolved: added lines close (names and
    /// literals alike), clearly closer than removed ones, and no removed line left.
    pub fn evolved(&self) -> bool {
        !self.old_kept && self.added >= 0.75 && self.removed.is_none_or(|r| self.added - r >= 0.2)
    }
}

/// The lines between `hunk`'s anchors in `target` (`bytes`, indexed ignoring whitespace as
/// `lines`), when both anchors are found exactly once and close enough, and the hunk adds
/// a distinctive line. The anchors are the context lines nearest the change, three a
/// side, fewer when the farther ones changed too (never a lone line that is not
/// distinctive).
pub fn between(hunk: &Hunk, bytes: &[u8], lines: &Target<'_>) -> Option<Between> {
    let changed = |l: &&HunkLine| l.kind != LineKind::Context;
    let first = hunk.lines.iter().position(|l| changed(&l))?;
    let last = hunk.lines.iter().rposition(|l| changed(&l))?;
    let id = |l: &HunkLine| lines.id(&l.text);
    let lead: Vec<Option<u32>> = hunk.lines[..first].iter().map(id).collect();
    let trail: Vec<Option<u32>> = hunk.lines[last + 1..].iter().map(id).collect();
    let middle = &hunk.lines[first..=last];
    let side = |kind: LineKind| -> Vec<&[u8]> {
        middle
            .iter()
            .filter(|l| l.kind != kind)
            .map(|l| l.text.as_slice())
            .collect()
    };
    let (pre, post) = (side(LineKind::Added), side(LineKind::Removed));
    let window = pre.len() + post.len() + SLACK;
    let telling = |lines: &[HunkLine]| lines.iter().any(|l| distinctive(&l.text));
    for (l, t) in SIZES {
        if l > lead.len() || t > trail.len() {
            continue;
        }
        let (ahead, behind) = (
            &hunk.lines[first - l..first],
            &hunk.lines[last + 1..last + 1 + t],
        );
        let enough = if l + t == 2 {
            telling(ahead) && telling(behind)
        } else {
            telling(ahead) || telling(behind)
        };
        if !enough {
            continue;
        }
        match anchored(lines, &lead[lead.len() - l..], &trail[..t], window) {
            Place::Once(from, to) => {
                let text: Vec<&[u8]> = bytes
                    .split(|&b| b == b'\n')
                    .skip(from)
                    .take(to - from)
                    .collect();
                return compare(&pre, &post, &text, from + 1);
            }
            Place::Many => return None,
            Place::Nowhere => {}
        }
    }
    None
}

/// Anchor sizes tried (lines before, lines after the change), longest first.
const SIZES: [(usize, usize); 7] = [
    (ANCHOR, ANCHOR),
    (2, 2),
    (ANCHOR, 1),
    (1, ANCHOR),
    (2, 1),
    (1, 2),
    (1, 1),
];

/// Where a pair of anchors is.
enum Place {
    Nowhere,
    /// Between these target lines (0-based, end excluded).
    Once(usize, usize),
    Many,
}

/// The place where `lead` ends and, at most `window` lines later, `trail` starts (line
/// ids of `target`; a line the target lacks is `None`).
fn anchored(
    target: &Target<'_>,
    lead: &[Option<u32>],
    trail: &[Option<u32>],
    window: usize,
) -> Place {
    let (Some(lead), Some(trail)) = (
        lead.iter().copied().collect::<Option<Vec<u32>>>(),
        trail.iter().copied().collect::<Option<Vec<u32>>>(),
    ) else {
        return Place::Nowhere;
    };
    let ids = target.line_ids();
    let mut found = Place::Nowhere;
    let Some(&end_of_lead) = lead.last() else {
        return Place::Nowhere;
    };
    for &at in target.positions_of(end_of_lead) {
        let from = at as usize + 1;
        let Some(start) = from.checked_sub(lead.len()) else {
            continue;
        };
        if ids[start..from] != lead[..] {
            continue;
        }
        let end = (from + window).min((ids.len() + 1).saturating_sub(trail.len()));
        if let Some(to) = (from..end).find(|&to| ids[to..to + trail.len()] == trail[..]) {
            if matches!(found, Place::Once(..)) {
                return Place::Many;
            }
            found = Place::Once(from, to);
        }
    }
    found
}

/// `there` (from 1-based `line`) against the hunk's middle: its old side `pre` and new
/// side `post`. `None` when the hunk adds no distinctive line of its own, or when nothing
/// distinctive is there.
fn compare(pre: &[&[u8]], post: &[&[u8]], there: &[&[u8]], line: usize) -> Option<Between> {
    let own = |of: &[&[u8]], not_in: &[&[u8]]| -> Vec<Vec<u8>> {
        let other: Vec<u64> = not_in.iter().map(|l| key(l)).collect();
        of.iter()
            .filter(|l| distinctive(l) && !other.contains(&key(l)))
            .map(|l| l.to_vec())
            .collect()
    };
    let (added, removed) = (own(post, pre), own(pre, post));
    let there: Vec<&[u8]> = there.iter().copied().filter(|l| distinctive(l)).collect();
    if added.is_empty() || there.is_empty() {
        return None;
    }
    let keys: Vec<u64> = there.iter().map(|l| key(l)).collect();
    let old_kept = removed.iter().any(|l| keys.contains(&key(l)));
    let words: Vec<Words> = there.iter().map(|l| Words::of(l)).collect();
    let literals: HashMap<&[u8], ()> = words
        .iter()
        .flat_map(|w| w.literals.iter().map(|l| (*l, ())))
        .collect();
    let best = |l: &Vec<u8>| -> f64 {
        let mine = Words::of(l);
        let like = words
            .iter()
            .map(|w| dice(&mine.all, &w.all))
            .fold(0.0, f64::max);
        // A number or string it adds that is nowhere there (another device id, another
        // message) makes it another line, however alike the rest.
        if mine.literals.iter().all(|x| literals.contains_key(x)) {
            like
        } else {
            like.min(0.5)
        }
    };
    let mean = |ls: &[Vec<u8>]| ls.iter().map(best).sum::<f64>() / ls.len() as f64;
    Some(Between {
        line,
        added: mean(&added),
        removed: (!removed.is_empty()).then(|| mean(&removed)),
        old_kept,
    })
}

/// The names and literals of a line (punctuation aside): all, sorted, and the literals.
struct Words<'a> {
    all: Vec<&'a [u8]>,
    literals: Vec<&'a [u8]>,
}

impl<'a> Words<'a> {
    fn of(line: &'a [u8]) -> Words<'a> {
        let mut all = Vec::new();
        let mut literals = Vec::new();
        let mut i = 0;
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        while i < line.len() {
            let b = line[i];
            let start = i;
            if b == b'"' {
                i += 1;
                while i < line.len() && line[i] != b'"' {
                    i += if line[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(line.len());
                literals.push(&line[start..i]);
            } else if word(b) {
                while i < line.len() && word(line[i]) {
                    i += 1;
                }
                if b.is_ascii_digit() {
                    literals.push(&line[start..i]);
                }
            } else {
                i += 1;
                continue;
            }
            all.push(&line[start..i]);
        }
        all.sort_unstable();
        Words { all, literals }
    }
}

/// A line's key, blanks aside.
fn key(line: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for w in line
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
    {
        w.hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kdelta_patch::apply::CheckOptions;
    use kdelta_patch::diff::parse_diffs;

    fn between(hunk: &Hunk, target: &[u8]) -> Option<Between> {
        let options = CheckOptions {
            ignore_whitespace: true,
            ..CheckOptions::default()
        };
        super::between(hunk, target, &Target::new(target, &options))
    }

    fn hunk(text: &str) -> Hunk {
        let (mut files, _) = parse_diffs(text.as_bytes(), 1, 1);
        files.remove(0).hunks.remove(0)
    }

    const FLAG: &str = "--- a/t.c\n+++ b/t.c\n@@ -1,6 +1,7 @@ static int init_net(struct net *net)\n \t\tgoto err_alloc_dev;\n \tdev_net_set(tn->fb_dev, net);\n \ttn->fb_dev->rtnl_link_ops = &vti_link_ops;\n+\ttn->fb_dev->features |= NETIF_F_NETNS_LOCAL | NETIF_F_LLTX;\n \n \terr = vti_fb_dev_init(tn->fb_dev);\n \tif (err < 0)\n";

    fn around(middle: &str) -> String {
        format!("int x;\n\t\tgoto err_alloc_dev;\n\tdev_net_set(tn->fb_dev, net);\n\ttn->fb_dev->rtnl_link_ops = &vti_link_ops;\n{middle}\n\terr = vti_fb_dev_init(tn->fb_dev);\n\tif (err < 0)\n\t\tgoto out;\n")
    }

    #[test]
    fn added_lines_changed_since_at_the_same_spot_are_the_change_evolved() {
        let evolved =
            around("\ttn->fb_dev->features |= NETIF_F_NETNS_LOCAL | NETIF_F_LLTX | NETIF_F_GSO;\n");
        let b = between(&hunk(FLAG), evolved.as_bytes()).expect("anchors found once");
        assert!(b.evolved(), "{b:?}");
        assert_eq!(b.line, 5);
    }

    #[test]
    fn unrelated_code_at_the_spot_is_not_the_change() {
        let other = around("\tnet_generic_register(tn->fb_dev, &vti_ops_table);\n");
        let b = between(&hunk(FLAG), other.as_bytes()).expect("anchors found once");
        assert!(!b.evolved(), "{b:?}");
    }

    #[test]
    fn another_number_or_string_is_another_line() {
        let h = hunk("--- a/t.c\n+++ b/t.c\n@@ -1,4 +1,5 @@\n static const struct usb_device_id ids[] = {\n \t{ USB_DEVICE(0x0bda, 0x8176) },\n+\t{ USB_DEVICE(0x0bda, 0x8178) },\n \t{ USB_DEVICE(0x0bda, 0x8191) },\n \t{}\n");
        let t = b"static const struct usb_device_id ids[] = {\n\t{ USB_DEVICE(0x0bda, 0x8176) },\n\t{ USB_DEVICE(0x0bda, 0x8177) },\n\t{ USB_DEVICE(0x0bda, 0x8191) },\n\t{}\n";
        let b = between(&h, t).expect("anchors found once");
        assert!(!b.evolved(), "{b:?}");
    }

    #[test]
    fn the_old_line_still_there_is_kept_old_code() {
        let h = hunk("--- a/t.c\n+++ b/t.c\n@@ -1,5 +1,5 @@\n static int probe(struct device *dev)\n {\n-\tret = setup_the_device(dev, FLAG_ONE);\n+\tret = setup_the_device(dev, FLAG_ONE | FLAG_TWO);\n \tif (ret)\n \t\treturn ret;\n");
        let t = b"static int probe(struct device *dev)\n{\n\tret = setup_the_device(dev, FLAG_ONE);\n\tdev_info(dev, \"probed\\n\");\n\tif (ret)\n\t\treturn ret;\n";
        let b = between(&h, t).expect("anchors found once");
        assert!(b.old_kept && !b.evolved(), "{b:?}");
    }

    #[test]
    fn anchors_shrink_to_the_lines_nearest_the_change_when_farther_ones_changed() {
        let h = hunk("--- a/t.c\n+++ b/t.c\n@@ -1,7 +1,8 @@\n \tstruct blk_integrity *bi = bdev_get_integrity(bio->bi_bdev);\n \tunsigned bytes = bio_integrity_bytes(bi, bytes_done >> 9);\n \n+\tbip->bip_iter.bi_sector += bytes_done >> 9;\n \tbvec_iter_advance(bip->bip_vec, &bip->bip_iter, bytes);\n }\n EXPORT_SYMBOL(bio_integrity_advance);\n");
        let t = b"{\n\tstruct blk_integrity *bi = blk_get_integrity(bio->bi_bdev->bd_disk);\n\tunsigned bytes = bio_integrity_bytes(bi, bytes_done >> 9);\n\n\tbip->bip_iter.bi_sector += bio_integrity_intervals(bi, bytes_done >> 9);\n\tbvec_iter_advance(bip->bip_vec, &bip->bip_iter, bytes);\n}\n\n";
        let b = between(&h, t).expect("anchors found once");
        assert!(b.evolved(), "{b:?}");
        assert_eq!(b.line, 5);
    }

    #[test]
    fn anchors_found_twice_say_nothing() {
        let twice = format!("{}{}", around("\tfoo();\n"), around("\tbar();\n"));
        assert_eq!(between(&hunk(FLAG), twice.as_bytes()), None);
    }
}
