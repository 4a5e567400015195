//! Demo data of the annual report: the analyst's closing words and method remarks for 2024,
//! taken from the 2024 annual report (the seed), and structured narratives that rebuild the
//! seed's subsections (3.3.6, 3.5.x) with invented text placed between the generated parts,
//! comments after the generated 3.2.3 analysis (3.2.3.1–3.2.3.5), plus a few chosen quotes; and
//! for the 2026 draft an analyst comment in section 3.6 (the action plan 2026–2030 is not
//! followed up in the 2024 report).

use anyhow::Result;
use gnv_report::layout::LayoutItem;
use gnv_report::quotes::QuoteChoice;
use gnv_storage::{Actor, Db};

const AVSLUTNINGSORD_2024: &str = "Att både ha helikopterperspektivet, på strategisk och övergripande styrning och ledning av omställningsarbetet, och samtidigt på själva görandet, det operativa, är en utmanande balansgång.

Glädjande nog finns nu **lokala systemledningar på plats i hela länet**, vilket ska ses som en viktig framgång! Med tiden har samtidigt behovet av de sista pusselbitarna i Dalarnas omställningsarbete blivit allt tydligare:

- Regional systemledning
- Regional handlingsplan

Jämlika villkor och insatser i hela länet förutsätter en länsövergripande, regional styrning. Det är inget som enskilda kommuner eller lokala systemledningar kan åstadkomma.

”Gemensamt tillsammans fortsätter vår resa mot God och nära vård i hela Dalarna.” (Länsgemensam strategi med målbild och färdplan för God och nära vård i Dalarna 2022–2030)";

const METODASPEKTER_2024: &str = "Samtliga 13 lokala systemledningar är nu formerade och i år har självskattningsformuläret riktats direkt till de lokala systemledningarna. Återkopplingen från några håll vittnade om svårigheter att besvara självskattningen utifrån vilket perspektiv frågorna skulle besvaras (kommun-, region- eller båda).

Av återkopplingen framgår också viss begreppsförvirring, exempelvis gällande skillnaden mellan en _lokal plan_ för de lokala systemledningarna och en lokal överenskommelse (LÖK) kopplad till respektive regional samverkansöverenskommelse (RÖK).";

/// 3.2.3 of the seed: the generated analysis (self-assessment beside the survey per sub-goal,
/// figure, table and one subsection per sub-goal) with the analyst's comments (invented text)
/// after the introduction and after each sub-goal's computed sentences.
const SJALVSKATTNING_3_2_3_INLEDNING: &str =
    "Skattningarna ska läsas tillsammans med det kommunerna beskriver i sina fritextsvar (DEMOTEXT).";

const SJALVSKATTNING_3_2_3_DELMAL: [&str; 5] = [
    "Kommunerna beskriver verktyg och metoder för att underlätta kommunikation och öka delaktigheten för personer med särskilda behov (DEMOTEXT).",
    "Olika kommuner har olika förutsättningar, vilket kan leda till varierad tillgång till vård. Arbetet med ett tydligt jämställdhetsperspektiv kräver reflektion, medvetenhet och kompetens (DEMOTEXT).",
    "Arbetssätten för tillgänglighet har förändrats sedan omställningen startade; kontinuiteten beskrivs som förbättrad på flera håll (DEMOTEXT).",
    "Delmålet handlar om relationen mellan aktörerna. Flera svar beskriver de lokala systemledningarna som en framgångsfaktor för samverkan (DEMOTEXT).",
    "Det hälsofrämjande och förebyggande arbetet beskrivs som påbörjat, men flera efterfrågar mer resurser och tydligare kommunikationsvägar (DEMOTEXT).",
];

const KARTLAGGNING_3_3_6: &str = "### Lokala systemledningar – sammanfattande kommentarer

Systemledningarna är formerade i hela länet men befinner sig i olika faser (DEMOTEXT). Gemensamt är behovet av tid för dialog och av tydliga mandat.";

const STOD_INLEDNING: &str =
    "Nedan följer ett sammandrag av huvuddragen i det regionala stödets arbete under året (DEMOTEXT).";

const STOD_AKTIVITETER: &str = "### Metodstöd för de lokala systemledningarna

Ett metodstöd med mall för lokal plan har tagits fram och spridits till systemledningarna (DEMOTEXT).

### Lärprocess God och nära vård

Lärprocessen startade som pilot men har pausats efter att deltagare lämnat (DEMOTEXT).

### Regionalt informationsforum

Forumet sammanfattar nuläget i omställningen och sprider goda exempel, digitalt två gånger per år (DEMOTEXT).";

/// The analyst's comment on the action plan's first year (2026 draft, section 3.6), placed
/// between the tactical and the operative level.
const HANDLINGSPLAN_2026: &str = "Under handlingsplanens första år har arbetet framför allt handlat om att etablera strukturen för uppföljningen. Att flera åtgärder på taktisk nivå ännu inte har påbörjats är väntat, eftersom många av dem har sin tidsram senare under planperioden (DEMOTEXT).";

fn text(body: &str) -> LayoutItem {
    LayoutItem::Text { body: body.to_string() }
}

fn part(key: &str) -> LayoutItem {
    LayoutItem::Part { key: key.to_string() }
}

/// Seeds the narratives of the 2024 report.
pub async fn seed(db: &Db) -> Result<()> {
    let actor = Actor::cli();
    db.save_report_narrative(2024, "avslutningsord", AVSLUTNINGSORD_2024, &actor).await?;
    db.save_report_narrative(2024, "metodaspekter", METODASPEKTER_2024, &actor).await?;
    // Generated parts that are not listed find their place by themselves (see
    // gnv_report::layout::resolve); listing them pins the texts between them.
    let layouts = [
        ("sjalvskattning", {
            let mut items = vec![
                part("inledning"),
                part("medelvarden"),
                part("delmal"),
                part("relation-kommunenkat"),
                text(SJALVSKATTNING_3_2_3_INLEDNING),
            ];
            for (i, body) in SJALVSKATTNING_3_2_3_DELMAL.iter().enumerate() {
                items.push(part(&format!("relation-delmal-{}", i + 1)));
                items.push(text(body));
            }
            items.push(part("reflektera"));
            items
        }),
        ("kartlaggning", vec![part("inledning"), part("kommunikationsplaner"), text(KARTLAGGNING_3_3_6)]),
        (
            "stod",
            vec![
                part("inledning"),
                text(STOD_INLEDNING),
                part("plan-och-utfall"),
                part("tillfallen"),
                text(STOD_AKTIVITETER),
            ],
        ),
    ];
    for (section, items) in layouts {
        db.save_report_layout(2024, section, &items, None, &actor).await?;
    }
    // The action plan 2026–2030 is followed up from 2026 (it is not part of the 2024 report):
    // the 2026 draft has section 3.6 with the analyst's comment between two levels.
    let items = [part("strategisk"), part("taktisk"), text(HANDLINGSPLAN_2026), part("operativ")];
    db.save_report_layout(2026, "handlingsplan", &items, None, &actor).await?;
    // Two quotes from the mapping's free text (the first source that has answers), the second
    // shortened and attributed.
    let groups = gnv_report::assemble::quote_groups(&db.report_data(2024).await?);
    if let Some(g) = groups.iter().find(|g| g.key.starts_with("kartlaggning/") && g.candidates.len() >= 2) {
        let first = &g.candidates[0];
        let second = &g.candidates[1];
        let words: Vec<&str> = second.text.split_whitespace().collect();
        let shortened =
            if words.len() > 6 { format!("{} […]", words[..4].join(" ")) } else { second.text.clone() };
        let choices = vec![
            QuoteChoice {
                group: g.key.clone(),
                answer: first.id.clone(),
                position: 1,
                attributed: false,
                text: first.text.clone(),
            },
            QuoteChoice {
                group: g.key.clone(),
                answer: second.id.clone(),
                position: 2,
                attributed: true,
                text: shortened,
            },
        ];
        db.save_report_quotes(2024, g, &choices, &actor).await?;
    }
    Ok(())
}
