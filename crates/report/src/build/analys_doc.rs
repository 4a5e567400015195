//! The report's blocks for [`crate::analys`]: section 3.2.3 (self-assessment beside the survey
//! per sub-goal, with a figure and its table) and the multi-year statements of 3.2.1. Written
//! only when the input has [`crate::ReportInput::analysis`].

use super::{s, B};
use crate::analys::{self, SubGoalRelation};
use crate::input::{mean_text, SaYear, SelfAssessmentInput};
use gnv_core::format;
use gnv_render::chart::{self, GroupedBarChart, Series};

/// The caption of the 3.2.3 figure (its number comes from [`crate::figure_number`]).
pub const RELATION_CAPTION: &str =
    "Självskattningen per delmål i relation till kommunernas rapportering i kommunenkäten.";

/// The multi-year statements (only with an analysis input and a previous analysed year).
pub(super) fn multi_year(b: &mut B, sa: &SelfAssessmentInput, cur: &SaYear) {
    if b.input.analysis.is_none() {
        return;
    }
    let Some(prev) = sa.years.iter().filter(|y| y.year < cur.year).max_by_key(|y| y.year) else {
        return;
    };
    for sentence in analys::multi_year(prev, cur) {
        b.p(sentence);
    }
}

/// Section 3.2.3 when the input has an analysis, a survey and a mapping; returns whether it
/// was written (the next subsection's number follows it).
pub(super) fn relation_section(b: &mut B, cur: &SaYear) -> bool {
    let (Some(analysis), Some(survey)) = (b.input.analysis.clone(), b.input.survey.clone()) else {
        return false;
    };
    if analysis.links.is_empty() {
        return false;
    }
    let subgoals = b.input.subgoals.clone();
    let relations = analys::relate(cur, &survey, &analysis.links, &subgoals);
    let year = cur.year;
    let lo = analys::upper_from(cur);
    let upper_label = format!("{}–{}", format::number(lo, 1), cur.scale_max);
    b.part("relation-kommunenkat");
    b.h(3, "3.2.3 Självskattningen i relation till rapporteringen från kommunenkäterna");
    b.p(format!(
        "Här ställs de lokala systemledningarnas självskattning {year} av respektive delmål bredvid vad kommunerna rapporterade i kommunenkäten {} inom de områden och rubriker som länsprofilen kopplar till delmålet. Självskattningen är systemledningarnas egen bedömning; kommunenkäten visar vad kommunerna har initierat, förstärkt eller beskrivit. Jämförelsen är ett underlag för reflektion, inte ett mått på måluppfyllelse.",
        survey.year
    ));
    let (f, t) = relation_figure(b, &relations, year, survey.year, &upper_label);
    b.p(format!(
        "Figur {f} och Tabell {t} visar per delmål andelen systemledningar som skattat delmålet {upper_label} och andelen kommuner som rapporterat något av det som är kopplat till delmålet."
    ));
    for (i, r) in relations.iter().enumerate() {
        b.part(&format!("relation-delmal-{}", r.number));
        b.h(4, format!("3.2.3.{} Delmål {} – ”{}”", i + 1, r.number, r.name));
        for sentence in analys::relation_sentences(r, year, survey.year) {
            b.p(sentence);
        }
    }
    true
}

fn relation_figure(
    b: &mut B,
    relations: &[SubGoalRelation],
    year: i32,
    survey_year: i32,
    upper_label: &str,
) -> (usize, usize) {
    let categories: Vec<String> = relations.iter().map(|r| format!("{} {}", r.number, r.name)).collect();
    let groups = vec![
        Series {
            name: format!("Självskattning {year}: andel systemledningar som skattat {upper_label}"),
            values: relations.iter().map(|r| r.upper_percent()).collect(),
        },
        Series {
            name: format!("Kommunenkät {survey_year}: andel kommuner som rapporterat kopplade områden"),
            values: relations.iter().map(|r| r.reported_percent()).collect(),
        },
    ];
    let svg = chart::grouped_bar_chart(&GroupedBarChart {
        title: format!("Självskattning och kommunenkät per delmål, {year}"),
        description: format!(
            "Stapeldiagram, två staplar per delmål: andel lokala systemledningar som skattat delmålet {upper_label} och andel kommuner som i kommunenkäten rapporterat något som är kopplat till delmålet. Samma värden finns i tabellen under diagrammet."
        ),
        unit: s("procent"),
        categories,
        groups,
        decimals: 0,
        range: Some((0.0, 100.0)),
        width: 720,
        height: 340,
    });
    let mut alt = format!("Självskattningen {year} och kommunenkäten {survey_year} per delmål.");
    let finding = analys::relation_finding(relations, upper_label);
    if !finding.is_empty() {
        alt.push(' ');
        alt.push_str(&finding);
    }
    let f = b.figure(svg, alt, RELATION_CAPTION);
    let rows = relations
        .iter()
        .map(|r| {
            let dist = if r.distribution.is_empty() {
                s("–")
            } else {
                r.distribution.iter().map(|(l, n)| format!("{l}: {n}")).collect::<Vec<_>>().join(", ")
            };
            let linked: Vec<String> = r
                .areas
                .iter()
                .map(|a| format!("{} ({})", a.label, a.count))
                .chain(r.headings.iter().map(|h| format!("Rubriken ”{}” ({})", h.label, h.count)))
                .collect();
            vec![
                format!("{} {}", r.number, r.name),
                mean_text(r.mean),
                dist,
                format::of(r.upper, r.answered),
                if linked.is_empty() { s("–") } else { linked.join(", ") },
                r.reported.map(|k| format::of(k, r.survey_answered)).unwrap_or_else(|| s("–")),
            ]
        })
        .collect();
    let t = b.table(
        format!(
            "Självskattningen {year} och kommunenkäten {survey_year} per delmål (samma data som Figur {f})"
        ),
        vec![
            s("Delmål"),
            format!("Medelvärde {year}"),
            s("Fördelning (skattning: antal)"),
            format!("Skattat {upper_label}"),
            s("Kopplat i kommunenkäten (antal kommuner)"),
            s("Kommuner"),
        ],
        rows,
        vec![3, 2, 3, 2, 7, 2],
    );
    (f, t)
}
