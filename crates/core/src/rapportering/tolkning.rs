//! Reading an answer as its typed domain value: one function per form, used both when a
//! submission is accepted and when a stored answer is compiled, so that every answer the
//! submission accepts also reads back (one parser per input).
//!
//! The questionnaire engine ([`super::formular`]) checks the fields a form definition declares
//! (types, choices, required questions); the typed reading here adds the rules of the part's
//! domain type (for the mapping: member lines written `kommun: roll`, municipalities of the LSL;
//! for the self-assessment: ratings on the round's scale, perspective). A submission is accepted
//! only when both pass; the compilation reads stored answers with the same function and leaves
//! out (with a warning naming the organisation) an answer that no longer reads, e.g. one stored
//! under an older form version.

use super::formular::{Answers, FormDefinition};
use super::Part;
use crate::delmal::SubGoal;
use crate::error::InputErrors;
use crate::kartlaggning::MappingAnswer;
use crate::organisation::Registry;
use crate::sjalvskattning::{self as sj, IndividualAnswer};

/// What the typed reading needs besides the answer.
#[derive(Debug, Clone, Copy)]
pub struct ReadContext<'a> {
    pub registry: &'a Registry,
    pub subgoals: &'a [SubGoal],
}

/// A stored or submitted answer as its domain value.
// One value per answer read, consumed at once: boxing the larger variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum TypedAnswer {
    /// One respondent's self-assessment.
    Sjalvskattning(IndividualAnswer),
    /// An LSL's mapping.
    Kartlaggning(MappingAnswer),
    /// A part whose answers have no domain type beyond the form (none of the standard parts).
    Form,
}

/// Reads the self-assessment answer of `org` (an LSL code) given in `def`'s fields.
pub fn read_sjalvskattning(
    def: &FormDefinition,
    answers: &Answers,
    org: &str,
    ctx: &ReadContext<'_>,
) -> Result<IndividualAnswer, InputErrors> {
    let scale = def.scale();
    let mut fields = def.to_fields(answers);
    fields.push(("lsl".into(), org.to_string()));
    let fctx = sj::FormContext {
        registry: ctx.registry,
        scale: &scale,
        subgoals: ctx.subgoals,
        require_all_ratings: false,
    };
    sj::parse_form(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())), &fctx)
}

/// Reads the mapping answer of `org` (an LSL code) given in `def`'s fields.
pub fn read_kartlaggning(
    def: &FormDefinition,
    answers: &Answers,
    org: &str,
    ctx: &ReadContext<'_>,
) -> Result<MappingAnswer, InputErrors> {
    let mut fields = def.to_fields(answers);
    fields.push(("lsl".into(), org.to_string()));
    crate::kartlaggning::parse_form(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())), ctx.registry)
}

/// Reads an answer of `part` (the dispatch used by submission and compilation alike).
pub fn read_answer(
    part: Part,
    def: &FormDefinition,
    answers: &Answers,
    org: &str,
    ctx: &ReadContext<'_>,
) -> Result<TypedAnswer, InputErrors> {
    match part {
        Part::Sjalvskattning => read_sjalvskattning(def, answers, org, ctx).map(TypedAnswer::Sjalvskattning),
        Part::Kartlaggning => read_kartlaggning(def, answers, org, ctx).map(TypedAnswer::Kartlaggning),
        Part::Kommunenkat | Part::Ekonomi => Ok(TypedAnswer::Form),
    }
}

/// Stored text of validated answers (what storage writes).
pub fn answers_to_text(answers: &Answers) -> String {
    // A map of plain values always serialises.
    serde_json::to_string(answers).unwrap_or_else(|_| "{}".to_string())
}

/// Parses stored answer text; `Err` when the stored row is damaged.
pub fn answers_from_text(text: &str) -> Result<Answers, DamagedAnswers> {
    serde_json::from_str(text).map_err(DamagedAnswers)
}

/// Stored answer text that does not read back (a damaged row, not the user's input).
#[derive(Debug, thiserror::Error)]
#[error("det sparade svaret är skadat ({0})")]
pub struct DamagedAnswers(#[source] pub serde_json::Error);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rapportering::formular::{standard_form, FormContext, Mode};
    use proptest::prelude::*;

    fn ctx_parts() -> (Registry, Vec<SubGoal>) {
        (crate::organisation::dalarna(), crate::delmal::default_subgoals())
    }

    /// Submission as the web layer does it: the form engine, then the typed reading.
    fn submit(part: Part, raw: &[(String, String)], org: &str) -> Option<(Answers, TypedAnswer)> {
        let (registry, subgoals) = ctx_parts();
        let def = standard_form(part).unwrap();
        let fctx = FormContext {
            municipalities: registry
                .lsls
                .iter()
                .find(|l| l.code == org)
                .map(|l| {
                    l.municipalities
                        .iter()
                        .filter_map(|c| registry.municipalities.iter().find(|m| &m.code == c))
                        .map(|m| (m.code.clone(), m.name.clone()))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let answers = def.validate(raw, &fctx, Mode::Submit).ok()?;
        let ctx = ReadContext { registry: &registry, subgoals: &subgoals };
        let typed = read_answer(part, &def, &answers, org, &ctx).ok()?;
        Some((answers, typed))
    }

    /// The compilation's reading of what storage keeps.
    fn read_back(part: Part, stored: &str, org: &str) -> TypedAnswer {
        let (registry, subgoals) = ctx_parts();
        let def = standard_form(part).unwrap();
        let answers = answers_from_text(stored).expect("stored answers parse");
        let ctx = ReadContext { registry: &registry, subgoals: &subgoals };
        read_answer(part, &def, &answers, org, &ctx).expect("an accepted answer reads back")
    }

    fn member_line() -> impl Strategy<Value = String> {
        // Mostly well-formed lines, so that many generated answers are accepted.
        prop_oneof![
            8 => "(kommun|region|annan|Kommun|REGION): [A-Za-zåäöÅÄÖ]{1,10}( [a-zåäö]{1,8})?",
            1 => "[A-Za-zåäöÅÄÖ ]{1,25}",
            1 => Just("Socialchef i Avesta".to_string()),
            1 => Just("kommun:".to_string()),
            1 => ":[a-z ]{0,8}",
        ]
    }

    fn yes_no() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => Just("ja".to_string()),
            6 => Just("nej".to_string()),
            1 => Just("".to_string()),
            1 => "[a-z]{0,3}",
        ]
    }

    prop_compose! {
        fn mapping_fields()(
            members in proptest::collection::vec(member_line(), 0..4),
            convener in yes_no(), chair in yes_no(), polsam in yes_no(), politics in yes_no(),
            influence in yes_no(),
            freq in prop_oneof![4 => Just("1-per-manad".to_string()), 4 => Just("2-per-termin".to_string()), 1 => "[a-z]{0,6}"],
            plan in prop_oneof![3 => Just("ja".to_string()), 3 => Just("pagar".to_string()), 3 => Just("nej".to_string()), 1 => "[a-z]{0,4}"],
            text in "[A-Za-zåäö ,.]{0,30}",
            comm in yes_no(),
        ) -> Vec<(String, String)> {
            vec![
                ("sammankallande_struktur".into(), convener),
                ("sammankallande".into(), text.clone()),
                ("ordforande_finns".into(), chair),
                ("ordforande".into(), text.clone()),
                ("medlemmar".into(), members.join("\n")),
                ("motesfrekvens".into(), freq),
                ("uppdrag".into(), text.clone()),
                ("polsam".into(), polsam),
                ("politisk_representation".into(), politics),
                ("samverkan".into(), text.clone()),
                ("brukarinflytande".into(), influence),
                ("brukarinflytande_hur".into(), text.clone()),
                ("lokal_plan".into(), plan),
                ("lokala_overenskommelser".into(), text.clone()),
                ("kommunikationsplan_2084".into(), comm.clone()),
                ("kommunikationsplan_2083".into(), comm),
                ("fungerar_bra".into(), text.clone()),
                ("utmaningar".into(), text.clone()),
                ("stodbehov".into(), text),
            ]
        }
    }

    prop_compose! {
        fn self_assessment_fields()(
            ratings in proptest::collection::vec(prop_oneof![1 => Just(String::new()), 12 => "[1-5]", 1 => "[06-9]", 1 => "[a-z]{1,2}"], 5),
            who in "[A-Za-zåäö][A-Za-zåäö ]{0,20}",
            role in "[a-zåäö][a-zåäö ]{0,12}",
            persp in prop_oneof![3 => Just("kommun".to_string()), 3 => Just("region".to_string()), 3 => Just("bada".to_string()), 1 => "[a-z]{0,5}"],
            applied in yes_no(),
            reflection in "[A-Za-zåäö ,.]{0,30}",
        ) -> Vec<(String, String)> {
            let mut f: Vec<(String, String)> = ratings
                .into_iter()
                .enumerate()
                .map(|(i, r)| (format!("delmal{}", i + 1), r))
                .collect();
            f.push(("respondent".into(), who));
            f.push(("roll".into(), role));
            f.push(("perspektiv".into(), persp));
            f.push(("tillampat".into(), applied));
            f.push(("reflektion3".into(), reflection));
            f
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Every mapping answer the submission accepts reads back equal from what is stored.
        #[test]
        fn an_accepted_mapping_reads_back_equal(raw in mapping_fields()) {
            let org = "lsl-sodra-dalarna";
            if let Some((answers, typed)) = submit(Part::Kartlaggning, &raw, org) {
                prop_assert_eq!(read_back(Part::Kartlaggning, &answers_to_text(&answers), org), typed);
            }
        }

        /// Every self-assessment the submission accepts reads back equal from what is stored.
        #[test]
        fn an_accepted_self_assessment_reads_back_equal(raw in self_assessment_fields()) {
            let org = "lsl-mora";
            if let Some((answers, typed)) = submit(Part::Sjalvskattning, &raw, org) {
                prop_assert_eq!(read_back(Part::Sjalvskattning, &answers_to_text(&answers), org), typed);
            }
        }
    }

    /// The generators above are not vacuous: a good share of what they make is accepted.
    #[test]
    fn the_generated_answers_are_often_accepted() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let (mut mapping, mut sa) = (0, 0);
        for _ in 0..200 {
            let raw = mapping_fields().new_tree(&mut runner).unwrap().current();
            mapping += usize::from(submit(Part::Kartlaggning, &raw, "lsl-sodra-dalarna").is_some());
            let raw = self_assessment_fields().new_tree(&mut runner).unwrap().current();
            sa += usize::from(submit(Part::Sjalvskattning, &raw, "lsl-mora").is_some());
        }
        assert!(mapping >= 20, "accepted mapping answers: {mapping} of 200");
        assert!(sa >= 20, "accepted self-assessments: {sa} of 200");
    }

    #[test]
    fn a_member_line_without_side_is_refused_at_submission() {
        // The reproduction of the 2025 finding: the form engine alone accepted it.
        let raw: Vec<(String, String)> = vec![
            ("sammankallande_struktur".into(), "ja".into()),
            ("sammankallande".into(), "Socialchefen".into()),
            ("ordforande_finns".into(), "ja".into()),
            ("ordforande".into(), "Socialchef".into()),
            ("medlemmar".into(), "Socialchef i Avesta".into()),
            ("motesfrekvens".into(), "1-per-manad".into()),
            ("uppdrag".into(), "Samordna".into()),
            ("polsam".into(), "ja".into()),
            ("politisk_representation".into(), "nej".into()),
            ("samverkan".into(), "Bra".into()),
            ("brukarinflytande".into(), "nej".into()),
            ("lokal_plan".into(), "ja".into()),
            ("lokala_overenskommelser".into(), "Inga".into()),
            ("kommunikationsplan_2084".into(), "ja".into()),
            ("kommunikationsplan_2083".into(), "ja".into()),
            ("fungerar_bra".into(), "Mycket".into()),
            ("utmaningar".into(), "Tid".into()),
            ("stodbehov".into(), "Inget".into()),
        ];
        let (registry, subgoals) = ctx_parts();
        let def = standard_form(Part::Kartlaggning).unwrap();
        let fctx = FormContext {
            municipalities: vec![("2083".into(), "Hedemora".into()), ("2084".into(), "Avesta".into())],
        };
        let answers = def.validate(&raw, &fctx, Mode::Submit).expect("the form engine accepts it");
        let ctx = ReadContext { registry: &registry, subgoals: &subgoals };
        let err = read_answer(Part::Kartlaggning, &def, &answers, "lsl-sodra-dalarna", &ctx).unwrap_err();
        assert!(err.to_string().contains("medlemmar"), "{err}");
    }
}
