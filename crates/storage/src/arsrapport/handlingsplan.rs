//! The report input's action-plan part (section 3.6, [`gnv_report::handlingsplan`]): the plan
//! version in force in the report year with its recorded statuses, and the trends of its linked
//! indicators from a published indicator edition.

use crate::{Db, Result};
use gnv_report::handlingsplan::{version_for_year, ActionPlanInput};

impl Db {
    /// The action plan's follow-up for the report of `year`; `None` when no stored version
    /// covering the year was adopted or reviewed in or before it.
    ///
    /// The indicator edition is the one section 3.1 uses (the following year's, else the
    /// year's); when neither is published, the newest edition up to the following year, so the
    /// strategic level can still show trends — the section names the edition it used.
    pub async fn report_action_plan(
        &self,
        year: i32,
        region_code: &str,
        focus_name: &str,
    ) -> Result<Option<ActionPlanInput>> {
        let mut versions = Vec::new();
        for info in self.action_plan_versions().await? {
            if info.review_year <= year {
                if let Some(v) = self.action_plan_version(info.version).await? {
                    versions.push(v);
                }
            }
        }
        let Some(version) = version_for_year(versions, year) else { return Ok(None) };
        let mut edition = match self.nyckeltal_edition(year + 1).await? {
            Some(e) => Some(e),
            None => self.nyckeltal_edition(year).await?,
        };
        if edition.is_none() {
            let newest = self.nyckeltal_editions().await?.into_iter().find(|m| m.year <= i64::from(year + 1));
            if let Some(m) = newest {
                edition = self.nyckeltal_edition(m.year as i32).await?;
            }
        }
        let Some(e) = edition else { return Ok(Some(ActionPlanInput::new(version, year, None))) };
        let evaluation = gnv_core::nyckeltal::evaluate(
            e.catalogue(),
            e.data(),
            region_code,
            e.previous.as_ref().map(|(_, p)| &**p),
        );
        Ok(Some(ActionPlanInput::new(
            version,
            year,
            Some((e.year(), focus_name, e.catalogue(), &evaluation)),
        )))
    }
}
