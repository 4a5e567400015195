//! Demo answers to the kommunenkät for 2024, all 15 Dalarna municipalities, submitted.
//!
//! DEMO DATA: the texts are excerpts of the seed annual report's section 3.4 (real wording),
//! but which municipality wrote what, and which areas each ticked, is invented so that the
//! compilation resembles the report's figure 3 (development potential in distance monitoring,
//! shared employment, mobile teams, NPÖ, shared records, elderly centres and research). The
//! answers are saved by the actor "demodata", shown on each form.

use anyhow::{anyhow, Result};
use gnv_core::kommunenkat::{Area, Heading, MunicipalAnswer, Text};
use gnv_storage::{Actor, Db};
use std::collections::{BTreeMap, BTreeSet};

use Area::*;
use Heading as H;

type DemoAnswer = (&'static str, &'static [Area], Option<&'static str>, &'static [(Heading, &'static str)]);

const ANSWERS: [DemoAnswer; 15] = [
    ("2084", &[FastVardkontakt, FastOmsorgskontakt, Sip, Lakemedelsautomater, Korttidsboende, MobilaTeam], None, &[
        (H::ViktigasteInsatser, "Trygg hem – initierat arbete för att i samverkan med regionens primärvård utveckla arbetssätt som säkrar patientens möjlighet till hemgång efter slutenvårdsvistelse."),
        (H::SamverkanRegionKommun, "Daglig kontakt mellan samordnare i kommun och primärvård för att säkerställa patientsäkerheten för gemensamma patienter, så att ingen hamnar mellan stolarna."),
        (H::MobilaTeam, "Från primärvården deltar läkare och hemsjukvårdens sjuksköterskor utifrån ansvarsområden, så att brukaren får hembesök, bedömning och behandling i hemmet."),
        (H::FastVardkontakt, "Fast vårdkontakt har implementerats och rutiner har tagits fram. En informationsbroschyr har tagits fram till patienterna."),
    ]),
    ("2081", &[FastVardkontakt, FastOmsorgskontakt, Sip, Lakemedelsautomater, Distansmonitorering, ProducentNpo], None, &[
        (H::ViktigasteInsatser, "Uppstart och implementering av samverkansteam för ”very important babies” 0–2 år samt barnhälsoteam 3–5 år."),
        (H::ResultatSlutenvard, "Bättre arbete med läkemedelsgenomgångar och hälsoplaner har lett till färre återinläggningar och mer adekvat läkemedelsbehandling."),
        (H::SamverkanRegionKommun, "Kommun och region delar på kostnaden för en samordnare som driver det strategiska och operativa arbetet kring god och nära vård för barn och unga."),
        (H::HalsoframjandeForebyggande, "Ungdomshälsan arbetar aktivt med barns och ungas delaktighet; barn och unga kan anonymt utvärdera insatserna."),
        (H::Medarbetare, "Samverkansträffar och workshoppar för personal i kommun och region som möter barn och unga i sitt dagliga arbete."),
    ]),
    ("2080", &[FastVardkontakt, FastOmsorgskontakt, Sip, Lakemedelsautomater, Korttidsboende, MobilaTeam, Distansmonitorering, GemensammaAnstallningar, ProducentNpo, PraktiknaraForskning], None, &[
        (H::ViktigasteInsatser, "Deltagande i regionens införande av egenmonitorering av multisjuka."),
        (H::ResultatSlutenvard, "Analyser av Lex Maria har påvisat brister inom läkemedelshantering och förskrivning som kunnat åtgärdas i samverkan, med bättre resultat för kommuninvånaren."),
        (H::SamverkanRegionKommun, "Lokala överenskommelser har arbetats fram för barn och unga samt för hemsjukvård och läkarmedverkan vid särskilt boende."),
        (H::MobilaTeam, "Kontinuerlig samverkan mellan MAS/enhetschef HSL, palliativa team, kommunens hemsjukvård och kommunrehab samt psykiatrins mobila team."),
        (H::DelaktighetKontinuitet, "Pictogram, samtalsmatta, planeringstavlor och sociala berättelser används för att underlätta kommunikationen."),
        (H::HalsoframjandeForebyggande, "Pilot inom låg- och mellanstadiet med Rädda Barnens material Blandade känslor."),
        (H::Medarbetare, "Breddinförande av förstärkt introduktion för nya medarbetare."),
    ]),
    ("2026", &[FastVardkontakt, FastOmsorgskontakt, Sip, Lakemedelsautomater], None, &[
        (H::ViktigasteInsatser, "Pilotprojekt med läkemedelsautomater."),
        (H::FastVardkontakt, "Rutiner för dokumentation och registrering av fasta kontakter finns; antalet brukare med fast omsorgskontakt i hemtjänsten har ökat."),
    ]),
    ("2083", &[FastVardkontakt, FastOmsorgskontakt, Sip, Korttidsboende, Aldrecentraler], None, &[
        (H::ViktigasteInsatser, "Fast omsorgskontakt: utbildningsinsats till personal inom ordinärt boende och implementering av arbetssätt för att nå uppsatta mål."),
        (H::ResultatSlutenvard, "Korta inskrivningar i hemsjukvården för patienter som skrivs ut från slutenvården och fler SIP i hemmet för patienter i gula processer."),
        (H::HalsoframjandeForebyggande, "Senior Kul tillsammans med kultur och fritid samt hälsofrämjande aktiviteter på våra boenden."),
    ]),
    ("2029", &[FastVardkontakt, FastOmsorgskontakt, Sip, Lakemedelsautomater, Korttidsboende], None, &[
        (H::ViktigasteInsatser, "Kommun- och regiongemensam styrgrupp har bildats för att utveckla en god och nära vård."),
        (H::SamverkanRegionKommun, "Samverkansforum med kommunens vårdcentraler om bland annat läkarmedverkan inom särskilt boende har gett bättre samverkan mellan kommunens sjuksköterskor och patientansvarig läkare."),
        (H::DelaktighetKontinuitet, "Signs of safety, Språkfiluren och memoplanner används för personer med särskilda behov."),
    ]),
    ("2085", &[FastVardkontakt, FastOmsorgskontakt, Sip, Lakemedelsautomater, MobilaTeam, SammanhallenJournal], None, &[
        (H::ViktigasteInsatser, "Utvecklat samverkan mellan region och kommun kring psykisk ohälsa och beroende, med ett nytt arbetssätt för att kunna kommunicera kring enskilda patienter."),
        (H::SamverkanRegionKommun, "Regionen och kommunen har förberett övergången till Cosmic Link, med förhoppning om en sammanhållen journal mellan kommun och region."),
        (H::HalsoframjandeForebyggande, "Suicidpreventiva insatser och utbildningar."),
    ]),
    ("2023", &[FastVardkontakt, Sip, Lakemedelsautomater, Korttidsboende], None, &[
        (H::ViktigasteInsatser, "Utveckling av poolverksamhet."),
        (H::Medarbetare, "Infört helgtjänstgöring för att säkerställa kontinuitet av ordinarie personal inom äldreomsorgen."),
    ]),
    ("2062", &[FastVardkontakt, FastOmsorgskontakt, Sip, Lakemedelsautomater, MobilaTeam, ProducentNpo], Some("Fast daglig avstämning mellan samordnare i kommun och primärvård"), &[
        (H::ViktigasteInsatser, "Mobila team så att äldre brukare kan få hembesök av läkare och sjuksköterska även om de inte tillhör hemsjukvården; trygg hemgång från sjukhus har prioriterats."),
        (H::ResultatSlutenvard, "Uppföljningen av mobila teamet visade låg användning av de avsatta läkarresurserna, vilket ledde till att kommun och region tänkte om kring arbetet."),
        (H::SamverkanRegionKommun, "Beslut om lokal systemledning: en permanent struktur med regelbundna möten ger kontinuitet, kännedom om varandras uppdrag och en tydlig beslutsstruktur."),
        (H::FastVardkontakt, "Breddinförande och utbildning av fast omsorgskontakt för att stärka kontinuitet, trygghet och kvalitet i omsorgen."),
    ]),
    ("2034", &[FastVardkontakt, FastOmsorgskontakt, Sip, Korttidsboende], None, &[
        (H::ViktigasteInsatser, "Fysisk aktivitet på recept."),
        (H::ResultatSlutenvard, "Uppföljning av recept på fysisk aktivitet visar att arbetssättet ännu inte används inom den kommunala verksamheten."),
    ]),
    ("2031", &[FastVardkontakt, FastOmsorgskontakt, Sip, Lakemedelsautomater, Korttidsboende, Distansmonitorering], None, &[
        (H::ViktigasteInsatser, "Riskbedömningar genom hälsosamtal och läkemedelsgenomgångar i samverkan med regionen, och erbjudande om läkemedelsrobot."),
        (H::HalsoframjandeForebyggande, "Kommunrehab har tagit fram ett hälsofrämjande arbetssätt med seniorvägledare och hälsosamtal inom LSS."),
    ]),
    ("2061", &[FastVardkontakt, FastOmsorgskontakt, Sip, Lakemedelsautomater, MobilaTeam, GemensammaAnstallningar], None, &[
        (H::ViktigasteInsatser, "Digitaliseringsutveckling i samarbete med SKR:s Handslaget."),
        (H::SamverkanRegionKommun, "Sektorchefen för äldreomsorgen är även verksamhetschef för vårdcentralen, med gemensamma möten om god och nära vård."),
    ]),
    ("2082", &[FastVardkontakt, FastOmsorgskontakt, Sip, Lakemedelsautomater, Aldrecentraler, ProducentNpo], None, &[
        (H::ViktigasteInsatser, "Utveckla rollen som patientansvarig sjuksköterska inom särskilt boende."),
        (H::HalsoframjandeForebyggande, "Patientansvarig sjuksköterska på särskilt boende för hälsofrämjande samtal vid inflyttning och uppföljningar."),
        (H::Medarbetare, "Tre kvalitetsroller inom äldreomsorgens särskilda boenden och korttidsboenden har startats för att höja kvaliteten."),
    ]),
    ("2021", &[FastVardkontakt, FastOmsorgskontakt, Sip, Korttidsboende], None, &[
        (H::ViktigasteInsatser, "Upprättande av lokal systemledning."),
        (H::DelaktighetKontinuitet, "QR-koder och förskrivna appar används för att underlätta kommunikationen."),
    ]),
    ("2039", &[FastOmsorgskontakt, Sip, Lakemedelsautomater, Korttidsboende], None, &[
        (H::ViktigasteInsatser, "Professionsträffar med regionens och kommunens sjuksköterskor."),
        (H::HalsoframjandeForebyggande, "Välfärdsbibliotek och en månad för att uppmärksamma psykisk ohälsa."),
    ]),
];

fn text(s: &str) -> Result<Text> {
    Text::parse(s).map_err(|e| anyhow!(e))?.ok_or_else(|| anyhow!("tom demotext"))
}

/// The demo answers of 2024 (all 15 municipalities).
pub fn answers_2024() -> Result<Vec<MunicipalAnswer>> {
    ANSWERS
        .iter()
        .map(|(code, areas, other, texts)| {
            let mut free_text = BTreeMap::new();
            for (h, t) in texts.iter() {
                free_text.insert(*h, text(t)?);
            }
            Ok(MunicipalAnswer {
                municipality_code: code.to_string(),
                year: 2024,
                areas: areas.iter().copied().collect::<BTreeSet<_>>(),
                other: other.map(text).transpose()?,
                free_text,
            })
        })
        .collect()
}

pub async fn seed(db: &Db) -> Result<()> {
    let actor = Actor { user_id: None, username: "demodata".to_string() };
    for a in answers_2024()? {
        db.save_survey_answer(&a, true, true, &actor).await?;
    }
    seed_deliveries(db).await
}

/// The survey's delivery to Socialstyrelsen for 2024 recorded per municipality (DEMO DATA: 14
/// of the 15 on two dates, Älvdalen's not recorded), each with the compilation file as
/// delivered. The 2024 report states it per municipality.
async fn seed_deliveries(db: &Db) -> Result<()> {
    use gnv_render::export::{Cell, Sheet};
    use gnv_storage::leveranser::{DeliveryKind, NewDelivery};
    let c = db.kommunenkat_compilation(2024).await?;
    let sheets: Vec<Sheet> = c
        .export_sheets()
        .into_iter()
        .map(|s| {
            let mut rows = s.cells.into_iter();
            let header = rows.next().unwrap_or_default();
            let cells = rows
                .map(|r| {
                    r.into_iter().map(|v| if v.is_empty() { Cell::Empty } else { Cell::Text(v) }).collect()
                })
                .collect();
            Sheet::new(s.name, header, cells)
        })
        .collect();
    let bytes = gnv_render::export::xlsx(&sheets).map_err(|e| anyhow!(e))?;
    let actor = Actor::cli();
    for (code, date) in [
        ("2084", "2025-02-28"),
        ("2081", "2025-02-28"),
        ("2080", "2025-02-28"),
        ("2026", "2025-02-28"),
        ("2083", "2025-02-28"),
        ("2029", "2025-02-28"),
        ("2085", "2025-02-28"),
        ("2023", "2025-02-28"),
        ("2062", "2025-02-28"),
        ("2034", "2025-02-28"),
        ("2031", "2025-03-07"),
        ("2061", "2025-03-07"),
        ("2082", "2025-03-07"),
        ("2021", "2025-03-07"),
    ] {
        let d = NewDelivery {
            year: 2024,
            kind: DeliveryKind::KommunenkatSocialstyrelsen,
            delivered_on: date.to_string(),
            by: "RSS Dalarna".to_string(),
            note: String::new(),
            file: Some(("kommunenkat-2024.xlsx".to_string(), bytes.clone())),
            organisation: Some(code.to_string()),
        };
        db.record_delivery(&d, &actor).await?;
    }
    Ok(())
}
