//! Structured narratives: per report section an ordered list of the section's generated parts
//! (identified by stable keys, see [`crate::build::section_parts`]) and the analyst's text
//! blocks (Markdown, [`crate::markdown`]).
//!
//! The stored list ([`LayoutItem`]s) is merged with the parts the data gives today
//! ([`resolve`]): a listed part whose data has gone is left out; a part the list does not name
//! (new data, or a list migrated from the single narrative of schema 1) is placed at its
//! position in the generated order: right after the nearest listed part before it, else right
//! before the nearest listed part after it, else at the start. So a list of text blocks only puts
//! all generated parts first and the text after them, which is what schema 1 did.
//!
//! Generated parts keep their generated order (figure and table numbers, and the sentences that
//! cite them, are computed in that order); the analyst places text before, between and after
//! them, and moves text blocks ([`move_item`]).

pub use gnv_core::arsrapport::LayoutItem;

/// An item of a resolved layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Index into the section's generated parts.
    Part(usize),
    Text(String),
}

/// Merges the stored `items` with the generated part keys `parts` (in generated order).
pub fn resolve(parts: &[String], items: &[LayoutItem]) -> Vec<Resolved> {
    let mut out: Vec<Resolved> = Vec::new();
    for item in items {
        match item {
            LayoutItem::Part { key } => {
                if let Some(i) = parts.iter().position(|p| p == key) {
                    if !out.contains(&Resolved::Part(i)) {
                        out.push(Resolved::Part(i));
                    }
                }
            }
            LayoutItem::Text { body } => {
                if !body.trim().is_empty() {
                    out.push(Resolved::Text(body.clone()));
                }
            }
        }
    }
    // Listed parts must keep their generated order: a stored list that disagrees (edited by
    // hand, or parts renamed) is put in generated order, the texts staying where they are.
    let mut listed: Vec<usize> =
        out.iter().filter_map(|r| if let Resolved::Part(i) = r { Some(*i) } else { None }).collect();
    listed.sort_unstable();
    let mut next = listed.into_iter();
    for r in out.iter_mut() {
        if let Resolved::Part(i) = r {
            if let Some(n) = next.next() {
                *i = n;
            }
        }
    }
    for i in 0..parts.len() {
        if out.contains(&Resolved::Part(i)) {
            continue;
        }
        let before = out.iter().rposition(|r| matches!(r, Resolved::Part(j) if *j < i));
        let at = match before {
            Some(pos) => pos + 1,
            None => out.iter().position(|r| matches!(r, Resolved::Part(j) if *j > i)).unwrap_or(0),
        };
        // Consecutive unlisted parts at the start keep their order.
        let at = if before.is_none() && !out.iter().any(|r| matches!(r, Resolved::Part(j) if *j > i)) {
            out.iter().take_while(|r| matches!(r, Resolved::Part(_))).count()
        } else {
            at
        };
        out.insert(at, Resolved::Part(i));
    }
    out
}

/// The explicit stored form of a resolved layout.
pub fn to_items(parts: &[String], resolved: &[Resolved]) -> Vec<LayoutItem> {
    resolved
        .iter()
        .filter_map(|r| match r {
            Resolved::Part(i) => parts.get(*i).map(|k| LayoutItem::Part { key: k.clone() }),
            Resolved::Text(t) => Some(LayoutItem::Text { body: t.clone() }),
        })
        .collect()
}

/// An edit of a section's layout, on the resolved list's indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Inserts a text block at `at` (0 = first; past the end = last).
    Insert { at: usize, body: String },
    /// Replaces the text of block `at`; an empty text removes it.
    Replace { at: usize, body: String },
    /// Moves text block `at` one step up (`up`) or down.
    Move { at: usize, up: bool },
    /// Removes text block `at`.
    Remove { at: usize },
}

/// Applies `edit`; `Err` with a Swedish message when it does not fit the list.
pub fn apply(resolved: &mut Vec<Resolved>, edit: Edit) -> Result<(), String> {
    let is_text = |r: &[Resolved], at: usize| matches!(r.get(at), Some(Resolved::Text(_)));
    match edit {
        Edit::Insert { at, body } => {
            if body.trim().is_empty() {
                return Err("Texten är tom.".into());
            }
            let at = at.min(resolved.len());
            resolved.insert(at, Resolved::Text(body));
        }
        Edit::Replace { at, body } => {
            if !is_text(resolved, at) {
                return Err("Textblocket finns inte längre; ladda om sidan.".into());
            }
            if body.trim().is_empty() {
                resolved.remove(at);
            } else {
                resolved[at] = Resolved::Text(body);
            }
        }
        Edit::Remove { at } => {
            if !is_text(resolved, at) {
                return Err("Textblocket finns inte längre; ladda om sidan.".into());
            }
            resolved.remove(at);
        }
        Edit::Move { at, up } => move_item(resolved, at, up)?,
    }
    Ok(())
}

/// Moves the text block at `at` one step up or down (past a generated part or another text).
pub fn move_item(resolved: &mut [Resolved], at: usize, up: bool) -> Result<(), String> {
    if !matches!(resolved.get(at), Some(Resolved::Text(_))) {
        return Err("Textblocket finns inte längre; ladda om sidan.".into());
    }
    let to = if up { at.checked_sub(1) } else { Some(at + 1).filter(|t| *t < resolved.len()) };
    let Some(to) = to else {
        return Err(if up { "Texten står redan först." } else { "Texten står redan sist." }.into());
    };
    resolved.swap(at, to);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> Vec<String> {
        ["inledning", "a", "b", "c"].iter().map(|s| s.to_string()).collect()
    }
    fn text(s: &str) -> LayoutItem {
        LayoutItem::Text { body: s.into() }
    }
    fn part(s: &str) -> LayoutItem {
        LayoutItem::Part { key: s.into() }
    }

    #[test]
    fn a_migrated_text_comes_after_all_generated_parts() {
        let r = resolve(&parts(), &[text("Analys")]);
        assert_eq!(
            r,
            vec![
                Resolved::Part(0),
                Resolved::Part(1),
                Resolved::Part(2),
                Resolved::Part(3),
                Resolved::Text("Analys".into())
            ]
        );
        assert_eq!(resolve(&parts(), &[]), (0..4).map(Resolved::Part).collect::<Vec<_>>());
    }

    #[test]
    fn texts_stay_between_their_parts_and_new_parts_find_their_place() {
        // Stored before part "c" existed: text between a and b, text first.
        let stored = vec![text("Först"), part("inledning"), part("a"), text("Mellan"), part("b")];
        let r = resolve(&parts(), &stored);
        assert_eq!(
            r,
            vec![
                Resolved::Text("Först".into()),
                Resolved::Part(0),
                Resolved::Part(1),
                Resolved::Text("Mellan".into()),
                Resolved::Part(2),
                Resolved::Part(3),
            ]
        );
        // A part whose data is gone disappears; its neighbours' texts stay.
        let r = resolve(&["inledning".to_string(), "b".to_string()], &stored);
        assert_eq!(
            r,
            vec![
                Resolved::Text("Först".into()),
                Resolved::Part(0),
                Resolved::Text("Mellan".into()),
                Resolved::Part(1)
            ]
        );
        // An unlisted part before every listed one goes right before the first listed.
        let r = resolve(&parts(), &[text("X"), part("b"), text("Y")]);
        assert_eq!(
            r,
            vec![
                Resolved::Text("X".into()),
                Resolved::Part(0),
                Resolved::Part(1),
                Resolved::Part(2),
                Resolved::Part(3),
                Resolved::Text("Y".into())
            ]
        );
    }

    #[test]
    fn generated_parts_keep_their_order() {
        let r = resolve(&parts(), &[part("c"), text("T"), part("a")]);
        assert_eq!(
            r,
            vec![
                Resolved::Part(0),
                Resolved::Part(1),
                Resolved::Part(2),
                Resolved::Text("T".into()),
                Resolved::Part(3),
            ]
        );
    }

    #[test]
    fn edits_insert_replace_move_and_remove_text_only() {
        let p = parts();
        let mut r = resolve(&p, &[]);
        apply(&mut r, Edit::Insert { at: 2, body: "Ny".into() }).unwrap();
        assert_eq!(r[2], Resolved::Text("Ny".into()));
        apply(&mut r, Edit::Move { at: 2, up: true }).unwrap();
        assert_eq!(r[1], Resolved::Text("Ny".into()));
        assert_eq!(r[2], Resolved::Part(1));
        apply(&mut r, Edit::Replace { at: 1, body: "Ändrad".into() }).unwrap();
        assert_eq!(r[1], Resolved::Text("Ändrad".into()));
        assert!(apply(&mut r, Edit::Replace { at: 0, body: "x".into() }).is_err(), "a part is not text");
        assert!(apply(&mut r, Edit::Move { at: 0, up: false }).is_err());
        assert!(apply(&mut r, Edit::Insert { at: 0, body: "  ".into() }).is_err());
        let items = to_items(&p, &r);
        assert_eq!(items[1], text("Ändrad"));
        assert_eq!(resolve(&p, &items), r, "the stored form resolves to the same list");
        apply(&mut r, Edit::Remove { at: 1 }).unwrap();
        assert_eq!(r, resolve(&p, &[]));
        // Moving the first text up is refused with a message.
        let mut r = resolve(&p, &[text("A")]);
        apply(&mut r, Edit::Move { at: 4, up: true }).unwrap();
        assert_eq!(r[3], Resolved::Text("A".into()));
        let mut r = vec![Resolved::Text("A".into())];
        assert_eq!(move_item(&mut r, 0, true), Err("Texten står redan först.".into()));
    }
}
