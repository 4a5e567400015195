//! Demo contacts: invented people for every municipality (socialchef, ekonomichef) and LSL
//! (ordförande), plus a few regional contacts. Names are made up; addresses are under
//! `example.se`, phone numbers are in the 070-17 46 range reserved for fiction.

use anyhow::Result;
use gnv_core::kontakter::{Function, NewContact};
use gnv_storage::{Actor, Db};

/// (municipality code, mail domain part, socialchef, ekonomichef)
const MUNICIPALITIES: [(&str, &str, &str, &str); 15] = [
    ("2021", "vansbro", "Ingrid Halvarsson", "Tomas Gustafsson"),
    ("2023", "malung-salen", "Helena Nordin", "Mikael Olsson"),
    ("2026", "gagnef", "Karin Jansson", "Per Ersson"),
    ("2029", "leksand", "Eva Bergman", "Anders Hedlund"),
    ("2031", "rattvik", "Sofia Lund", "Jonas Björk"),
    ("2034", "orsa", "Malin Östlund", "Göran Mattsson"),
    ("2039", "alvdalen", "Britt Andersson", "Erik Larsson"),
    ("2061", "smedjebacken", "Annika Holm", "Fredrik Sjöberg"),
    ("2062", "mora", "Karin Ek", "Lars Mora-Nilsson"),
    ("2080", "falun", "Camilla Strand", "Johan Åkerman"),
    ("2081", "borlange", "Lena Forsberg", "Magnus Wikström"),
    ("2082", "sater", "Ulrika Pettersson", "Henrik Dahl"),
    ("2083", "hedemora", "Maria Söderberg", "Patrik Engström"),
    ("2084", "avesta", "Therese Lindgren", "Daniel Falk"),
    ("2085", "ludvika", "Åsa Hellström", "Kristoffer Berg"),
];

/// (LSL code, mail domain part, chair)
const LSL_CHAIRS: [(&str, &str, &str); 13] = [
    ("lsl-vansbro", "vansbro", "Gunilla Persson"),
    ("lsl-malung-salen", "malung-salen", "Stefan Moberg"),
    ("lsl-gagnef", "gagnef", "Ann-Sofie Blom"),
    ("lsl-leksand", "leksand", "Ola Tallberg"),
    ("lsl-rattvik", "rattvik", "Jenny Vikarby"),
    ("lsl-orsa", "orsa", "Mats Skattungbyn"),
    ("lsl-alvdalen", "alvdalen", "Kerstin Evertsberg"),
    ("lsl-vasterbergslagen", "ludvika", "Peter Grängesberg"),
    ("lsl-mora", "mora", "Maria Lindberg"),
    ("lsl-falun", "falun", "Cecilia Grycksbo"),
    ("lsl-borlange", "borlange", "Niklas Ornäs"),
    ("lsl-sater", "sater", "Linda Stjärnsund"),
    ("lsl-sodra-dalarna", "avesta", "Sven Horndal"),
];

fn address(name: &str, domain: &str) -> String {
    let local: String = name
        .to_lowercase()
        .replace(['å', 'ä'], "a")
        .replace('ö', "o")
        .replace(' ', ".")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
        .collect();
    format!("{local}@{domain}.example.se")
}

/// The demo's contacts.
pub fn contacts() -> Vec<NewContact> {
    let mut out = Vec::new();
    for (i, (code, domain, social, finance)) in MUNICIPALITIES.iter().enumerate() {
        out.push(NewContact {
            org_code: code.to_string(),
            function: Function::Socialchef,
            name: social.to_string(),
            email: address(social, domain),
            phone: format!("070-174 60 {:02}", 10 + i),
        });
        out.push(NewContact {
            org_code: code.to_string(),
            function: Function::Ekonomichef,
            name: finance.to_string(),
            email: address(finance, domain),
            phone: format!("070-174 61 {:02}", 10 + i),
        });
    }
    for (i, (code, domain, chair)) in LSL_CHAIRS.iter().enumerate() {
        out.push(NewContact {
            org_code: code.to_string(),
            function: Function::OrdforandeLsl,
            name: chair.to_string(),
            email: address(chair, domain),
            phone: format!("070-174 62 {:02}", 10 + i),
        });
    }
    for (org, function, name, domain) in [
        ("0020", Function::Omradessamordnare, "Elin Norrbärke", "regiondalarna"),
        ("0020", Function::Omradessamordnare, "Jakob Siljansnäs", "regiondalarna"),
        ("0020", Function::Omradessamordnare, "Hanna Björbo", "regiondalarna"),
        ("0020", Function::Polsam, "Rolf Insjön", "regiondalarna"),
        ("rss", Function::Kontaktperson, "Anna Analytiker", "rss-dalarna"),
        ("lchnv", Function::Kontaktperson, "Birgitta Sundborn", "regiondalarna"),
        ("vfr", Function::Kontaktperson, "Olof Enviken", "regiondalarna"),
    ] {
        out.push(NewContact {
            org_code: org.to_string(),
            function,
            name: name.to_string(),
            email: address(name, domain),
            phone: String::new(),
        });
    }
    out
}

/// Stores the demo contacts and links LSL Mora's chair to the demo account `mora`.
pub async fn seed(db: &Db) -> Result<()> {
    let actor = Actor::cli();
    db.import_contacts(&contacts(), "demo", &actor).await?;
    if let Some(user) = db.users().await?.into_iter().find(|u| u.username == "mora") {
        if let Some(c) = db
            .contacts()
            .await?
            .into_iter()
            .find(|c| c.org_code == "lsl-mora" && c.function == Function::OrdforandeLsl)
        {
            db.update_contact(c.id, &c.as_new(), Some(user.id), &actor).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_municipality_and_lsl_has_its_contacts_and_the_rows_validate() {
        let registry = gnv_core::organisation::dalarna();
        let all = contacts();
        for m in &registry.municipalities {
            for f in [Function::Socialchef, Function::Ekonomichef] {
                assert_eq!(
                    all.iter().filter(|c| c.org_code == m.code && c.function == f).count(),
                    1,
                    "{} {f:?}",
                    m.name
                );
            }
        }
        for l in &registry.lsls {
            assert_eq!(
                all.iter().filter(|c| c.org_code == l.code && c.function == Function::OrdforandeLsl).count(),
                1,
                "{}",
                l.name
            );
        }
        // The same rows pass the import's validation (the file format round trip).
        let text = std::iter::once(gnv_core::kontakter::CSV_HEADER.to_string())
            .chain(all.iter().map(|c| gnv_core::kontakter::export_row(c).join(";")))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(gnv_core::kontakter::parse_csv(&registry, "demo.csv", &text).expect("valid"), all);
    }
}
