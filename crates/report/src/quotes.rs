//! Chosen quotes: the analyst picks which free-text answers the report quotes, in which order,
//! attributed or not (default not), optionally shortened with "[…]". Nothing is quoted unless
//! chosen.
//!
//! The free-text sources ([`QuoteGroup`]) are computed from the year's data: the mapping's text
//! questions (section 3.3), the municipal survey's headings and its "övrigt" texts (3.4) and the
//! self-assessment reflections per sub-goal (3.2). A stored choice ([`QuoteChoice`]) names its
//! group and answer; [`resolve`] turns the choices into the [`ChosenQuote`]s frozen in the
//! report input, leaving out (with a warning) a choice whose answer is gone or whose text is no
//! longer a shortening of the answer.

use gnv_core::kartlaggning::{MappingSummary, TextQuestion};
use gnv_core::kommunenkat::SurveyCompilation;
use serde::{Deserialize, Serialize};

pub use gnv_core::arsrapport::{
    is_shortening, normalise_quote, Candidate, QuoteChoice, QuoteGroup, ELLIPSIS,
};

/// A quote as the report prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChosenQuote {
    /// The group key ([`QuoteGroup::key`]).
    pub source: String,
    /// The text (the answer, possibly shortened with "[…]").
    pub text: String,
    /// The organisation's name when the quote is attributed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
}

impl ChosenQuote {
    /// "”text”" or "”text” (Mora)".
    pub fn display(&self) -> String {
        match &self.attribution {
            Some(a) => format!("”{}” ({a})", self.text),
            None => format!("”{}”", self.text),
        }
    }
}

/// The slug of a mapping text question.
pub fn question_slug(q: TextQuestion) -> &'static str {
    match q {
        TextQuestion::Uppdrag => "uppdrag",
        TextQuestion::Samverkan => "samverkan",
        TextQuestion::Brukarinflytande => "brukarinflytande",
        TextQuestion::LokalaOverenskommelser => "lokala-overenskommelser",
        TextQuestion::FungerarBra => "fungerar-bra",
        TextQuestion::Utmaningar => "utmaningar",
        TextQuestion::Stodbehov => "stodbehov",
    }
}

/// The key of the survey's "övrigt" texts.
pub const SURVEY_OTHER: &str = "kommunenkat/ovrigt";

/// A self-assessment reflection with its LSL, as input to [`groups`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReflectionAnswer {
    pub subgoal: u8,
    pub lsl_code: String,
    pub lsl_name: String,
    pub respondent: String,
    pub text: String,
}

/// The free-text sources of a year, in report order.
pub fn groups(
    mapping: Option<&MappingSummary>,
    survey: Option<&SurveyCompilation>,
    reflections: &[ReflectionAnswer],
    subgoals: &[gnv_core::delmal::SubGoal],
) -> Vec<QuoteGroup> {
    let mut out = Vec::new();
    for g in subgoals {
        let candidates: Vec<Candidate> = reflections
            .iter()
            .filter(|r| r.subgoal == g.number && !r.text.trim().is_empty())
            .map(|r| Candidate {
                id: format!("{}/{}", r.lsl_code, r.respondent),
                organisation: r.lsl_name.clone(),
                text: r.text.trim().to_string(),
            })
            .collect();
        if !candidates.is_empty() {
            out.push(QuoteGroup {
                key: format!("sjalvskattning/delmal-{}", g.number),
                section: "sjalvskattning",
                label: format!("Självskattningens reflektioner, delmål {} – {}", g.number, g.name),
                candidates,
            });
        }
    }
    if let Some(m) = mapping {
        for g in &m.free_text {
            out.push(QuoteGroup {
                key: format!("kartlaggning/{}", question_slug(g.question)),
                section: "kartlaggning",
                label: format!("Kartläggningen: {}", g.label),
                candidates: g
                    .answers
                    .iter()
                    .map(|a| Candidate {
                        id: a.lsl.clone(),
                        organisation: a.lsl_name.clone(),
                        text: a.text.trim().to_string(),
                    })
                    .collect(),
            });
        }
    }
    if let Some(s) = survey {
        let entry = |e: &gnv_core::kommunenkat::FreeTextEntry| Candidate {
            id: e.municipality.code.clone(),
            organisation: e.municipality.name.clone(),
            text: e.text.trim().to_string(),
        };
        if !s.other_texts.is_empty() {
            out.push(QuoteGroup {
                key: SURVEY_OTHER.to_string(),
                section: "kommunenkat",
                label: "Kommunenkäten: övriga områden och arbetssätt".to_string(),
                candidates: s.other_texts.iter().map(entry).collect(),
            });
        }
        for sec in &s.sections {
            if sec.entries.is_empty() {
                continue;
            }
            out.push(QuoteGroup {
                key: format!("kommunenkat/{}", sec.heading.code()),
                section: "kommunenkat",
                label: format!("Kommunenkäten: {}", sec.title),
                candidates: sec.entries.iter().map(entry).collect(),
            });
        }
    }
    out
}

/// The chosen quotes in report order (groups in [`groups`] order, then position), and a
/// Swedish warning per choice that no longer fits its answer.
pub fn resolve(groups: &[QuoteGroup], choices: &[QuoteChoice]) -> (Vec<ChosenQuote>, Vec<(String, String)>) {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for g in groups {
        let mut mine: Vec<&QuoteChoice> = choices.iter().filter(|c| c.group == g.key).collect();
        mine.sort_by(|a, b| a.position.cmp(&b.position).then_with(|| a.answer.cmp(&b.answer)));
        for c in mine {
            match g.candidates.iter().find(|a| a.id == c.answer) {
                Some(a) if is_shortening(&a.text, &c.text) => out.push(ChosenQuote {
                    source: g.key.clone(),
                    text: normalise_quote(&c.text),
                    attribution: c.attributed.then(|| a.organisation.clone()),
                }),
                Some(a) => warnings.push((
                    g.section.to_string(),
                    format!(
                        "Ett valt citat från {} ({}) stämmer inte längre med svaret och ingår inte.",
                        a.organisation, g.label
                    ),
                )),
                None => warnings.push((
                    g.section.to_string(),
                    format!("Ett valt citat ({}) finns inte längre bland svaren och ingår inte.", g.label),
                )),
            }
        }
    }
    for c in choices {
        if !groups.iter().any(|g| g.key == c.group) {
            let section = c.group.split('/').next().unwrap_or_default().to_string();
            warnings.push((
                section,
                format!("Ett valt citat ({}) finns inte längre bland svaren och ingår inte.", c.group),
            ));
        }
    }
    (out, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group() -> QuoteGroup {
        QuoteGroup {
            key: "kartlaggning/fungerar-bra".into(),
            section: "kartlaggning",
            label: "Kartläggningen: Vad fungerar bra?".into(),
            candidates: vec![
                Candidate {
                    id: "L1".into(),
                    organisation: "Mora".into(),
                    text: "Vi träffas ofta och  samverkar väl med vårdcentralen.".into(),
                },
                Candidate { id: "L2".into(), organisation: "Orsa".into(), text: "Tydligt uppdrag.".into() },
            ],
        }
    }

    fn choice(answer: &str, position: i64, attributed: bool, text: &str) -> QuoteChoice {
        QuoteChoice {
            group: "kartlaggning/fungerar-bra".into(),
            answer: answer.into(),
            position,
            attributed,
            text: text.into(),
        }
    }

    #[test]
    fn shortening_keeps_the_words_in_order() {
        let o = "Vi träffas ofta och samverkar väl med vårdcentralen.";
        assert!(is_shortening(o, o));
        assert!(is_shortening(o, "Vi träffas ofta […] med vårdcentralen."));
        assert!(is_shortening(o, "[…] samverkar väl [...] vårdcentralen."));
        assert!(!is_shortening(o, "Vi träffas sällan […]"), "a changed word is not a shortening");
        assert!(!is_shortening(o, "med vårdcentralen […] Vi träffas"), "order matters");
        assert!(!is_shortening(o, "[…]"));
    }

    #[test]
    fn only_chosen_answers_are_quoted_in_their_order_unattributed_by_default() {
        let g = vec![group()];
        assert!(resolve(&g, &[]).0.is_empty(), "nothing is quoted by default");
        let (q, w) = resolve(
            &g,
            &[
                choice("L1", 2, false, "Vi träffas ofta […] vårdcentralen."),
                choice("L2", 1, true, "Tydligt uppdrag."),
            ],
        );
        assert!(w.is_empty());
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].display(), "”Tydligt uppdrag.” (Orsa)");
        assert_eq!(q[1].display(), "”Vi träffas ofta […] vårdcentralen.”");
    }

    #[test]
    fn a_choice_that_no_longer_fits_is_left_out_with_a_warning() {
        let g = vec![group()];
        let (q, w) = resolve(&g, &[choice("L1", 1, false, "Något annat."), choice("L9", 2, false, "x")]);
        assert!(q.is_empty());
        assert_eq!(w.len(), 2);
        assert!(w[0].1.contains("Mora") && w[0].1.contains("stämmer inte längre"));
        assert_eq!(w[0].0, "kartlaggning");
    }
}
