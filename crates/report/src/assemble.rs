//! Report assembly: the [`ReportInput`] of a year from the stored data of every module
//! ([`ReportData`], read by the storage adapter: `gnv_storage::Db::report_data`).
//!
//! The adapters (web and CLI) read the data and call [`assemble`] (a draft) or
//! [`report_input`] (the frozen input of a published year, else a draft); the annual-report
//! pages take the quote sources from [`quote_groups`]. Everything here is pure.

use crate::analys::AnalysisInput;
use crate::handlingsplan::{version_for_year, ActionPlanInput};
use crate::input::{Delivery, InvitationFacts, MunicipalDelivery, RoundFacts};
use crate::quotes::{QuoteGroup, ReflectionAnswer};
use crate::{IndicatorInput, MappingInput, ReportInput, SelfAssessmentInput};
use gnv_core::arsrapport::{EditionData, ReadWarning, ReportData, ReportSource, RoundData};
use gnv_core::organisation::Registry;
use std::collections::BTreeSet;

/// The input a report is rendered from: the frozen input of a published year (`true`), else
/// the draft assembled from the stored data (`false`). The error is the Swedish message of a
/// frozen input that cannot be read.
pub fn report_input(source: ReportSource) -> Result<(ReportInput, bool), String> {
    match source {
        ReportSource::Published(json) => Ok((ReportInput::from_json(&json)?, true)),
        ReportSource::Draft(data) => Ok((assemble(&data), false)),
    }
}

/// Whether a published report's frozen input can be read by this version (`gnv check`); the
/// error is the reader's own message.
pub fn check_frozen(json: &str) -> Result<(), String> {
    serde_json::from_str::<ReportInput>(json).map(|_| ()).map_err(|e| e.to_string())
}

/// The report input of `data.year` from the stored data of every module. Parts whose module has
/// no data for the year are `None` (the report then says that data is missing).
///
/// The result is a draft dated `data.today`; publishing clears the draft flag.
///
/// Wired: registry, sub-goals, narratives; the indicator edition (the published edition of
/// the following year when there is one — the 2024 report uses "Infografik 2025" — else of
/// the year), evaluated for the region; the self-assessment (all rounds up to the year,
/// analysed; only when the year itself has a round); the mapping round of the year; the
/// annual plan of support activities of the year; the economy (appendix 1: the first focus
/// area with rows for the year) and the municipal survey (submitted answers of the year).
/// Parts without stored data stay `None` and the report says "Uppgifter saknas för …".
pub fn assemble(data: &ReportData) -> ReportInput {
    let mut input = modules(data);
    input.layouts = data.layouts.clone();
    let groups = groups_of(data, &input);
    let (quotes, warnings) = crate::quotes::resolve(&groups, &data.quote_choices);
    input.quotes = quotes;
    for (section, text) in warnings {
        input.data_warnings.entry(section).or_default().push(text);
    }
    input.round = data.round.as_ref().map(|r| round_facts(r, &input.registry));
    // The recorded deliveries to external bodies (`leveranser`): the report states the
    // survey's delivery to Socialstyrelsen only from such a record.
    input.deliveries = data
        .deliveries
        .iter()
        .filter(|d| d.organisation.is_none())
        .map(|d| Delivery {
            kind: d.kind.clone(),
            date: d.delivered_on,
            by: d.by.clone(),
            note: d.note.clone(),
        })
        .collect();
    // Deliveries per municipality (the survey reported for one municipality).
    input.municipal_deliveries = data
        .deliveries
        .iter()
        .filter_map(|d| {
            let code = d.organisation.clone()?;
            let name = input
                .registry
                .municipalities
                .iter()
                .find(|m| m.code == code)
                .map(|m| m.name.clone())
                .unwrap_or_else(|| code.clone());
            Some(MunicipalDelivery {
                kind: d.kind.clone(),
                date: d.delivered_on,
                by: d.by.clone(),
                code,
                name,
            })
        })
        .collect();
    // The analyses (3.2.3, multi-year statements) with the county profile's mapping survey →
    // sub-goal (3.2.3 is left out when the profile has no mapping).
    input.analysis = Some(AnalysisInput { links: data.profile.survey_links() });
    input
}

/// The free-text sources of the year that quotes can be chosen from.
pub fn quote_groups(data: &ReportData) -> Vec<QuoteGroup> {
    groups_of(data, &modules(data))
}

/// The report input from the modules' data only (no texts, quotes or round facts).
fn modules(data: &ReportData) -> ReportInput {
    let year = data.year;
    let registry = &data.registry;
    let subgoals = &data.subgoals;
    let mut input = ReportInput::empty(year, registry.clone(), subgoals.clone()).with_profile(&data.profile);
    let add_warnings = |input: &mut ReportInput, key: &str, list: &[ReadWarning]| {
        let texts: Vec<String> = list.iter().filter(|w| w.year == year).map(|w| w.text.clone()).collect();
        if !texts.is_empty() {
            input.data_warnings.insert(key.to_string(), texts);
        }
    };
    let rounds = &data.self_assessment;
    add_warnings(&mut input, "sjalvskattning", &data.self_assessment_warnings);
    if rounds.iter().any(|r| r.year == year) {
        let analyses: Vec<_> =
            rounds.iter().map(|r| gnv_core::sjalvskattning::analyse_year(r, registry, subgoals)).collect();
        input.self_assessment = Some(SelfAssessmentInput::from_analyses(&analyses));
    }
    add_warnings(&mut input, "kartlaggning", &data.mapping_warnings);
    if let Some(round) = &data.mapping {
        if !round.answers.is_empty() {
            input.mapping = Some(MappingInput { year, answers: round.answers.clone() });
        }
    }
    if let Some(e) = &data.edition {
        let evaluation = evaluate(e, &registry.region.code);
        input.indicators =
            Some(IndicatorInput::from_evaluation(e.year, &input.county_short(), e.catalogue(), &evaluation));
    }
    input.support = data.support.clone();
    input.action_plan = action_plan(data, &registry.region.code, &input.county_short());
    input.date = Some(data.today);
    input.economy =
        data.economy.iter().find(|s| !s.table.rows.is_empty() || s.printed_totals.is_some()).cloned();
    if let Some((compilation, warnings)) = &data.survey {
        add_warnings(&mut input, "kommunenkat", warnings);
        if compilation.answered > 0 {
            input.survey = Some(compilation.clone());
        }
    }
    input
}

fn evaluate(e: &EditionData, focus: &str) -> gnv_core::nyckeltal::Evaluation {
    gnv_core::nyckeltal::evaluate(e.catalogue(), e.data(), focus, e.previous.as_deref())
}

/// The action plan's follow-up (section 3.6); `None` when no stored version covering the year
/// was adopted or reviewed in or before it.
///
/// The indicator edition is the one section 3.1 uses (the following year's, else the year's);
/// when neither is published, the newest edition up to the following year, so the strategic
/// level can still show trends — the section names the edition it used.
fn action_plan(data: &ReportData, region_code: &str, focus_name: &str) -> Option<ActionPlanInput> {
    let version = version_for_year(data.action_plan_versions.clone(), data.year)?;
    let Some(e) = data.edition.as_ref().or(data.newest_edition.as_ref()) else {
        return Some(ActionPlanInput::new(version, data.year, None));
    };
    let evaluation = evaluate(e, region_code);
    Some(ActionPlanInput::new(version, data.year, Some((e.year, focus_name, e.catalogue(), &evaluation))))
}

fn groups_of(data: &ReportData, input: &ReportInput) -> Vec<QuoteGroup> {
    let registry = &input.registry;
    let mapping = input.mapping.as_ref().and_then(|m| {
        gnv_core::kartlaggning::MappingRound::new(m.year, m.answers.clone())
            .ok()
            .map(|r| gnv_core::kartlaggning::summarize(&r, registry))
    });
    let mut reflections = Vec::new();
    if input.self_assessment.as_ref().and_then(|s| s.year(input.year)).is_some() {
        if let Some(round) = data.self_assessment.iter().find(|r| r.year == input.year) {
            for res in &round.results {
                let lsl_name = registry.name_of(&res.lsl).unwrap_or(&res.lsl).to_string();
                for r in &res.reflections {
                    reflections.push(ReflectionAnswer {
                        subgoal: r.subgoal,
                        lsl_code: res.lsl.clone(),
                        lsl_name: lsl_name.clone(),
                        respondent: r.respondent.clone(),
                        text: r.text.clone(),
                    });
                }
            }
        }
    }
    crate::quotes::groups(mapping.as_ref(), input.survey.as_ref(), &reflections, &input.subgoals)
}

/// The year's reporting round as the report states it: its parts and what the mail log says
/// about the invitations sent.
fn round_facts(round: &RoundData, registry: &Registry) -> RoundFacts {
    let mails = &round.invitations;
    let mut days = Vec::new();
    for m in mails {
        if let Some(d) = swedish_date(&m.at) {
            days.push(d);
        }
    }
    let invitations = match (days.iter().min(), days.iter().max()) {
        (Some(first), Some(last)) => {
            let recipients: BTreeSet<String> =
                mails.iter().map(|m| m.recipient.trim().to_lowercase()).collect();
            let orgs: BTreeSet<&str> = mails.iter().map(|m| m.org_code.as_str()).collect();
            let municipalities =
                orgs.iter().filter(|c| registry.municipalities.iter().any(|m| m.code == **c)).count();
            let lsls = orgs.iter().filter(|c| registry.lsls.iter().any(|l| l.code == **c)).count();
            Some(InvitationFacts {
                first: *first,
                last: *last,
                recipients: recipients.len(),
                municipalities,
                lsls,
                other_organisations: orgs.len() - municipalities - lsls,
            })
        }
        _ => None,
    };
    RoundFacts {
        year: round.year,
        parts: round.parts.iter().map(|p| p.label().to_string()).collect(),
        invitations,
    }
}

/// The Swedish calendar day of a stored UTC timestamp (RFC 3339).
fn swedish_date(stored: &str) -> Option<chrono::NaiveDate> {
    let utc = chrono::DateTime::parse_from_rfc3339(stored).ok()?.naive_utc();
    let local = utc + chrono::Duration::hours(gnv_core::format::stockholm_offset_hours(utc));
    Some(local.date())
}
