//! The analyses the seed report makes beyond the per-module sections (pure, no I/O):
//!
//! - [`relate`]: section 3.2.3 "Självskattningen i relation till rapporteringen från
//!   kommunenkäterna" — per sub-goal the self-assessment (mean and distribution over the LSLs)
//!   beside the municipalities' survey answers in the areas and headings linked to the sub-goal
//!   ([`gnv_core::kommunenkat::SurveyLink`], from the county profile);
//! - [`multi_year`]: statements over the report year and the previous self-assessment that are
//!   written only when true ("lägst både i denna och föregående skattning", highest in both,
//!   unchanged order);
//! - [`survey_delivery_sentence`]: the survey's delivery to Socialstyrelsen per municipality.
//!
//! A report input gets these only with [`AnalysisInput`] ([`crate::ReportInput::analysis`]), so
//! frozen inputs without it regenerate exactly as before.

use crate::input::{mean_text, Delivery, MunicipalDelivery, SaYear, DELIVERY_SURVEY_TO_SOCIALSTYRELSEN};
use chrono::NaiveDate;
use gnv_core::delmal::SubGoal;
use gnv_core::format;
use gnv_core::kommunenkat::{SurveyCompilation, SurveyLink};
use gnv_core::organisation::Registry;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What the analyses need beyond the modules' data, frozen with the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalysisInput {
    /// The mapping survey → sub-goal in force when the report was assembled.
    pub links: Vec<SurveyLink>,
}

/// One linked survey item and how many municipalities reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedCount {
    /// As written in a sentence ("fast vårdkontakt", "Delaktighet och kontinuitet").
    pub phrase: String,
    /// As written in a table ("Fast vårdkontakt").
    pub label: String,
    pub count: usize,
}

/// One sub-goal's self-assessment beside the survey.
#[derive(Debug, Clone, PartialEq)]
pub struct SubGoalRelation {
    pub number: u8,
    pub name: String,
    pub mean: Option<f64>,
    /// LSLs that rated the sub-goal, of all LSLs.
    pub answered: usize,
    pub lsl_total: usize,
    /// (answer option, LSLs that chose it), options nobody chose left out, lowest first.
    pub distribution: Vec<(String, usize)>,
    /// LSLs that rated the sub-goal in the upper part of the scale (the two highest whole steps
    /// and the values between them).
    pub upper: usize,
    /// Linked multiple-choice areas with the number of municipalities that ticked them.
    pub areas: Vec<LinkedCount>,
    /// Linked free-text headings with the number of municipalities that wrote under them.
    pub headings: Vec<LinkedCount>,
    /// Municipalities that ticked a linked area or wrote under a linked heading; `None` when
    /// nothing is linked to the sub-goal.
    pub reported: Option<usize>,
    /// Municipalities that answered the survey.
    pub survey_answered: usize,
}

impl SubGoalRelation {
    /// The share of LSLs rating in the upper part, in per cent (of those that rated).
    pub fn upper_percent(&self) -> Option<f64> {
        (self.answered > 0).then(|| 100.0 * self.upper as f64 / self.answered as f64)
    }

    /// The share of municipalities reporting a linked item, in per cent.
    pub fn reported_percent(&self) -> Option<f64> {
        match self.reported {
            Some(n) if self.survey_answered > 0 => Some(100.0 * n as f64 / self.survey_answered as f64),
            _ => None,
        }
    }
}

/// The value of an answer option label ("2,5" → 2.5).
fn option_value(label: &str) -> Option<f64> {
    label.trim().replace(',', ".").parse().ok()
}

/// The lowest value counted as "the upper part" of a scale: its second highest whole step.
pub fn upper_from(year: &SaYear) -> f64 {
    f64::from(year.scale_max.saturating_sub(1).max(year.scale_min))
}

/// Per sub-goal (in the sub-goals' order) the year's self-assessment beside the survey's linked
/// areas and headings.
pub fn relate(
    year: &SaYear,
    survey: &SurveyCompilation,
    links: &[SurveyLink],
    subgoals: &[SubGoal],
) -> Vec<SubGoalRelation> {
    let threshold = upper_from(year);
    subgoals
        .iter()
        .map(|g| {
            let sa = year.subgoal(g.number);
            let distribution: Vec<(String, usize)> = sa
                .map(|s| {
                    s.distribution
                        .iter()
                        .filter(|o| o.count > 0)
                        .map(|o| (o.label.clone(), o.count))
                        .collect()
                })
                .unwrap_or_default();
            let upper = sa
                .map(|s| {
                    s.distribution
                        .iter()
                        .filter(|o| option_value(&o.label).is_some_and(|v| v >= threshold))
                        .map(|o| o.count)
                        .sum()
                })
                .unwrap_or(0);
            let link = links.iter().find(|l| l.subgoal == g.number);
            let mut who: BTreeSet<String> = BTreeSet::new();
            let areas = link
                .map(|l| {
                    l.areas
                        .iter()
                        .map(|a| {
                            let found = survey.areas.iter().find(|c| c.code == a.code());
                            if let Some(c) = found {
                                who.extend(c.municipalities.iter().map(|m| m.code.clone()));
                            }
                            LinkedCount {
                                phrase: a.phrase().to_string(),
                                label: a.label().to_string(),
                                count: found.map(|c| c.count).unwrap_or(0),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let headings = link
                .map(|l| {
                    l.headings
                        .iter()
                        .map(|h| {
                            let writers: BTreeSet<String> = survey
                                .sections
                                .iter()
                                .filter(|s| s.heading == *h)
                                .flat_map(|s| s.entries.iter().map(|e| e.municipality.code.clone()))
                                .collect();
                            let count = writers.len();
                            who.extend(writers);
                            LinkedCount {
                                phrase: h.short_label().to_string(),
                                label: h.short_label().to_string(),
                                count,
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let linked = link.is_some_and(|l| !l.areas.is_empty() || !l.headings.is_empty());
            SubGoalRelation {
                number: g.number,
                name: g.name.clone(),
                mean: sa.and_then(|s| s.mean),
                answered: sa.map(|s| s.answered).unwrap_or(0),
                lsl_total: year.lsl_total,
                distribution,
                upper,
                areas,
                headings,
                reported: linked.then_some(who.len()),
                survey_answered: survey.answered,
            }
        })
        .collect()
}

/// The sentences of one sub-goal's subsection.
pub fn relation_sentences(r: &SubGoalRelation, sa_year: i32, survey_year: i32) -> Vec<String> {
    let mut out = Vec::new();
    if r.answered == 0 {
        out.push(format!("Ingen lokal systemledning har skattat delmålet {sa_year}."));
    } else {
        let dist: Vec<String> = r
            .distribution
            .iter()
            .enumerate()
            .map(|(i, (label, n))| {
                if i == 0 {
                    format!(
                        "{} skattade {label}",
                        format::count(*n as i64, "systemledning", "systemledningar")
                    )
                } else {
                    format!("{n} skattade {label}")
                }
            })
            .collect();
        out.push(format!(
            "Självskattningen {sa_year} ger delmålet medelvärdet {} ({} lokala systemledningar har skattat): {}.",
            mean_text(r.mean),
            format::of(r.answered, r.lsl_total),
            format::join_sv(&dist)
        ));
    }
    let n = r.survey_answered;
    if r.reported.is_none() {
        out.push(
            "Inga områden eller rubriker i kommunenkäten är kopplade till delmålet i länsprofilen."
                .to_string(),
        );
        return out;
    }
    if !r.areas.is_empty() && r.areas.iter().all(|a| a.count == 0) {
        let items: Vec<String> = r.areas.iter().map(|a| a.phrase.clone()).collect();
        out.push(format!(
            "I kommunenkäten {survey_year} har ingen kommun angett att den initierat eller förstärkt de kopplade områdena {}.",
            format::join_sv(&items)
        ));
    } else if !r.areas.is_empty() {
        let items: Vec<String> =
            r.areas.iter().map(|a| format!("{} ({})", a.phrase, format::of(a.count, n))).collect();
        out.push(format!(
            "I kommunenkäten {survey_year} har kommunerna angett att de initierat eller förstärkt de kopplade områdena {}.",
            format::join_sv(&items)
        ));
    }
    for h in &r.headings {
        out.push(match h.count {
            0 => format!("Ingen kommun har skrivit under rubriken ”{}”.", h.phrase),
            c => format!("{} kommuner har skrivit under rubriken ”{}”.", format::of(c, n), h.phrase),
        });
    }
    if let Some(k) = r.reported {
        out.push(format!(
            "Sammantaget har {} kommuner rapporterat något av det som är kopplat till delmålet.",
            format::of(k, n)
        ));
    }
    out
}

/// The alternative text's finding: where the upper ratings and the survey reports are largest.
pub fn relation_finding(relations: &[SubGoalRelation], upper_label: &str) -> String {
    let best = |f: &dyn Fn(&SubGoalRelation) -> Option<f64>| -> Vec<&SubGoalRelation> {
        let max = relations.iter().filter_map(f).fold(f64::NEG_INFINITY, f64::max);
        if !max.is_finite() {
            return Vec::new();
        }
        relations.iter().filter(|r| f(r).is_some_and(|v| (v - max).abs() < 1e-9)).collect()
    };
    let names = |list: &[&SubGoalRelation]| -> String {
        format::join_sv(&list.iter().map(|r| format!("delmål {} {}", r.number, r.name)).collect::<Vec<_>>())
    };
    let mut parts = Vec::new();
    let top_sa = best(&|r| r.upper_percent());
    if let Some(first) = top_sa.first() {
        parts.push(format!(
            "Störst andel systemledningar som skattat {upper_label} har {} ({})",
            names(&top_sa),
            format::of(first.upper, first.answered)
        ));
    }
    let top_survey = best(&|r| r.reported_percent());
    if let (Some(first), Some(k)) = (top_survey.first(), top_survey.first().and_then(|r| r.reported)) {
        parts.push(format!(
            "störst andel kommuner som rapporterat kopplade områden har {} ({})",
            names(&top_survey),
            format::of(k, first.survey_answered)
        ));
    }
    if parts.is_empty() {
        return String::new();
    }
    let mut text = parts.join("; ");
    text.push('.');
    text
}

/// Statements over the report year and the previous self-assessment, each only when true:
/// the same sub-goal lowest (highest) in both, and an unchanged order of the sub-goals by mean.
/// Nothing when either year lacks means.
pub fn multi_year(prev: &SaYear, cur: &SaYear) -> Vec<String> {
    let mut out = Vec::new();
    let name = |n: u8| {
        cur.subgoal(n).map(|g| format!("delmål {n}, ”{}”,", g.name)).unwrap_or_else(|| format!("delmål {n}"))
    };
    let both = |a: &[u8], b: &[u8]| -> Vec<u8> { a.iter().copied().filter(|n| b.contains(n)).collect() };
    let complete = |y: &SaYear| y.subgoals.len() >= 2 && y.subgoals.iter().all(|g| g.mean.is_some());
    if !complete(prev) || !complete(cur) {
        return out;
    }
    // When every sub-goal has the same mean, "highest" and "lowest" say nothing.
    let distinct = |y: &SaYear| y.highest != y.lowest;
    if !distinct(prev) || !distinct(cur) {
        return out;
    }
    let low = both(&cur.lowest, &prev.lowest);
    let high = both(&cur.highest, &prev.highest);
    let names = |list: &[u8]| format::join_sv(&list.iter().map(|n| name(*n)).collect::<Vec<_>>());
    let verb = |list: &[u8]| if list.len() == 1 { "skattades" } else { "skattades båda" };
    if !low.is_empty() {
        out.push(capitalise(&format!(
            "{} {} lägst både i denna och föregående skattning ({} och {}).",
            names(&low),
            verb(&low),
            prev.year,
            cur.year
        )));
    }
    if !high.is_empty() {
        out.push(capitalise(&format!(
            "{} {} högst både i denna och föregående skattning ({} och {}).",
            names(&high),
            verb(&high),
            prev.year,
            cur.year
        )));
    }
    if ranks(prev) == ranks(cur) && prev.subgoals.len() == cur.subgoals.len() {
        out.push(format!(
            "Delmålens inbördes ordning efter medelvärde är densamma {} som {}.",
            cur.year, prev.year
        ));
    }
    out
}

/// Each sub-goal's rank by mean (1 = highest; equal means share a rank).
fn ranks(y: &SaYear) -> BTreeMap<u8, usize> {
    y.subgoals
        .iter()
        .filter_map(|g| g.mean.map(|m| (g.number, m)))
        .map(|(n, m)| {
            let above = y.subgoals.iter().filter_map(|o| o.mean).filter(|o| *o > m + 1e-9).count();
            (n, above + 1)
        })
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The survey's delivery to Socialstyrelsen per municipality, from the records that name a
/// municipality (`per_municipality`; a record in `deliveries` covers every municipality):
/// "Kommunenkäten redovisades till Socialstyrelsen för 14 av 15 kommuner: den 28 februari 2025
/// för Avesta och Borlänge; den 3 mars 2025 för Falun." `None` when no record names a
/// municipality (the report then states the records as before).
pub fn survey_delivery_sentence(
    deliveries: &[Delivery],
    per_municipality: &[MunicipalDelivery],
    registry: &Registry,
) -> Option<String> {
    let own: Vec<&MunicipalDelivery> =
        per_municipality.iter().filter(|d| d.kind == DELIVERY_SURVEY_TO_SOCIALSTYRELSEN).collect();
    if own.is_empty() {
        return None;
    }
    let all_from: Option<NaiveDate> =
        deliveries.iter().filter(|d| d.kind == DELIVERY_SURVEY_TO_SOCIALSTYRELSEN).map(|d| d.date).min();
    let mut first: BTreeMap<String, NaiveDate> = BTreeMap::new();
    for m in &registry.municipalities {
        let mine = own.iter().filter(|d| d.code == m.code).map(|d| d.date).min();
        if let Some(date) = [mine, all_from].into_iter().flatten().min() {
            first.insert(m.name.clone(), date);
        }
    }
    // A municipality no longer in the registry is still stated under its recorded name.
    for d in own.iter().filter(|d| !registry.municipalities.iter().any(|m| m.code == d.code)) {
        let e = first.entry(d.name.clone()).or_insert(d.date);
        *e = (*e).min(d.date);
    }
    let mut by_date: BTreeMap<NaiveDate, Vec<String>> = BTreeMap::new();
    for (name, date) in &first {
        by_date.entry(*date).or_default().push(name.clone());
    }
    let groups: Vec<String> = by_date
        .into_iter()
        .map(|(date, mut names)| {
            names.sort_by(|a, b| format::swedish_cmp(a, b));
            format!("den {} för {}", format::date_long(date), format::join_sv(&names))
        })
        .collect();
    let total = registry.municipalities.len().max(first.len());
    Some(format!(
        "Kommunenkäten redovisades till Socialstyrelsen för {} kommuner: {}.",
        format::of(first.len(), total),
        groups.join("; ")
    ))
}

#[cfg(test)]
mod tests;
