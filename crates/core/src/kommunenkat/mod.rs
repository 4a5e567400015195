//! Municipal survey to Socialstyrelsen (kommunenkät) and its compilation. (Being built.)
