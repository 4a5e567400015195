//! Indicators (nyckeltal): catalogue, evaluation, edition summaries. (Being built.)
