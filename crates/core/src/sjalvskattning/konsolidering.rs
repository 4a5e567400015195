//! Consolidation: one value per LSL, round and sub-goal.
//!
//! Rules:
//! - An LSL's value for a sub-goal is the exact mean of its respondents' ratings for that sub-goal
//!   (respondents who left it empty do not count). Two answers 2 and 3 give 2,5, and 2,5 is what
//!   enters the county mean.
//! - When the rated values differ, the sub-goal is recorded in [`LslResult::averaged`] so that the
//!   report can footnote it ("Värdet för Mora, delmål 2, är medelvärdet av två svar (2 och 3) som
//!   skilde sig åt.").
//! - "Har självskattningstabellen tillämpats …?" for the LSL is **ja if any respondent says ja**
//!   (the table has then been used somewhere in the LSL's work), nej if all who answered say nej,
//!   unknown if nobody answered. Disagreement is recorded in
//!   [`LslResult::applied_table_differs`] and footnoted.
//! - Historical rounds may hold an already consolidated value per LSL ([`ConsolidatedEntry`],
//!   e.g. 2,5 read from an old report) instead of individual answers; an LSL has one or the other in
//!   a round, never both.

use super::skala::{Perspective, Scale, Score};
use super::svar::{lsl_name, IndividualAnswer};
use crate::error::{InputError, InputErrors, Location};
use crate::format::join_sv;
use crate::organisation::Registry;
use serde::Serialize;
use std::collections::BTreeMap;

/// An LSL's already consolidated values for a round, as imported from earlier years' reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ConsolidatedEntry {
    /// LSL code.
    pub lsl: String,
    /// Value per sub-goal (index 0 = sub-goal 1), may lie between whole steps.
    pub values: Vec<Option<Score>>,
    /// Whether the LSL applied the self-assessment table.
    pub applied_table: Option<bool>,
}

/// Where an LSL's values in a round come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Consolidated here from individual answers.
    IndividualAnswers,
    /// Imported as already consolidated values (respondents unknown).
    Consolidated,
}

/// One respondent's ratings as kept in the consolidated result (for the LSL profile).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct RespondentRatings {
    /// Name, may be empty for imported answers.
    pub respondent: String,
    /// Free-text role.
    pub role: String,
    /// Perspective, when recorded.
    pub perspective: Option<Perspective>,
    /// Whole ratings per sub-goal (index 0 = sub-goal 1).
    pub ratings: Vec<Option<u8>>,
    /// The respondent's answer to the applied-table question.
    pub applied_table: Option<bool>,
}

/// A sub-goal whose LSL value is the mean of differing answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct AveragedNote {
    /// Sub-goal number 1–5.
    pub subgoal: u8,
    /// The individual ratings that were averaged, ascending.
    pub answers: Vec<u8>,
}

/// A respondent's free-text reflection on one sub-goal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct Reflection {
    /// Sub-goal number 1–5.
    pub subgoal: u8,
    /// Respondent name.
    pub respondent: String,
    /// Respondent role.
    pub role: String,
    /// The text.
    pub text: String,
}

/// The consolidated answer of one LSL in one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct LslResult {
    /// LSL code.
    pub lsl: String,
    /// Consolidated value per sub-goal (index 0 = sub-goal 1).
    pub values: Vec<Option<Score>>,
    /// Consolidated answer to the applied-table question (ja if any respondent said ja).
    pub applied_table: Option<bool>,
    /// True when the respondents answered the applied-table question differently.
    pub applied_table_differs: bool,
    /// Where the values come from.
    pub origin: Origin,
    /// The individual respondents, sorted; empty for [`Origin::Consolidated`].
    pub respondents: Vec<RespondentRatings>,
    /// Sub-goals whose value is the mean of differing answers, ascending by sub-goal.
    pub averaged: Vec<AveragedNote>,
    /// Non-empty reflections, sorted by sub-goal then respondent.
    pub reflections: Vec<Reflection>,
}

impl LslResult {
    /// Whether the LSL rated at least one sub-goal.
    pub fn answered(&self) -> bool {
        self.values.iter().any(Option::is_some)
    }

    /// The value for sub-goal `n` (1-based).
    pub fn value(&self, n: usize) -> Option<Score> {
        n.checked_sub(1).and_then(|i| self.values.get(i)).copied().flatten()
    }
}

/// All LSLs' consolidated answers in one round (one year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Round {
    /// The year the answers refer to (the report's "avseende 2024").
    pub year: i32,
    /// The round's scale.
    pub scale: Scale,
    /// One result per LSL that took part, sorted by LSL code.
    pub results: Vec<LslResult>,
}

impl Round {
    /// Consolidates a round. Checks that every rating and value lies on `scale`, that no LSL has
    /// both individual answers and a consolidated entry, and that no LSL has two consolidated
    /// entries. The result does not depend on the order of the inputs.
    pub fn new(
        year: i32,
        scale: Scale,
        answers: Vec<IndividualAnswer>,
        consolidated: Vec<ConsolidatedEntry>,
    ) -> Result<Round, InputErrors> {
        let mut errors = Vec::new();
        let err = |lsl: &str, msg: String| InputError::new(Location::field(lsl.to_string()), msg);
        let mut by_lsl: BTreeMap<String, Vec<IndividualAnswer>> = BTreeMap::new();
        for a in answers {
            for (i, r) in a.ratings.iter().enumerate() {
                if let Some(r) = r {
                    if !scale.contains(r.value()) {
                        errors.push(err(
                            &a.lsl,
                            format!(
                                "Värdet {} ligger utanför skalan {} för delmål {} ({year}).",
                                r.value(),
                                scale.range_text(),
                                i + 1
                            ),
                        ));
                    }
                }
            }
            by_lsl.entry(a.lsl.clone()).or_default().push(a);
        }
        let mut fixed: BTreeMap<String, ConsolidatedEntry> = BTreeMap::new();
        for c in consolidated {
            for (i, v) in c.values.iter().enumerate() {
                if let Some(v) = v {
                    if !scale.contains_score(*v) {
                        errors.push(err(
                            &c.lsl,
                            format!(
                                "Värdet {v} ligger utanför skalan {} för delmål {} ({year}).",
                                scale.range_text(),
                                i + 1
                            ),
                        ));
                    }
                }
            }
            if by_lsl.contains_key(&c.lsl) {
                errors.push(err(
                    &c.lsl,
                    format!("{} har både enskilda svar och ett sammanställt värde för {year}.", c.lsl),
                ));
            }
            if fixed.contains_key(&c.lsl) {
                errors.push(err(&c.lsl, format!("{} har mer än ett sammanställt värde för {year}.", c.lsl)));
            }
            fixed.insert(c.lsl.clone(), c);
        }
        if !errors.is_empty() {
            return Err(InputErrors(errors));
        }
        let mut results: Vec<LslResult> =
            by_lsl.into_iter().map(|(lsl, answers)| consolidate_lsl(lsl, answers)).collect();
        results.extend(fixed.into_values().map(|c| LslResult {
            lsl: c.lsl,
            values: c.values,
            applied_table: c.applied_table,
            applied_table_differs: false,
            origin: Origin::Consolidated,
            respondents: Vec::new(),
            averaged: Vec::new(),
            reflections: Vec::new(),
        }));
        results.sort_by(|a, b| a.lsl.cmp(&b.lsl));
        Ok(Round { year, scale, results })
    }

    /// The result of one LSL, if it took part.
    pub fn result(&self, lsl: &str) -> Option<&LslResult> {
        self.results.iter().find(|r| r.lsl == lsl)
    }

    /// Swedish footnotes for every averaged sub-goal and every disagreement on the applied-table
    /// question, in LSL-code then sub-goal order.
    pub fn footnotes(&self, registry: &Registry) -> Vec<String> {
        self.results.iter().flat_map(|r| r.footnotes(registry)).collect()
    }
}

impl LslResult {
    /// Swedish footnotes for this LSL: one per averaged sub-goal ("Värdet för Mora, delmål 2, är
    /// medelvärdet av två svar (2 och 3) som skilde sig åt.") and one when the respondents
    /// disagreed on the applied-table question.
    pub fn footnotes(&self, registry: &Registry) -> Vec<String> {
        let mut out = Vec::new();
        let name = lsl_name(registry, &self.lsl);
        for note in &self.averaged {
            let values: Vec<String> = note.answers.iter().map(u8::to_string).collect();
            out.push(format!(
                "Värdet för {name}, delmål {}, är medelvärdet av {} svar ({}) som skilde sig åt.",
                note.subgoal,
                count_word(note.answers.len()),
                join_sv(&values)
            ));
        }
        if self.applied_table_differs {
            let yes = self.respondents.iter().filter(|p| p.applied_table == Some(true)).count();
            let no = self.respondents.iter().filter(|p| p.applied_table == Some(false)).count();
            out.push(format!(
                "Svaren från {name} skilde sig åt om självskattningstabellen tillämpats ({yes} ja, {no} nej); \
                 den lokala systemledningen räknas som att ha tillämpat tabellen eftersom minst en svarande angav ja."
            ));
        }
        out
    }
}

fn consolidate_lsl(lsl: String, answers: Vec<IndividualAnswer>) -> LslResult {
    let mut respondents: Vec<RespondentRatings> = answers
        .iter()
        .map(|a| RespondentRatings {
            respondent: a.respondent.clone(),
            role: a.role.clone(),
            perspective: a.perspective,
            ratings: a.ratings.iter().map(|r| r.map(|r| r.value())).collect(),
            applied_table: a.applied_table,
        })
        .collect();
    respondents.sort();
    let count = respondents.iter().map(|p| p.ratings.len()).max().unwrap_or(0);
    let mut values = vec![None; count];
    let mut averaged = Vec::new();
    for (i, value) in values.iter_mut().enumerate() {
        let mut given: Vec<u8> =
            respondents.iter().filter_map(|p| p.ratings.get(i).copied().flatten()).collect();
        given.sort_unstable();
        *value = Score::mean_of(&given);
        if given.first() != given.last() {
            averaged.push(AveragedNote { subgoal: (i + 1) as u8, answers: given });
        }
    }
    let said: Vec<bool> = respondents.iter().filter_map(|p| p.applied_table).collect();
    let applied_table = if said.is_empty() { None } else { Some(said.iter().any(|&b| b)) };
    let applied_table_differs = said.iter().any(|&b| b) && said.iter().any(|&b| !b);
    let mut reflections: Vec<Reflection> = answers
        .iter()
        .flat_map(|a| {
            a.reflections.iter().enumerate().filter(|(_, t)| !t.trim().is_empty()).map(|(i, t)| Reflection {
                subgoal: (i + 1) as u8,
                respondent: a.respondent.clone(),
                role: a.role.clone(),
                text: t.trim().to_string(),
            })
        })
        .collect();
    reflections.sort();
    LslResult {
        lsl,
        values,
        applied_table,
        applied_table_differs,
        origin: Origin::IndividualAnswers,
        respondents,
        averaged,
        reflections,
    }
}

/// Swedish number word for small counts as used in running text ("två svar"); digits above ten.
pub(crate) fn count_word(n: usize) -> String {
    crate::format::number_word(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organisation::dalarna;

    pub(crate) fn answer(
        lsl: &str,
        who: &str,
        role: &str,
        ratings: [u8; 5],
        applied: Option<bool>,
    ) -> IndividualAnswer {
        let scale = Scale::default();
        IndividualAnswer {
            lsl: lsl.to_string(),
            respondent: who.to_string(),
            role: role.to_string(),
            perspective: Some(Perspective::Bada),
            ratings: ratings.iter().map(|v| scale.rating(*v)).collect(),
            applied_table: applied,
            reflections: Default::default(),
        }
    }

    #[test]
    fn two_differing_respondents_are_averaged_and_footnoted() {
        let answers = vec![
            answer("lsl-mora", "Anna", "kommunrepresentant", [4, 2, 3, 3, 2], Some(false)),
            answer("lsl-mora", "Bertil", "regionrepresentant", [4, 3, 3, 4, 2], Some(true)),
        ];
        let round = Round::new(2024, Scale::default(), answers, vec![]).unwrap();
        let mora = round.result("lsl-mora").unwrap();
        assert_eq!(mora.value(2).unwrap().as_f64(), 2.5);
        assert_eq!(mora.value(4).unwrap().as_f64(), 3.5);
        assert_eq!(mora.value(1), Some(Score::whole(4)));
        assert_eq!(mora.averaged.iter().map(|n| n.subgoal).collect::<Vec<_>>(), vec![2, 4]);
        assert_eq!(mora.applied_table, Some(true));
        assert!(mora.applied_table_differs);
        let notes = round.footnotes(&dalarna());
        assert_eq!(
            notes[0],
            "Värdet för Mora, delmål 2, är medelvärdet av två svar (2 och 3) som skilde sig åt."
        );
        assert_eq!(
            notes[1],
            "Värdet för Mora, delmål 4, är medelvärdet av två svar (3 och 4) som skilde sig åt."
        );
        assert!(notes[2].starts_with(
            "Svaren från Mora skilde sig åt om självskattningstabellen tillämpats (1 ja, 1 nej)"
        ));
    }

    #[test]
    fn a_respondent_who_skipped_a_subgoal_does_not_count_there() {
        let mut b = answer("lsl-orsa", "B", "ordförande", [3, 3, 3, 3, 3], None);
        b.ratings[0] = None;
        let answers = vec![answer("lsl-orsa", "A", "ordförande", [5, 3, 3, 3, 3], Some(false)), b];
        let round = Round::new(2024, Scale::default(), answers, vec![]).unwrap();
        let orsa = round.result("lsl-orsa").unwrap();
        assert_eq!(orsa.value(1), Some(Score::whole(5)));
        assert!(orsa.averaged.is_empty());
        assert_eq!(orsa.applied_table, Some(false));
        assert!(!orsa.applied_table_differs);
    }

    #[test]
    fn mixing_consolidated_and_individual_answers_is_refused() {
        let c = ConsolidatedEntry {
            lsl: "lsl-mora".into(),
            values: vec![Some(Score::whole(3)); 5],
            applied_table: None,
        };
        let e = Round::new(
            2023,
            Scale::default(),
            vec![answer("lsl-mora", "A", "x", [1; 5], None)],
            vec![c.clone()],
        )
        .unwrap_err();
        assert!(e.to_string().contains("har både enskilda svar och ett sammanställt värde för 2023"));
        let e = Round::new(2023, Scale::default(), vec![], vec![c.clone(), c]).unwrap_err();
        assert!(e.to_string().contains("mer än ett sammanställt värde"));
        let high = ConsolidatedEntry {
            lsl: "lsl-orsa".into(),
            values: vec![Some(Score::parse("5,5").unwrap()); 5],
            applied_table: None,
        };
        assert!(Round::new(2023, Scale::default(), vec![], vec![high])
            .unwrap_err()
            .to_string()
            .contains("utanför skalan 1–5"));
    }

    #[test]
    fn ratings_from_a_wider_scale_are_refused_by_a_narrower_round() {
        let wide = Scale::new(1, 7, (1..=7).map(|i| format!("Steg {i}")).collect()).unwrap();
        let mut a = answer("lsl-mora", "A", "x", [1; 5], None);
        a.ratings[0] = wide.rating(7);
        assert!(Round::new(2024, Scale::default(), vec![a], vec![]).is_err());
    }

    #[test]
    fn swedish_lists_and_number_words() {
        assert_eq!(join_sv(&["2".into(), "3".into(), "4".into()]), "2, 3 och 4");
        assert_eq!(count_word(3), "tre");
        assert_eq!(count_word(12), "12");
    }
}
