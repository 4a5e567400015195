//! Demo data of the reporting round: self-assessment 2023 (imported history, consolidated values
//! as read from the previous annual report), the complete round 2024 (self-assessment from all 13
//! LSLs — Mora with two respondents who differ — and the mapping of all 13), and the open round
//! 2025 with some drafts and submissions. All values are synthetic demo data, plausible for
//! Dalarna; respondent names are labelled "(demo)".

use anyhow::{anyhow, Result};
use gnv_core::organisation::Registry;
use gnv_core::rapportering::formular::{FormContext, FormDefinition, Mode};
use gnv_core::rapportering::{Event, Part};
use gnv_storage::{Actor, Db};

/// 2023 as consolidated LSL values (history import format); two half steps from averaged answers.
const HISTORY_2023: &str =
    "år;lsl;respondent;roll;perspektiv;delmal1;delmal2;delmal3;delmal4;delmal5;tillampat
2023;Vansbro;;;;2;2;2;3;2;nej
2023;Malung-Sälen;;;;3;2;2;3;3;ja
2023;Gagnef;;;;3;3;2;3;3;nej
2023;Leksand;;;;3;3;3;4;3;ja
2023;Rättvik;;;;2;2;2;3;2;nej
2023;Orsa;;;;3;2;2;3;3;nej
2023;Älvdalen;;;;2;2;1;3;2;nej
2023;Västerbergslagen;;;;3;3;3;3;3;ja
2023;Mora;;;;3;2,5;3;3,5;2;ja
2023;Falun;;;;3;3;3;4;3;ja
2023;Borlänge;;;;3;3;2;4;3;ja
2023;Säter;;;;2;2;2;3;2;nej
2023;Södra Dalarna;;;;3;3;3;4;2;nej
";

/// 2024 self-assessment: (LSL name, respondent, role, perspective, ratings, applied table).
/// (LSL name, respondent, role, perspective, ratings, applied table).
type DemoAnswer = (&'static str, &'static str, &'static str, &'static str, [u8; 5], bool);

const SJ_2024: &[DemoAnswer] = &[
    ("Vansbro", "Karin Lind (demo)", "ordförande", "bada", [3, 2, 2, 3, 2], false),
    ("Malung-Sälen", "Per Olsson (demo)", "ordförande", "bada", [3, 3, 2, 4, 3], true),
    ("Gagnef", "Eva Berg (demo)", "ordförande", "kommun", [3, 3, 3, 3, 3], true),
    ("Leksand", "Johan Ek (demo)", "ordförande", "bada", [4, 3, 3, 4, 3], true),
    ("Rättvik", "Lena Sjö (demo)", "ordförande", "bada", [2, 3, 2, 3, 2], false),
    ("Orsa", "Anders Holm (demo)", "ordförande", "kommun", [3, 2, 2, 3, 3], false),
    ("Älvdalen", "Sara Nord (demo)", "ordförande", "bada", [2, 2, 2, 3, 2], false),
    ("Västerbergslagen", "Mikael Dahl (demo)", "ordförande", "bada", [3, 3, 3, 4, 3], true),
    ("Mora", "Maria Ordförande (demo)", "ordförande, kommunrepresentant", "kommun", [3, 2, 3, 3, 2], false),
    (
        "Mora",
        "Björn Vårdcentral (demo)",
        "verksamhetschef vårdcentral, regionrepresentant",
        "region",
        [3, 3, 3, 4, 2],
        true,
    ),
    ("Falun", "Helena Strand (demo)", "ordförande", "bada", [4, 3, 3, 4, 3], true),
    ("Borlänge", "Fredrik Ås (demo)", "ordförande", "bada", [3, 3, 3, 4, 3], true),
    ("Säter", "Ingrid Myr (demo)", "ordförande", "kommun", [3, 2, 2, 3, 3], false),
    ("Södra Dalarna", "Sven Samordnare (demo)", "ordförande", "bada", [3, 3, 3, 4, 2], false),
];

fn lsl_code(registry: &Registry, name: &str) -> Result<String> {
    registry
        .lsls
        .iter()
        .find(|l| l.name == name)
        .map(|l| l.code.clone())
        .ok_or_else(|| anyhow!("okänd LSL {name}"))
}

fn fields(pairs: &[(&str, String)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

#[allow(clippy::too_many_arguments)]
async fn answer(
    db: &Db,
    def: &FormDefinition,
    registry: &Registry,
    year: i32,
    part: Part,
    org: &str,
    key: &str,
    f: Vec<(String, String)>,
    event: Event,
) -> Result<()> {
    let ctx = FormContext { municipalities: municipalities(registry, org) };
    let mode = if event == Event::Submit { Mode::Submit } else { Mode::Draft };
    let answers = def.validate(&f, &ctx, mode).map_err(|e| anyhow!("demodata {org}: {e}"))?;
    db.save_response(year, part, org, key, &answers, event, &Actor::cli()).await?;
    Ok(())
}

fn municipalities(registry: &Registry, org: &str) -> Vec<(String, String)> {
    registry
        .lsls
        .iter()
        .find(|l| l.code == org)
        .map(|l| {
            l.municipalities
                .iter()
                .map(|c| {
                    let n = registry
                        .municipalities
                        .iter()
                        .find(|m| &m.code == c)
                        .map(|m| m.name.clone())
                        .unwrap_or_default();
                    (c.clone(), n)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn sj_fields(
    who: &str,
    role: &str,
    persp: &str,
    r: [u8; 5],
    applied: Option<bool>,
    reflection: &str,
) -> Vec<(String, String)> {
    let mut f = fields(&[("respondent", who.into()), ("roll", role.into()), ("perspektiv", persp.into())]);
    for (i, v) in r.iter().enumerate() {
        f.push((format!("delmal{}", i + 1), v.to_string()));
    }
    if let Some(a) = applied {
        f.push(("tillampat".into(), if a { "ja" } else { "nej" }.into()));
    }
    if !reflection.is_empty() {
        f.push(("reflektion3".into(), reflection.into()));
    }
    f
}

/// Free-text answers of the mapping, one per LSL (registry order), so that the compilation reads
/// like thirteen different answers.
const UPPDRAG: [&str; 13] = [
    "Leda omställningen lokalt och följa upp den gemensamma handlingsplanen för nära vård.",
    "Samordna hemsjukvård, rehabilitering och vårdcentralens arbete kring de mest sjuka äldre.",
    "Ta fram och följa upp en lokal plan för God och nära vård tillsammans med vårdcentralerna.",
    "Vara forum för gemensamma prioriteringar mellan socialtjänst och primärvård i kommunen.",
    "Skapa förutsättningar för mobila team och trygg hemgång efter sjukhusvistelse.",
    "Driva arbetet med fast vårdkontakt och samordnad individuell plan (SIP).",
    "Fånga upp lokala behov och föra dem vidare till den regionala systemledningen.",
    "Samordna två kommuners arbete med regionens primärvård i ett gemensamt forum.",
    "Utveckla samverkan kring barn och unga med psykisk ohälsa och deras familjer.",
    "Följa upp avvikelser vid in- och utskrivning och besluta om förbättringar.",
    "Leda arbetet med hälsofrämjande och förebyggande insatser för äldre.",
    "Samordna de två kommunernas och vårdcentralernas arbete med digital vård och egenvård.",
    "Bereda frågor om gemensamma resurser och lokala överenskommelser.",
];
const SAMVERKAN: [&str; 13] = [
    "Samverkan fungerar bra i vardagen men tiden räcker inte alltid till.",
    "Korta beslutsvägar och täta kontakter mellan enhetscheferna.",
    "Samverkan har blivit bättre sedan vi började med gemensamma ärendegenomgångar.",
    "Samverkan är personberoende och sårbar när chefer byts ut.",
    "Vi har en gemensam bild av målen, men olika ekonomiska förutsättningar.",
    "Bra samverkan kring utskrivningar, svagare kring förebyggande arbete.",
    "Samverkan bygger på förtroende som vuxit fram under flera år.",
    "Avstånden mellan kommunerna gör det svårare att träffas fysiskt.",
    "Digitala möten har gjort det lättare att delta för alla parter.",
    "Samverkan fungerar, men besluten förankras inte alltid i linjen.",
    "Vi saknar en gemensam bild av vad som ska följas upp.",
    "Gemensamma mål är formulerade och följs upp två gånger per år.",
    "Samverkan har stärkts genom gemensamma utbildningsdagar.",
];
const BRUKARINFLYTANDE_HUR: [&str; 13] = [
    "",
    "Patient- och brukarråd som träffas två gånger per år.",
    "",
    "",
    "",
    "",
    "",
    "Intervjuer med brukare inför varje ny arbetsmodell.",
    "",
    "",
    "Pensionärsrådet deltar i utvecklingsarbetet kring hemsjukvården.",
    "",
    "",
];
const FUNGERAR_BRA: [&str; 13] = [
    "Gemensamma utbildningsdagar och korta beslutsvägar.",
    "Trygg hemgång med teamet från vårdcentralen och hemtjänsten.",
    "Den lokala planen ger en gemensam riktning.",
    "Regelbundna möten med tydlig dagordning.",
    "Mobilt team som når de mest sjuka äldre i hemmet.",
    "Samordnade individuella planer görs oftare och tidigare.",
    "Gemensam kompetensutveckling för undersköterskor och distriktssköterskor.",
    "Gemensam kontaktväg mellan hemtjänst och vårdcentral.",
    "Samarbetet kring barn och unga har kommit igång.",
    "Uppföljning av avvikelser leder till konkreta förbättringar.",
    "Hälsosamtal för 75-åringar genomförs tillsammans.",
    "Digitala vårdmöten har minskat resorna för äldre.",
    "Tydlig rollfördelning mellan kommun och region.",
];
const UTMANINGAR: [&str; 13] = [
    "Kompetensförsörjning och långa avstånd.",
    "Svårt att rekrytera läkare till vårdcentralen.",
    "Hög personalomsättning bland chefer.",
    "Olika journalsystem försvårar informationsöverföring.",
    "Ekonomiska besparingar tar fokus från utvecklingsarbetet.",
    "Tiden för utvecklingsarbete räcker inte till.",
    "Saknar ordförande, vilket gör arbetet mindre kontinuerligt.",
    "Två kommuner med olika organisation ska samordnas.",
    "Psykiatrin deltar inte i systemledningen.",
    "Ojämn tillgång till specialistvård på distans.",
    "Svårt att mäta effekter av förebyggande insatser.",
    "Den lokala planen är inte klar och arbetet pågår.",
    "Stora säsongsvariationer i befolkningen.",
];
const STODBEHOV: [&str; 13] = [
    "Stöd i att följa upp effekter lokalt.",
    "",
    "",
    "",
    "Stöd i att ta fram en lokal plan.",
    "",
    "",
    "",
    "Stöd i att involvera brukare och närstående.",
    "",
    "",
    "",
    "Stöd i att sprida goda exempel mellan systemledningarna.",
];

/// Mapping answer 2024 for LSL index `i` (0-based in registry order); gives the report's shape:
/// 9 of 13 meet twice per term, 1 of 13 has political representation, 10 of 13 miss some key
/// actor (politics among them for all ten), 3 of 13 work actively with user influence (and only
/// they describe how), 10 have a local plan. Free-text answers differ per LSL. Form version 2's
/// topics as the 2024 report states them: no LSL has a user representative ("Ingen
/// systemledning har någon brukarrepresentant …"), and collaboration with POLSAM is not
/// systematic everywhere (3 of the 7 with POLSAM, demo data).
fn mapping_fields(i: usize, municipalities: &[(String, String)]) -> Vec<(String, String)> {
    let freq = match i {
        0 | 6 => "1-per-manad",
        5 => "2-3-per-ar",
        12 => "1-per-termin",
        _ => "2-per-termin",
    };
    let mut f = fields(&[
        ("sammankallande_struktur", "ja".into()),
        ("sammankallande", if matches!(i % 3, 0) { "Områdessamordnare" } else { "Ordföranden" }.into()),
        ("ordforande_finns", if i == 6 { "nej" } else { "ja" }.into()),
        ("ordforande", "Förvaltningschef socialtjänst".into()),
        (
            "medlemmar",
            "kommun: Förvaltningschef socialtjänst\nkommun: MAS\nregion: Verksamhetschef vårdcentral\nregion: Områdeschef primärvård".into(),
        ),
        ("motesfrekvens", freq.into()),
        ("uppdrag", UPPDRAG[i % 13].into()),
        ("polsam", if matches!(i % 2, 0) { "ja" } else { "nej" }.into()),
        ("politisk_representation", if i == 3 { "ja" } else { "nej" }.into()),
        ("polsam_systematisk", if matches!(i, 0 | 4 | 8) { "ja" } else { "nej" }.into()),
        ("samverkan", SAMVERKAN[i % 13].into()),
        ("brukarinflytande", if matches!(i, 1 | 7 | 10) { "ja" } else { "nej" }.into()),
        ("brukarinflytande_hur", BRUKARINFLYTANDE_HUR[i % 13].into()),
        ("brukarrepresentant", "nej".into()),
        ("lokal_plan", if matches!(i, 4 | 6) { "nej" } else if i == 11 { "pagar" } else { "ja" }.into()),
        ("lokala_overenskommelser", if i == 8 { "LÖK om hemsjukvård (demo)".into() } else { String::new() }),
        ("fungerar_bra", FUNGERAR_BRA[i % 13].into()),
        ("utmaningar", UTMANINGAR[i % 13].into()),
        ("stodbehov", STODBEHOV[i % 13].into()),
    ]);
    if !matches!(i, 3 | 9 | 11) {
        // Without political representation (all but LSL 3): politics is among the missing
        // actors of everyone who names missing actors, so the two statements agree.
        let actors: &[&str] = match i % 3 {
            0 => &["politik", "bup", "vuxenpsykiatri"],
            1 => &["politik", "specialistvard"],
            _ => &["politik", "ambulans"],
        };
        f.extend(actors.iter().map(|a| ("saknade_aktorer".to_string(), a.to_string())));
    }
    for (j, (code, _)) in municipalities.iter().enumerate() {
        let yes = matches!((i, j), (9, 0) | (12, 1) | (2, 0));
        f.push((format!("kommunikationsplan_{code}"), if yes { "ja" } else { "nej" }.into()));
    }
    f
}

/// Seeds the reporting round's demo data.
pub async fn seed(db: &Db) -> Result<()> {
    let registry = db.registry().await?;
    let subgoals = db.subgoals().await?;
    let actor = Actor::cli();
    db.ensure_standard_forms().await?;
    let history =
        gnv_core::sjalvskattning::import_csv(HISTORY_2023, &registry, &Default::default(), &subgoals)
            .map_err(|e| anyhow!("demohistorik: {e}"))?;
    db.import_sjalvskattning_history(&history, &actor).await?;

    // 2024: complete round. Rounds of past years are created open so the demo answers can be
    // given as respondents would, and get their real deadlines (which closes them, with their
    // snapshots) in `close_past_rounds` once every module has seeded.
    db.create_round(2024, OPEN_WHILE_SEEDING, &[Part::Sjalvskattning, Part::Kartlaggning], &registry, &actor)
        .await?;
    let sj = db.round_form(2024, Part::Sjalvskattning).await?.ok_or_else(|| anyhow!("formulär saknas"))?;
    let km = db.round_form(2024, Part::Kartlaggning).await?.ok_or_else(|| anyhow!("formulär saknas"))?;
    for (i, (lsl, who, role, persp, r, applied)) in SJ_2024.iter().enumerate() {
        let code = lsl_code(&registry, lsl)?;
        let reflection = if *lsl == "Mora" {
            "Vi skattar olika beroende på om vi ser det från kommunens eller regionens håll (demo)."
        } else {
            ""
        };
        let f = sj_fields(who, role, persp, *r, Some(*applied), reflection);
        answer(db, &sj, &registry, 2024, Part::Sjalvskattning, &code, &format!("demo:{i}"), f, Event::Submit)
            .await?;
    }
    for (i, l) in registry.lsls.iter().enumerate() {
        let f = mapping_fields(i, &municipalities(&registry, &l.code));
        answer(db, &km, &registry, 2024, Part::Kartlaggning, &l.code, "demo", f, Event::Submit).await?;
    }

    // 2025: round with all four parts that closed with some drafts and submissions.
    db.create_round(2025, OPEN_WHILE_SEEDING, &Part::ALL, &registry, &actor).await?;
    let sj = db.round_form(2025, Part::Sjalvskattning).await?.ok_or_else(|| anyhow!("formulär saknas"))?;
    let km = db.round_form(2025, Part::Kartlaggning).await?.ok_or_else(|| anyhow!("formulär saknas"))?;
    let submitted: [(&str, &str, [u8; 5], bool); 3] = [
        ("Falun", "Helena Strand (demo)", [4, 3, 3, 4, 4], true),
        ("Leksand", "Johan Ek (demo)", [4, 3, 3, 4, 3], true),
        ("Gagnef", "Eva Berg (demo)", [3, 3, 3, 4, 3], true),
    ];
    for (i, (lsl, who, r, applied)) in submitted.iter().enumerate() {
        let code = lsl_code(&registry, lsl)?;
        let f = sj_fields(who, "ordförande", "bada", *r, Some(*applied), "");
        answer(db, &sj, &registry, 2025, Part::Sjalvskattning, &code, &format!("demo:{i}"), f, Event::Submit)
            .await?;
    }
    let sodra = lsl_code(&registry, "Södra Dalarna")?;
    let mut draft = sj_fields("Sven Samordnare (demo)", "ordförande", "bada", [3, 3, 0, 0, 0], None, "");
    draft.retain(|(k, v)| !(k.starts_with("delmal") && v == "0"));
    answer(db, &sj, &registry, 2025, Part::Sjalvskattning, &sodra, "demo:sodra", draft, Event::SaveDraft)
        .await?;
    let rattvik = lsl_code(&registry, "Rättvik")?;
    let idx = registry.lsls.iter().position(|l| l.code == rattvik).unwrap_or(0);
    let f = mapping_fields(idx, &municipalities(&registry, &rattvik));
    answer(db, &km, &registry, 2025, Part::Kartlaggning, &rattvik, "demo", f, Event::Submit).await?;

    // 2026: the open round (answers are due early next year), all four parts; Falun has submitted
    // its self-assessment, Södra Dalarna has a draft.
    db.create_round(2026, &open_round_deadline(), &Part::ALL, &registry, &actor).await?;
    let sj = db.round_form(2026, Part::Sjalvskattning).await?.ok_or_else(|| anyhow!("formulär saknas"))?;
    let falun = lsl_code(&registry, "Falun")?;
    let f = sj_fields("Helena Strand (demo)", "ordförande", "bada", [4, 3, 4, 4, 4], Some(true), "");
    answer(db, &sj, &registry, 2026, Part::Sjalvskattning, &falun, "demo:falun", f, Event::Submit).await?;
    let mut draft = sj_fields("Sven Samordnare (demo)", "ordförande", "bada", [3, 4, 0, 0, 0], None, "");
    draft.retain(|(k, v)| !(k.starts_with("delmal") && v == "0"));
    answer(db, &sj, &registry, 2026, Part::Sjalvskattning, &sodra, "demo:sodra", draft, Event::SaveDraft)
        .await?;
    Ok(())
}

/// Deadline of past rounds while the demo seeds them (see [`close_past_rounds`]).
const OPEN_WHILE_SEEDING: &str = "2999-12-31";

/// The open 2026 round's deadline: 12 February 2027, or 30 days from today when the demo is made
/// later than that, so the demo always has an open round.
fn open_round_deadline() -> String {
    let planned = chrono::NaiveDate::from_ymd_opt(2027, 2, 12).unwrap_or_default();
    let soon = gnv_storage::omgang::today() + chrono::Duration::days(30);
    planned.max(soon).to_string()
}

/// Gives the past rounds their real deadlines, which closes them and freezes their snapshots:
/// called after every module has seeded its answers of those years.
pub async fn close_past_rounds(db: &Db) -> Result<()> {
    let actor = Actor::cli();
    db.set_deadline(2024, "2025-02-14", &actor).await?;
    db.set_deadline(2025, "2026-02-13", &actor).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(f: &'a [(String, String)], key: &str) -> Vec<&'a str> {
        f.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect()
    }

    #[test]
    fn mapping_answers_are_distinct_and_agree_with_each_other() {
        let all: Vec<Vec<(String, String)>> = (0..13).map(|i| mapping_fields(i, &[])).collect();
        for key in ["uppdrag", "samverkan", "fungerar_bra", "utmaningar"] {
            let mut texts: Vec<&str> = all.iter().flat_map(|f| get(f, key)).collect();
            texts.sort_unstable();
            texts.dedup();
            assert_eq!(texts.len(), 13, "{key}: thirteen different answers");
        }
        let with_politics = all.iter().filter(|f| get(f, "politisk_representation") == ["ja"]).count();
        assert_eq!(with_politics, 1);
        for f in &all {
            let missing = get(f, "saknade_aktorer");
            if !missing.is_empty() {
                // Whoever names missing actors and has no politician names politics.
                assert_eq!(get(f, "politisk_representation") == ["nej"], missing.contains(&"politik"));
            }
            // Systematic collaboration with POLSAM only where POLSAM exists.
            if get(f, "polsam_systematisk") == ["ja"] {
                assert_eq!(get(f, "polsam"), ["ja"]);
            }
            // How users have influence is described exactly by those who say they have it.
            let active = get(f, "brukarinflytande") == ["ja"];
            assert_eq!(active, get(f, "brukarinflytande_hur").iter().any(|t| !t.is_empty()));
        }
    }
}
