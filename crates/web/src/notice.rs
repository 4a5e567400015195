//! The notices shown after a successful form (PRG pattern): the handler redirects with
//! `?ok=key`, and the page shows the notice's text. One table: every notice with its key and its
//! Swedish text.
//!
//! Most keys mean the same on every page ([`Notice::SHARED`]). A page whose own words differ
//! lists its own notices, which win over a shared one with the same key
//! ([`crate::shared::OkQuery::flash_with`]): "borttagen" is a removed activity type on the plan
//! pages, a removed contact on `/kontakter` and a removed identity binding on
//! `/admin/identiteter`.

macro_rules! notices {
    (
        shared { $($s:ident = $skey:literal => $slabel:literal,)* }
        page { $($p:ident = $pkey:literal => $plabel:literal,)* }
    ) => {
        /// A notice after a redirect; see the module documentation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Notice {
            $($s,)*
            $($p,)*
        }

        impl Notice {
            /// The notices every page shows for their key.
            pub const SHARED: &'static [Notice] = &[$(Notice::$s,)*];
            /// The notices only the page that names them shows.
            pub const PAGE: &'static [Notice] = &[$(Notice::$p,)*];

            /// The `?ok=` key.
            pub fn key(self) -> &'static str {
                match self {
                    $(Notice::$s => $skey,)*
                    $(Notice::$p => $pkey,)*
                }
            }

            /// The text shown.
            pub fn label(self) -> &'static str {
                match self {
                    $(Notice::$s => $slabel,)*
                    $(Notice::$p => $plabel,)*
                }
            }
        }
    };
}

notices! {
    shared {
        Saved = "sparat" => "Ändringarna är sparade.",
        UserCreated = "skapad" => "Användaren är skapad.",
        UserDeactivated = "inaktiverad" => "Användaren är inaktiverad.",
        UserActivated = "aktiverad" => "Användaren är aktiverad.",
        Imported = "importerat" => "Importen är klar.",
        EditionPublished = "publicerad" => "Utgåvan är publicerad.",
        Submitted = "skickat" => "Svaret är inskickat. Tack!",
        DraftSaved = "utkast" => "Utkastet är sparat. Du kan fortsätta senare.",
        ReportPublished = "rapport_publicerad" => "Årsrapporten är publicerad. Underlaget och filerna är frysta.",
        ProfileSaved = "lansprofil" => "Länsprofilen är sparad.",
        DeadlineSaved = "frist" => "Sista dagen är sparad.",
        AnswerReopened = "ateroppnat" => "Svaret är återöppnat och räknas inte förrän det skickas in igen.",
        // Reporting rounds
        RoundOpened = "omgang" => "Rapporteringsomgången är öppnad.",
        ScheduleSaved = "paminnelseschema" => "Påminnelseschemat är sparat. Servern skickar påminnelserna själv.",
        RoundClosed = "stangd" => "Rapporteringsomgången är stängd. Ögonblicksbilden av svaren är sparad.",
        DeadlineChanged = "forlangd" => "Sista svarsdag är ändrad.",
        InvitationSent = "inbjudan" => "Inbjudan är skickad.",
        InvitationRevoked = "aterkallad" => "Inbjudningslänken är återkallad och fungerar inte längre.",
        RemindersSent = "paminnelse" => "Påminnelser är skickade till alla som inte har skickat in.",
        NoReminder = "ingen-paminnelse" => "Ingen påminnelse skickades: alla har skickat in eller saknar giltig inbjudan.",
        PartReopened = "ateroppnad" => "Svaret är återöppnat. Skälet är sparat i granskningsloggen.",
        // Planning
        OccurrenceSaved = "tillfalle" => "Tillfället är sparat.",
        StatusSaved = "status" => "Statusuppdateringen är sparad.",
        PlanCreated = "arsplan" => "Årsplanen är skapad.",
        ActivityTypeAdded = "aktivitetstyp" => "Aktivitetstypen är tillagd.",
        ActivityTypeRemoved = "borttagen" => "Aktivitetstypen är borttagen.",
        MeetingSaved = "mote" => "Mötet är sparat.",
        CalendarCopied = "kalender_kopierad" => "Kalendern är kopierad. Varje möte har samma veckodag i samma vecka och är markerat att bekräfta.",
        DateConfirmed = "datum_bekraftat" => "Datumet är bekräftat.",
        ActionPlanSaved = "handlingsplan" => "Version 1 av handlingsplanen är sparad.",
    }
    page {
        // /kontakter
        ContactAdded = "tillagd" => "Kontakten är tillagd.",
        ContactRemoved = "borttagen" => "Kontakten är borttagen. Granskningsloggen behåller bara organisation och funktion.",
        // /admin/identiteter
        IdentityBound = "kopplad" => "Identiteten är kopplad.",
        BindingRemoved = "borttagen" => "Kopplingen är borttagen.",
        // /leveranser/{år}
        DeliveryRecorded = "leverans" => "Leveransen är registrerad.",
        // /rapportering/{år}/utskick (shown as the page's result, not as a flash)
        LetterSaved = "brev" => "Brevet och mottagarna är sparade.",
    }
}

impl Notice {
    /// The notice for `key` on a page whose own notices are `own` (they win over shared ones).
    pub fn find(key: &str, own: &[Notice]) -> Option<Notice> {
        own.iter().chain(Notice::SHARED).copied().find(|n| n.key() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::Notice;
    use std::collections::HashSet;

    #[test]
    fn each_shared_key_has_one_notice_and_every_notice_a_text() {
        let mut keys = HashSet::new();
        for n in Notice::SHARED {
            assert!(keys.insert(n.key()), "{} twice", n.key());
        }
        for n in Notice::SHARED.iter().chain(Notice::PAGE) {
            assert!(n.label().ends_with('.') || n.label().ends_with('!'), "{n:?}");
        }
    }

    #[test]
    fn a_pages_own_notice_wins_over_the_shared_one() {
        assert_eq!(Notice::find("borttagen", &[]), Some(Notice::ActivityTypeRemoved));
        assert_eq!(
            Notice::find("borttagen", &[Notice::ContactAdded, Notice::ContactRemoved]),
            Some(Notice::ContactRemoved)
        );
        assert_eq!(Notice::find("sparat", &[Notice::ContactRemoved]), Some(Notice::Saved));
        assert_eq!(Notice::find("tillagd", &[]), None);
        assert_eq!(Notice::find("okänd", &[]), None);
    }
}
