//! Which parts of the survey belong to which sub-goal: the mapping the annual report's analysis
//! 3.2.3 ("Självskattningen i relation till rapporteringen från kommunenkäterna") uses to set
//! the self-assessment of a sub-goal beside what the municipalities reported in the survey.
//!
//! A sub-goal is linked to multiple-choice [`Area`]s (counted per municipality) and free-text
//! [`Heading`]s (how many municipalities wrote under them). The county profile may set the
//! mapping (`[[kommunenkat_koppling]]`, `docs/lansprofil.md`); without it [`default_links`]
//! applies to the built-in sub-goals.

use super::{Area, Heading};
use serde::{Deserialize, Serialize};

/// The survey areas and headings linked to one sub-goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SurveyLink {
    /// The sub-goal's number (1…n).
    pub subgoal: u8,
    /// Multiple-choice areas, in the order given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<Area>,
    /// Free-text headings, in the order given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headings: Vec<Heading>,
}

/// The default mapping for the built-in five sub-goals (design decision, documented in
/// `docs/lansprofil.md`), read from each sub-goal's statement (DOMAIN.md §3) and the seed
/// report's 3.2.3.1–3.2.3.5:
///
/// 1. Nära för mig (respect, co-creation, participation): fast vårdkontakt, fast
///    omsorgskontakt, SIP; heading "Delaktighet och kontinuitet".
/// 2. Nära för alla (accessible, equal care for every age): äldrecentraler, korttidsboende;
///    heading "Fast vårdkontakt och fast omsorgskontakt".
/// 3. Nära i hela länet (equal access everywhere with new solutions): mobila team,
///    distansmonitorering, läkemedelsautomater; heading "Mobila team".
/// 4. Nära mellan oss (collaboration municipality–region): gemensamma anställningar,
///    producent till NPÖ, sammanhållen journal, praktiknära forskning; heading "Samverkan
///    region–kommun".
/// 5. Nära till hälsa (health promotion and prevention): heading "Hälsofrämjande och
///    förebyggande" (no multiple-choice area is about prevention).
pub fn default_links() -> Vec<SurveyLink> {
    vec![
        SurveyLink {
            subgoal: 1,
            areas: vec![Area::FastVardkontakt, Area::FastOmsorgskontakt, Area::Sip],
            headings: vec![Heading::DelaktighetKontinuitet],
        },
        SurveyLink {
            subgoal: 2,
            areas: vec![Area::Aldrecentraler, Area::Korttidsboende],
            headings: vec![Heading::FastVardkontakt],
        },
        SurveyLink {
            subgoal: 3,
            areas: vec![Area::MobilaTeam, Area::Distansmonitorering, Area::Lakemedelsautomater],
            headings: vec![Heading::MobilaTeam],
        },
        SurveyLink {
            subgoal: 4,
            areas: vec![
                Area::GemensammaAnstallningar,
                Area::ProducentNpo,
                Area::SammanhallenJournal,
                Area::PraktiknaraForskning,
            ],
            headings: vec![Heading::SamverkanRegionKommun],
        },
        SurveyLink { subgoal: 5, areas: vec![], headings: vec![Heading::HalsoframjandeForebyggande] },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_links_every_builtin_subgoal_once_and_every_area_at_most_once() {
        let links = default_links();
        assert_eq!(links.iter().map(|l| l.subgoal).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
        assert!(links.iter().all(|l| !l.areas.is_empty() || !l.headings.is_empty()));
        let mut areas: Vec<Area> = links.iter().flat_map(|l| l.areas.clone()).collect();
        let n = areas.len();
        areas.sort();
        areas.dedup();
        assert_eq!(areas.len(), n, "an area is linked to two sub-goals");
        assert_eq!(n, Area::ALL.len(), "every area is linked");
    }
}
