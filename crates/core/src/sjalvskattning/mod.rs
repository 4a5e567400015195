//! Self-assessment (självskattning): answers and analyses. (Being built.)
