//! The report's cited sources (the seed report's footnotes, with their addresses).
//!
//! A citation is a footnote (title and address) right after the words it supports; the list
//! "Källor och referenser" at the end of the report gives every cited source once, in order of
//! first citation.
//!
//! National sources (the agreement, Kolada, Socialstyrelsen, SKR and Vårdanalys) are listed here;
//! the county's own sources (its strategy, self-assessment tool, method support, the political
//! collaboration body, where the infographic is published) come from the county profile
//! ([`crate::input::ReportCounty`]). A key the profile lacks is simply not cited.

use crate::input::ReportCounty;
use gnv_render::dokument::note;

/// A source that the report can cite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub key: String,
    /// The reference as printed.
    pub title: String,
    /// Web address, empty when the source has none.
    pub url: String,
}

/// A national source (the same for every county).
struct National {
    key: &'static str,
    title: &'static str,
    url: &'static str,
}

/// The national sources, with the addresses given in the 2024 report.
const NATIONAL: &[National] = &[
    National {
        key: "overenskommelse",
        title: "Överenskommelse – God och nära vård 2024 – En personcentrerad och patientsäker hälso- och sjukvård med primärvården som nav. SKR 2023/02163.",
        url: "https://skr.se/download/18.436e32a318c8af0ae991678/1703153001357/16-2023-Overenskommelse-God-och-nara-vard.pdf",
    },
    National {
        key: "kolada",
        title: "Kolada – Rådet för främjande av kommunala analyser (RKA). Källa för nyckeltalens värden.",
        url: "https://www.kolada.se/",
    },
    National {
        key: "socialstyrelsen",
        title: "Socialstyrelsen – 2023 års rapport om uppföljningen av omställningen till en god och nära vård.",
        url: "https://www.socialstyrelsen.se/globalassets/sharepoint-dokument/artikelkatalog/ovrigt/2024-8-9188.pdf",
    },
    National {
        key: "nara-vard-tar-form",
        title: "Nära vård tar form. Årsberättelse 2023/2024. SKR.",
        url: "https://skr.se/download/18.34906c2919367d054a1179b4/1732806155959/Na%CC%88ra%20va%CC%8Ard_2024_Final_28-11.pdf",
    },
    National {
        key: "potentialerna",
        title: "Potentialerna i Nära vård. En kunskapsöversikt och analys över effekter och resultat av arbetssätt inom Nära vård. SKR, 2025.",
        url: "https://skr.se/download/18.7c2e06231965f6792862ea8/1745394755709/Potentialerna-i-N%C3%A4ra-v%C3%A5rd.pdf",
    },
    National {
        key: "omtag",
        title: "Omtag för omställning. Utvärdering av omställningen till en god och nära vård: slutrapport. Myndigheten för vård- och omsorgsanalys, 2025.",
        url: "https://www.vardanalys.se/rapporter/omtag-for-omstallning/",
    },
];

/// Citations in order of first use.
#[derive(Debug, Default, Clone)]
pub struct Citations {
    /// Every source that can be cited: the national ones and the county's.
    available: Vec<Source>,
    used: Vec<Source>,
}

impl Citations {
    /// The citable sources of a report for `county`.
    pub fn new(county: &ReportCounty) -> Self {
        let mut available: Vec<Source> = NATIONAL
            .iter()
            .map(|n| Source { key: n.key.to_string(), title: n.title.to_string(), url: n.url.to_string() })
            .collect();
        available.extend(county.sources.iter().map(|s| Source {
            key: s.key.clone(),
            title: s.title.clone(),
            url: s.url.clone(),
        }));
        if let Some(i) = &county.infographic {
            available.push(Source {
                key: "infografik".to_string(),
                title: i.title.clone(),
                url: i.url.clone(),
            });
        }
        Citations { available, used: Vec::new() }
    }

    /// A footnote citing `key` (title and address), to be placed right after the words it
    /// supports; the source is also added to the list at the end. Unknown keys give "".
    pub fn cite(&mut self, key: &str) -> String {
        let Some(src) = self.available.iter().find(|s| s.key == key).cloned() else {
            return String::new();
        };
        let text =
            if src.url.is_empty() { note(&src.title) } else { note(&format!("{} {}", src.title, src.url)) };
        if !self.used.iter().any(|s| s.key == key) {
            self.used.push(src);
        }
        text
    }

    /// The numbered list: `"[1] Title. https://…"`.
    pub fn list(&self) -> Vec<String> {
        self.used
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if s.url.is_empty() {
                    format!("[{}] {}", i + 1, s.title)
                } else {
                    format!("[{}] {} {}", i + 1, s.title, s.url)
                }
            })
            .collect()
    }
}
