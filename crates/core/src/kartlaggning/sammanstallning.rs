//! The summary of a mapping round as the report states it ("X av 13 …"), the free text grouped
//! per question, and registers of local plans and communication plans.

use super::typer::*;
use crate::format;
use crate::organisation::Registry;
use serde::Serialize;
use std::collections::BTreeMap;

/// One closed-question count with the report's phrasing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CountLine {
    /// Stable key, e.g. `motesfrekvens.2-per-termin`, `saknar.bup`.
    pub key: String,
    /// How many.
    pub count: usize,
    /// Out of how many (mapped LSLs, or their municipalities for communication plans).
    pub total: usize,
    /// The sentence fragment: "9 av 13 träffas 2 gånger per termin".
    pub text: String,
}

fn line(key: String, count: usize, total: usize, phrase: &str) -> CountLine {
    CountLine { key, count, total, text: format!("{} {phrase}", format::of(count, total)) }
}

/// A counted statement about the LSLs that answered a yes/no question, as the report words it:
/// none of them — "Ingen av de 13 lokala systemledningarna {none}"; all — "Samtliga 13 lokala
/// systemledningar {yes}"; otherwise "4 av 13 lokala systemledningar {yes}". With a single LSL:
/// "Den kartlagda lokala systemledningen {yes}" or "… {no}". `None` when nobody answered.
pub fn lsl_statement(
    key: &str,
    answers: &[Option<bool>],
    yes: &str,
    no: &str,
    none: &str,
) -> Option<CountLine> {
    let total = answers.iter().filter(|a| a.is_some()).count();
    let count = answers.iter().filter(|a| **a == Some(true)).count();
    let text = match (count, total) {
        (_, 0) => return None,
        (1, 1) => format!("Den kartlagda lokala systemledningen {yes}"),
        (0, 1) => format!("Den kartlagda lokala systemledningen {no}"),
        (0, n) => format!("Ingen av de {} lokala systemledningarna {none}", format::number_word(n)),
        (c, n) if c == n => format!("Samtliga {} lokala systemledningar {yes}", format::number_word(n)),
        (c, n) => format!(
            "{c} av {} {yes}",
            format::count(n as i64, "lokal systemledning", "lokala systemledningar")
        ),
    };
    Some(CountLine { key: key.to_string(), count, total, text })
}

/// One LSL's free-text answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FreeTextAnswer {
    /// LSL code.
    pub lsl: String,
    /// LSL name (the caller decides whether to show it).
    pub lsl_name: String,
    /// The text.
    pub text: String,
}

/// All non-empty answers to one free-text question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FreeTextGroup {
    /// The question.
    pub question: TextQuestion,
    /// Its Swedish heading.
    pub label: String,
    /// Answers in registry order of the LSLs.
    pub answers: Vec<FreeTextAnswer>,
}

/// An LSL's local plan status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct LocalPlanEntry {
    /// LSL code.
    pub lsl: String,
    /// LSL name.
    pub lsl_name: String,
    /// Status.
    pub status: LocalPlanStatus,
    /// Swedish status label.
    pub status_label: String,
    /// Local agreements mentioned (not a local plan).
    pub local_agreements: String,
}

/// A municipality's communication plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CommunicationPlanEntry {
    /// Municipality code.
    pub municipality: String,
    /// Municipality name.
    pub municipality_name: String,
    /// LSL code.
    pub lsl: String,
    /// LSL name.
    pub lsl_name: String,
    /// Whether the municipality has a communication plan for GNV.
    pub has_plan: bool,
}

/// How many LSLs have a member with a given role and side ("variation av representation").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MemberRoleCount {
    /// Side.
    pub side: Side,
    /// Role as written (grouped case-insensitively).
    pub role: String,
    /// Number of LSLs with such a member.
    pub lsls: usize,
}

/// Everything the report's section 3.3 needs. Serialisable; field names are documented below.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MappingSummary {
    /// Year of the mapping.
    pub year: i32,
    /// LSLs in the registry.
    pub lsl_total: usize,
    /// LSLs mapped: "13 av 13 lokala systemledningar har kartlagts".
    pub mapped: CountLine,
    /// "… har en struktur för sammankallande".
    pub convener: CountLine,
    /// "… har en utsedd ordförande".
    pub chair: CountLine,
    /// One line per meeting frequency that occurs, most frequent meetings first.
    pub meeting_frequency: Vec<CountLine>,
    /// Member roles over all LSLs, most common first.
    pub member_roles: Vec<MemberRoleCount>,
    /// "… har POLSAM inom sitt samverkansområde".
    pub polsam: CountLine,
    /// "… har politisk representation i systemledningen".
    pub political_representation: CountLine,
    /// "… saknar någon nyckelaktör i systemledningen".
    pub missing_any_actor: CountLine,
    /// One line per key actor (all actors, also zero counts), "… saknar BUP".
    pub missing_actors: Vec<CountLine>,
    /// "… arbetar aktivt med brukarinflytande".
    pub user_influence_active: CountLine,
    /// "… arbetar inte aktivt med brukarinflytande".
    pub user_influence_not_active: CountLine,
    /// Form version 2: whether a user representative is a member of the LSL ("Ingen av de 13
    /// lokala systemledningarna har någon brukarrepresentant i systemledningen"). `None` when no
    /// answer was given on a form with the question.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_representative: Option<CountLine>,
    /// Form version 2: systematic collaboration with POLSAM ("4 av 13 lokala systemledningar
    /// samverkar systematiskt med POLSAM"). `None` as above.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub polsam_systematic: Option<CountLine>,
    /// One line per local-plan status (all statuses).
    pub local_plan: Vec<CountLine>,
    /// Municipalities: "3 av 15 kommuner har tagit fram en kommunikationsplan".
    pub communication_plan: CountLine,
    /// Free text per question, only questions with answers.
    pub free_text: Vec<FreeTextGroup>,
    /// Local plan per mapped LSL, registry order.
    pub local_plans: Vec<LocalPlanEntry>,
    /// Communication plan per municipality of the mapped LSLs, registry order.
    pub communication_plans: Vec<CommunicationPlanEntry>,
}

/// Summarises a mapping round over the registry's LSLs.
pub fn summarize(round: &MappingRound, registry: &Registry) -> MappingSummary {
    // Answers in registry order (unknown LSLs last, by code).
    let position = |code: &str| registry.lsls.iter().position(|l| l.code == code).unwrap_or(usize::MAX);
    let mut answers: Vec<&MappingAnswer> = round.answers.iter().collect();
    answers.sort_by(|a, b| position(&a.lsl).cmp(&position(&b.lsl)).then(a.lsl.cmp(&b.lsl)));
    let name = |code: &str| {
        registry
            .lsls
            .iter()
            .find(|l| l.code == code)
            .map(|l| l.name.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let n = answers.len();
    let count = |f: &dyn Fn(&MappingAnswer) -> bool| answers.iter().filter(|a| f(a)).count();

    let meeting_frequency = MeetingFrequency::ALL
        .iter()
        .filter_map(|f| {
            let c = count(&|a| a.structure.meeting_frequency == *f);
            (c > 0)
                .then(|| line(format!("motesfrekvens.{}", f.code()), c, n, &format!("träffas {}", f.label())))
        })
        .collect();

    let mut roles: BTreeMap<(Side, String), (String, usize)> = BTreeMap::new();
    for a in &answers {
        let mut seen = std::collections::BTreeSet::new();
        for m in &a.structure.members {
            let key = (m.side, m.role.to_lowercase());
            if seen.insert(key.clone()) {
                roles.entry(key).or_insert_with(|| (m.role.clone(), 0)).1 += 1;
            }
        }
    }
    let mut member_roles: Vec<MemberRoleCount> =
        roles.into_iter().map(|((side, _), (role, lsls))| MemberRoleCount { side, role, lsls }).collect();
    member_roles.sort_by(|a, b| b.lsls.cmp(&a.lsls).then(a.side.cmp(&b.side)).then(a.role.cmp(&b.role)));

    let missing_actors = KeyActor::ALL
        .iter()
        .map(|actor| {
            let c = count(&|a| a.collaboration.missing_actors.contains(actor));
            line(format!("saknar.{}", actor.code()), c, n, &format!("saknar {}", actor.label()))
        })
        .collect();

    let local_plan = LocalPlanStatus::ALL
        .iter()
        .map(|s| {
            let phrase = match s {
                LocalPlanStatus::Ja => "har tagit fram en lokal plan för God och nära vård",
                LocalPlanStatus::UnderArbete => "håller på att ta fram en lokal plan för God och nära vård",
                LocalPlanStatus::Nej => "har ingen lokal plan för God och nära vård",
            };
            line(format!("lokal_plan.{}", s.code()), count(&|a| a.local_plan == *s), n, phrase)
        })
        .collect();

    let mut communication_plans = Vec::new();
    for a in &answers {
        let lsl_members = registry.lsls.iter().find(|l| l.code == a.lsl).map(|l| l.municipalities.clone());
        let mut codes: Vec<&String> = a.communication_plans.keys().collect();
        if let Some(order) = &lsl_members {
            codes.sort_by_key(|c| order.iter().position(|m| m == *c).unwrap_or(usize::MAX));
        }
        for code in codes {
            communication_plans.push(CommunicationPlanEntry {
                municipality: code.clone(),
                municipality_name: registry
                    .municipalities
                    .iter()
                    .find(|m| &m.code == code)
                    .map(|m| m.name.clone())
                    .unwrap_or_else(|| code.clone()),
                lsl: a.lsl.clone(),
                lsl_name: name(&a.lsl),
                has_plan: a.communication_plans.get(code).copied().unwrap_or(false),
            });
        }
    }
    let with_plan = communication_plans.iter().filter(|c| c.has_plan).count();

    let free_text = TextQuestion::ALL
        .iter()
        .filter_map(|q| {
            let group: Vec<FreeTextAnswer> = answers
                .iter()
                .filter(|a| !a.text(*q).trim().is_empty())
                .map(|a| FreeTextAnswer {
                    lsl: a.lsl.clone(),
                    lsl_name: name(&a.lsl),
                    text: a.text(*q).trim().to_string(),
                })
                .collect();
            (!group.is_empty()).then(|| FreeTextGroup {
                question: *q,
                label: q.label().to_string(),
                answers: group,
            })
        })
        .collect();

    MappingSummary {
        year: round.year,
        lsl_total: registry.lsls.len(),
        mapped: line("kartlagda".into(), n, registry.lsls.len(), "lokala systemledningar har kartlagts"),
        convener: line(
            "sammankallande".into(),
            count(&|a| a.structure.has_convener),
            n,
            "har en struktur för sammankallande",
        ),
        chair: line("ordforande".into(), count(&|a| a.structure.has_chair), n, "har en utsedd ordförande"),
        meeting_frequency,
        member_roles,
        polsam: line(
            "polsam".into(),
            count(&|a| a.collaboration.polsam),
            n,
            "har POLSAM inom sitt samverkansområde",
        ),
        political_representation: line(
            "politisk_representation".into(),
            count(&|a| a.collaboration.political_representation),
            n,
            "har politisk representation i systemledningen",
        ),
        missing_any_actor: line(
            "saknar_nagon".into(),
            count(&|a| !a.collaboration.missing_actors.is_empty()),
            n,
            "saknar någon nyckelaktör i systemledningen",
        ),
        missing_actors,
        user_influence_active: line(
            "brukarinflytande.aktivt".into(),
            count(&|a| a.user_influence.works_actively),
            n,
            "arbetar aktivt med brukarinflytande",
        ),
        user_influence_not_active: line(
            "brukarinflytande.inte_aktivt".into(),
            count(&|a| !a.user_influence.works_actively),
            n,
            "arbetar inte aktivt med brukarinflytande",
        ),
        user_representative: lsl_statement(
            "brukarrepresentant",
            &answers.iter().map(|a| a.user_influence.user_representative).collect::<Vec<_>>(),
            "har brukarrepresentant i systemledningen",
            "har ingen brukarrepresentant i systemledningen",
            "har någon brukarrepresentant i systemledningen",
        ),
        polsam_systematic: lsl_statement(
            "polsam_systematisk",
            &answers.iter().map(|a| a.collaboration.polsam_systematic).collect::<Vec<_>>(),
            "samverkar systematiskt med POLSAM",
            "samverkar inte systematiskt med POLSAM",
            "samverkar systematiskt med POLSAM",
        ),
        local_plan,
        communication_plan: line(
            "kommunikationsplan".into(),
            with_plan,
            communication_plans.len(),
            "kommuner har tagit fram en kommunikationsplan",
        ),
        free_text,
        local_plans: answers
            .iter()
            .map(|a| LocalPlanEntry {
                lsl: a.lsl.clone(),
                lsl_name: name(&a.lsl),
                status: a.local_plan,
                status_label: a.local_plan.label().to_string(),
                local_agreements: a.local_agreements.clone(),
            })
            .collect(),
        communication_plans,
    }
}
