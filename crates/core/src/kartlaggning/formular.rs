//! Parser from raw form fields to a [`MappingAnswer`].
//!
//! Fields (see [`FIELDS`]): `lsl`; `sammankallande_struktur` (ja/nej) and `sammankallande`;
//! `ordforande_finns` (ja/nej) and `ordforande`; `medlemmar` — one member per line written
//! `kommun: Förvaltningschef socialtjänst`, `region: Verksamhetschef VC` or `annan: …`;
//! `motesfrekvens` (a [`MeetingFrequency`] code or label); `uppdrag`; `polsam` and
//! `politisk_representation` (ja/nej); `saknade_aktorer` (repeatable, or comma-separated
//! [`KeyActor`] codes) and `saknad_annan`; `samverkan`; `brukarinflytande` (ja/nej) and
//! `brukarinflytande_hur`; `lokal_plan` (ja/pagar/nej); `lokala_overenskommelser`;
//! `kommunikationsplan_<kommunkod>` (ja/nej, one per member municipality); `fungerar_bra`,
//! `utmaningar`, `stodbehov`. Form version 2 adds `brukarrepresentant` and
//! `polsam_systematisk` (ja/nej); absent fields (version 1) give `None`.

use super::typer::*;
use crate::error::{InputError, InputErrors, Location};
use crate::organisation::Registry;
use crate::sjalvskattning::resolve_lsl;
use std::collections::{BTreeMap, BTreeSet};

/// The fixed field names of the mapping form (communication-plan fields are
/// `kommunikationsplan_<kommunkod>` in addition).
pub const FIELDS: [&str; 22] = [
    "lsl",
    "sammankallande_struktur",
    "sammankallande",
    "ordforande_finns",
    "ordforande",
    "medlemmar",
    "motesfrekvens",
    "uppdrag",
    "polsam",
    "politisk_representation",
    "saknade_aktorer",
    "saknad_annan",
    "samverkan",
    "brukarinflytande",
    "brukarinflytande_hur",
    "brukarrepresentant",
    "polsam_systematisk",
    "lokal_plan",
    "lokala_overenskommelser",
    "fungerar_bra",
    "utmaningar",
    "stodbehov",
];

fn yes_no(raw: &str, field: &str, question: &str, errors: &mut Vec<InputError>) -> bool {
    match raw.trim().to_lowercase().as_str() {
        "ja" | "j" | "true" | "1" | "on" => true,
        "nej" | "n" | "false" | "0" | "off" => false,
        "" => {
            errors.push(InputError::new(
                Location::field(field),
                format!("Svara ja eller nej på frågan {question}"),
            ));
            false
        }
        other => {
            errors.push(InputError::new(
                Location::field(field),
                format!("\"{other}\" är inget giltigt svar; ange ja eller nej."),
            ));
            false
        }
    }
}

/// Parses the mapping form. Repeated fields are kept (for `saknade_aktorer`); for other fields
/// the last value wins. All problems are reported at once with field names and Swedish messages.
pub fn parse_form<'a, I>(fields: I, registry: &Registry) -> Result<MappingAnswer, InputErrors>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut multi: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (k, v) in fields {
        multi.entry(k).or_default().push(v.trim());
    }
    let get = |name: &str| multi.get(name).and_then(|v| v.last()).copied().unwrap_or("");
    let text = |name: &str| get(name).to_string();
    let mut errors = Vec::new();

    let lsl = match get("lsl") {
        "" => {
            errors.push(InputError::new(Location::field("lsl"), "Välj lokal systemledning."));
            None
        }
        raw => match resolve_lsl(registry, raw) {
            Some(l) => Some(l.clone()),
            None => {
                errors.push(InputError::new(
                    Location::field("lsl"),
                    format!("Den lokala systemledningen \"{raw}\" finns inte i registret."),
                ));
                None
            }
        },
    };

    let has_convener = yes_no(
        get("sammankallande_struktur"),
        "sammankallande_struktur",
        "om det finns en struktur för sammankallande.",
        &mut errors,
    );
    let has_chair = yes_no(
        get("ordforande_finns"),
        "ordforande_finns",
        "om det finns en utsedd ordförande.",
        &mut errors,
    );
    let mut members = Vec::new();
    for (i, line) in get("medlemmar").lines().map(str::trim).enumerate() {
        if line.is_empty() {
            continue;
        }
        match line.split_once(':').and_then(|(s, r)| Side::parse(s).map(|s| (s, r.trim()))) {
            Some((side, role)) if !role.is_empty() => members.push(Member { side, role: role.to_string() }),
            _ => errors.push(InputError::new(
                Location::field("medlemmar"),
                format!(
                    "Rad {} (\"{line}\") ska skrivas som \"kommun: roll\", \"region: roll\" eller \"annan: roll\".",
                    i + 1
                ),
            )),
        }
    }
    members.sort();
    let meeting_frequency = match get("motesfrekvens") {
        "" => {
            errors.push(InputError::new(
                Location::field("motesfrekvens"),
                "Ange hur ofta den lokala systemledningen träffas.",
            ));
            None
        }
        raw => match MeetingFrequency::parse(raw) {
            Some(f) => Some(f),
            None => {
                let options: Vec<&str> = MeetingFrequency::ALL.iter().map(|f| f.label()).collect();
                errors.push(InputError::new(
                    Location::field("motesfrekvens"),
                    format!("\"{raw}\" är ingen känd mötesfrekvens; välj en av: {}.", options.join(", ")),
                ));
                None
            }
        },
    };

    let polsam = yes_no(get("polsam"), "polsam", "om POLSAM finns inom samverkansområdet.", &mut errors);
    let political_representation = yes_no(
        get("politisk_representation"),
        "politisk_representation",
        "om politiken är representerad i systemledningen.",
        &mut errors,
    );
    let mut missing_actors = BTreeSet::new();
    for raw in multi.get("saknade_aktorer").into_iter().flatten().flat_map(|v| v.split(',')) {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        match KeyActor::parse(raw) {
            Some(a) => {
                missing_actors.insert(a);
            }
            None => errors.push(InputError::new(
                Location::field("saknade_aktorer"),
                format!("\"{raw}\" är ingen känd nyckelaktör."),
            )),
        }
    }
    let missing_other = text("saknad_annan");
    if missing_actors.contains(&KeyActor::Annat) && missing_other.is_empty() {
        errors.push(InputError::new(Location::field("saknad_annan"), "Ange vilken annan aktör som saknas."));
    }
    if !missing_actors.contains(&KeyActor::Annat) && !missing_other.is_empty() {
        missing_actors.insert(KeyActor::Annat);
    }

    let works_actively = yes_no(
        get("brukarinflytande"),
        "brukarinflytande",
        "om ni arbetar aktivt med brukarinflytande.",
        &mut errors,
    );
    let how = text("brukarinflytande_hur");
    // Form version 2: asked only there, so an answer given on version 1 has no value (`None`).
    let optional_yes_no = |name: &str, question: &str, errors: &mut Vec<InputError>| {
        multi.contains_key(name).then(|| yes_no(get(name), name, question, errors))
    };
    let user_representative = optional_yes_no(
        "brukarrepresentant",
        "om en brukarrepresentant ingår i systemledningen.",
        &mut errors,
    );
    let polsam_systematic = optional_yes_no(
        "polsam_systematisk",
        "om systemledningen samverkar systematiskt med POLSAM.",
        &mut errors,
    );
    if works_actively && how.is_empty() {
        errors.push(InputError::new(
            Location::field("brukarinflytande_hur"),
            "Beskriv hur ni arbetar med brukarinflytande, t.ex. genom patient- och brukarråd.",
        ));
    }

    let local_plan = match LocalPlanStatus::parse(get("lokal_plan")) {
        Some(s) => Some(s),
        None => {
            errors.push(InputError::new(
                Location::field("lokal_plan"),
                "Ange om ni har tagit fram en lokal plan för God och nära vård: ja, pågår eller nej.",
            ));
            None
        }
    };

    let mut communication_plans = BTreeMap::new();
    if let Some(lsl) = &lsl {
        for code in &lsl.municipalities {
            let field = format!("kommunikationsplan_{code}");
            let name = registry
                .municipalities
                .iter()
                .find(|m| &m.code == code)
                .map(|m| m.name.clone())
                .unwrap_or_else(|| code.clone());
            let v =
                yes_no(get(&field), &field, &format!("om {name} har en kommunikationsplan."), &mut errors);
            communication_plans.insert(code.clone(), v);
        }
        for key in multi.keys().filter_map(|k| k.strip_prefix("kommunikationsplan_")) {
            if !lsl.municipalities.iter().any(|m| m == key) {
                errors.push(InputError::new(
                    Location::field(format!("kommunikationsplan_{key}")),
                    format!("Kommunen {key} ingår inte i {}.", lsl.name),
                ));
            }
        }
    }

    match (lsl, meeting_frequency, local_plan, errors.is_empty()) {
        (Some(lsl), Some(meeting_frequency), Some(local_plan), true) => Ok(MappingAnswer {
            lsl: lsl.code,
            structure: Structure {
                has_convener,
                convener: text("sammankallande"),
                has_chair,
                chair: text("ordforande"),
                members,
                meeting_frequency,
            },
            mission: text("uppdrag"),
            collaboration: Collaboration {
                polsam,
                political_representation,
                missing_actors,
                missing_other,
                description: text("samverkan"),
                polsam_systematic,
            },
            user_influence: UserInfluence { works_actively, how, user_representative },
            local_plan,
            local_agreements: text("lokala_overenskommelser"),
            communication_plans,
            what_works: text("fungerar_bra"),
            challenges: text("utmaningar"),
            support_requests: text("stodbehov"),
        }),
        _ => Err(InputErrors(errors)),
    }
}
