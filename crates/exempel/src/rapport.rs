//! A complete example [`ReportInput`] for 2024, for tests, benchmarks and the demo.
//!
//! Real data where the seed report has it: the economy table of appendix 1 (the 2024 figures),
//! the indicator summary sets of the 2025 infographic and the support activities of 2024. The
//! self-assessment ratings, the mapping answers and the municipal survey answers are synthetic
//! (DEMODATA), shaped like the 2024 report's statements ("13 av 13", "7 av 13", "9 av 13 träffas
//! 2 gånger per termin" …), because the seed does not give the individual answers.

use gnv_core::delmal::default_subgoals;
use gnv_core::kartlaggning::{
    Collaboration, KeyActor, LocalPlanStatus, MappingAnswer, MeetingFrequency, Member, Side, Structure,
    UserInfluence,
};
use gnv_core::kommunenkat::{self, Area, Heading, MunicipalAnswer, Text};
use gnv_core::nyckeltal::{default_catalogue, CodeSet, EditionSummary, IndicatorCode, IndicatorStatus};
use gnv_core::organisation::{dalarna, Registry};
use gnv_core::sjalvskattning::{analyse_year, ConsolidatedEntry, Round, Scale, Score};
use gnv_report::input::{
    IndicatorInput, IndicatorRow, IndicatorValue, MappingInput, ReportInput, SelfAssessmentInput,
};
use std::collections::{BTreeMap, BTreeSet};

fn codes(list: &[&str]) -> CodeSet {
    list.iter().filter_map(|c| c.parse::<IndicatorCode>().ok()).collect()
}

/// The 2025 infographic's summary as stated in the 2024 report (DOMAIN.md §5).
pub fn indicator_summary_2025() -> EditionSummary {
    EditionSummary {
        focus: "0020".into(),
        total: 20,
        under_development: codes(&["1.3", "2.2", "5.4"]),
        without_value: codes(&[]),
        not_updated: codes(&["1.2", "1.4", "3.1", "4.1", "4.3", "4.4"]),
        updated: codes(&["1.1", "2.1", "2.3", "2.4", "3.2", "3.3", "3.4", "4.2", "5.1", "5.2", "5.3"]),
        split_by_sex: codes(&["1.1", "2.1", "3.2", "3.3", "4.2", "5.1", "5.2", "5.3"]),
        better: codes(&["2.1", "5.1", "5.2"]),
        worse: codes(&["1.1", "3.2", "4.2", "5.3"]),
        improved: codes(&["2.1", "3.3", "4.2", "5.1"]),
        improved_both_sexes: codes(&["2.1", "4.2"]),
        improved_only_men: codes(&["5.1"]),
        improved_only_women: codes(&["3.3"]),
        improved_total_only: codes(&[]),
        fact_indicators: codes(&["2.3", "2.4", "3.4"]),
    }
}

fn indicators() -> IndicatorInput {
    let summary = indicator_summary_2025();
    let rows = default_catalogue()
        .indicators()
        .iter()
        .map(|ind| {
            let status = if ind.status == IndicatorStatus::UnderDevelopment
                || summary.under_development.contains(ind.code)
            {
                "Under utveckling"
            } else if summary.not_updated.contains(ind.code) {
                "Inte uppdaterat"
            } else {
                "Uppdaterat"
            };
            let comparison = if summary.better.contains(ind.code) {
                "Grön – bättre i jämförelse med andra"
            } else if summary.worse.contains(ind.code) {
                "Röd – sämre i jämförelse med andra (förbättringspotential)"
            } else if summary.fact_indicators.contains(ind.code) || status == "Under utveckling" {
                "–"
            } else {
                "Gul – i mitten i jämförelse med andra"
            };
            let change = if summary.improved.contains(ind.code) { "↑ förbättrat" } else { "–" };
            IndicatorRow {
                code: ind.code.to_string(),
                subgoal: ind.subgoal,
                title: ind.title.clone(),
                unit: ind.unit.clone(),
                status: status.into(),
                fact: summary.fact_indicators.contains(ind.code),
                values: if status == "Under utveckling" {
                    Vec::new()
                } else {
                    vec![IndicatorValue {
                        gender: "Totalt".into(),
                        value: "DEMODATA".into(),
                        change: change.into(),
                        comparison: comparison.into(),
                        graphic: None,
                    }]
                },
            }
        })
        .collect();
    IndicatorInput { edition_year: 2025, focus_name: "Dalarna".into(), summary, rows }
}

fn score(s: &str) -> Option<Score> {
    Score::parse(s).ok()
}

/// Synthetic consolidated ratings per LSL (registry order) for sub-goals 1–5.
fn round(registry: &Registry, year: i32, table: &[[&str; 5]], applied: usize) -> Option<Round> {
    let entries = registry
        .lsls
        .iter()
        .zip(table)
        .enumerate()
        .map(|(i, (l, vals))| ConsolidatedEntry {
            lsl: l.code.clone(),
            values: vals.map(score).to_vec(),
            applied_table: Some(i < applied),
        })
        .collect();
    Round::new(year, Scale::default(), Vec::new(), entries).ok()
}

fn self_assessment(registry: &Registry) -> Option<SelfAssessmentInput> {
    let subgoals = default_subgoals();
    let y2023: [[&str; 5]; 13] = [
        ["3", "3", "2", "3", "2"],
        ["3", "3", "3", "3", "2"],
        ["4", "3", "2", "3", "3"],
        ["3", "3", "3", "3", "2"],
        ["3", "3", "2", "2", "2"],
        ["4", "3", "4", "3", "3"],
        ["3", "3", "2", "3", "2"],
        ["3", "2", "2", "3", "2"],
        ["3", "3", "3", "4", "3"],
        ["4", "3", "3", "3", "3"],
        ["3", "3", "2", "3", "2"],
        ["3", "3", "1", "2", "2"],
        ["3", "3", "3", "3", "3"],
    ];
    let y2024: [[&str; 5]; 13] = [
        ["3", "3", "2", "3", "2"],
        ["4", "3", "3", "3", "3"],
        ["4", "3", "2", "3", "3"],
        ["3", "3", "3", "3", "2"],
        ["3", "3", "2", "3", "2"],
        ["4", "3", "4", "4", "3"],
        ["3", "3", "2", "3", "2"],
        ["3", "2", "2,5", "3,5", "2,5"],
        ["3", "3", "3", "4", "3"],
        ["4", "3", "4", "3", "3"],
        ["3", "3", "2", "3", "2"],
        ["3", "3", "1", "2", "3"],
        ["3", "3", "3", "3", "3"],
    ];
    let r1 = round(registry, 2023, &y2023, 6)?;
    let r2 = round(registry, 2024, &y2024, 7)?;
    let analyses = [analyse_year(&r1, registry, &subgoals), analyse_year(&r2, registry, &subgoals)];
    Some(SelfAssessmentInput::from_analyses(&analyses))
}

fn mapping(registry: &Registry) -> MappingInput {
    let mut answers: Vec<MappingAnswer> = registry
        .lsls
        .iter()
        .map(|l| MappingAnswer {
            lsl: l.code.clone(),
            structure: Structure {
                has_convener: true,
                convener: "Områdessamordnare".into(),
                has_chair: true,
                chair: "Socialchef".into(),
                members: vec![
                    Member { side: Side::Kommun, role: "Förvaltningschef socialtjänst".into() },
                    Member { side: Side::Kommun, role: "HSL-chef".into() },
                    Member { side: Side::Region, role: "Verksamhetschef VC".into() },
                ],
                meeting_frequency: MeetingFrequency::TvaGangerPerTermin,
            },
            mission: String::new(),
            collaboration: Collaboration {
                polsam: true,
                political_representation: false,
                missing_actors: BTreeSet::new(),
                missing_other: String::new(),
                description: String::new(),
                polsam_systematic: None,
            },
            user_influence: UserInfluence {
                works_actively: false,
                how: String::new(),
                user_representative: None,
            },
            local_plan: LocalPlanStatus::Ja,
            local_agreements: String::new(),
            communication_plans: l.municipalities.iter().map(|m| (m.clone(), false)).collect(),
            what_works: String::new(),
            challenges: String::new(),
            support_requests: String::new(),
        })
        .collect();
    answers[0].structure.meeting_frequency = MeetingFrequency::EnGangPerManad;
    answers[1].structure.meeting_frequency = MeetingFrequency::EnGangPerManad;
    answers[2].structure.meeting_frequency = MeetingFrequency::EnGangPerTermin;
    answers[3].structure.meeting_frequency = MeetingFrequency::TvaTillTreGangerPerAr;
    answers[9].collaboration.political_representation = true;
    for a in answers.iter_mut().take(10) {
        a.collaboration.missing_actors.insert(KeyActor::Vuxenpsykiatri);
    }
    answers[0].collaboration.missing_actors.insert(KeyActor::Bup);
    for (i, how) in
        [(4, "Patient- och brukarråd"), (8, "Pensionärs- och funktionshinderråd"), (10, "Delaktighetsråd")]
    {
        answers[i].user_influence =
            UserInfluence { works_actively: true, how: how.into(), user_representative: None };
    }
    for i in [5, 6] {
        answers[i].local_plan = LocalPlanStatus::UnderArbete;
    }
    answers[11].local_plan = LocalPlanStatus::Nej;
    answers[9].communication_plans.insert("2080".into(), true);
    answers[12].communication_plans.insert("2083".into(), true);
    answers[7].communication_plans.insert("2085".into(), true);
    answers[8].challenges = "Uppdraget upplevs luddigt utan tydlig målbild (DEMODATA).".into();
    answers[3].what_works = "Dialog och kommunikation (DEMODATA).".into();
    MappingInput { year: 2024, answers }
}

fn text(s: &str) -> Option<Text> {
    Text::parse(s).ok().flatten()
}

/// The example's municipal survey 2024 (synthetic answers of all municipalities of `registry`),
/// compiled: `input_2024().survey` for the Dalarna registry.
pub fn survey(registry: &Registry) -> Option<kommunenkat::SurveyCompilation> {
    let answers: Vec<MunicipalAnswer> = registry
        .municipalities
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let areas: BTreeSet<Area> = Area::ALL
                .iter()
                .enumerate()
                .filter(|(j, _)| (i + j) % 3 != 0 || *j < 2)
                .map(|(_, a)| *a)
                .collect();
            let mut free_text = BTreeMap::new();
            if i % 2 == 0 {
                if let Some(t) = text(&format!(
                    "Fast daglig avstämning med samordnare kommun och primärvård (DEMODATA {}).",
                    i + 1
                )) {
                    free_text.insert(Heading::ALL[0], t);
                }
            }
            if i % 3 == 0 {
                if let Some(t) =
                    text("Gemensamma hembesök med biståndshandläggning och rehabpersonal (DEMODATA).")
                {
                    free_text.insert(Heading::ALL[1], t);
                }
            }
            MunicipalAnswer { municipality_code: m.code.clone(), year: 2024, areas, other: None, free_text }
        })
        .collect();
    let set = kommunenkat::AnswerSet::new(registry, 2024, answers).ok()?;
    Some(kommunenkat::compile(registry, &set))
}

/// The example input for 2024 (see the module documentation for what is real and what is demo).
pub fn input_2024() -> ReportInput {
    let registry = dalarna();
    let subgoals = default_subgoals();
    let seed = crate::ekonomi::seed_2024();
    let economy = gnv_core::ekonomi::summarize(
        &registry,
        seed.year,
        &seed.focus_area,
        &seed.rows,
        Some(&seed.printed_totals),
    );
    let mut input = ReportInput::empty(2024, registry.clone(), subgoals);
    input.indicators = Some(indicators());
    input.self_assessment = self_assessment(&registry);
    input.mapping = Some(mapping(&registry));
    input.survey = survey(&registry);
    input.economy = Some(economy);
    input.support = Some(crate::planering::demo_support_2024());
    input.narratives.insert(
        "avslutningsord".into(),
        "Glädjande nog finns nu **lokala systemledningar** på plats i hela länet.\n\n- Regional systemledning\n- Regional handlingsplan".into(),
    );
    input
}
