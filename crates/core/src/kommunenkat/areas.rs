//! The survey's multiple-choice areas and ways of working (report figure 3) and its free-text
//! headings (report sections 3.4.2–3.4.9), with the seed report's Swedish wording.

use serde::{Deserialize, Serialize};

/// Label of the "other" choice, whose text the municipality writes itself.
pub const OTHER_LABEL: &str = "Annat, nämligen …";

/// Form value and code of the "other" choice.
pub const OTHER_CODE: &str = "annat";

/// An area or way of working that a municipality can tick as initiated or strengthened towards
/// close care (multiple choice). "Annat, nämligen …" is not a variant: it is the answer's
/// free-text `other` field, so that a ticked "other" always has a text.
///
/// Labels follow the seed report's wording (section 3.4.1: "distansmonitorering, gemensamma
/// anställningar i kommun och region (delad anställning), mobila team, producent till NPÖ,
/// sammanhållen journal kommun/region samt äldrecentraler i samverkan med regionen", plus
/// läkemedelsautomater, korttidsboende and practice-based research mentioned there).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    MobilaTeam,
    GemensammaAnstallningar,
    Distansmonitorering,
    ProducentNpo,
    SammanhallenJournal,
    Aldrecentraler,
    Lakemedelsautomater,
    FastVardkontakt,
    FastOmsorgskontakt,
    Sip,
    Korttidsboende,
    PraktiknaraForskning,
}

impl Area {
    /// All areas in the form's order.
    pub const ALL: [Area; 12] = [
        Area::MobilaTeam,
        Area::GemensammaAnstallningar,
        Area::Distansmonitorering,
        Area::ProducentNpo,
        Area::SammanhallenJournal,
        Area::Aldrecentraler,
        Area::Lakemedelsautomater,
        Area::FastVardkontakt,
        Area::FastOmsorgskontakt,
        Area::Sip,
        Area::Korttidsboende,
        Area::PraktiknaraForskning,
    ];

    /// Stable code used in forms and storage (`"producent-npo"`).
    pub fn code(self) -> &'static str {
        match self {
            Area::MobilaTeam => "mobila-team",
            Area::GemensammaAnstallningar => "gemensamma-anstallningar",
            Area::Distansmonitorering => "distansmonitorering",
            Area::ProducentNpo => "producent-npo",
            Area::SammanhallenJournal => "sammanhallen-journal",
            Area::Aldrecentraler => "aldrecentraler",
            Area::Lakemedelsautomater => "lakemedelsautomater",
            Area::FastVardkontakt => "fast-vardkontakt",
            Area::FastOmsorgskontakt => "fast-omsorgskontakt",
            Area::Sip => "sip",
            Area::Korttidsboende => "korttidsboende",
            Area::PraktiknaraForskning => "praktiknara-forskning",
        }
    }

    /// Swedish label for forms, charts and tables.
    pub fn label(self) -> &'static str {
        match self {
            Area::MobilaTeam => "Mobila team",
            Area::GemensammaAnstallningar => {
                "Gemensamma anställningar i kommun och region (delad anställning)"
            }
            Area::Distansmonitorering => "Distansmonitorering (digital fjärrmonitorering)",
            Area::ProducentNpo => "Producent till NPÖ",
            Area::SammanhallenJournal => "Sammanhållen journal kommun/region",
            Area::Aldrecentraler => "Äldrecentraler i samverkan med regionen",
            Area::Lakemedelsautomater => "Läkemedelsautomater",
            Area::FastVardkontakt => "Fast vårdkontakt",
            Area::FastOmsorgskontakt => "Fast omsorgskontakt",
            Area::Sip => "Samordnad individuell plan (SIP)",
            Area::Korttidsboende => "Samverkan mellan hälso- och sjukvård och korttidsboende",
            Area::PraktiknaraForskning => "Praktiknära forskning och samarbete med universitet och högskolor",
        }
    }

    /// The label as written inside a Swedish sentence (lower-case start, abbreviations kept):
    /// "producent till NPÖ".
    pub fn phrase(self) -> &'static str {
        match self {
            Area::MobilaTeam => "mobila team",
            Area::GemensammaAnstallningar => {
                "gemensamma anställningar i kommun och region (delad anställning)"
            }
            Area::Distansmonitorering => "distansmonitorering",
            Area::ProducentNpo => "producent till NPÖ",
            Area::SammanhallenJournal => "sammanhållen journal kommun/region",
            Area::Aldrecentraler => "äldrecentraler i samverkan med regionen",
            Area::Lakemedelsautomater => "läkemedelsautomater",
            Area::FastVardkontakt => "fast vårdkontakt",
            Area::FastOmsorgskontakt => "fast omsorgskontakt",
            Area::Sip => "samordnad individuell plan (SIP)",
            Area::Korttidsboende => "samverkan mellan hälso- och sjukvård och korttidsboende",
            Area::PraktiknaraForskning => "praktiknära forskning och samarbete med universitet och högskolor",
        }
    }

    /// The area with this code (as in [`Area::code`]), case-insensitive.
    pub fn from_code(code: &str) -> Option<Area> {
        let code = code.trim().to_lowercase();
        Area::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// A free-text heading of the survey, compiled per heading with the municipality attached.
/// Titles are the seed report's section headings 3.4.2–3.4.9.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Heading {
    /// 3.4.2 Most important efforts with primary care as the hub.
    ViktigasteInsatser,
    /// 3.4.3 Results in follow-ups on avoiding inpatient care.
    ResultatSlutenvard,
    /// 3.4.4 Collaboration between region and municipalities.
    SamverkanRegionKommun,
    /// 3.4.5 Mobile teams for assessment and care at home.
    MobilaTeam,
    /// 3.4.6 Participation and continuity (tools and methods for communication).
    DelaktighetKontinuitet,
    /// 3.4.7 Fixed care contact and fixed social-care contact.
    FastVardkontakt,
    /// 3.4.8 Health promotion and prevention.
    HalsoframjandeForebyggande,
    /// 3.4.9 Good conditions for staff.
    Medarbetare,
}

impl Heading {
    /// All headings in the report's order.
    pub const ALL: [Heading; 8] = [
        Heading::ViktigasteInsatser,
        Heading::ResultatSlutenvard,
        Heading::SamverkanRegionKommun,
        Heading::MobilaTeam,
        Heading::DelaktighetKontinuitet,
        Heading::FastVardkontakt,
        Heading::HalsoframjandeForebyggande,
        Heading::Medarbetare,
    ];

    /// Stable code used in forms and storage.
    pub fn code(self) -> &'static str {
        match self {
            Heading::ViktigasteInsatser => "viktigaste-insatser",
            Heading::ResultatSlutenvard => "resultat-slutenvard",
            Heading::SamverkanRegionKommun => "samverkan-region-kommun",
            Heading::MobilaTeam => "mobila-team",
            Heading::DelaktighetKontinuitet => "delaktighet-kontinuitet",
            Heading::FastVardkontakt => "fast-vardkontakt",
            Heading::HalsoframjandeForebyggande => "halsoframjande-forebyggande",
            Heading::Medarbetare => "medarbetare",
        }
    }

    /// The heading as in the seed report (used as question and as section title).
    ///
    /// Design decision: the seed's section 3.4.7 is titled "Fast vårdplan" but is about fixed
    /// care contact and fixed social-care contact (DOMAIN.md §8: "fixed care contact"), so its
    /// title here is "Fast vårdkontakt och fast omsorgskontakt".
    pub fn title(self) -> &'static str {
        match self {
            Heading::ViktigasteInsatser => {
                "Exempel på de viktigaste insatserna som kommunerna angivit i sitt arbete med utvecklingen av den nära vården med primärvården som nav"
            }
            Heading::ResultatSlutenvard => {
                "Resultat påvisade i uppföljningar och analyser avseende insatsers effekter för att undvika inskrivningar i slutenvården"
            }
            Heading::SamverkanRegionKommun => {
                "Exempel på de viktigaste insatserna och resultaten/effekterna av dessa för att förbättra samverkan mellan region och kommuner"
            }
            Heading::MobilaTeam => {
                "Exempel på några av de viktigaste insatserna i arbetet med mobila team för bedömning och vård i hemmet"
            }
            Heading::DelaktighetKontinuitet => {
                "Delaktighet och kontinuitet – verktyg och metoder för att underlätta kommunikationen för personer med särskilda behov"
            }
            Heading::FastVardkontakt => "Fast vårdkontakt och fast omsorgskontakt",
            Heading::HalsoframjandeForebyggande => "Exempel på kommunernas hälsofrämjande och förebyggande arbete",
            Heading::Medarbetare => "Goda förutsättningar för vårdens medarbetare",
        }
    }

    /// Short Swedish label for table columns and spreadsheet sheet names: at most 31 characters
    /// and none of `[]:*?/\` (Excel's limits).
    pub fn short_label(self) -> &'static str {
        match self {
            Heading::ViktigasteInsatser => "Viktigaste insatser",
            Heading::ResultatSlutenvard => "Resultat slutenvård",
            Heading::SamverkanRegionKommun => "Samverkan region–kommun",
            Heading::MobilaTeam => "Mobila team",
            Heading::DelaktighetKontinuitet => "Delaktighet och kontinuitet",
            Heading::FastVardkontakt => "Fast vårdkontakt",
            Heading::HalsoframjandeForebyggande => "Hälsofrämjande och förebyggande",
            Heading::Medarbetare => "Förutsättningar medarbetare",
        }
    }

    /// Name of this heading's form field: `"fritext_viktigaste-insatser"`.
    pub fn field_name(self) -> String {
        format!("fritext_{}", self.code())
    }

    /// The heading with this code, case-insensitive.
    pub fn from_code(code: &str) -> Option<Heading> {
        let code = code.trim().to_lowercase();
        Heading::ALL.into_iter().find(|h| h.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        for a in Area::ALL {
            assert_eq!(Area::from_code(a.code()), Some(a));
            assert_ne!(a.code(), OTHER_CODE);
        }
        for h in Heading::ALL {
            assert_eq!(Heading::from_code(h.code()), Some(h));
        }
        let mut codes: Vec<&str> = Area::ALL.iter().map(|a| a.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Area::ALL.len());
    }

    #[test]
    fn sheet_names_fit_excel_limits() {
        for h in Heading::ALL {
            let name = h.short_label();
            assert!(name.chars().count() <= 31, "{name}");
            assert!(!name.contains(['[', ']', ':', '*', '?', '/', '\\']), "{name}");
        }
    }

    #[test]
    fn serde_uses_the_codes() {
        assert_eq!(serde_json::to_string(&Area::ProducentNpo).unwrap(), "\"producent-npo\"");
        for a in Area::ALL {
            assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{}\"", a.code()));
        }
        for h in Heading::ALL {
            assert_eq!(serde_json::to_string(&h).unwrap(), format!("\"{}\"", h.code()));
        }
    }
}
