//! The report's cited sources (the seed report's footnotes, with their addresses).
//!
//! A citation is a footnote (title and address) right after the words it supports; the list
//! "Källor och referenser" at the end of the report gives every cited source once, in order of
//! first citation.

use gnv_render::dokument::note;

/// A source that the report can cite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub key: &'static str,
    /// The reference as printed.
    pub title: &'static str,
    /// Web address, empty when the source has none.
    pub url: &'static str,
}

/// All sources, with the addresses given in the 2024 report.
pub const SOURCES: &[Source] = &[
    Source {
        key: "overenskommelse",
        title: "Överenskommelse – God och nära vård 2024 – En personcentrerad och patientsäker hälso- och sjukvård med primärvården som nav. SKR 2023/02163.",
        url: "https://skr.se/download/18.436e32a318c8af0ae991678/1703153001357/16-2023-Overenskommelse-God-och-nara-vard.pdf",
    },
    Source {
        key: "strategi",
        title: "Länsgemensam strategi med målbild och färdplan för God och nära vård i Dalarna 2022–2030. Gällande Region Dalarna och länets 15 kommuner.",
        url: "https://www.regiondalarna.se/globalassets/plus/lansgemensam-strategi-god-och-nara-vard-i-dalarna.pdf",
    },
    Source {
        key: "infografik",
        title: "Infografik God och nära vård på PLUS-webben, Region Dalarna.",
        url: "https://www.regiondalarna.se/plus/vard/utveckling-och-utbildning/god-och-nara-vard/infografik/",
    },
    Source {
        key: "kolada",
        title: "Kolada – Rådet för främjande av kommunala analyser (RKA). Källa för nyckeltalens värden.",
        url: "https://www.kolada.se/",
    },
    Source {
        key: "sjalvskattning",
        title: "Självskattning God och nära vård i Dalarna, Region Dalarna.",
        url: "https://www.regiondalarna.se/plus/vard/utveckling-och-utbildning/god-och-nara-vard/sjalvskattning-god-nara-vard/",
    },
    Source {
        key: "socialstyrelsen",
        title: "Socialstyrelsen – 2023 års rapport om uppföljningen av omställningen till en god och nära vård.",
        url: "https://www.socialstyrelsen.se/globalassets/sharepoint-dokument/artikelkatalog/ovrigt/2024-8-9188.pdf",
    },
    Source {
        key: "polsam",
        title: "POLSAM är ett politiskt organ för samverkan mellan kommun och region inom hälso- och sjukvården och andra näraliggande områden.",
        url: "",
    },
    Source {
        key: "metodstod",
        title: "Metodstöd för lokala systemledningar, Region Dalarna och RSS Dalarna.",
        url: "https://www.regiondalarna.se/plus/vard/utveckling-och-utbildning/god-och-nara-vard/stod-i-arbetet/",
    },
    Source {
        key: "nara-vard-tar-form",
        title: "Nära vård tar form. Årsberättelse 2023/2024. SKR.",
        url: "https://skr.se/download/18.34906c2919367d054a1179b4/1732806155959/Na%CC%88ra%20va%CC%8Ard_2024_Final_28-11.pdf",
    },
    Source {
        key: "potentialerna",
        title: "Potentialerna i Nära vård. En kunskapsöversikt och analys över effekter och resultat av arbetssätt inom Nära vård. SKR, 2025.",
        url: "https://skr.se/download/18.7c2e06231965f6792862ea8/1745394755709/Potentialerna-i-N%C3%A4ra-v%C3%A5rd.pdf",
    },
    Source {
        key: "omtag",
        title: "Omtag för omställning. Utvärdering av omställningen till en god och nära vård: slutrapport. Myndigheten för vård- och omsorgsanalys, 2025.",
        url: "https://www.vardanalys.se/rapporter/omtag-for-omstallning/",
    },
];

/// Citations in order of first use.
#[derive(Debug, Default, Clone)]
pub struct Citations {
    used: Vec<&'static Source>,
}

impl Citations {
    /// A footnote citing `key` (title and address), to be placed right after the words it
    /// supports; the source is also added to the list at the end. Unknown keys give "".
    pub fn cite(&mut self, key: &str) -> String {
        let Some(src) = SOURCES.iter().find(|s| s.key == key) else {
            return String::new();
        };
        if !self.used.iter().any(|s| s.key == key) {
            self.used.push(src);
        }
        if src.url.is_empty() {
            note(src.title)
        } else {
            note(&format!("{} {}", src.title, src.url))
        }
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
