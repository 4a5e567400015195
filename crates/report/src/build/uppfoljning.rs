//! Section "3.6 Uppföljning av den regionala handlingsplanen" (see [`crate::handlingsplan`] for
//! the computations and the frozen input). Written only when the input has an action plan in
//! force for the report year; generated parts `inledning`, `strategisk`, `taktisk`, `operativ`,
//! around which the analyst's text blocks can be placed like in any other section.

use super::{s, B};
use crate::handlingsplan::{self as hp, SECTION_KEY};
use gnv_core::format;
use gnv_core::planering::FollowUpLevel;

/// The section's heading number.
const NUMBER: &str = "3.6";

fn level_heading(number: usize, level: FollowUpLevel) -> String {
    format!("{NUMBER}.{number} {} nivå – ”{}”", level.label(), level.question())
}

/// Writes the section when the input has a plan version in force for the year.
pub(super) fn section(b: &mut B) {
    let Some(ap) = b.input.action_plan.clone() else { return };
    let year = b.input.year;
    let v = &ap.version;
    b.h(2, format!("{NUMBER} Uppföljning av den regionala handlingsplanen"));
    b.open(SECTION_KEY, 2);
    let which = if v.version == 1 {
        format!("version 1, antagen {},", v.review_year)
    } else {
        format!("version {} från den årliga översynen {}", v.version, v.review_year)
    };
    let sender = hp::responsible_name(&v.plan.sender, &b.input.registry);
    b.p(format!(
        "{} har {sender} som avsändare och löper {}. Uppföljningen för {year} avser planens {which} och åtgärdernas status den {}. Planen följs upp på tre nivåer:",
        v.plan.title,
        v.plan.period.label(),
        format::date_long(ap.as_of)
    ));
    b.bullets(
        FollowUpLevel::ALL
            .iter()
            .map(|l| format!("{} – {}: ”{}”", l.level_name(), l.measures().to_lowercase(), l.question()))
            .collect(),
    );

    b.part("strategisk");
    b.h(3, level_heading(1, FollowUpLevel::Strategisk));
    for sentence in hp::strategic_sentences(&ap) {
        b.p(sentence);
    }
    let rows = hp::strategic_rows(&ap);
    if !rows.is_empty() {
        let edition = match &ap.trends {
            Some(t) => format!(", trend enligt infografiken {} för {}", t.edition_year, t.focus_name),
            None => String::new(),
        };
        let t = b.table(
            format!("Handlingsplanens mål och kopplade nyckeltal{edition}"),
            vec![s("Mål"), s("Nyckeltal"), s("Trend"), s("Senaste värde")],
            rows,
            vec![4, 4, 4, 2],
        );
        b.p(format!("Tabell {t} visar målen med de nyckeltal som följer deras effekt."));
    }

    b.part("taktisk");
    b.h(3, level_heading(2, FollowUpLevel::Taktisk));
    for sentence in hp::tactical_sentences(&ap) {
        b.p(sentence);
    }
    if hp::tactical_followed_up(&ap) {
        let rows = hp::tactical_rows(&ap, &b.input.registry);
        let t = b.table(
            format!("Åtgärder på taktisk nivå och deras status den {}", format::date_long(ap.as_of)),
            vec![s("Nr"), s("Åtgärd"), s("Ansvarig"), s("Tidsram"), s("Status"), s("Senaste uppdatering")],
            rows,
            vec![1, 5, 3, 2, 2, 4],
        );
        b.p(format!("Tabell {t} visar varje åtgärd på taktisk nivå med dess senast registrerade status."));
    }

    b.part("operativ");
    b.h(3, level_heading(3, FollowUpLevel::Operativ));
    match b.input.support.clone() {
        None => b.p(format!(
            "Uppgifter saknas för årsplaneringen {year}: ingen årsplan med det regionala stödets aktiviteter finns registrerad, så aktiviteterna kan inte jämföras med planen."
        )),
        Some(annual) => {
            for sentence in hp::operative_sentences(&ap, &annual) {
                b.p(sentence);
            }
            let rows = hp::operative_rows(&ap, &annual);
            if !rows.is_empty() {
                let t = b.table(
                    format!("Aktiviteter kopplade till åtgärder på operativ nivå: genomförda mot planerade {}", annual.year),
                    vec![s("Åtgärd"), s("Aktivitet"), s("Genomförda av mål"), s("Övriga tillfällen"), s("Bedömning")],
                    rows,
                    vec![1, 3, 3, 3, 3],
                );
                b.p(format!(
                    "Tabell {t} visar, per åtgärd, hur många tillfällen av den kopplade aktiviteten som genomförts i förhållande till årets mål. Endast genomförda tillfällen räknas."
                ));
            }
        }
    }
    b.close();
}
