//! The built-in default catalogue: 20 indicators for close care, four per sub-goal.
//!
//! Honesty note: the seed report shows the infographic (Bilaga 2) only as an image, so the real
//! titles and Kolada ids of Dalarna's 20 indicators are not available to us. The titles below
//! are a *proposed* set in the spirit of the report (continuity with a doctor, avoidable inpatient
//! care, readmissions 65+, confidence in primary care, patient experience, …). What is taken from
//! the report are the 2025 facts: 1.3, 2.2 and 5.4 are under development and 2.3, 2.4 and 3.4 are
//! fact indicators without direction. No Kolada KPI id is filled in, because none could be
//! verified: every entry's `sources` is empty and its description says "Kolada-id ej fastställt".
//! Replace the catalogue with the county's real one through the TOML import.

use super::katalog::{
    Catalogue, ComparisonGroup, Direction, Indicator, IndicatorCode, IndicatorStatus, Level,
};

/// Appended to every description in the default catalogue.
pub const KOLADA_ID_NOT_SET: &str = "Kolada-id ej fastställt.";

struct Spec {
    code: (u8, u8),
    title: &'static str,
    unit: &'static str,
    decimals: u8,
    direction: Direction,
    status: IndicatorStatus,
    split: bool,
    level: Level,
    about: &'static str,
}

#[allow(clippy::too_many_arguments)]
const fn active(
    code: (u8, u8),
    title: &'static str,
    unit: &'static str,
    decimals: u8,
    direction: Direction,
    split: bool,
    level: Level,
    about: &'static str,
) -> Spec {
    Spec { code, title, unit, decimals, direction, status: IndicatorStatus::Active, split, level, about }
}

const fn developing(code: (u8, u8), title: &'static str, level: Level, about: &'static str) -> Spec {
    Spec {
        code,
        title,
        unit: "ej fastställd",
        decimals: 1,
        direction: Direction::None,
        status: IndicatorStatus::UnderDevelopment,
        split: false,
        level,
        about,
    }
}

use Direction::{HigherIsBetter as Higher, LowerIsBetter as Lower, None as Fact};
use Level::{Municipality as Kommun, Region};

const SPECS: [Spec; 20] = [
    // Delmål 1 – Nära för mig
    active((1, 1), "Förtroende för vårdcentralerna, andel invånare", "procent", 1, Higher, true, Region,
        "Andel invånare som har stort eller mycket stort förtroende för vårdcentralerna (Hälso- och sjukvårdsbarometern)."),
    active((1, 2), "Patienternas upplevelse av delaktighet och involvering i primärvården", "procent, andel positiva svar", 1, Higher, true, Region,
        "Nationell patientenkät, primärvård: dimensionen delaktighet och involvering. Mäts inte varje år."),
    developing((1, 3), "Invånarnas möjlighet till medskapande i den egna vården och omsorgen", Kommun,
        "Mått ej fastställt; visas utan värde."),
    active((1, 4), "Gott bemötande i hemtjänsten, brukare 65 år och äldre", "procent", 0, Higher, true, Kommun,
        "Socialstyrelsens brukarundersökning \"Vad tycker de äldre om äldreomsorgen?\"."),
    // Delmål 2 – Nära för alla
    active((2, 1), "Kontinuitet hos läkare i primärvården, 65 år och äldre", "procent", 1, Higher, true, Region,
        "Andel besök hos samma läkare i primärvården bland patienter 65 år och äldre."),
    developing((2, 2), "Tillgänglighet i primärvården för barn och unga med psykisk ohälsa", Region,
        "Mått ej fastställt; visas utan värde."),
    active((2, 3), "Invånare 80 år och äldre, andel av befolkningen", "procent", 1, Fact, true, Kommun,
        "Faktanyckeltal som beskriver befolkningens ålderssammansättning."),
    active((2, 4), "Invånare 65 år och äldre med hemtjänst i ordinärt boende, andel", "procent", 1, Fact, true, Kommun,
        "Faktanyckeltal som beskriver omfattningen av kommunal hemtjänst."),
    // Delmål 3 – Nära i hela Dalarna
    active((3, 1), "Läkarbesök i primärvården, andel av alla läkarbesök i öppen vård", "procent", 1, Higher, true, Region,
        "Beskriver primärvården som nav i hälso- och sjukvården."),
    active((3, 2), "Undvikbar slutenvård, vårdtillfällen per 100 000 invånare", "antal per 100 000 invånare", 0, Lower, true, Region,
        "Vårdtillfällen i slutenvård för diagnoser där god primärvård och kommunal vård kan förebygga inläggning."),
    active((3, 3), "Invånare som anser sig ha tillgång till den hälso- och sjukvård de behöver, andel", "procent", 1, Higher, true, Region,
        "Hälso- och sjukvårdsbarometern."),
    active((3, 4), "Hälsocentraler och vårdcentraler per 10 000 invånare", "antal per 10 000 invånare", 2, Fact, false, Region,
        "Faktanyckeltal som beskriver primärvårdens geografiska närvaro."),
    // Delmål 4 – Nära mellan oss
    active((4, 1), "Återinskrivning inom 30 dagar, 65 år och äldre, andel", "procent", 1, Lower, true, Region,
        "Andel vårdtillfällen som följs av en oplanerad återinskrivning i slutenvården inom 30 dagar."),
    active((4, 2), "Utskrivningsklara patienter, dagar i slutenvården efter utskrivningsklar, medelvärde", "antal dagar", 1, Lower, true, Kommun,
        "Speglar samverkan vid utskrivning från sluten hälso- och sjukvård."),
    active((4, 3), "Samordnade individuella planer (SIP), antal per 10 000 invånare", "antal per 10 000 invånare", 1, Higher, false, Kommun,
        "Upprättade SIP mellan kommun och region."),
    active((4, 4), "Besök på akutmottagning, 80 år och äldre, antal per 1 000 invånare", "antal per 1 000 invånare", 0, Lower, true, Region,
        "Besök på sjukhusens akutmottagningar bland de äldsta invånarna."),
    // Delmål 5 – Nära till hälsa
    active((5, 1), "Invånare 16–84 år med bra självskattat hälsotillstånd, andel", "procent", 1, Higher, true, Region,
        "Folkhälsomyndighetens nationella folkhälsoenkät."),
    active((5, 2), "Invånare 65 år och äldre vaccinerade mot säsongsinfluensa, andel", "procent", 1, Higher, false, Region,
        "Vaccinationstäckning under säsongen."),
    active((5, 3), "Fallskador bland personer 80 år och äldre, antal per 1 000 invånare", "antal per 1 000 invånare", 1, Lower, true, Kommun,
        "Personer som vårdats för fallskada i sluten eller specialiserad öppen vård."),
    developing((5, 4), "Förebyggande hembesök hos äldre", Kommun,
        "Mått ej fastställt; visas utan värde."),
];

/// The default catalogue (see the module documentation for what is proposed and what is fact).
pub fn default_catalogue() -> Catalogue {
    let indicators = SPECS
        .iter()
        .filter_map(|s| {
            let code = IndicatorCode::new(s.code.0, s.code.1)?;
            Some(Indicator {
                code,
                subgoal: s.code.0,
                title: s.title.to_string(),
                sources: Vec::new(),
                unit: s.unit.to_string(),
                decimals: s.decimals,
                direction: s.direction,
                status: s.status,
                split_by_sex: s.split,
                level: s.level,
                comparison_group: match s.level {
                    Level::Municipality => ComparisonGroup::AllMunicipalities,
                    Level::Region => ComparisonGroup::AllRegions,
                },
                description: format!("{} {KOLADA_ID_NOT_SET}", s.about),
            })
        })
        .collect();
    // The specs are constants checked by the tests below; an invalid edit would fail them.
    Catalogue::new(indicators).unwrap_or_else(|e| panic!("inbyggd nyckeltalskatalog är ogiltig: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(cat: &Catalogue, pred: impl Fn(&Indicator) -> bool) -> Vec<String> {
        cat.indicators().iter().filter(|i| pred(i)).map(|i| i.code.to_string()).collect()
    }

    #[test]
    fn twenty_indicators_four_per_subgoal() {
        let cat = default_catalogue();
        assert_eq!(cat.len(), 20);
        assert!(cat.shape_warnings().is_empty(), "{:?}", cat.shape_warnings());
        assert_eq!(cat.indicators()[0].code.to_string(), "1.1");
        assert_eq!(cat.indicators()[19].code.to_string(), "5.4");
    }

    #[test]
    fn matches_the_2025_facts_of_the_report() {
        let cat = default_catalogue();
        assert_eq!(codes(&cat, |i| i.status == IndicatorStatus::UnderDevelopment), ["1.3", "2.2", "5.4"]);
        assert_eq!(codes(&cat, Indicator::is_fact), ["2.3", "2.4", "3.4"]);
        // Every other indicator has a direction.
        assert_eq!(
            codes(&cat, |i| i.status == IndicatorStatus::Active && i.direction == Direction::None).len(),
            3
        );
    }

    #[test]
    fn no_kolada_id_is_invented() {
        for ind in default_catalogue().indicators() {
            assert!(ind.sources.is_empty(), "{} has sources", ind.code);
            assert!(ind.description.ends_with(KOLADA_ID_NOT_SET), "{}", ind.code);
        }
    }
}
