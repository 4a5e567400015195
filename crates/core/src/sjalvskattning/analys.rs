//! Analyses of consolidated rounds: county means, distributions, spread, highest and lowest
//! sub-goal, year-on-year change in restrained Swedish wording, and the per-LSL profile.
//!
//! Rules (documented decisions):
//! - Every LSL counts once per sub-goal with its consolidated value (2,5 enters as 2,5).
//! - Spread is the **population** standard deviation (divide by n): the LSLs that answered are the
//!   whole population of interest, not a sample. The range (min–max) is reported beside it.
//! - Ties: means or standard deviations within [`TIE_EPSILON`] of each other are equal; then all
//!   tied sub-goals are listed as highest/lowest/largest spread.
//! - Change between years is computed from the means **rounded to one decimal**, as the reader sees
//!   them, so the sentence never contradicts the figure. A change smaller than the scale's
//!   marginal threshold (0,2 on 1–5, see [`Scale::marginal_threshold`]) is "marginell"; zero is
//!   "detsamma". Years with different scales are not compared.
//! - "Har besvarat" counts LSLs with at least one rated sub-goal, out of all LSLs in the registry;
//!   "tillämpat tabellen" counts LSLs whose consolidated answer is ja, out of those that answered.

use super::konsolidering::{Reflection, Round};
use super::skala::{Perspective, Scale, Score};
use super::svar::{lsl_name, subgoal_name};
use crate::delmal::SubGoal;
use crate::format;
use crate::format::join_sv;
use crate::organisation::Registry;
use serde::Serialize;

/// Means or deviations closer than this are treated as equal.
pub const TIE_EPSILON: f64 = 1e-9;

/// The four questions for local reflection (report 3.2.4), shown with every LSL profile.
pub const REFLECTION_QUESTIONS: [&str; 4] = [
    "Varför ser skattningarna ut som de gör?",
    "Vad skulle krävas för högre skattningar?",
    "Finns samsyn i den lokala systemledningen kring nuläget och vägen framåt?",
    "Skiljer sig skattningarna åt mellan olika roller, funktioner och ledningsnivåer? Vad innebär det i så fall för det lokala arbetet?",
];

/// One answer option in a distribution and the LSLs that landed on it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DistributionOption {
    /// The option value (a whole step or a half step such as 2,5).
    pub value: Score,
    /// Swedish text of the value: "2,5".
    pub label: String,
    /// The scale's label when the option is a whole step, else `None`.
    pub scale_label: Option<String>,
    /// Number of LSLs with exactly this value.
    pub count: usize,
    /// Codes of those LSLs, sorted.
    pub lsls: Vec<String>,
}

/// Statistics of one sub-goal over all LSLs in a year.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SubGoalStats {
    /// Sub-goal number 1–5.
    pub subgoal: u8,
    /// Sub-goal name ("Nära för mig").
    pub name: String,
    /// Number of LSLs with a value for this sub-goal.
    pub answered: usize,
    /// Mean of the LSLs' values.
    pub mean: Option<f64>,
    /// Population standard deviation of the LSLs' values.
    pub std_dev: Option<f64>,
    /// Lowest LSL value.
    pub min: Option<Score>,
    /// Highest LSL value.
    pub max: Option<Score>,
    /// `max - min`.
    pub range: Option<f64>,
    /// Every whole step of the scale plus every other value that occurs, ascending (appendix 3).
    pub distribution: Vec<DistributionOption>,
}

/// The analysis of one round over all LSLs.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct YearAnalysis {
    /// The year.
    pub year: i32,
    /// The round's scale.
    pub scale: Scale,
    /// Number of LSLs in the registry.
    pub lsl_total: usize,
    /// Number of LSLs that answered.
    pub answered: usize,
    /// "13 av 13".
    pub answered_text: String,
    /// Number of answering LSLs whose consolidated answer to the applied-table question is ja.
    pub applied_table: usize,
    /// "7 av 13" (out of those that answered).
    pub applied_table_text: String,
    /// Per sub-goal, in order 1–5.
    pub subgoals: Vec<SubGoalStats>,
    /// Sub-goal number(s) with the highest mean (several on ties).
    pub highest: Vec<u8>,
    /// Sub-goal number(s) with the lowest mean (several on ties).
    pub lowest: Vec<u8>,
    /// Sub-goal number(s) with the largest standard deviation = least agreement.
    pub largest_spread: Vec<u8>,
    /// Footnotes on averaged values (see [`Round::footnotes`]).
    pub footnotes: Vec<String>,
    /// Swedish sentences for the report text.
    pub sentences: Vec<String>,
}

impl YearAnalysis {
    /// The stats of sub-goal `n` (1-based).
    pub fn subgoal(&self, n: u8) -> Option<&SubGoalStats> {
        self.subgoals.iter().find(|s| s.subgoal == n)
    }
}

/// Population mean and standard deviation.
pub(crate) fn mean_and_sd(values: &[f64]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    Some((mean, var.sqrt()))
}

fn stats_for(round: &Round, n: usize, subgoals: &[SubGoal]) -> SubGoalStats {
    let mut pairs: Vec<(Score, &str)> =
        round.results.iter().filter_map(|r| r.value(n).map(|v| (v, r.lsl.as_str()))).collect();
    pairs.sort();
    let values: Vec<f64> = pairs.iter().map(|(v, _)| v.as_f64()).collect();
    let ms = mean_and_sd(&values);
    let min = pairs.first().map(|p| p.0);
    let max = pairs.last().map(|p| p.0);
    let mut options: Vec<Score> = round.scale.steps().map(Score::whole).collect();
    options.extend(pairs.iter().map(|p| p.0));
    options.sort();
    options.dedup();
    let distribution = options
        .into_iter()
        .map(|value| {
            let lsls: Vec<String> = pairs.iter().filter(|p| p.0 == value).map(|p| p.1.to_string()).collect();
            let scale_label = if value.is_whole() {
                u8::try_from(value.as_f64() as u32)
                    .ok()
                    .and_then(|v| round.scale.label(v))
                    .map(str::to_string)
            } else {
                None
            };
            DistributionOption { value, label: value.to_string(), scale_label, count: lsls.len(), lsls }
        })
        .collect();
    SubGoalStats {
        subgoal: n as u8,
        name: subgoal_name(n, subgoals),
        answered: pairs.len(),
        mean: ms.map(|m| m.0),
        std_dev: ms.map(|m| m.1),
        min,
        max,
        range: min.zip(max).map(|(a, b)| b.as_f64() - a.as_f64()),
        distribution,
    }
}

/// Sub-goals whose key is extreme (max when `highest`), with ties.
fn extremes(stats: &[SubGoalStats], key: impl Fn(&SubGoalStats) -> Option<f64>, highest: bool) -> Vec<u8> {
    let keyed: Vec<(u8, f64)> = stats.iter().filter_map(|s| key(s).map(|k| (s.subgoal, k))).collect();
    let best = keyed.iter().map(|p| p.1).fold(None, |acc: Option<f64>, k| match acc {
        None => Some(k),
        Some(a) if (highest && k > a) || (!highest && k < a) => Some(k),
        keep => keep,
    });
    match best {
        Some(b) => keyed.iter().filter(|p| (p.1 - b).abs() < TIE_EPSILON).map(|p| p.0).collect(),
        None => Vec::new(),
    }
}

/// "delmål 1, ”Nära för mig”," style naming of one or more sub-goals.
fn name_subgoals(numbers: &[u8], stats: &[SubGoalStats]) -> String {
    let parts: Vec<String> = numbers
        .iter()
        .map(|n| {
            let name = stats.iter().find(|s| s.subgoal == *n).map(|s| s.name.as_str()).unwrap_or("");
            format!("delmål {n}, ”{name}”")
        })
        .collect();
    join_sv(&parts)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Analyses one round over all LSLs of the registry.
pub fn analyse_year(round: &Round, registry: &Registry, subgoals: &[SubGoal]) -> YearAnalysis {
    let stats: Vec<SubGoalStats> = (1..=subgoals.len()).map(|n| stats_for(round, n, subgoals)).collect();
    let lsl_total = registry.lsls.len();
    let answered = round.results.iter().filter(|r| r.answered()).count();
    let applied = round.results.iter().filter(|r| r.answered() && r.applied_table == Some(true)).count();
    let highest = extremes(&stats, |s| s.mean, true);
    let lowest = extremes(&stats, |s| s.mean, false);
    let largest_spread = extremes(&stats, |s| s.std_dev, true);
    let mut sentences = vec![
        format!("{} lokala systemledningar har besvarat självskattningen {}.", format::of(answered, lsl_total), round.year),
        format!(
            "{} lokala systemledningar svarar att självskattningstabellen tillämpats i det egna omställningsarbetet.",
            format::of(applied, answered)
        ),
    ];
    let mean_text = |ns: &[u8]| {
        ns.first()
            .and_then(|n| stats.iter().find(|s| s.subgoal == *n))
            .and_then(|s| s.mean)
            .map(|m| format::decimal(m, 1))
            .unwrap_or_default()
    };
    if !highest.is_empty() && highest.len() < stats.len() {
        sentences.push(format!(
            "{}, skattades högst (medelvärde {}).",
            capitalise(&name_subgoals(&highest, &stats)),
            mean_text(&highest)
        ));
        sentences.push(format!(
            "{}, skattades lägst (medelvärde {}).",
            capitalise(&name_subgoals(&lowest, &stats)),
            mean_text(&lowest)
        ));
    } else if !highest.is_empty() {
        sentences.push(format!("Alla delmål har samma medelvärde ({}).", mean_text(&highest)));
    }
    if let Some(s) = largest_spread.first().and_then(|n| stats.iter().find(|s| s.subgoal == *n)) {
        if s.std_dev.unwrap_or(0.0) > TIE_EPSILON {
            sentences.push(format!(
                "Spridningen mellan de lokala systemledningarnas skattningar är störst för {} (standardavvikelse {}, från {} till {}).",
                name_subgoals(&largest_spread, &stats),
                format::decimal(s.std_dev.unwrap_or(0.0), 2),
                s.min.map(|v| v.to_string()).unwrap_or_default(),
                s.max.map(|v| v.to_string()).unwrap_or_default(),
            ));
        }
    }
    YearAnalysis {
        year: round.year,
        scale: round.scale.clone(),
        lsl_total,
        answered,
        answered_text: format::of(answered, lsl_total),
        applied_table: applied,
        applied_table_text: format::of(applied, answered),
        subgoals: stats,
        highest,
        lowest,
        largest_spread,
        footnotes: round.footnotes(registry),
        sentences,
    }
}

/// How a sub-goal's mean changed between two years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Same mean (to one decimal).
    Unchanged,
    /// Increase smaller than the marginal threshold.
    MarginalIncrease,
    /// Decrease smaller than the marginal threshold.
    MarginalDecrease,
    /// Increase of at least the threshold.
    Increase,
    /// Decrease of at least the threshold.
    Decrease,
}

/// The change of one sub-goal's mean between two years.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SubGoalChange {
    /// Sub-goal number 1–5.
    pub subgoal: u8,
    /// Sub-goal name.
    pub name: String,
    /// Earlier year's mean, rounded to one decimal.
    pub from: f64,
    /// Later year's mean, rounded to one decimal.
    pub to: f64,
    /// `to - from` (rounded values).
    pub delta: f64,
    /// Classification.
    pub kind: ChangeKind,
    /// Swedish sentence, e.g. "Medelvärdet för Nära för mig har ökat marginellt från 3,1 till 3,2."
    pub sentence: String,
}

/// All sub-goal changes between two years.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct YearComparison {
    /// The earlier year.
    pub from_year: i32,
    /// The later year.
    pub to_year: i32,
    /// False when the scales differ; then `changes` is empty and `overview` explains why.
    pub comparable: bool,
    /// Per sub-goal with a mean in both years.
    pub changes: Vec<SubGoalChange>,
    /// One summarising Swedish sentence.
    pub overview: String,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Compares the means of two analysed years (earlier first).
pub fn compare_years(earlier: &YearAnalysis, later: &YearAnalysis) -> YearComparison {
    let (y0, y1) = (earlier.year, later.year);
    if earlier.scale != later.scale {
        return YearComparison {
            from_year: y0,
            to_year: y1,
            comparable: false,
            changes: Vec::new(),
            overview: format!(
                "Medelvärdena för {y0} och {y1} jämförs inte eftersom svarsskalan har ändrats ({} respektive {}).",
                earlier.scale.range_text(),
                later.scale.range_text()
            ),
        };
    }
    let threshold = later.scale.marginal_threshold();
    let mut changes = Vec::new();
    for s1 in &later.subgoals {
        let Some(s0) = earlier.subgoal(s1.subgoal) else {
            continue;
        };
        let (Some(m0), Some(m1)) = (s0.mean, s1.mean) else {
            continue;
        };
        let (from, to) = (round1(m0), round1(m1));
        let delta = round1(to - from);
        let (f, t) = (format::decimal(from, 1), format::decimal(to, 1));
        let name = &s1.name;
        let (kind, sentence) = if delta.abs() < TIE_EPSILON {
            (ChangeKind::Unchanged, format!("Medelvärdet för {name} är detsamma för {y0} och {y1} ({t})."))
        } else if delta.abs() < threshold - TIE_EPSILON {
            if delta > 0.0 {
                (
                    ChangeKind::MarginalIncrease,
                    format!("Medelvärdet för {name} har ökat marginellt från {f} till {t}."),
                )
            } else {
                (
                    ChangeKind::MarginalDecrease,
                    format!("Medelvärdet för {name} har minskat marginellt från {f} till {t}."),
                )
            }
        } else if delta > 0.0 {
            (ChangeKind::Increase, format!("Medelvärdet för {name} har ökat från {f} till {t}."))
        } else {
            (ChangeKind::Decrease, format!("Medelvärdet för {name} har minskat från {f} till {t}."))
        };
        changes.push(SubGoalChange {
            subgoal: s1.subgoal,
            name: name.clone(),
            from,
            to,
            delta,
            kind,
            sentence,
        });
    }
    let total = changes.len();
    let phrases = [
        (ChangeKind::Increase, "ökat"),
        (ChangeKind::MarginalIncrease, "ökat marginellt"),
        (ChangeKind::Unchanged, "varit oförändrat"),
        (ChangeKind::MarginalDecrease, "minskat marginellt"),
        (ChangeKind::Decrease, "minskat"),
    ];
    let parts: Vec<String> = phrases
        .iter()
        .filter_map(|(kind, phrase)| {
            let n = changes.iter().filter(|c| c.kind == *kind).count();
            (n > 0).then(|| format!("{phrase} för {} delmål", format::of(n, total)))
        })
        .collect();
    let overview = if parts.is_empty() {
        format!("Det finns inga medelvärden att jämföra mellan {y0} och {y1}.")
    } else {
        format!("Från {y0} till {y1} har medelvärdet {}.", join_sv(&parts))
    };
    YearComparison { from_year: y0, to_year: y1, comparable: true, changes, overview }
}

/// One respondent's rating of one sub-goal, for the spread within an LSL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RoleRating {
    /// Respondent name.
    pub respondent: String,
    /// Respondent role.
    pub role: String,
    /// Perspective label, when recorded.
    pub perspective: Option<String>,
    /// The rating.
    pub rating: u8,
}

/// An LSL's own value in an earlier year.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct YearValue {
    /// The year.
    pub year: i32,
    /// The LSL's value that year, if any.
    pub value: Option<Score>,
}

/// One sub-goal row of an LSL profile.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ProfileRow {
    /// Sub-goal number 1–5.
    pub subgoal: u8,
    /// Sub-goal name.
    pub name: String,
    /// The LSL's consolidated value.
    pub own: Option<Score>,
    /// The county mean the same year.
    pub county_mean: Option<f64>,
    /// `own - county_mean`.
    pub difference: Option<f64>,
    /// The LSL's own values in earlier years, oldest first.
    pub earlier: Vec<YearValue>,
    /// Each respondent's rating (spread between the LSL's own respondents).
    pub respondents: Vec<RoleRating>,
    /// Lowest and highest rating among the LSL's own respondents.
    pub respondent_range: Option<(u8, u8)>,
}

/// An LSL's self-assessment profile for one year.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LslProfile {
    /// LSL code.
    pub lsl: String,
    /// LSL name.
    pub lsl_name: String,
    /// The year profiled.
    pub year: i32,
    /// Number of respondents (0 for imported consolidated values).
    pub respondents: usize,
    /// The LSL's consolidated answer to the applied-table question.
    pub applied_table: Option<bool>,
    /// One row per sub-goal.
    pub rows: Vec<ProfileRow>,
    /// The respondents' reflections.
    pub reflections: Vec<Reflection>,
    /// Footnotes that concern this LSL.
    pub footnotes: Vec<String>,
    /// [`REFLECTION_QUESTIONS`].
    pub questions: Vec<String>,
}

/// The profile of one LSL in `year` against the county mean and its own earlier years; `None`
/// when the LSL has no result that year.
pub fn lsl_profile(
    lsl: &str,
    year: i32,
    rounds: &[Round],
    registry: &Registry,
    subgoals: &[SubGoal],
) -> Option<LslProfile> {
    let round = rounds.iter().find(|r| r.year == year)?;
    let result = round.result(lsl)?;
    let analysis = analyse_year(round, registry, subgoals);
    let mut earlier_rounds: Vec<&Round> = rounds.iter().filter(|r| r.year < year).collect();
    earlier_rounds.sort_by_key(|r| r.year);
    let rows = (1..=subgoals.len())
        .map(|n| {
            let own = result.value(n);
            let county_mean = analysis.subgoal(n as u8).and_then(|s| s.mean);
            let respondents: Vec<RoleRating> = result
                .respondents
                .iter()
                .filter_map(|p| {
                    p.ratings[n - 1].map(|rating| RoleRating {
                        respondent: p.respondent.clone(),
                        role: p.role.clone(),
                        perspective: p.perspective.map(|x: Perspective| x.label().to_string()),
                        rating,
                    })
                })
                .collect();
            let lo = respondents.iter().map(|r| r.rating).min();
            let hi = respondents.iter().map(|r| r.rating).max();
            ProfileRow {
                subgoal: n as u8,
                name: subgoal_name(n, subgoals),
                own,
                county_mean,
                difference: own.zip(county_mean).map(|(o, c)| o.as_f64() - c),
                earlier: earlier_rounds
                    .iter()
                    .map(|r| YearValue { year: r.year, value: r.result(lsl).and_then(|x| x.value(n)) })
                    .collect(),
                respondents,
                respondent_range: lo.zip(hi),
            }
        })
        .collect();
    let name = lsl_name(registry, lsl);
    Some(LslProfile {
        lsl: lsl.to_string(),
        lsl_name: name.clone(),
        year,
        respondents: result.respondents.len(),
        applied_table: result.applied_table,
        rows,
        reflections: result.reflections.clone(),
        footnotes: result.footnotes(registry),
        questions: REFLECTION_QUESTIONS.iter().map(|q| q.to_string()).collect(),
    })
}

/// Everything the self-assessment part of the report needs, ready for JSON.
///
/// Field names: `county` (county name), `years` (one [`YearAnalysis`] per round, oldest first —
/// report figure 2 puts their `subgoals[].mean` side by side), `comparisons` (consecutive years,
/// [`YearComparison`]), `reflection_questions` ([`REFLECTION_QUESTIONS`]).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SelfAssessmentSummary {
    /// County name ("Dalarnas län").
    pub county: String,
    /// One analysis per year, oldest first.
    pub years: Vec<YearAnalysis>,
    /// Comparisons between consecutive years.
    pub comparisons: Vec<YearComparison>,
    /// The reflection questions.
    pub reflection_questions: Vec<String>,
}

/// Builds the summary over all given rounds (any order).
pub fn summarize(rounds: &[Round], registry: &Registry, subgoals: &[SubGoal]) -> SelfAssessmentSummary {
    let mut years: Vec<YearAnalysis> = rounds.iter().map(|r| analyse_year(r, registry, subgoals)).collect();
    years.sort_by_key(|y| y.year);
    let comparisons = years.windows(2).map(|w| compare_years(&w[0], &w[1])).collect();
    SelfAssessmentSummary {
        county: registry.county_name.clone(),
        years,
        comparisons,
        reflection_questions: REFLECTION_QUESTIONS.iter().map(|q| q.to_string()).collect(),
    }
}

/// Whether a scale is the same in all rounds, so that years can be shown side by side.
pub fn same_scale(rounds: &[Round]) -> Option<&Scale> {
    let first = &rounds.first()?.scale;
    rounds.iter().all(|r| &r.scale == first).then_some(first)
}
