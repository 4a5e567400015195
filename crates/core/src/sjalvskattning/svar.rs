//! One respondent's self-assessment answer and the parser from raw form fields.
//!
//! Form field names (also used by the CSV import): `lsl`, `respondent`, `roll`, `perspektiv`,
//! `delmal1` … `delmal5`, `tillampat`, `reflektion1` … `reflektion5`.

use super::skala::{Perspective, Rating, Scale};
use crate::delmal::SubGoal;
use crate::error::{InputError, InputErrors, Location};
use crate::organisation::{slugify, Lsl, Registry};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Form field: the LSL (code or name).
pub const FIELD_LSL: &str = "lsl";
/// Form field: the respondent's name.
pub const FIELD_RESPONDENT: &str = "respondent";
/// Form field: the respondent's role, free text ("ordförande", "kommunrepresentant" …).
pub const FIELD_ROLE: &str = "roll";
/// Form field: the perspective (`kommun`, `region`, `bada`).
pub const FIELD_PERSPECTIVE: &str = "perspektiv";
/// Form field: "Har självskattningstabellen tillämpats …?" (`ja`/`nej`).
pub const FIELD_APPLIED_TABLE: &str = "tillampat";

/// The question behind [`IndividualAnswer::applied_table`].
pub const APPLIED_TABLE_QUESTION: &str =
    "Har självskattningstabellen tillämpats i det egna omställningsarbetet?";

/// Form field of the rating for sub-goal `n` (1-based): `delmal2`.
pub fn rating_field(n: usize) -> String {
    format!("delmal{n}")
}

/// Form field of the reflection for sub-goal `n` (1-based): `reflektion2`.
pub fn reflection_field(n: usize) -> String {
    format!("reflektion{n}")
}

/// One respondent's answer for one LSL in one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IndividualAnswer {
    /// Code of the LSL, resolved against the registry (`lsl-mora`).
    pub lsl: String,
    /// The respondent's name; may be empty for imported historical answers.
    pub respondent: String,
    /// Free-text role: "ordförande", "kommunrepresentant", "regionrepresentant" …
    pub role: String,
    /// The perspective answered from. Always set by the form parser; `None` only for imported
    /// answers from years when the form did not ask.
    pub perspective: Option<Perspective>,
    /// Rating per sub-goal of the county profile, index 0 = sub-goal 1; `None` = not answered.
    pub ratings: Vec<Option<Rating>>,
    /// Answer to [`APPLIED_TABLE_QUESTION`]; `None` = not answered.
    pub applied_table: Option<bool>,
    /// Free-text reflection per sub-goal, index 0 = sub-goal 1; empty when none.
    pub reflections: Vec<String>,
}

/// What the form parser needs to know.
#[derive(Debug, Clone, Copy)]
pub struct FormContext<'a> {
    /// Resolves the `lsl` field.
    pub registry: &'a Registry,
    /// The round's scale.
    pub scale: &'a Scale,
    /// The county's sub-goals: one rating per sub-goal, names for messages.
    pub subgoals: &'a [SubGoal],
    /// When true, every sub-goal must be rated ("Delmål 3 saknar svar.").
    pub require_all_ratings: bool,
}

/// Parses raw form fields (name, value) into an answer. All problems are reported at once, each
/// with its field name and a Swedish message. Unknown fields are ignored; a repeated field's last
/// value wins.
pub fn parse_form<'a, I>(fields: I, ctx: &FormContext<'_>) -> Result<IndividualAnswer, InputErrors>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let map: BTreeMap<&str, &str> = fields.into_iter().map(|(k, v)| (k, v.trim())).collect();
    let get = |name: &str| map.get(name).copied().unwrap_or("");
    let mut errors = Vec::new();
    let err = |field: &str, msg: String| InputError::new(Location::field(field), msg);

    let lsl = match get(FIELD_LSL) {
        "" => {
            errors.push(err(FIELD_LSL, "Välj lokal systemledning.".to_string()));
            None
        }
        raw => match resolve_lsl(ctx.registry, raw) {
            Some(l) => Some(l.code.clone()),
            None => {
                errors.push(err(FIELD_LSL, unknown_lsl_message(raw)));
                None
            }
        },
    };
    let respondent = get(FIELD_RESPONDENT).to_string();
    if respondent.is_empty() {
        errors.push(err(FIELD_RESPONDENT, "Ange ditt namn.".to_string()));
    }
    let role = get(FIELD_ROLE).to_string();
    if role.is_empty() {
        errors.push(err(
            FIELD_ROLE,
            "Ange din roll, t.ex. ordförande, kommunrepresentant eller regionrepresentant.".to_string(),
        ));
    }
    let perspective = match get(FIELD_PERSPECTIVE) {
        "" => {
            errors.push(err(
                FIELD_PERSPECTIVE,
                "Ange utifrån vilket perspektiv du har svarat: kommunens, regionens eller bådas.".to_string(),
            ));
            None
        }
        raw => match Perspective::parse(raw) {
            Some(p) => Some(p),
            None => {
                errors.push(err(FIELD_PERSPECTIVE, perspective_message(raw)));
                None
            }
        },
    };
    let count = ctx.subgoals.len();
    let mut ratings = vec![None; count];
    let mut reflections = vec![String::new(); count];
    for i in 0..count {
        let n = i + 1;
        let field = rating_field(n);
        match parse_rating(get(&field), n, ctx.scale, ctx.subgoals) {
            Ok(Some(r)) => ratings[i] = Some(r),
            Ok(None) if ctx.require_all_ratings => {
                errors.push(err(&field, format!("Delmål {n} saknar svar.")))
            }
            Ok(None) => {}
            Err(msg) => errors.push(err(&field, msg)),
        }
        reflections[i] = get(&reflection_field(n)).to_string();
    }
    let applied_table = match parse_yes_no(get(FIELD_APPLIED_TABLE)) {
        Ok(v) => v,
        Err(msg) => {
            errors.push(err(FIELD_APPLIED_TABLE, msg));
            None
        }
    };
    match (lsl, errors.is_empty()) {
        (Some(lsl), true) => {
            Ok(IndividualAnswer { lsl, respondent, role, perspective, ratings, applied_table, reflections })
        }
        _ => Err(InputErrors(errors)),
    }
}

/// "delmål 2 (Nära för alla)" — how messages name a sub-goal.
pub(crate) fn subgoal_phrase(n: usize, subgoals: &[SubGoal]) -> String {
    match subgoals.iter().find(|g| usize::from(g.number) == n) {
        Some(g) => format!("delmål {n} ({})", g.name),
        None => format!("delmål {n}"),
    }
}

/// The name of sub-goal `n`, or "Delmål n" when unknown.
pub(crate) fn subgoal_name(n: usize, subgoals: &[SubGoal]) -> String {
    subgoals
        .iter()
        .find(|g| usize::from(g.number) == n)
        .map(|g| g.name.clone())
        .unwrap_or_else(|| format!("Delmål {n}"))
}

/// Parses one whole-number rating; empty input is `Ok(None)`.
pub(crate) fn parse_rating(
    raw: &str,
    n: usize,
    scale: &Scale,
    subgoals: &[SubGoal],
) -> Result<Option<Rating>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let phrase = subgoal_phrase(n, subgoals);
    let range = scale.range_text();
    let Ok(v) = raw.parse::<i64>() else {
        return Err(if raw.contains([',', '.']) {
            format!("\"{raw}\" är inget heltal; ange ett heltal på skalan {range} för {phrase}.")
        } else {
            format!("\"{raw}\" är inget tal; ange ett heltal på skalan {range} för {phrase}.")
        });
    };
    u8::try_from(v)
        .ok()
        .and_then(|v| scale.rating(v))
        .map(Some)
        .ok_or_else(|| format!("Värdet {v} ligger utanför skalan {range} för {phrase}."))
}

/// Parses ja/nej; empty is `Ok(None)`.
pub(crate) fn parse_yes_no(raw: &str) -> Result<Option<bool>, String> {
    match raw.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "ja" | "j" | "yes" | "true" | "1" | "on" => Ok(Some(true)),
        "nej" | "n" | "no" | "false" | "0" | "off" => Ok(Some(false)),
        other => Err(format!("\"{other}\" är inget giltigt svar; ange ja eller nej.")),
    }
}

/// Finds an LSL by code, name or slug of the name (case-insensitive): `lsl-mora`, `Mora`,
/// `södra dalarna`.
pub fn resolve_lsl<'r>(registry: &'r Registry, raw: &str) -> Option<&'r Lsl> {
    let raw = raw.trim();
    let slug = slugify(raw);
    registry.lsls.iter().find(|l| {
        l.code.eq_ignore_ascii_case(raw)
            || l.name.to_lowercase() == raw.to_lowercase()
            || slugify(&l.name) == slug
            || l.code == format!("lsl-{slug}")
    })
}

/// The name of an LSL for display, or its code when the registry does not know it.
pub(crate) fn lsl_name(registry: &Registry, code: &str) -> String {
    registry.lsls.iter().find(|l| l.code == code).map(|l| l.name.clone()).unwrap_or_else(|| code.to_string())
}

pub(crate) fn unknown_lsl_message(raw: &str) -> String {
    format!("Den lokala systemledningen \"{raw}\" finns inte i registret.")
}

pub(crate) fn perspective_message(raw: &str) -> String {
    format!("\"{raw}\" är inget giltigt perspektiv; välj kommun, region eller båda.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delmal::default_subgoals;
    use crate::organisation::dalarna;

    fn form(pairs: &[(&'static str, &'static str)]) -> Result<IndividualAnswer, InputErrors> {
        let registry = dalarna();
        let scale = Scale::default();
        let subgoals = default_subgoals();
        let ctx = FormContext {
            registry: &registry,
            scale: &scale,
            subgoals: &subgoals,
            require_all_ratings: true,
        };
        parse_form(pairs.iter().copied(), &ctx)
    }

    const GOOD: [(&str, &str); 11] = [
        ("lsl", "Mora"),
        ("respondent", "Anna Andersson"),
        ("roll", "ordförande"),
        ("perspektiv", "båda"),
        ("delmal1", "4"),
        ("delmal2", "3"),
        ("delmal3", " 2 "),
        ("delmal4", "5"),
        ("delmal5", "1"),
        ("tillampat", "ja"),
        ("reflektion3", "Långa avstånd i norra länsdelen."),
    ];

    #[test]
    fn a_complete_form_parses() {
        let a = form(&GOOD).unwrap();
        assert_eq!(a.lsl, "lsl-mora");
        assert_eq!(a.perspective, Some(Perspective::Bada));
        let values: Vec<_> = a.ratings.iter().map(|r| r.map(Rating::value)).collect();
        assert_eq!(values, vec![Some(4), Some(3), Some(2), Some(5), Some(1)]);
        assert_eq!(a.applied_table, Some(true));
        assert_eq!(a.reflections[2], "Långa avstånd i norra länsdelen.");
        assert_eq!(a.reflections[0], "");
    }

    #[test]
    fn out_of_scale_and_missing_ratings_are_named_per_subgoal() {
        let mut pairs = GOOD.to_vec();
        pairs[5] = ("delmal2", "7");
        pairs[6] = ("delmal3", "");
        pairs[7] = ("delmal4", "2,5");
        pairs[8] = ("delmal5", "mycket");
        let errors = form(&pairs).unwrap_err();
        let text = errors.to_string();
        assert!(
            text.contains("fält delmal2: Värdet 7 ligger utanför skalan 1–5 för delmål 2 (Nära för alla)."),
            "{text}"
        );
        assert!(text.contains("fält delmal3: Delmål 3 saknar svar."), "{text}");
        assert!(text.contains("\"2,5\" är inget heltal"), "{text}");
        assert!(text.contains("\"mycket\" är inget tal"), "{text}");
        assert_eq!(errors.0.len(), 4);
    }

    #[test]
    fn negative_and_huge_values_are_outside_the_scale() {
        let mut pairs = GOOD.to_vec();
        pairs[4] = ("delmal1", "-1");
        pairs[5] = ("delmal2", "300");
        let text = form(&pairs).unwrap_err().to_string();
        assert!(text.contains("Värdet -1 ligger utanför skalan 1–5 för delmål 1 (Nära för mig)."), "{text}");
        assert!(text.contains("Värdet 300 ligger utanför skalan 1–5"), "{text}");
    }

    #[test]
    fn missing_identity_fields_and_bad_choices_are_reported() {
        let pairs =
            [("lsl", "Stockholm"), ("perspektiv", "staten"), ("tillampat", "kanske"), ("delmal1", "3")];
        let text = form(&pairs).unwrap_err().to_string();
        assert!(
            text.contains("fält lsl: Den lokala systemledningen \"Stockholm\" finns inte i registret."),
            "{text}"
        );
        assert!(text.contains("fält respondent: Ange ditt namn."), "{text}");
        assert!(text.contains("fält roll: Ange din roll"), "{text}");
        assert!(text.contains("\"staten\" är inget giltigt perspektiv"), "{text}");
        assert!(text.contains("\"kanske\" är inget giltigt svar; ange ja eller nej."), "{text}");
        assert!(form(&[("perspektiv", "")]).unwrap_err().to_string().contains("Välj lokal systemledning."));
    }

    #[test]
    fn optional_ratings_may_be_left_empty() {
        let registry = dalarna();
        let scale = Scale::default();
        let subgoals = default_subgoals();
        let ctx = FormContext {
            registry: &registry,
            scale: &scale,
            subgoals: &subgoals,
            require_all_ratings: false,
        };
        let pairs = [
            ("lsl", "lsl-sodra-dalarna"),
            ("respondent", "B"),
            ("roll", "regionrepresentant"),
            ("perspektiv", "region"),
            ("delmal2", "3"),
        ];
        let a = parse_form(pairs.iter().copied(), &ctx).unwrap();
        assert_eq!(a.ratings[0], None);
        assert_eq!(a.ratings[1].map(Rating::value), Some(3));
        assert_eq!(a.applied_table, None);
    }

    #[test]
    fn lsls_resolve_by_code_name_or_slug() {
        let r = dalarna();
        assert_eq!(resolve_lsl(&r, "Södra Dalarna").map(|l| l.code.as_str()), Some("lsl-sodra-dalarna"));
        assert_eq!(resolve_lsl(&r, "sodra dalarna").map(|l| l.code.as_str()), Some("lsl-sodra-dalarna"));
        assert_eq!(resolve_lsl(&r, "LSL-MORA").map(|l| l.code.as_str()), Some("lsl-mora"));
        assert_eq!(resolve_lsl(&r, "älvdalen").map(|l| l.code.as_str()), Some("lsl-alvdalen"));
        assert!(resolve_lsl(&r, "Uppsala").is_none());
    }
}
