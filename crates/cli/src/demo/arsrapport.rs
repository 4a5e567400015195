//! Demo data of the annual report: the analyst's closing words and method remarks for 2024,
//! taken from the 2024 annual report (the seed).

use anyhow::Result;
use gnv_storage::{Actor, Db};

const AVSLUTNINGSORD_2024: &str = "Att både ha helikopterperspektivet, på strategisk och övergripande styrning och ledning av omställningsarbetet, och samtidigt på själva görandet, det operativa, är en utmanande balansgång.

Glädjande nog finns nu **lokala systemledningar på plats i hela länet**, vilket ska ses som en viktig framgång! Med tiden har samtidigt behovet av de sista pusselbitarna i Dalarnas omställningsarbete blivit allt tydligare:

- Regional systemledning
- Regional handlingsplan

Jämlika villkor och insatser i hela länet förutsätter en länsövergripande, regional styrning. Det är inget som enskilda kommuner eller lokala systemledningar kan åstadkomma.

”Gemensamt tillsammans fortsätter vår resa mot God och nära vård i hela Dalarna.” (Länsgemensam strategi med målbild och färdplan för God och nära vård i Dalarna 2022–2030)";

const METODASPEKTER_2024: &str = "Samtliga 13 lokala systemledningar är nu formerade och i år har självskattningsformuläret riktats direkt till de lokala systemledningarna. Återkopplingen från några håll vittnade om svårigheter att besvara självskattningen utifrån vilket perspektiv frågorna skulle besvaras (kommun-, region- eller båda).

Av återkopplingen framgår också viss begreppsförvirring, exempelvis gällande skillnaden mellan en _lokal plan_ för de lokala systemledningarna och en lokal överenskommelse (LÖK) kopplad till respektive regional samverkansöverenskommelse (RÖK).";

/// Seeds the narratives of the 2024 report.
pub async fn seed(db: &Db) -> Result<()> {
    let actor = Actor::cli();
    db.save_report_narrative(2024, "avslutningsord", AVSLUTNINGSORD_2024, &actor).await?;
    db.save_report_narrative(2024, "metodaspekter", METODASPEKTER_2024, &actor).await?;
    Ok(())
}
